package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URL;
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

/**
 * One rule for every JSON operation: a body (or {@code request} query parameter) that is not one
 * JSON object in strict UTF-8 with every key once, or whose numbers overflow their field, is a 400
 * in the one error body, and nothing is stored. Parameters that do not parse are 400, not 404.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("containers")
class StrictInputIT {

    static final TestDatabase DB = TestDatabase.create("StrictInputIT");

    /** Every consumer and agent operation that reads a body (the agent's are relative to its API). */
    static final List<String> CONSUMER_SESSION_OPS = List.of("getMessages", "postMessage", "activity",
            "concludeEngagement");
    static final List<String> AGENT_OPS = List.of("setActivityStatus", "requestAssignment",
            "assignmentAcknowledgement", "getMessages", "postMessage", "setInteractionStatus", "setEngagementProperty",
            "modifyProperties", "rerouteAvailability", "rerouteEngagement", "retrieveAgentsAndQueues", "concludeChat",
            "releaseChat", "logoff");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of("poll.hold", "1"));
    }

    @ArquillianResource
    URL base;

    Http http;
    static Consumer ann;
    static AgentClient ada;

    @BeforeEach
    void setUp() {
        http = new Http(base);
        if (ann == null) {
            ann = new Consumer(http).join();
            ada = new AgentClient(http, "agent3").ready(2, false);
        }
    }

    private long stored() {
        return DB.count("SELECT (SELECT COUNT(*) FROM engagement_event) + (SELECT COUNT(*) FROM engagement)"
                + " + (SELECT COUNT(*) FROM chat_session) + (SELECT COUNT(*) FROM audit_log)"
                + " + (SELECT COUNT(*) FROM chat_queue) + (SELECT COUNT(*) FROM agent_session)");
    }

    static void assert400(Http.Reply r, String code, String... mentions) {
        assertEquals(400, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.toString());
        assertEquals(code, r.json().get("code").asText(), r.body());
        assertEquals(400, r.json().get("status").asInt(), r.body());
        assertEquals(code, r.json().get("errorMessages").get(0).get("code").asText(), r.body());
        assertEquals(0, r.json().get("systemMessages").size(), r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("jackson"), "no internals leak: " + r.body());
        for (String m : mentions) {
            assertTrue(r.json().get("message").asText().contains(m), m + " in " + r.body());
        }
    }

    private Http.Reply consumer(String op, byte[] body) {
        return http.sendBytes("POST", Consumer.API + op, body, "SessionId", ann.sessionId,
                "Content-Type", "application/json");
    }

    private Http.Reply agent(String op, byte[] body) {
        return http.sendBytes("POST", AgentClient.API + op, body, "X-AID", Long.toString(ada.accountId),
                "X-JSESSIONID", ada.sessionId, "Content-Type", "application/json");
    }

    private Http.Reply admin(AdminClient admin, String method, String path, byte[] body) {
        return http.sendBytes(method, AdminClient.API + path, body, "Authorization", "Bearer " + admin.token,
                "Content-Type", "application/json");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withBytes(String before, int[] raw, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(before));
        for (int b : raw) {
            out.write(b);
        }
        out.writeBytes(utf8(after));
        return out.toByteArray();
    }

    @Test
    void aBodyThatIsNotAnObjectGets400OnEveryOperation() {
        AdminClient admin = new AdminClient(http);
        Consumer bob = new Consumer(http).bootstrap();
        long before = stored();
        for (String body : List.of("null", "[]", "\"str\"", "42", "true")) {
            byte[] b = utf8(body);
            for (String op : CONSUMER_SESSION_OPS) {
                assert400(consumer(op, b), "BODY_NOT_OBJECT");
            }
            for (String op : List.of("getQueueStats", "getEngagementQueue")) {
                assert400(http.sendBytes("POST", Consumer.API + op, b), "BODY_NOT_OBJECT");
            }
            assert400(http.sendBytes("POST", Consumer.API + "requestEngagement", b, "Authorization", "Bearer " + bob.token),
                    "BODY_NOT_OBJECT");
            for (String op : AGENT_OPS) {
                assert400(agent(op, b), "BODY_NOT_OBJECT");
            }
            assert400(http.sendBytes("POST", AgentClient.API + "createAutomatedAgentSession", b,
                    "Authorization", "Bearer " + new AgentClient(http, "agent2").token()), "BODY_NOT_OBJECT");
            String apiUser = Consumer.basic("demo-api", "demo-api-pass");
            for (String path : List.of("/services/rest/crossChannelServices/latest/establishSessions",
                    "/serviceApi/resources/latest/chatAuthenticate", "/serviceApi/resources/11.13.0.0/chatAuthenticate",
                    "/crmRestApi/resources/11.13.18.05/chatAuthenticate")) {
                assert400(http.sendBytes("POST", path, b, "Authorization", apiUser), "BODY_NOT_OBJECT");
            }
            for (String[] call : new String[][] {{"POST", "sites"}, {"PUT", "sites/1"}, {"POST", "sites/1/queues"},
                {"PUT", "queues/1"}, {"POST", "sites/1/rules"}, {"POST", "sites/1/agents"}, {"PUT", "agents/1"},
                {"POST", "agents/1/password"}, {"POST", "sites/1/apiUsers"}, {"POST", "apiUsers/1/password"},
                {"POST", "deniedParties"}}) {
                assert400(admin(admin, call[0], call[1], b), "BODY_NOT_OBJECT");
            }
        }
        assertEquals(before, stored(), "nothing was stored");
        assertEquals(200, bob.requestEngagement().status(), "the token was not used up");
    }

    @Test
    void operationsWithoutABodyIgnoreWhateverIsSent() {
        Http.Reply login = http.post(AdminClient.API + "login", "null", "Authorization",
                Consumer.basic("admin", "demo-admin-pass"));
        assertEquals(200, login.status(), login.body());
        Http.Reply token = http.post("/services/rest/crossChannelServices/latest/agentTokens", "[1,2",
                "Authorization", Consumer.basic("agent1", AgentClient.PASSWORD));
        assertEquals(200, token.status(), token.body());
    }

    @Test
    void brokenUtf8Gets400AndNothingIsStored() {
        long before = stored();
        int[][] broken = {{0xC0, 0xBC}, {0xE0, 0x80, 0xBC}, {0xED, 0xA0, 0x80}, {0xF4, 0x90, 0x80, 0x80}, {0xFF}, {0xC3}};
        for (int[] b : broken) {
            assert400(consumer("postMessage", withBytes("{\"body\":\"a", b, "\"}")), "INVALID_ENCODING");
            assert400(agent("postMessage", withBytes("{\"engagementId\":1,\"body\":\"a", b, "\"}")), "INVALID_ENCODING");
        }
        assert400(consumer("postMessage", utf8("{\"body\":\"half \\ud800 a pair\"}")), "INVALID_ENCODING", "'body'");
        assertEquals(before, stored());
    }

    @Test
    void aByteOrderMarkIsTolerated() {
        Http.Reply r = consumer("postMessage", withBytes("", new int[] {0xEF, 0xBB, 0xBF}, "{\"body\":\"with a BOM \u00e9\"}"));
        assertEquals(200, r.status(), r.body());
        assertEquals(1, DB.count("SELECT COUNT(*) FROM engagement_event WHERE payload LIKE ?", "%with a BOM \u00e9%"));
    }

    @Test
    void aKeyTwiceAtAnyDepthGets400NamingIt() {
        long before = stored();
        assert400(consumer("postMessage", utf8("{\"body\":\"a\",\"body\":\"b\"}")), "DUPLICATE_FIELD", "'body'");
        assert400(consumer("postMessage", utf8("{\"body\":\"a\",\"messageDataMap\":{\"k\":\"1\",\"k\":\"2\"}}")),
                "DUPLICATE_FIELD", "'messageDataMap.k'");
        assert400(agent("modifyProperties", utf8("{\"engagementId\":1,\"customFields\":[{\"name\":\"a\",\"name\":\"b\"}]}")),
                "DUPLICATE_FIELD", "'customFields[0].name'");
        String apiUser = Consumer.basic("demo-api", "demo-api-pass");
        assert400(http.post("/services/rest/crossChannelServices/latest/establishSessions",
                "{\"sessionInformation\":{\"firstName\":\"Ann\",\"firstName\":\"Eve\"}}", "Authorization", apiUser),
                "DUPLICATE_FIELD", "'sessionInformation.firstName'");
        Http.Reply inString = http.post("/services/rest/crossChannelServices/latest/establishSessions",
                "{\"sessionInformation\":\"{\\\"firstName\\\":\\\"Ann\\\",\\\"firstName\\\":\\\"Eve\\\"}\"}",
                "Authorization", apiUser);
        assertEquals(400, inString.status(), "also inside the JSON string clients send: " + inString.body());
        assertEquals(before, stored());
    }

    @Test
    void contentAfterTheObjectGets400() {
        long before = stored();
        assert400(consumer("postMessage", utf8("{\"body\":\"a\"} {\"body\":\"b\"}")), "MALFORMED_JSON");
        assert400(consumer("postMessage", utf8("{\"body\":\"a\"}]")), "MALFORMED_JSON");
        assert400(agent("setActivityStatus", utf8("{\"status\":\"AVAILABLE\",\"subTypeId\":0}null")), "MALFORMED_JSON");
        assertEquals(before, stored());
    }

    @Test
    void deepNestingGets400() {
        String deep = "{\"body\":\"a\",\"extra\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
        assert400(consumer("postMessage", utf8(deep)), "NESTING_TOO_DEEP");
    }

    @Test
    void numbersThatOverflowTheirFieldGet400NamingTheField() {
        long before = stored();
        assert400(consumer("postMessage", utf8("{\"body\":\"a\",\"clientTransactionId\":18446744073709551616}")),
                "INVALID_FIELD", "'clientTransactionId'");
        assert400(consumer("postMessage", utf8("{\"body\":\"a\",\"clientTransactionId\":\"18446744073709551616\"}")),
                "INVALID_FIELD", "'clientTransactionId'");
        assert400(consumer("getMessages", utf8("{\"lastSequenceNumber\":-9223372036854775809}")),
                "INVALID_FIELD", "'lastSequenceNumber'");
        assert400(agent("requestAssignment", utf8(
                "{\"assignmentRequested\":true,\"maxSessionCount\":1099511627776,\"idleSessionCount\":1}")),
                "INVALID_FIELD", "'maxSessionCount'");
        assert400(agent("setActivityStatus", utf8("{\"status\":\"AVAILABLE\",\"subTypeId\":" + "9".repeat(2000) + "}")),
                "INVALID_FIELD", "'subTypeId'");
        AdminClient admin = new AdminClient(http);
        assert400(admin.post("sites/1/queues", "{\"name\":\"Huge\",\"maxWaiting\":1099511627776}"),
                "INVALID_FIELD", "'maxWaiting'");
        assertEquals(before, stored());
    }

    @Test
    void theRequestQueryParameterFollowsTheSameRules() {
        String stats = Consumer.API + "getQueueStats?request=";
        assert400(http.get(stats + "null"), "BODY_NOT_OBJECT");
        assert400(http.get(stats + "%5B%5D"), "BODY_NOT_OBJECT");
        assert400(http.get(stats + "%7B%22queueId%22%3A%22%C0%BC%22%7D"), "INVALID_ENCODING");
        assert400(http.get(stats + "%7B%22queueId%22%3A1%2C%22queueId%22%3A2%7D"), "DUPLICATE_FIELD", "'queueId'");
        assert400(http.get(stats + "%7B%7D%7B%7D"), "MALFORMED_JSON");
        assert400(http.get(stats + "%7B%22queueId%22%3A18446744073709551616%7D"), "INVALID_FIELD", "'queueId'");
        assert400(http.get(Consumer.API + "getQueueStats"), "INVALID_PARAMETER", "'request'");
        assert400(http.get(Consumer.API + "getEngagementQueue?request=%7B%22queueId%22%3A1%2C%22queueId%22%3A1%7D"),
                "DUPLICATE_FIELD");
        Http.Reply ok = http.get(stats + "%7B%22queueId%22%3A+1%7D");
        assertEquals(200, ok.status(), "a + is a space: " + ok.body());
        assert400(http.get(AgentClient.API + "rerouteAvailability?request=%5B%5D", "X-AID", Long.toString(ada.accountId),
                "X-JSESSIONID", ada.sessionId), "BODY_NOT_OBJECT");
    }

    @Test
    void aPathWithDotSegmentsIsRefusedBeforeAnyFilterOrResourceReadsIt() {
        RawHttp raw = new RawHttp(base);
        assert400(raw.send("127.0.0.1", "POST", "/engagement/api/consumer/../v1/postMessage", "{\"body\":\"x\"}",
                "SessionId", ann.sessionId), "BAD_REQUEST");
        assert400(raw.send("127.0.0.1", "GET", "/admin/api/v1/./sites", null), "BAD_REQUEST");
    }

    @Test
    void aContentTypeThatDoesNotParseReadsAsJson() {
        Http.Reply r = http.post(Consumer.API + "getQueueStats", "{\"queueId\":1}", "Content-Type", "garbage");
        assertEquals(200, r.status(), r.body());
        assert400(http.post(Consumer.API + "getQueueStats", "null", "Content-Type", "a/b/c"), "BODY_NOT_OBJECT");
    }

    @Test
    void anEngagementIdQueryParameterThatDoesNotParseGets400NotNotFound() {
        for (String value : List.of("abc", "99999999999999999999", "1.5", "%C0%BC", "")) {
            Http.Reply r = http.get(AgentClient.API + "rerouteAvailability?engagementId=" + value,
                    "X-AID", Long.toString(ada.accountId), "X-JSESSIONID", ada.sessionId);
            if (value.isEmpty()) {
                assert400(r, "INVALID_FIELD", "'engagementId'");
            } else {
                assert400(r, "INVALID_PARAMETER", "'engagementId'");
            }
        }
    }
}
