package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.continuation.HoldSettings;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What administrators watch and look up: live queue figures as chats come and go, the
 * engagement search, transcripts in JSON and in spreadsheet-safe CSV; and what monitoring reads
 * (health and metrics).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminReportsIT {

    static final TestDatabase DB = TestDatabase.create("AdminReportsIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of("tenants.cacheSeconds", "0", "poll.hold", "2"));
    }

    @ArquillianResource
    URL base;

    Http http;
    AdminClient admin;

    @BeforeEach
    void setUp() {
        http = new Http(base);
        admin = new AdminClient(http);
    }

    /** A fresh queue of the demo site, served by a fresh agent account (capacity 2). */
    private record Desk(long queueId, String agent) {
    }

    private Desk desk(String name) {
        long site = DB.count("SELECT id FROM site WHERE name = 'demo'");
        long queueId = admin.ok("POST", "sites/" + site + "/queues", "{\"name\":\"" + name + "\"}").get("id").asLong();
        admin.ok("POST", "sites/" + site + "/agents", "{\"username\":\"" + name + "-agent\",\"password\":\""
                + AgentClient.PASSWORD + "\",\"name\":\"" + name + " agent\",\"maxSessions\":2,\"queues\":[" + queueId + "]}");
        return new Desk(queueId, name + "-agent");
    }

    private JsonNode figures(long queueId) {
        for (JsonNode q : admin.ok("GET", "statistics", null).get("items")) {
            if (q.get("queueId").asLong() == queueId) {
                return q;
            }
        }
        throw new AssertionError("no figures for queue " + queueId);
    }

    @Test
    void theQueueFiguresFollowTheChats() throws Exception {
        Desk d = desk("stats");
        JsonNode empty = figures(d.queueId());
        assertEquals(0, empty.get("waiting").asInt());
        assertEquals(0, empty.get("agentsAvailable").asInt() + empty.get("agentsBusy").asInt() + empty.get("agentsAway").asInt());
        assertTrue(empty.get("averageHandleSeconds").isNull());

        Consumer first = new Consumer(http).bootstrap("{\"queueId\":" + d.queueId() + "}").join();
        Thread.sleep(1100);
        Consumer second = new Consumer(http).bootstrap("{\"queueId\":" + d.queueId() + "}").join();
        Consumer leaver = new Consumer(http).bootstrap("{\"queueId\":" + d.queueId() + "}").join();
        JsonNode three = figures(d.queueId());
        assertEquals(3, three.get("waiting").asInt());
        assertTrue(three.get("longestWaitSeconds").asLong() >= 1, "the first has waited a second: " + three);
        assertTrue(three.get("expectedWaitSeconds").asInt() > 0);
        assertEquals(3, three.get("engagementsToday").asLong());

        assertEquals(200, leaver.call("concludeEngagement", "{}").status());
        assertEquals(1, figures(d.queueId()).get("abandonedToday").asLong(), "left before an agent came");

        AgentClient agent = new AgentClient(http, d.agent()).ready(2, false);
        agent.await("ChatEngagementAssignmentNotification", first.engagementId);
        assertEquals(200, agent.accept(first.engagementId).status());
        JsonNode serving = figures(d.queueId());
        assertEquals(1, serving.get("waiting").asInt());
        assertEquals(1, serving.get("agentsAvailable").asInt(), "one chat of two: room for another");

        agent.await("ChatEngagementAssignmentNotification", second.engagementId);
        assertEquals(200, agent.accept(second.engagementId).status());
        JsonNode full = figures(d.queueId());
        assertEquals(0, full.get("waiting").asInt());
        assertEquals(1, full.get("agentsBusy").asInt(), "at capacity");
        assertEquals(0, full.get("agentsAvailable").asInt());

        assertEquals(200, agent.conclude(first.engagementId).status());
        assertFalse(figures(d.queueId()).get("averageHandleSeconds").isNull(), "a chat was handled to its end");
        assertEquals(200, agent.release(first.engagementId).status());
        agent.conclude(second.engagementId);
        agent.release(second.engagementId);
        agent.call("logoff", "{}");
    }

    @Test
    void theSearchFindsChatsAndTheirTranscriptsExportSafely() {
        Desk d = desk("export");
        Consumer zoe = new Consumer(http).bootstrap("{\"firstName\":\"Zoe\",\"lastName\":\"Quartz\","
                + "\"emailAddress\":\"zoe@quartz.example\",\"queueId\":" + d.queueId() + "}").join();
        AgentClient agent = new AgentClient(http, d.agent()).ready(2, false);
        agent.await("ChatEngagementAssignmentNotification", zoe.engagementId);
        assertEquals(200, agent.accept(zoe.engagementId).status());
        assertEquals(200, zoe.post("=HYPERLINK(\"http://evil.example\",\"click\")").status());
        assertEquals(200, zoe.post("Hello, \"quoted\" world\nsecond line").status());
        assertEquals(200, zoe.post(" =SUM(A1)").status());
        assertEquals(200, zoe.post("\uFF1D1+1").status());
        assertEquals(200, agent.say(zoe.engagementId, "+1 for that").status());
        assertEquals(200, agent.whisper(zoe.engagementId, "note to self").status());
        assertEquals(200, agent.conclude(zoe.engagementId).status());

        JsonNode hits = admin.ok("GET", "engagements?customer=QUARTZ&queueId=" + d.queueId(), null).get("items");
        assertEquals(1, hits.size(), hits.toString());
        JsonNode hit = hits.get(0);
        assertEquals(zoe.engagementId, hit.get("id").asLong());
        assertEquals("Zoe Quartz", hit.get("customerName").asText());
        assertEquals("zoe@quartz.example", hit.get("customerEmail").asText());
        assertEquals("CONCLUDED", hit.get("state").asText());
        assertEquals("export agent", hit.get("agents").get(0).asText());
        assertEquals(0, admin.ok("GET", "engagements?customer=nobody-like-this", null).get("items").size());
        assertEquals(1, admin.ok("GET", "engagements?state=concluded&queueId=" + d.queueId(), null).get("items").size());
        assertEquals(400, admin.get("engagements?state=SLEEPING").status());
        assertEquals(400, admin.get("engagements?from=yesterday").status());
        assertEquals(400, admin.get("engagements?limit=100000").status());

        JsonNode transcript = admin.ok("GET", "engagements/" + zoe.engagementId + "/transcript", null);
        List<String> texts = new ArrayList<>();
        String whisperVisibility = null;
        for (JsonNode line : transcript.get("lines")) {
            texts.add(line.get("text").asText());
            if ("note to self".equals(line.get("text").asText())) {
                whisperVisibility = line.get("visibility").asText();
            }
        }
        assertTrue(texts.contains("=HYPERLINK(\"http://evil.example\",\"click\")"), "JSON keeps the text as typed: " + texts);
        assertEquals("AGENTS", whisperVisibility, "the whisper is in, marked as never shown to the customer");
        assertTrue(texts.contains("export agent joined as LEAD"), texts.toString());

        Http.Reply csv = admin.get("engagements/" + zoe.engagementId + "/transcript.csv");
        assertEquals(200, csv.status(), csv.body());
        assertTrue(csv.header("Content-Type").startsWith("text/csv"));
        assertTrue(csv.header("Content-Disposition").contains("engagement-" + zoe.engagementId + ".csv"));
        String body = csv.body();
        assertTrue(body.startsWith("engagementId,sequenceNumber,time,type,participant,role,visibility,text\r\n"), body);
        assertTrue(body.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"\r\n"),
                "a formula is defused and quoted: " + body);
        assertTrue(body.contains(",'+1 for that\r\n"), "a leading + is defused too: " + body);
        assertTrue(body.contains(",' =SUM(A1)\r\n"), "a formula after a blank is defused: " + body);
        assertTrue(body.contains(",'\uFF1D1+1\r\n"), "a fullwidth = is defused: " + body);
        assertTrue(body.contains(",\"Hello, \"\"quoted\"\" world\nsecond line\"\r\n"), "commas, quotes and line breaks are quoted");
        for (String line : body.split("\r\n")) {
            String last = line.substring(line.lastIndexOf(',') + 1);
            assertFalse(last.startsWith("=") || last.startsWith("+") || last.startsWith("@"), "no live formula: " + line);
        }
        assertEquals(404, admin.get("engagements/987654321/transcript").status());
        agent.release(zoe.engagementId);
        agent.call("logoff", "{}");
    }

    @Test
    void healthAndMetricsNeedNoCredentials() {
        Http.Reply live = http.get("/health/live");
        assertEquals(200, live.status());
        assertEquals("UP", live.json().get("status").asText());
        Http.Reply ready = http.get("/health/ready");
        assertEquals(200, ready.status());
        assertEquals("UP", ready.json().get("database").asText());

        new Consumer(http).bootstrap().join();
        Http.Reply metrics = http.get("/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.header("Content-Type").startsWith("text/plain"));
        String text = metrics.body();
        // Parley runs in this JVM (the embedded Tomcat): its default cap is this process's.
        for (String name : List.of("jvm_memory_used_bytes", "parley_held_requests ",
                "parley_held_requests_max " + HoldSettings.defaultMaxHeld() + ".0",
                "parley_db_connections{state=\"total\"}", "parley_engagements_waiting{queue=\"1\"")) {
            assertTrue(text.contains(name), name + " in " + text.substring(0, Math.min(400, text.length())));
        }
        assertNotNull(metrics.header("Content-Type"));
    }
}
