package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's run command as users run it: the launcher jar on its own JVM in demo mode. It
 * stops cleanly on a termination signal (a held poll is answered, the database closed); killed
 * outright ({@code kill -9}) it loses nothing committed. Either way, started again on the same
 * data directory, it carries on with every engagement, message, queue place and agent session.
 */
class LauncherIT {

    private static final String GET_MESSAGES = Consumer.API + "getMessages";

    @Test
    void demoModeStopsCleanlyAndKeepsEverythingAcrossARestart() throws Exception {
        Path dir = Files.createTempDirectory("parley-launcher-it");
        // The launcher reads country files from <data>/country when that directory exists.
        Path countries = Files.createDirectories(dir.resolve("data").resolve("country"));
        Files.writeString(countries.resolve("test.csv"), "127.0.0.4,127.0.0.4,KP\n");
        int port = ParleyProcess.freePort();
        Consumer ann;
        try (ParleyProcess first = ParleyProcess.start("first", dir, port, null)) {
            Http http = first.awaitUp();
            assertTrue(first.log().contains("demo-api / demo-api-pass"), "the demo credentials are printed");
            assertTrue(first.log().contains("/ui/agent (agent)"), "the consoles are printed");
            Http.Reply embargoed = new RawHttp(new URL("http://127.0.0.1:" + port + "/"))
                    .send("127.0.0.4", "POST", GET_MESSAGES, "{}");
            assertEquals(403, embargoed.status(), embargoed::toString);
            assertEquals("EXPORT_COMPLIANCE_DENIED", embargoed.json().get("code").asText());
            assertFalse(first.log().contains("no country source"), first.log());
            ann = new Consumer(http).join();
            assertEquals(200, ann.post("before the restart").status());
            ann.poll();
            CompletableFuture<Http.Reply> held = ann.pollAsync("{}");
            Thread.sleep(500);

            assertTrue(first.stop(), "the launcher stops on SIGTERM");
            Http.Reply answered = held.get(5, TimeUnit.SECONDS);
            assertEquals(200, answered.status(), "a held poll is answered, not dropped");
            assertEquals(0, answered.json().get("systemMessages").size());
            assertTrue(first.log().contains("Parley stopped"), first.log());
            assertFalse(first.log().contains("SEVERE"), first.log());
        }

        try (ParleyProcess second = ParleyProcess.start("second", dir, port, null)) {
            Http http = second.awaitUp();
            Http.Reply replay = http.send("POST", GET_MESSAGES, "{\"lastSequenceNumber\":0}",
                    Duration.ofSeconds(40), "SessionId", ann.sessionId);
            assertEquals(200, replay.status(), replay.body());
            assertTrue(names(replay).contains("RNEngagementWaitInformationChangedMessage"),
                    "the engagement and its events survived: " + replay.body());
            Http.Reply post = ann.via(http).post("after the restart");
            assertEquals(200, post.status(), post.body());
            assertEquals(3, post.json().get("sequenceNumber").asLong(), "sequence numbers carry on");
        }
    }

