package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
 * The admin API over HTTP: who may call it, every resource's create/read/update/delete with its
 * audit entry, validation that stores nothing, changes that take effect without a restart, and
 * a signing-key rotation that keeps earlier tokens working.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminApiIT {

    static final TestDatabase DB = TestDatabase.create("AdminApiIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        // A long tenant cache: what takes effect at once does so because the change dropped it.
        return ParleyDeployment.war(DB, Map.of("tenants.cacheSeconds", "300", "poll.hold", "2"));
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

    private static String code(Http.Reply r) {
        return r.json().get("code").asText();
    }

    @Test
    @Tag("containers")
    void onlyAdministratorsGetIn() {
        Http.Reply none = http.post(AdminClient.API + "login", "");
        assertEquals(401, none.status());
        assertNotNull(none.header("WWW-Authenticate"));
        assertEquals(401, http.post(AdminClient.API + "login", "", "Authorization",
                Consumer.basic("admin", "wrong-password")).status());
        Http.Reply agent = http.post(AdminClient.API + "login", "", "Authorization",
                Consumer.basic("agent1", AgentClient.PASSWORD));
        assertEquals(401, agent.status(), "an agent is no administrator");

        assertEquals(403, http.get(AdminClient.API + "sites").status(), "no token");
        String agentToken = new AgentClient(http, "agent2").token();
        Http.Reply withAgentToken = http.get(AdminClient.API + "sites", "Authorization", "Bearer " + agentToken);
        assertEquals(403, withAgentToken.status(), "an agent's token is for the agent API only");
        String consumerToken = new Consumer(http).bootstrap().token;
        assertEquals(403, http.get(AdminClient.API + "sites", "Authorization", "Bearer " + consumerToken).status());
        String[] parts = admin.token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString("not the signature".getBytes());
        assertEquals(403, http.get(AdminClient.API + "sites", "Authorization", "Bearer " + forged).status());

        assertEquals(200, admin.get("sites").status());
    }

    @Test
    void everyResourceIsCreatedReadUpdatedDeletedAndAudited() {
        long before = lastAuditId();
        JsonNode site = admin.ok("POST", "sites", "{\"name\":\"acme\",\"pool\":\"7:7\",\"origins\":[\"https://acme.example\"],"
                + "\"deniedCountries\":[\"cu\",\"KP\"],\"unknownCountryPolicy\":\"deny\"}");
        long siteId = site.get("id").asLong();
        assertEquals(List.of("CU", "KP"), strings(site.get("deniedCountries")));
        assertEquals("DENY", site.get("unknownCountryPolicy").asText());

        JsonNode queue = admin.ok("POST", "sites/" + siteId + "/queues", "{\"name\":\"Support\",\"maxWaiting\":20,"
                + "\"timeoutSeconds\":600,\"hoursZone\":\"Europe/Berlin\",\"hours\":\"MON-FRI 08:00-18:00\"}");
        long queueId = queue.get("id").asLong();
        JsonNode escalation = admin.ok("POST", "sites/" + siteId + "/queues", "{\"name\":\"Escalation\"}");
        JsonNode updatedQueue = admin.ok("PUT", "queues/" + queueId, "{\"name\":\"Support 1st level\",\"maxWaiting\":30,"
                + "\"escalationQueueId\":" + escalation.get("id").asLong() + "}");
        assertEquals("Support 1st level", updatedQueue.get("name").asText());
        assertTrue(updatedQueue.get("hours").isNull(), "a PUT replaces the whole queue");
        JsonNode updatedSite = admin.ok("PUT", "sites/" + siteId, "{\"name\":\"acme\",\"pool\":\"7:7\",\"defaultQueueId\":"
                + queueId + ",\"origins\":[\"https://acme.example\",\"http://localhost:*\"]}");
        assertEquals(queueId, updatedSite.get("defaultQueueId").asLong());
        assertTrue(updatedSite.get("deniedCountries").isNull(), "back to the server's list");

        JsonNode rule = admin.ok("POST", "sites/" + siteId + "/rules", "{\"name\":\"VIPs\",\"priority\":5,"
                + "\"matchFieldName\":\"tier\",\"matchFieldValue\":\"gold\",\"action\":\"ROUTE\",\"targetQueueId\":" + queueId + "}");
        long ruleId = rule.get("id").asLong();
        assertEquals("REJECT", admin.ok("PUT", "rules/" + ruleId, "{\"name\":\"No VIPs\",\"priority\":5,"
                + "\"matchFieldName\":\"tier\",\"matchFieldValue\":\"gold\",\"action\":\"reject\"}").get("action").asText());

        JsonNode agent = admin.ok("POST", "sites/" + siteId + "/agents", "{\"username\":\"acme-ann\",\"password\":\"s3cret-pass\","
                + "\"name\":\"Ann\",\"greeting\":\"Hi!\",\"maxSessions\":4,\"queues\":[" + queueId + "]}");
        long agentId = agent.get("id").asLong();
        assertFalse(agent.has("password") || agent.toString().contains("s3cret"), "no password comes back");
        JsonNode updatedAgent = admin.ok("PUT", "agents/" + agentId, "{\"name\":\"Ann B.\",\"maxSessions\":2,\"queues\":[]}");
        assertEquals("Ann B.", updatedAgent.get("name").asText());
        assertEquals(0, updatedAgent.get("queues").size());
        assertEquals(204, admin.post("agents/" + agentId + "/password", "{\"password\":\"an0ther-pass\"}").status());

        JsonNode apiUser = admin.ok("POST", "sites/" + siteId + "/apiUsers", "{\"username\":\"acme-api\",\"password\":\"api-pass-1\"}");
        JsonNode party = admin.ok("POST", "deniedParties", "{\"siteId\":" + siteId + ",\"kind\":\"domain\",\"value\":\"bad.example\"}");
        assertEquals("DOMAIN", party.get("kind").asText());

        assertEquals(1, admin.ok("GET", "sites/" + siteId + "/agents", null).get("items").size());
        assertEquals(2, admin.ok("GET", "sites/" + siteId + "/queues", null).get("items").size());
        assertEquals(1, admin.ok("GET", "sites/" + siteId + "/rules", null).get("items").size());
        assertEquals(1, admin.ok("GET", "sites/" + siteId + "/apiUsers", null).get("items").size());

        assertEquals(204, admin.delete("deniedParties/" + party.get("id").asLong()).status());
        assertEquals(204, admin.delete("apiUsers/" + apiUser.get("id").asLong()).status());
        assertEquals(204, admin.delete("agents/" + agentId).status());
        assertEquals(404, admin.get("agents/" + agentId).status(), "gone");
        assertEquals(1, DB.count("SELECT COUNT(*) FROM account WHERE id = ? AND deleted_at IS NOT NULL", agentId),
                "a deleted agent's row stays for the chats that name it");
        assertEquals(204, admin.delete("rules/" + ruleId).status());
        assertEquals(204, admin.delete("sites/" + siteId).status());
        assertEquals(404, admin.get("sites/" + siteId).status());
        assertEquals(404, admin.get("queues/" + queueId).status(), "the site took its queues with it");

        List<String> trail = new ArrayList<>();
        for (JsonNode e : admin.ok("GET", "audit?limit=100", null).get("items")) {
            if (e.get("id").asLong() > before) {
                assertEquals("admin", e.get("actor").asText());
                assertNotNull(e.get("at").asText());
                trail.add(0, e.get("action").asText() + " " + e.get("targetType").asText());
            }
        }
        assertEquals(List.of("CREATE SITE", "CREATE QUEUE", "CREATE QUEUE", "UPDATE QUEUE", "UPDATE SITE", "CREATE RULE",
                "UPDATE RULE", "CREATE AGENT", "UPDATE AGENT", "RESET_PASSWORD AGENT", "CREATE API_USER",
                "CREATE DENIED_PARTY", "DELETE DENIED_PARTY", "DELETE API_USER", "DELETE AGENT", "DELETE RULE",
                "DELETE SITE"), trail);
        assertFalse(admin.get("audit").body().contains("s3cret-pass"), "passwords never reach the audit log");
    }

    @Test
    void badInputGetsAClear400AndStoresNothing() {
        long sites = DB.count("SELECT COUNT(*) FROM site");
        long queues = DB.count("SELECT COUNT(*) FROM chat_queue");
        long accounts = DB.count("SELECT COUNT(*) FROM account");
        long audit = DB.count("SELECT COUNT(*) FROM audit_log");
        long demo = demoSiteId();
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("site name", new String[] {"POST", "sites", "{\"name\":\"has space\",\"pool\":\"1:1\"}", "INVALID_FIELD"});
        cases.put("no pool", new String[] {"POST", "sites", "{\"name\":\"x\"}", "INVALID_FIELD"});
        cases.put("origin", new String[] {"POST", "sites", "{\"name\":\"x\",\"pool\":\"1:1\",\"origins\":[\"javascript:alert(1)\"]}", "INVALID_FIELD"});
        cases.put("country", new String[] {"POST", "sites", "{\"name\":\"x\",\"pool\":\"1:1\",\"deniedCountries\":[\"Cuba\"]}", "INVALID_FIELD"});
        cases.put("policy", new String[] {"POST", "sites", "{\"name\":\"x\",\"pool\":\"1:1\",\"unknownCountryPolicy\":\"MAYBE\"}", "INVALID_FIELD"});
        cases.put("capacity", new String[] {"POST", "sites/" + demo + "/queues", "{\"name\":\"q\",\"maxWaiting\":0}", "INVALID_FIELD"});
        cases.put("hours", new String[] {"POST", "sites/" + demo + "/queues", "{\"name\":\"q\",\"hours\":\"weekdays\"}", "INVALID_FIELD"});
        cases.put("zone", new String[] {"POST", "sites/" + demo + "/queues", "{\"name\":\"q\",\"hoursZone\":\"Mars/Olympus\",\"hours\":\"MON 08:00-09:00\"}", "INVALID_FIELD"});
        cases.put("escalation elsewhere", new String[] {"POST", "sites/" + demo + "/queues", "{\"name\":\"q\",\"escalationQueueId\":987654}", "INVALID_FIELD"});
        cases.put("route nowhere", new String[] {"POST", "sites/" + demo + "/rules", "{\"name\":\"r\",\"priority\":1,\"action\":\"ROUTE\"}", "INVALID_FIELD"});
        cases.put("action", new String[] {"POST", "sites/" + demo + "/rules", "{\"name\":\"r\",\"priority\":1,\"action\":\"DROP\"}", "INVALID_FIELD"});
        cases.put("short password", new String[] {"POST", "sites/" + demo + "/agents", "{\"username\":\"zed\",\"password\":\"short\",\"name\":\"Zed\"}", "INVALID_FIELD"});
        cases.put("username", new String[] {"POST", "sites/" + demo + "/agents", "{\"username\":\"a b\",\"password\":\"long-enough\",\"name\":\"Zed\"}", "INVALID_FIELD"});
        cases.put("agent capacity", new String[] {"POST", "sites/" + demo + "/agents", "{\"username\":\"zed\",\"password\":\"long-enough\",\"name\":\"Zed\",\"maxSessions\":0}", "INVALID_FIELD"});
        cases.put("denied kind", new String[] {"POST", "deniedParties", "{\"kind\":\"PHONE\",\"value\":\"123\"}", "INVALID_FIELD"});
        cases.put("malformed", new String[] {"POST", "sites", "{\"name\":", "MALFORMED_JSON"});
        cases.put("wrong type", new String[] {"POST", "sites/" + demo + "/queues", "{\"name\":\"q\",\"maxWaiting\":\"many\"}", null});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            String[] x = c.getValue();
            Http.Reply r = admin.send(x[0], x[1], x[2]);
            assertEquals(400, r.status(), c.getKey() + ": " + r.body());
            if (x[3] != null) {
                assertEquals(x[3], code(r), c.getKey());
            }
            assertTrue(r.json().get("message").asText().length() > 10, "a message that says what is wrong");
        }
        assertEquals(409, admin.post("sites", "{\"name\":\"demo\",\"pool\":\"1:1\"}").status(), "the name is taken");
        assertEquals(409, admin.post("sites/" + demo + "/agents", "{\"username\":\"agent1\",\"password\":\"long-enough\","
                + "\"name\":\"Dup\"}").status());
        assertEquals(404, admin.get("sites/999999").status());
        assertEquals(404, admin.get("sites/not-a-number").status());
        assertEquals(sites, DB.count("SELECT COUNT(*) FROM site"));
        assertEquals(queues, DB.count("SELECT COUNT(*) FROM chat_queue"));
        assertEquals(accounts, DB.count("SELECT COUNT(*) FROM account"));
        assertEquals(audit, DB.count("SELECT COUNT(*) FROM audit_log"), "refused changes leave no audit entry");
    }

    @Test
    void whatIsInUseCannotBeDeleted() {
        long demo = demoSiteId();
        long queueId = admin.ok("POST", "sites/" + demo + "/queues", "{\"name\":\"Busy\"}").get("id").asLong();
        Consumer waiting = new Consumer(http).bootstrap("{\"queueId\":" + queueId + "}").join();
        Http.Reply refused = admin.delete("queues/" + queueId);
        assertEquals(409, refused.status());
        assertEquals("QUEUE_IN_USE", code(refused));
        assertEquals(409, admin.delete("sites/" + demo).status(), "a site with live chats stays");

        AgentClient onDuty = new AgentClient(http, "agent2").logon(false);
        Http.Reply loggedOn = admin.delete("agents/" + onDuty.accountId);
        assertEquals(409, loggedOn.status());
        assertEquals("AGENT_LOGGED_ON", code(loggedOn));
        onDuty.call("logoff", "{\"forceLogoff\":true}");
        assertEquals(200, waiting.call("concludeEngagement", "{}").status());
        assertEquals(204, admin.delete("queues/" + queueId).status(), "free once its last chat ended");
    }

    @Test
    void changesTakeEffectAtOnceWithoutARestart() {
        long siteId = admin.ok("POST", "sites", "{\"name\":\"globex\",\"pool\":\"2:2\",\"origins\":[\"https://globex.example\"]}")
                .get("id").asLong();
        long queueId = admin.ok("POST", "sites/" + siteId + "/queues", "{\"name\":\"Sales\"}").get("id").asLong();
        admin.ok("PUT", "sites/" + siteId, "{\"name\":\"globex\",\"pool\":\"2:2\",\"defaultQueueId\":" + queueId
                + ",\"origins\":[\"https://globex.example\"]}");
        admin.ok("POST", "sites/" + siteId + "/apiUsers", "{\"username\":\"globex-api\",\"password\":\"globex-api-pass\"}");
        admin.ok("POST", "sites/" + siteId + "/agents", "{\"username\":\"globex-gil\",\"password\":\"globex-gil-pass\","
                + "\"name\":\"Gil\",\"greeting\":\"Gil here.\",\"maxSessions\":2,\"queues\":[" + queueId + "]}");

        Http.Reply preflight = http.send("OPTIONS", "/engagement/api/consumer/globex/v1/getMessages", null,
                Duration.ofSeconds(5), "Origin", "https://globex.example", "Access-Control-Request-Method", "POST");
        assertEquals("https://globex.example", preflight.header("Access-Control-Allow-Origin"), "the new origin is allowed");

        Http.Reply boot = http.post("/services/rest/crossChannelServices/latest/establishSessions",
                "{\"sessionInformation\":{\"firstName\":\"Gus\"}}", "Authorization", Consumer.basic("globex-api", "globex-api-pass"),
                "Content-Type", "application/json");
        assertEquals(200, boot.status(), boot.body());
        String token = boot.json().get("channelToken").asText();
        Http.Reply joined = http.post("/engagement/api/consumer/globex/v1/requestEngagement?pool=2:2", "{}",
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
        assertEquals(200, joined.status(), joined.body());
        long engagementId = joined.json().get("engagementId").asLong();
        assertEquals(queueId, DB.count("SELECT queue_id FROM engagement WHERE id = ?", engagementId), "routed to the new queue");

        Http.Reply agentToken = http.post("/services/rest/crossChannelServices/latest/agentTokens", "",
                "Authorization", Consumer.basic("globex-gil", "globex-gil-pass"));
        assertEquals(200, agentToken.status(), "the new agent logs in: " + agentToken.body());

        // A changed greeting and password count from the next call on.
        admin.post("agents/" + DB.count("SELECT id FROM account WHERE username = 'globex-gil'") + "/password",
                "{\"password\":\"changed-pass\"}");
        assertEquals(401, http.post("/services/rest/crossChannelServices/latest/agentTokens", "",
                "Authorization", Consumer.basic("globex-gil", "globex-gil-pass")).status(), "the old password is refused");
        assertEquals(200, http.post("/services/rest/crossChannelServices/latest/agentTokens", "",
                "Authorization", Consumer.basic("globex-gil", "changed-pass")).status());
    }

    @Test
    void aRotatedSigningKeyKeepsVerifyingTheTokensItSigned() {
        Consumer early = new Consumer(http).bootstrap();
        String oldKid = kid(early.token);
        JsonNode keys = admin.ok("POST", "signingKeys/rotate", null).get("items");
        String newKid = null;
        for (JsonNode k : keys) {
            if (k.get("signing").asBoolean()) {
                newKid = k.get("kid").asText();
            } else if (k.get("kid").asText().equals(oldKid)) {
                assertNotNull(k.get("retiredAt").asText());
                assertFalse(k.get("verifiesUntil").isNull(), "it verifies until its last token has expired");
            }
        }
        assertNotNull(newKid);
        assertNotEquals(oldKid, newKid);
        Consumer late = new Consumer(http).bootstrap();
        assertEquals(newKid, kid(late.token), "new tokens are signed with the new key");
        assertEquals(200, early.requestEngagement().status(), "a token signed before the rotation still works");
        String jwks = http.get("/.well-known/jwks.json").body();
        assertTrue(jwks.contains(oldKid) && jwks.contains(newKid), "both keys are published: " + jwks);
        boolean audited = false;
        for (JsonNode e : admin.ok("GET", "audit", null).get("items")) {
            audited |= "ROTATE".equals(e.get("action").asText()) && newKid.equals(e.get("targetId").asText());
        }
        assertTrue(audited);
    }

    private static String kid(String jwt) {
        try {
            return Http.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0])).get("kid").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long demoSiteId() {
        return DB.count("SELECT id FROM site WHERE name = 'demo'");
    }

    private long lastAuditId() {
        return DB.count("SELECT COALESCE(MAX(id), 0) FROM audit_log");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
