package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every status and exception code of the agent side, provoked over HTTP. */
@Tag("containers")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AgentStatusCodesIT {

    static final TestDatabase DB = TestDatabase.create("AgentStatusCodesIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of("poll.hold", "3", "poll.maxHeld", "1", "tenants.cacheSeconds", "0"));
    }

    @ArquillianResource
    URL base;

    Http http;
    AgentClient ada;

    @BeforeEach
    void setUp() {
        http = new Http(base);
        ada = new AgentClient(http, "agent1").ready(3, false);
    }

    @AfterEach
    void tearDown() {
        ada.call("logoff", "{\"forceLogoff\":true}");
    }

    /** The one error body, with the agent API's error object. */
    private static void assertError(Http.Reply r, int status, String code, String exceptionCode) {
        assertEquals(status, r.status(), r.body());
        assertEquals(status, r.json().get("status").asInt());
        if (code != null) {
            assertEquals(code, r.json().get("code").asText(), r.body());
        }
        assertEquals(exceptionCode, r.json().get("chatSystemError").get("exceptionCode").asText(), r.body());
        assertFalse(r.json().get("errorMessages").isEmpty());
        assertFalse(r.body().contains("Exception"), "no internals: " + r.body());
    }

    @Test
    void success200CarriesANullErrorObject() {
        Http.Reply r = ada.call("setActivityStatus", "{\"status\":\"AVAILABLE\",\"subTypeId\":0}");
        assertEquals(200, r.status());
        assertTrue(r.json().has("chatSystemError") && r.json().get("chatSystemError").isNull());
    }

    @Test
    void badInputIs400BadRequestOrInvalidField() {
        assertError(ada.call("setActivityStatus", "{\"status\": \"AVAIL"), 400, "MALFORMED_JSON", "BAD_REQUEST");
        assertError(ada.call("concludeChat", "{}"), 400, "INVALID_FIELD", "INVALID_FIELD");
        assertError(ada.call("setActivityStatus", "{\"status\":\"ASLEEP\",\"subTypeId\":0}"), 400, "INVALID_FIELD",
                "INVALID_FIELD");
        assertError(ada.call("logoff", "{}"), 400, "INVALID_FIELD", "INVALID_FIELD");
        Consumer c = new Consumer(http).join();
        ada.await("ChatEngagementAssignmentNotification", c.engagementId);
        assertEquals(200, ada.accept(c.engagementId).status());
        assertError(ada.call("modifyProperties", "{\"engagementId\":" + c.engagementId
                + ",\"type\":\"USER\",\"propertiesMap\":{\"SALARY\":\"1000000\"}}"), 400, "INVALID_FIELD", "INVALID_FIELD");
        assertError(ada.call("setEngagementProperty", "{\"engagementId\":" + c.engagementId
                + ",\"type\":\"USER\",\"name\":\"PRODUCT_ID\",\"value\":\"seven\"}"), 400, "INVALID_FIELD", "INVALID_FIELD");
        Http.Reply ok = ada.call("modifyProperties", "{\"engagementId\":" + c.engagementId + ",\"type\":\"USER\","
                + "\"propertiesMap\":{\"QUESTION\":\"Refund for order 12\",\"PRODUCT_ID\":\"7\"},"
                + "\"customFields\":[{\"name\":\"tier\",\"type\":\"STRING\",\"value\":\"gold\"}]}");
        assertEquals(200, ok.status(), ok.body());
        assertTrue(ok.json().get("propertiesResultMap").get("QUESTION").asBoolean());
        assertEquals("gold", DB.query("SELECT prop_value FROM engagement_property WHERE engagement_id = ?"
                + " AND prop_name = 'tier'", c.engagementId).get(0).get("prop_value"));
    }

    @Test
    void credentialsAndSessionsThatDoNotCheckOutAre401Or403AccessDenied() {
        assertError(http.post("/services/rest/crossChannelServices/latest/agentTokens", "",
                "Authorization", Consumer.basic("agent1", "wrong")), 401, null, "ACCESS_DENIED");
        assertError(http.post(AgentClient.API + "setActivityStatus", "{\"status\":\"NONE\",\"subTypeId\":0}",
                "X-AID", Long.toString(ada.accountId), "X-JSESSIONID", "no-such-session"), 403, "ACCESS_DENIED", "ACCESS_DENIED");
        assertError(http.post(AgentClient.API + "setActivityStatus", "{\"status\":\"NONE\",\"subTypeId\":0}",
                "X-AID", "999", "X-JSESSIONID", ada.sessionId), 403, "ACCESS_DENIED", "ACCESS_DENIED");
        assertError(http.post(AgentClient.API + "setActivityStatus", "{\"status\":\"NONE\",\"subTypeId\":0}"),
                403, "ACCESS_DENIED", "ACCESS_DENIED");
        Consumer consumer = new Consumer(http).bootstrap();
        assertError(http.post(AgentClient.API + "createAutomatedAgentSession", "{}",
                "Authorization", "Bearer " + consumer.token), 403, "TOKEN_INVALID", "ACCESS_DENIED");
        String agentToken = new AgentClient(http, "agent2").token();
        assertError(http.post(Consumer.API + "requestEngagement", "{}", "Authorization", "Bearer " + agentToken),
                403, "TOKEN_INVALID", "ACCESS_DENIED");
        DB.execute("INSERT INTO site (name, pool, created_at) SELECT 'other', '2:1', CURRENT_TIMESTAMP"
                + " WHERE NOT EXISTS (SELECT 1 FROM site WHERE name = 'other')");
        assertError(http.post("/engagement/api/agent/other/v1/setActivityStatus", "{\"status\":\"NONE\",\"subTypeId\":0}",
                "X-AID", Long.toString(ada.accountId), "X-JSESSIONID", ada.sessionId), 403, "ACCESS_DENIED", "ACCESS_DENIED");
    }

    @Test
    void unknownThingsAre404() {
        assertError(ada.call("concludeChat", "{\"engagementId\":987654}"), 404, "ENGAGEMENT_ID_UNKNOWN",
                "ENGAGEMENT_ID_UNKNOWN");
        assertError(ada.acknowledge(987654, "ACCEPT", "LEAD", "MANUAL"), 404, "ENGAGEMENT_ID_UNKNOWN",
                "ENGAGEMENT_ID_UNKNOWN");
        assertError(http.post("/engagement/api/agent/nosuchsite/v1/getMessages", "{}", "X-AID", "1", "X-JSESSIONID", "x"),
                404, "SITE_UNKNOWN", "UNDEFINED_CONDITION");
    }

    @Test
    void conflictsAre409Conflict() {
        Consumer c = new Consumer(http).join();
        ada.await("ChatEngagementAssignmentNotification", c.engagementId);
        assertEquals(200, ada.accept(c.engagementId).status());
        assertError(ada.accept(c.engagementId), 409, "NOT_QUEUED", "CONFLICT");
        assertError(ada.release(c.engagementId), 409, "NOT_CONCLUDED", "CONFLICT");
        assertError(ada.call("logoff", "{\"forceLogoff\":false}"), 409, "LIVE_CHATS", "CONFLICT");
        assertEquals(200, ada.conclude(c.engagementId).status());
        assertError(ada.say(c.engagementId, "too late"), 409, "ENGAGEMENT_CONCLUDED", "CONFLICT");
        assertEquals(200, ada.release(c.engagementId).status());
        assertError(ada.say(c.engagementId, "gone"), 409, "NOT_A_PARTICIPANT", "CONFLICT");
    }

    @Test
    void anInternalFailureIs500InternalServerErrorWithAnErrorId() {
        DB.execute("ALTER TABLE agent_event RENAME TO agent_event_away");
        try {
            Http.Reply r = ada.call("requestAssignment", "{\"assignmentRequested\":true,\"maxSessionCount\":2,"
                    + "\"idleSessionCount\":2}");
            assertError(r, 500, "INTERNAL_ERROR", "INTERNAL_SERVER_ERROR");
            assertFalse(r.json().get("errorId").asText().isEmpty());
        } finally {
            DB.execute("ALTER TABLE agent_event_away RENAME TO agent_event");
        }
    }

    @Test
    void anUnsupportedMethodIs501BadRequestWithAllow() {
        Http.Reply r = http.get(AgentClient.API + "postMessage", "X-AID", Long.toString(ada.accountId),
                "X-JSESSIONID", ada.sessionId);
        assertError(r, 501, "METHOD_NOT_SUPPORTED", "BAD_REQUEST");
        assertTrue(r.header("Allow").contains("POST"));
    }

    /** An agent account that serves no queue, so nothing but the test wakes its polls. */
    private AgentClient idleAgent(String username) {
        DB.execute("INSERT INTO account (site_id, username, password_hash, role, display_name, max_sessions, created_at)"
                + " SELECT site_id, '" + username + "', password_hash, 'AGENT', '" + username + "', 3, CURRENT_TIMESTAMP"
                + " FROM account WHERE username = 'agent1'");
        AgentClient a = new AgentClient(http, username).logon(false);
        a.drain();
        return a;
    }

    @Test
    void overloadIs503DependencyApplicationTimeout() throws Exception {
        AgentClient holder = idleAgent("holder");
        AgentClient refused = idleAgent("refused");
        try {
            int before = HeldRequests.now(http);
            CompletableFuture<Http.Reply> held = holder.pollAsync();
            HeldRequests.await(http, before + 1);
            Http.Reply r = http.send("POST", AgentClient.API + "getMessages", "{}", Duration.ofSeconds(10),
                    "X-AID", Long.toString(refused.accountId), "X-JSESSIONID", refused.sessionId);
            assertError(r, 503, "OVERLOADED", "DEPENDENCY_APPLICATION_TIMEOUT");
            assertEquals(200, held.get(10, TimeUnit.SECONDS).status());
        } finally {
            holder.call("logoff", "{\"forceLogoff\":true}");
            refused.call("logoff", "{\"forceLogoff\":true}");
        }
    }
}
