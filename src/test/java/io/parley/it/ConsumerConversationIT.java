package io.parley.it;

import static io.parley.it.Consumer.last;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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

/** A consumer's whole chat over HTTP, with a stand-in agent acting through the engagement service. */
@Tag("containers")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsumerConversationIT {

    static final TestDatabase DB = TestDatabase.create("ConsumerConversationIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of("poll.hold", "2", "tenants.cacheSeconds", "0",
                "session.concludedGrace", "2"));
    }

    @ArquillianResource
    URL base;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(base);
    }

    private static void assertTwin(JsonNode m, String field) {
        assertTrue(m.has(field), field + " in " + m);
        assertEquals(m.get(field).asText(), m.get(field + "String").asText(), field + " and its String twin");
    }

    private static JsonNode message(List<JsonNode> messages, String name) {
        return messages.stream().filter(m -> name.equals(m.get("messageName").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + messages));
    }

    @Test
    void aWholeConversationFromBootstrapToConclusion() {
        long queue = DB.addQueue("conversation");
        Consumer ann = new Consumer(http).bootstrap("{\"firstName\":\"Ann\",\"queueId\":" + queue + "}");
        Http.Reply joined = ann.requestEngagement();
        assertEquals(200, joined.status(), joined.body());
        JsonNode answer = joined.json();
        assertTwin(answer, "engagementId");
        assertTwin(answer, "clientId");
        assertFalse(answer.get("sessionId").asText().isEmpty());
        assertTrue(answer.has("clientRequestTime") && answer.get("clientRequestTime").isNull());
        assertNotNull(answer.get("serviceStartTime").asText());
        assertNotNull(answer.get("serviceFinishTime").asText());
        ann.take(answer);

        JsonNode wait = message(ann.pollUntil("RNEngagementWaitInformationChangedMessage"),
                "RNEngagementWaitInformationChangedMessage");
        assertEquals(1, wait.get("position").asInt());
        assertTwin(wait, "position");
        assertTwin(wait, "expectedWaitTimeSeconds");
        assertTwin(wait, "averageWaitTimeSeconds");
        assertTwin(wait, "sequenceNumber");
        assertTwin(wait, "engagementId");
        assertTrue(wait.get("createdTime").isTextual());

        Http.Reply early = ann.post("Is anyone there?");
        assertEquals(200, early.status(), early.body());
        assertTwin(early.json(), "sequenceNumber");

        Agent ada = new Agent(http, DB, "agent1").accept(ann.engagementId);
        JsonNode added = message(ann.pollUntil("RNEngagementParticipantAddedMessage"), "RNEngagementParticipantAddedMessage");
        assertEquals("Ada", added.get("name").asText());
        assertEquals("LEAD", added.get("role").asText());
        assertEquals("Hi, I'm Ada. How can I help?", added.get("greeting").asText());
        assertEquals(ada.participantId, added.get("clientId").asLong());
        assertTwin(added, "clientId");

        ada.typing(ann.engagementId);
        JsonNode typing = message(ann.pollUntil("RNEngagementActivityChangedMessage"), "RNEngagementActivityChangedMessage");
        assertEquals("RESPONDING", typing.get("mode").asText());

        assertEquals(200, ann.call("activity", "{\"mode\":\"RESPONDING\",\"sneakPreviewText\":\"My ord\"}").status());
        assertEquals(200, ann.post("My order is late.").status());
        ada.say(ann.engagementId, "Let me check that for you.");
        List<JsonNode> seen = ann.pollUntil("RNEngagementMessagePostedMessage");
        JsonNode reply = last(seen);
        assertEquals("Let me check that for you.", reply.get("body").asText());
        assertEquals(ada.participantId, reply.get("clientId").asLong());
        assertEquals("Ada", reply.get("name").asText());
        assertTrue(seen.stream().noneMatch(m -> m.has("clientId") && m.get("clientId").asLong() == ann.clientId),
                "the consumer's own posts and typing never come back to it");

        ada.conclude(ann.engagementId);
        JsonNode concluded = last(ann.pollUntil("RNEngagementConcludedMessage"));
        assertEquals("AGENT_CONCLUDED", concluded.get("reason").asText());
        assertEquals("LEAD", concluded.get("role").asText());

        Http.Reply after = ann.poll();
        assertEquals(403, after.status(), "the session ended once its closing messages were delivered");
        assertEquals("SESSION_UNKNOWN", after.json().get("code").asText());
        assertEquals(0, after.json().get("systemMessages").size());
        assertFalse(after.json().get("errorMessages").isEmpty());

        List<Map<String, Object>> transcript = DB.query("SELECT payload FROM engagement_event WHERE engagement_id = ?"
                + " AND type = 'MESSAGE_POSTED' ORDER BY seq", ann.engagementId);
        assertEquals(3, transcript.size());
        assertTrue(transcript.get(2).get("payload").toString().contains("Let me check"));
    }

    @Test
    void theConsumerSeesAnAgentLeave() {
        Consumer ann = new Consumer(http).join();
        Agent ada = new Agent(http, DB, "agent1").accept(ann.engagementId);
        ann.pollUntil("RNEngagementParticipantAddedMessage");
        Http.Reply left = http.post("/test-support/agent/leave", "{\"engagementId\":" + ann.engagementId
                + ",\"participantId\":" + ada.participantId + ",\"reason\":\"TRANSFERRED_TO_QUEUE\"}");
        assertEquals(200, left.status(), left.body());
        JsonNode gone = last(ann.pollUntil("RNEngagementParticipantLeftMessage"));
        assertEquals(ada.participantId, gone.get("clientId").asLong());
        assertTwin(gone, "clientId");
        assertEquals("LEAD", gone.get("role").asText());
        assertEquals("TRANSFERRED_TO_QUEUE", gone.get("disconnectReason").asText());
    }

    @Test
    void theConsumerConcludesAndRetriesAreAnsweredLikeTheFirst() {
        Consumer ann = new Consumer(http).join();
        Http.Reply first = ann.call("concludeEngagement", "{\"clientTransactionId\":5}");
        assertEquals(200, first.status(), first.body());
        assertTwin(first.json(), "clientId");
        assertEquals(200, ann.call("concludeEngagement", "{}").status(), "a retried conclude is not an error");
        JsonNode concluded = last(ann.pollUntil("RNEngagementConcludedMessage"));
        assertEquals("END_USER_CONCLUDED", concluded.get("reason").asText());
        assertEquals("END_USER", concluded.get("role").asText());
        assertEquals(403, ann.post("still there?").status());
    }

    @Test
    void theEnvelopeIsEchoedAndHeadersAreReadLeniently() {
        Consumer ann = new Consumer(http).join();
        Http.Reply numeric = ann.call("activity",
                "{\"mode\":\"LISTENING\",\"clientTransactionId\":9007199254740993,\"clientRequestTime\":1732600000000}");
        assertEquals(200, numeric.status(), numeric.body());
        assertEquals(9007199254740993L, numeric.json().get("clientTransactionId").asLong());
        assertEquals("9007199254740993", numeric.json().get("clientTransactionIdString").asText());
        assertEquals(1732600000000L, numeric.json().get("clientRequestTime").asLong());

        Http.Reply textual = ann.call("activity",
                "{\"mode\":\"LISTENING\",\"clientTransactionId\":\"42\",\"clientRequestTime\":\"2019-01-14T14:35:14.226Z\"}");
        assertEquals(200, textual.status(), textual.body());
        assertEquals(42, textual.json().get("clientTransactionId").asLong());
        assertEquals("2019-01-14T14:35:14.226Z", textual.json().get("clientRequestTime").asText());

        Http.Reply lowerCase = http.post(Consumer.API + "activity", "{\"mode\":\"LISTENING\"}", "sessionid", ann.sessionId);
        assertEquals(200, lowerCase.status(), "header names in any case, pool left out");

        Http.Reply undefined = http.post(Consumer.API + "activity", "{\"mode\":\"LISTENING\"}", "SessionId", "undefined");
        assertEquals(403, undefined.status());
        assertEquals("SESSION_UNKNOWN", undefined.json().get("code").asText());

        Http.Reply plainCurl = http.post(Consumer.API + "activity", "{\"mode\":\"LISTENING\"}", "SessionId", ann.sessionId,
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(200, plainCurl.status(), "any content type is read as JSON, as curl -d sends it");
    }

    @Test
    void aReplayedTokenReturnsTheSameEngagement() {
        Consumer ann = new Consumer(http).join();
        Http.Reply again = ann.requestEngagement();
        assertEquals(200, again.status());
        assertEquals(ann.engagementId, again.json().get("engagementId").asLong());
        assertEquals(ann.sessionId, again.json().get("sessionId").asText());
        assertEquals(1, DB.count("SELECT COUNT(*) FROM engagement WHERE consumer_session = ?", ann.sessionId));
    }

    @Test
    void everyWaitingConsumerSeesItsPositionChange() {
        long queue = DB.addQueue("positions");
        Consumer first = new Consumer(http).bootstrap("{\"queueId\":" + queue + "}").join();
        Consumer second = new Consumer(http).bootstrap("{\"queueId\":" + queue + "}").join();
        assertEquals(2, last(second.pollUntil("RNEngagementWaitInformationChangedMessage")).get("position").asInt());
        first.pollUntil("RNEngagementWaitInformationChangedMessage");

        new Agent(http, DB, "agent3").accept(first.engagementId);
        JsonNode moved = last(second.pollUntil("RNEngagementWaitInformationChangedMessage"));
        assertEquals(1, moved.get("position").asInt());
        assertEquals("1", moved.get("positionString").asText());
    }

    @Test
    void sessionInformationAsAStringRoutesByCustomField() {
        Consumer bill = new Consumer(http)
                .bootstrap("\"{\\\"customFields\\\":[{\\\"name\\\":\\\"topic\\\",\\\"type\\\":\\\"STRING\\\",\\\"value\\\":\\\"billing\\\"}]}\"")
                .join();
        assertEquals(2, DB.count("SELECT queue_id FROM engagement WHERE id = ?", bill.engagementId));
    }

    @Test
    void routingRulesAndClosedQueuesRefuseWith409AndStoreNothing() {
        DB.execute("INSERT INTO routing_rule (site_id, priority, name, match_product_id, action)"
                + " VALUES ((SELECT id FROM site WHERE name = 'demo'), 1, 'embargoed product', 666, 'REJECT')");
        long before = DB.count("SELECT COUNT(*) FROM engagement");
        Http.Reply rejected = new Consumer(http).bootstrap("{\"productId\":666}").requestEngagement();
        assertEquals(409, rejected.status(), rejected.body());
        assertEquals("ROUTING_REJECTED", rejected.json().get("code").asText());

        DB.execute("UPDATE chat_queue SET hours_zone = 'UTC', hours = 'SUN 00:00-00:01; SAT 00:00-00:01' WHERE id = 2");
        try {
            Http.Reply closed = new Consumer(http).bootstrap("{\"queueId\":2}").requestEngagement();
            assertEquals(409, closed.status(), closed.body());
            assertEquals("QUEUE_CLOSED", closed.json().get("code").asText());
        } finally {
            DB.execute("UPDATE chat_queue SET hours_zone = NULL, hours = NULL WHERE id = 2");
        }
        assertEquals(before, DB.count("SELECT COUNT(*) FROM engagement"));
    }

    @Test
    void aQueueTimeoutConcludesTheEngagement() {
        DB.execute("UPDATE chat_queue SET queue_timeout_seconds = 1 WHERE id = 2");
        try {
            Consumer late = new Consumer(http).bootstrap("{\"queueId\":2}").join();
            JsonNode concluded = last(late.pollUntil("RNEngagementConcludedMessage"));
            assertEquals("QUEUE_TIMEOUT", concluded.get("reason").asText());
        } finally {
            DB.execute("UPDATE chat_queue SET queue_timeout_seconds = 900 WHERE id = 2");
        }
    }

    @Test
    void aRetriedPostWithTheSameMessageIdStoresOneMessage() {
        Consumer ann = new Consumer(http).join();
        String body = "{\"body\":\"once\",\"messageId\":\"client-msg-1\",\"clientTransactionId\":1}";
        Http.Reply first = ann.call("postMessage", body);
        Http.Reply retry = ann.call("postMessage", body);
        assertEquals(200, retry.status());
        assertEquals(first.json().get("sequenceNumber").asLong(), retry.json().get("sequenceNumber").asLong());
        assertEquals(first.json().get("createdTime").asText(), retry.json().get("createdTime").asText());
        assertEquals(1, DB.count("SELECT COUNT(*) FROM engagement_event WHERE engagement_id = ? AND type = 'MESSAGE_POSTED'",
                ann.engagementId));
    }

    @Test
    void offTheRecordMessagesAreDeliveredButNotKept() throws Exception {
        Consumer ann = new Consumer(http).join();
        Agent ada = new Agent(http, DB, "agent1").accept(ann.engagementId);
        assertEquals(200, ann.call("postMessage", "{\"body\":\"my card is 4111\",\"offTheRecord\":true}").status());
        ada.say(ann.engagementId, "noted, off the record", true, false);
        JsonNode otr = last(ann.pollUntil("RNEngagementMessagePostedMessage"));
        assertEquals("noted, off the record", otr.get("body").asText());
        assertTrue(otr.get("offTheRecord").asBoolean());

        ada.conclude(ann.engagementId);
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline
                && DB.count("SELECT COUNT(*) FROM engagement_event WHERE engagement_id = ? AND off_record = TRUE"
                + " AND payload LIKE '%4111%'", ann.engagementId) > 0) {
            Thread.sleep(200);
        }
        assertEquals(0, DB.count("SELECT COUNT(*) FROM engagement_event WHERE engagement_id = ?"
                + " AND (payload LIKE '%4111%' OR payload LIKE '%noted, off%')", ann.engagementId));
    }

    @Test
    void queueStatisticsByGetAndByPost() {
        long queue = DB.addQueue("statistics");
        new Consumer(http).bootstrap("{\"queueId\":" + queue + "}").join();
        String request = URLEncoder.encode("{\"queueId\":" + queue + ",\r\n\t\"chatProactiveAvailableType\":\"AGENTS\"}",
                StandardCharsets.UTF_8);
        Http.Reply get = http.get(Consumer.API + "getQueueStats?pool=1:1&request=" + request);
        assertEquals(200, get.status(), get.body());
        assertTwin(get.json(), "queueId");
        assertEquals(1, get.json().get("engagementsInQueue").asInt());
        assertEquals(0, get.json().get("availableAgentSessions").asInt(), "no agent is logged in");
        assertTrue(get.json().get("queueOpen").asBoolean());

        Http.Reply post = http.post(Consumer.API + "getQueueStats",
                "{\"queueId\":" + queue + ",\"chatProactiveAvailableType\":\"SESSIONS\"}");
        assertEquals(200, post.status(), post.body());
        assertEquals(get.json().get("engagementsInQueue").asInt(), post.json().get("engagementsInQueue").asInt());

        Http.Reply unknown = http.get(Consumer.API + "getQueueStats?request="
                + URLEncoder.encode("{\"queueId\":77}", StandardCharsets.UTF_8));
        assertEquals(404, unknown.status());
        assertEquals("QUEUE_UNKNOWN", unknown.json().get("code").asText());
    }

    @Test
    void getEngagementQueueRoutesWithoutQueueing() {
        long before = DB.count("SELECT COUNT(*) FROM engagement");
        String request = URLEncoder.encode("{\"productId\":7,\"customFields\":[{\"name\":\"x\"}]}", StandardCharsets.UTF_8);
        Http.Reply r = http.get(Consumer.API + "getEngagementQueue?request=" + request);
        assertEquals(200, r.status(), r.body());
        assertEquals(2, r.json().get("queueId").asLong());
        assertEquals(DB.count("SELECT id FROM routing_rule WHERE match_product_id = 7"), r.json().get("chatRouteId").asLong());
        assertEquals(before, DB.count("SELECT COUNT(*) FROM engagement"));
    }
}