    @Test
    void killedMidChatItComesBackWithEverythingCommitted() throws Exception {
        Path dir = Files.createTempDirectory("parley-kill-it");
        int port = ParleyProcess.freePort();
        Consumer ann;
        List<Consumer> waiting = new ArrayList<>();
        AgentClient ada;
        CompletableFuture<Http.Reply> held;
        try (ParleyProcess first = ParleyProcess.start("first", dir, port, null)) {
            Http http = first.awaitUp();
            ada = new AgentClient(http, "agent1").ready(3, false);
            ann = new Consumer(http).join();
            assertEquals(200, ada.accept(ada.await("ChatEngagementAssignmentNotification", ann.engagementId).get("engagementId").asLong())
                    .status());
            assertEquals(200, ann.post("my order is late").status());
            assertEquals(200, ada.say(ann.engagementId, "let me look").status());
            ann.pollUntil("RNEngagementMessagePostedMessage");
            // Ada takes no more chats for now: the next three customers wait in the queue, in order.
            assertEquals(200, ada.call("requestAssignment", "{\"assignmentRequested\":false,\"maxSessionCount\":3,\"idleSessionCount\":3}").status());
            for (String name : List.of("Bo", "Cy")) {
                waiting.add(new Consumer(http).bootstrap("{\"firstName\":\"" + name + "\"}").join());
            }
            held = ann.pollAsync("{}");
            Thread.sleep(300);
            // The last customer's admission is answered, and at once the process dies.
            waiting.add(new Consumer(http).bootstrap("{\"firstName\":\"Di\"}").join());
            first.kill();
        }
        assertTrue(failedOrEmpty(held), "the held poll ends (cut off), it does not hang");

        try (ParleyProcess second = ParleyProcess.start("second", dir, port, null)) {
            Http http = second.awaitUp();
            Consumer annAgain = ann.via(http);
            Http.Reply transcript = http.send("POST", GET_MESSAGES, "{\"lastSequenceNumber\":0}",
                    Duration.ofSeconds(40), "SessionId", ann.sessionId);
            assertEquals(200, transcript.status(), transcript.body());
            assertTrue(transcript.body().contains("let me look"), "the agent's message survived: " + transcript.body());
            assertTrue(names(transcript).contains("RNEngagementParticipantAddedMessage"), transcript.body());

            for (int i = 0; i < waiting.size(); i++) {
                assertEquals(i + 1, position(http, waiting.get(i)), "queue place " + (i + 1) + " survived");
            }

            AgentClient adaAgain = ada.via(http);
            Http.Reply said = adaAgain.say(ann.engagementId, "found it");
            assertEquals(200, said.status(), "the agent session survived: " + said.body());
            boolean received = false;
            for (JsonNode m : annAgain.pollUntil("RNEngagementMessagePostedMessage")) {
                received |= m.toString().contains("found it");
            }
            assertTrue(received, "and the end user receives what it says");

            assertEquals(200, adaAgain.call("requestAssignment", "{\"assignmentRequested\":true,\"maxSessionCount\":3,\"idleSessionCount\":3}")
                    .status());
            assertEquals(waiting.get(0).engagementId, adaAgain.await("ChatEngagementAssignmentNotification", null).get("engagementId").asLong(),
                    "the first in the queue is offered first");
        }
    }

