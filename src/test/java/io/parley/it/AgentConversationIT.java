package io.parley.it;

import static io.parley.it.Consumer.last;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A whole chat through the real consumer and agent APIs: bootstrap to release. */
@Tag("containers")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AgentConversationIT {

    static final TestDatabase DB = TestDatabase.create("AgentConversationIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of("poll.hold", "1", "tenants.cacheSeconds", "0"));
    }

    @ArquillianResource
    URL base;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(base);
    }

    @Test
    void theAgentBootstrapCallsAnswerWhereAndWithWhat() {
        Http.Reply settings = http.get("/services/rest/crossChannelServices/latest/serviceSettings/1",
                "Authorization", Consumer.basic("agent1", AgentClient.PASSWORD));
        assertEquals(200, settings.status(), settings.body());
        assertEquals("demo", settings.json().get("siteName").asText());
        assertEquals("1:1", settings.json().get("pool").asText());
        assertEquals(base.getHost() + ":" + base.getPort(), settings.json().get("domain").asText());
        assertFalse(new AgentClient(http, "agent1").token().isEmpty());
        Http.Reply wrong = http.post("/services/rest/crossChannelServices/latest/agentTokens", "",
                "Authorization", Consumer.basic("agent1", "nope"));
        assertEquals(401, wrong.status());
        assertEquals("ACCESS_DENIED", wrong.json().get("chatSystemError").get("exceptionCode").asText());
    }

    @Test
    void aWholeChatFromBootstrapToRelease() {
        long queue = DB.addQueue("conversation");
        DB.execute("INSERT INTO agent_queue (account_id, queue_id) SELECT id, " + queue + " FROM account WHERE username = 'agent2'");
        AgentClient ben = new AgentClient(http, "agent2").ready(2, false);
        JsonNode config = ben.await("ChatConfigChangeNotification", null);
        assertEquals("1:1", config.get("pool").asText());

        Consumer ann = new Consumer(http).bootstrap("{\"firstName\":\"Ann\",\"question\":\"Where is my order?\",\"queueId\":"
                + queue + "}").join();
        JsonNode offer = ben.await("ChatEngagementAssignmentNotification", ann.engagementId);
        assertEquals("LEAD", offer.get("assignmentType").asText());
        assertEquals("Ann", offer.get("customerName").asText());
        assertEquals("Where is my order?", offer.get("question").asText());
        assertFalse(offer.get("autoAccepted").asBoolean());
        assertEquals(offer.get("engagementId").asText(), offer.get("engagementIdString").asText());

        Http.Reply accepted = ben.accept(ann.engagementId);
        assertEquals(200, accepted.status(), accepted.body());
        JsonNode result = accepted.json().get("chatAssignmentAcknowledgementResult");
        assertTrue(accepted.json().has("chatSystemError") && accepted.json().get("chatSystemError").isNull());
        assertEquals(2, result.get("clientList").size());
        long benClient = result.get("clientId").asLong();

        JsonNode added = last(ann.pollUntil("RNEngagementParticipantAddedMessage"));
        assertEquals("Ben", added.get("name").asText());
        assertEquals("LEAD", added.get("role").asText());
        assertEquals("Hello, Ben here.", added.get("greeting").asText());
        assertEquals(benClient, added.get("clientId").asLong());

        assertEquals(200, ben.call("setInteractionStatus", "{\"engagementId\":" + ann.engagementId
                + ",\"clientId\":" + benClient + ",\"mode\":\"RESPONDING\"}").status());
        assertEquals("RESPONDING", last(ann.pollUntil("RNEngagementActivityChangedMessage")).get("mode").asText());
        Http.Reply said = ben.say(ann.engagementId, "Let me look that up.");
        assertEquals(200, said.status(), said.body());
        JsonNode reply = last(ann.pollUntil("RNEngagementMessagePostedMessage"));
        assertEquals("Let me look that up.", reply.get("body").asText());
        assertEquals("Ben", reply.get("name").asText());

        assertEquals(200, ann.call("activity", "{\"mode\":\"RESPONDING\",\"sneakPreviewText\":\"Order 12\"}").status());
        JsonNode typing = ben.await("ChatActivitySignal", ann.engagementId);
        assertEquals("RESPONDING", typing.get("mode").asText());
        assertEquals("Order 12", typing.get("sneakPreview").asText());
        assertEquals("END_USER", typing.get("senderType").asText());
        assertEquals(ann.post("Order 1234, thanks").status(), 200);
        JsonNode fromAnn = ben.await("ChatEngagementMessageNotification", ann.engagementId);
        assertEquals("Order 1234, thanks", fromAnn.get("body").asText());
        assertEquals(ann.clientId, fromAnn.get("clientId").asLong());
        assertTrue(ben.drain().stream().noneMatch(m -> "ChatEngagementMessageNotification".equals(AgentClient.type(m))
                && m.get(AgentClient.type(m)).get("clientId").asLong() == benClient), "an agent's own posts never come back");

        Http.Reply concluded = ben.conclude(ann.engagementId);
        assertEquals(200, concluded.status(), concluded.body());
        assertEquals("AGENT_CONCLUDED", last(ann.pollUntil("RNEngagementConcludedMessage")).get("reason").asText());
        assertEquals(1, load("agent2"), "in wrap-up the chat still takes a slot");
        Http.Reply released = ben.release(ann.engagementId);
        assertEquals(200, released.status(), released.body());
        assertEquals(0, load("agent2"), "released: the slot is free");

        Http.Reply loggedOff = ben.call("logoff", "{\"forceLogoff\":false}");
        assertEquals(200, loggedOff.status(), loggedOff.body());
        Http.Reply after = ben.call("setActivityStatus", "{\"status\":\"AVAILABLE\",\"subTypeId\":0}");
        assertEquals(403, after.status(), "the session ended");
        assertEquals("ACCESS_DENIED", after.json().get("chatSystemError").get("exceptionCode").asText());
    }

    private long load(String username) {
        return DB.count("SELECT COUNT(*) FROM participant p JOIN account a ON a.id = p.account_id"
                + " WHERE a.username = ? AND p.released_at IS NULL AND p.role IN ('LEAD', 'CONFEREE')", username);
    }

    @Test
    void anEmptyPollEndsWithExactlyOneGetTimeout() {
        AgentClient chloe = new AgentClient(http, "agent3").logon(false);
        chloe.drain();
        List<JsonNode> empty = chloe.poll();
        assertEquals(1, empty.size(), empty.toString());
        assertEquals("ChatGetTimeout", AgentClient.type(empty.get(0)));
        chloe.call("logoff", "{\"forceLogoff\":true}");
    }

    @Test
    void aLogonOverrideTakesOverAndStartsTheChannelAgain() {
        AgentClient first = new AgentClient(http, "agent1").logon(false);
        first.drain();
        AgentClient again = new AgentClient(http, "agent1");
        Http.Reply refused = http.post(AgentClient.API + "createAutomatedAgentSession", "{}",
                "Authorization", "Bearer " + again.token());
        assertEquals(409, refused.status(), refused.body());
        assertEquals("CONFLICT", refused.json().get("chatSystemError").get("exceptionCode").asText());

        Http.Reply taken = http.post(AgentClient.API + "createAutomatedAgentSession", "{\"logonOverride\":true}",
                "Authorization", "Bearer " + again.token());
        assertEquals(200, taken.status(), taken.body());
        again.sessionId = taken.json().get("sessionId").asText();
        again.accountId = taken.json().get("accountId").asLong();
        List<JsonNode> fresh = again.poll();
        assertEquals(1, fresh.get(0).get(AgentClient.type(fresh.get(0))).get("sequenceNumber").asLong(),
                "the new session's channel starts at 1");
        assertEquals(403, first.call("setActivityStatus", "{\"status\":\"NONE\",\"subTypeId\":0}").status());
        again.call("logoff", "{\"forceLogoff\":true}");
    }

    @Test
    void aBotServesSeveralChatsAtOnce() {
        long queue = DB.addQueue("bot");
        DB.execute("UPDATE account SET max_sessions = 5 WHERE username = 'agent3'");
        DB.execute("INSERT INTO agent_queue (account_id, queue_id) SELECT id, " + queue + " FROM account WHERE username = 'agent3'");
        AgentClient bot = new AgentClient(http, "agent3").ready(3, true);
        List<Consumer> customers = List.of(
                new Consumer(http).bootstrap("{\"queueId\":" + queue + "}").join(),
                new Consumer(http).bootstrap("{\"queueId\":" + queue + "}").join(),
                new Consumer(http).bootstrap("{\"queueId\":" + queue + "}").join());
        for (Consumer c : customers) {
            JsonNode offer = bot.await("ChatEngagementAssignmentNotification", c.engagementId);
            assertTrue(offer.get("autoAccepted").asBoolean(), "the bot took it at once");
            assertTrue(DB.count("SELECT MIN(seq) FROM agent_event WHERE agent_session_id = ? AND engagement_id = ?"
                    + " AND type <> 'ENGAGEMENT_EVENT'", bot.sessionId, c.engagementId)
                    < DB.count("SELECT MIN(seq) FROM agent_event WHERE agent_session_id = ? AND engagement_id = ?"
                    + " AND type = 'ENGAGEMENT_EVENT'", bot.sessionId, c.engagementId),
                    "the bot hears of the assignment before it sees the chat's events");
            c.pollUntil("RNEngagementParticipantAddedMessage");
            assertEquals(200, c.post("hello bot " + c.engagementId).status());
        }
        for (Consumer c : customers) {
            JsonNode m = bot.await("ChatEngagementMessageNotification", c.engagementId);
            assertEquals(200, bot.say(c.engagementId, "echo: " + m.get("body").asText()).status());
        }
        for (Consumer c : customers) {
            assertEquals("echo: hello bot " + c.engagementId,
                    last(c.pollUntil("RNEngagementMessagePostedMessage")).get("body").asText());
        }
        Consumer fourth = new Consumer(http).bootstrap("{\"queueId\":" + queue + "}").join();
        assertEquals(3, DB.count("SELECT COUNT(*) FROM participant p JOIN account a ON a.id = p.account_id"
                + " WHERE a.username = 'agent3' AND p.released_at IS NULL AND p.role = 'LEAD'"), "capacity 3 holds");
        assertEquals("QUEUED", DB.query("SELECT state FROM engagement WHERE id = ?", fourth.engagementId).get(0).get("state"));
        Consumer done = customers.get(0);
        bot.conclude(done.engagementId);
        bot.release(done.engagementId);
        JsonNode next = bot.await("ChatEngagementAssignmentNotification", fourth.engagementId);
        assertTrue(next.get("autoAccepted").asBoolean(), "a freed slot takes the next waiting chat");
        bot.call("logoff", "{\"forceLogoff\":true}");
    }
}