    /**
     * Sixteen customers post as fast as they can while commits are shared (group commit, on by default on
     * H2); the process is killed mid-burst. Every message that was answered 200 is in the database.
     */
    @Test
    void killedDuringABurstOfPostsLosesNoMessageItAcknowledged() throws Exception {
        Path dir = Files.createTempDirectory("parley-burst-it");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        ExecutorService posters = Executors.newFixedThreadPool(16);
        try (ParleyProcess node = ParleyProcess.start("burst", dir, ParleyProcess.freePort(), null)) {
            Http http = node.awaitUp();
            List<Consumer> chats = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                chats.add(new Consumer(http).bootstrap("{\"firstName\":\"C" + i + "\"}").join());
            }
            for (int i = 0; i < chats.size(); i++) {
                Consumer c = chats.get(i);
                String prefix = "burst " + i + " ";
                posters.execute(() -> {
                    try {
                        for (int n = 0; ; n++) {
                            if (c.post(prefix + n).status() == 200) {
                                acknowledged.add(prefix + n);
                            }
                        }
                    } catch (RuntimeException cutOff) {
                        // the process is gone
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < 400 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            String metrics = http.get("/metrics").body();
            node.kill();
            assertTrue(acknowledged.size() >= 400, "the burst got going: " + acknowledged.size());
            assertTrue(counter(metrics, "parley_db_commits_total") < counter(metrics, "parley_db_group_transactions_total"),
                    "posts that arrived together shared commits:\n" + metrics);
        } finally {
            posters.shutdown();
            assertTrue(posters.awaitTermination(60, TimeUnit.SECONDS), "every poster saw the process die");
        }

        Set<String> stored = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("data").resolve("parley"), "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT payload FROM engagement_event WHERE type = 'MESSAGE_POSTED'")) {
            while (rs.next()) {
                stored.add(Http.JSON.readTree(rs.getString(1)).get("body").asText());
            }
        }
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        assertEquals(Set.of(), lost, acknowledged.size() + " messages were acknowledged, these are not stored");
    }

    private static double counter(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
        assertTrue(m.find(), name + " in /metrics");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void headersAsLongAsTheLongestTokenReachParleyAndLongerOnesGetTheOneErrorBody() throws Exception {
        Path dir = Files.createTempDirectory("parley-headers-it");
        // Demo mode: jwt.maxTokenBytes 4096, and the connector's limit is Tomcat's default 8 KiB.
        try (ParleyProcess node = ParleyProcess.start("headers", dir, ParleyProcess.freePort(), null)) {
            RawHttp raw = new RawHttp(node.awaitUp().base().toURL());
            assertTokenRefusedByParley(raw, 6 * 1024);
            assertTomcatError(raw.send("127.0.0.1", "POST", Consumer.API + "requestEngagement", "{}",
                    "Authorization", "Bearer " + "x".repeat(9 * 1024)), 400, "BAD_REQUEST");
            assertTomcatError(raw.send("127.0.0.1", "GET", "/a b", null), 400, "BAD_REQUEST");
            assertTomcatError(raw.send("127.0.0.1", "GET", "/health/live?request={}", null), 400, "BAD_REQUEST");
        }
        // The longest tokens Parley can be told to read, named in its configuration file: the connector follows.
        Path big = Files.createTempDirectory("parley-headers-it");
        Map<String, String> settings = Map.of("demo", "true", "jwt.maxTokenBytes", "65536",
                "db.url", "jdbc:h2:file:" + big.resolve("data/parley").toAbsolutePath());
        try (ParleyProcess node = ParleyProcess.start("big-headers", big, ParleyProcess.freePort(), settings)) {
            RawHttp raw = new RawHttp(node.awaitUp().base().toURL());
            for (int tokenBytes : new int[] {16 * 1024, 64 * 1024}) {
                assertTokenRefusedByParley(raw, tokenBytes);
            }
            assertTomcatError(raw.send("127.0.0.1", "POST", Consumer.API + "requestEngagement", "{}",
                    "Authorization", "Bearer " + "x".repeat(100_000)), 400, "BAD_REQUEST");
        }
    }

    /** A token Parley read (and refused: it is no JWT), not one Tomcat turned away before Parley ran. */
    private static void assertTokenRefusedByParley(RawHttp raw, int tokenBytes) {
        Http.Reply fromParley = raw.send("127.0.0.1", "POST", Consumer.API + "requestEngagement", "{}",
                "Authorization", "Bearer " + "x".repeat(tokenBytes));
        assertEquals(403, fromParley.status(), tokenBytes + ": " + fromParley.body());
        assertEquals("TOKEN_INVALID", fromParley.json().get("code").asText(), fromParley.body());
    }

    /** An error Tomcat answered before Parley ran: still the one error body, and nothing about the server. */
    private static void assertTomcatError(Http.Reply r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.toString());
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
        JsonNode body = r.json();
        assertEquals(status, body.get("status").asInt());
        assertEquals(code, body.get("code").asText());
        assertEquals(code, body.get("errorMessages").get(0).get("code").asText());
        assertEquals(0, body.get("systemMessages").size());
        assertEquals("BAD_REQUEST", body.get("chatSystemError").get("exceptionCode").asText());
        assertFalse(r.body().contains("Tomcat") || r.body().contains("Exception") || r.body().contains("at org."), r.body());
        assertEquals(null, r.header("Server"));
    }

    /** The end user's place in the queue, from its latest wait information. */
    private static int position(Http http, Consumer c) {
        Http.Reply r = http.send("POST", GET_MESSAGES, "{\"lastSequenceNumber\":0}", Duration.ofSeconds(40),
                "SessionId", c.sessionId);
        assertEquals(200, r.status(), r.body());
        int position = -1;
        for (JsonNode m : r.json().get("systemMessages")) {
            if ("RNEngagementWaitInformationChangedMessage".equals(m.get("messageName").asText())) {
                position = m.get("position").asInt();
            }
        }
        return position;
    }

    private static boolean failedOrEmpty(CompletableFuture<Http.Reply> held) throws InterruptedException {
        try {
            Http.Reply r = held.get(10, TimeUnit.SECONDS);
            return r.status() == 200 && r.json().get("systemMessages").isEmpty();
        } catch (ExecutionException cutOff) {
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static List<String> names(Http.Reply r) {
        List<String> names = new ArrayList<>();
        for (JsonNode m : r.json().get("systemMessages")) {
            names.add(m.get("messageName").asText());
        }
        return names;
    }
}
