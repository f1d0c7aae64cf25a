package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bootstrap calls over real HTTP: establishSessions, chatAuthenticate, their Basic auth, and the JWKS. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BootstrapIT {

    static final TestDatabase DB = TestDatabase.create("BootstrapIT");

    static final String ESTABLISH = "/services/rest/crossChannelServices/latest/establishSessions";
    static final String CHAT_AUTHENTICATE = "/serviceApi/resources/11.13.0.0/chatAuthenticate";
    static final String CHALLENGE = "Basic realm=\"Parley\", charset=\"UTF-8\"";
    static final String API_USER = basic("demo-api", "demo-api-pass");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of());
    }

    @ArquillianResource
    URL base;

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Http http() {
        return new Http(base);
    }

    private long chatSessions() {
        return DB.count("SELECT COUNT(*) FROM chat_session");
    }

    private static JwtClaims unverifiedClaims(String jwt) throws Exception {
        return JwtClaims.parse(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private Map<String, Object> storedSession(String jwt) throws Exception {
        List<Map<String, Object>> rows = DB.query("SELECT * FROM chat_session WHERE id = ?", unverifiedClaims(jwt).getJwtId());
        assertEquals(1, rows.size(), "one chat session per token");
        return rows.get(0);
    }

    private long demoSiteId() {
        return DB.count("SELECT id FROM site WHERE name = 'demo'");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
    }

    static void assertErrorBody(Http.Reply r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        JsonNode body = r.json();
        assertEquals(status, body.get("status").asInt());
        assertEquals(code, body.get("code").asText());
        assertTrue(body.get("errorMessages").isArray() && body.get("errorMessages").size() > 0, r.body());
        assertTrue(body.get("systemMessages").isArray(), r.body());
        assertEquals(0, body.get("systemMessages").size());
    }

    private void assertUnauthorized(Http.Reply r, String code) {
        assertErrorBody(r, 401, code);
        assertEquals(CHALLENGE, r.header("WWW-Authenticate"));
    }

    @Test
    void establishSessionsWithAnObjectGets200WithTheClientShape() throws Exception {
        String body = """
                {"sessionInformation": {"firstName": "Ada", "lastName": "Lovelace", "emailAddress": "ada@example.com",
                  "queueId": 2, "productId": "7", "question": "My bill?", "somethingNew": {"a": 1},
                  "customFields": [{"name": "topic", "type": "STRING", "value": "billing"}],
                  "auxiliaryData": {"BROWSER": "Firefox", "OPERATING_SYSTEM": "Linux"}}}
                """;
        Http.Reply r = http().post(ESTABLISH, body, "Authorization", API_USER, "Content-Type", "application/json");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        JsonNode json = r.json();
        assertEquals(List.of("channelToken", "sessionServerResponse", "siteName"), fieldNames(json));
        assertEquals("demo", json.get("siteName").asText());

        assertTrue(json.get("sessionServerResponse").isTextual(), "sessionServerResponse is a JSON string");
        JsonNode server = Http.JSON.readTree(json.get("sessionServerResponse").asText());
        assertEquals(List.of("domain", "pool"), fieldNames(server));
        assertEquals(base.getHost() + ":" + base.getPort(), server.get("domain").asText());
        assertEquals("1:1", server.get("pool").asText());

        String jwt = json.get("channelToken").asText();
        Map<String, Object> row = storedSession(jwt);
        assertEquals(demoSiteId(), ((Number) row.get("site_id")).longValue());
        assertNull(row.get("auth_user_name"));
        JsonNode info = Http.JSON.readTree((String) row.get("session_info"));
        assertEquals("Ada", info.get("firstName").asText());
        assertEquals("Lovelace", info.get("lastName").asText());
        assertEquals("ada@example.com", info.get("emailAddress").asText());
        assertEquals(2, info.get("queueId").asLong());
        assertEquals(7, info.get("productId").asLong());
        assertEquals("My bill?", info.get("question").asText());
        assertEquals("billing", info.get("customFields").get(0).get("value").asText());
        assertEquals("Firefox", info.get("auxiliaryData").get("BROWSER").asText());
    }

    @Test
    void establishSessionsWithAStringGets200AndStoresTheInformation() throws Exception {
        String inner = "{\"firstName\":\"Grace\",\"emailAddress\":\"grace@example.com\",\"queueId\":1,"
                + "\"customFields\":[{\"name\":\"topic\",\"type\":\"STRING\",\"value\":\"general\"}]}";
        String body = Http.JSON.writeValueAsString(Map.of("sessionInformation", inner));
        Http.Reply r = http().post(ESTABLISH, body, "Authorization", API_USER, "Content-Type", "text/plain");
        assertEquals(200, r.status(), r.body());
        JsonNode json = r.json();
        assertTrue(json.get("sessionServerResponse").isTextual());
        assertEquals("1:1", Http.JSON.readTree(json.get("sessionServerResponse").asText()).get("pool").asText());
        JsonNode info = Http.JSON.readTree((String) storedSession(json.get("channelToken").asText()).get("session_info"));
        assertEquals("Grace", info.get("firstName").asText());
        assertEquals(1, info.get("queueId").asLong());
        assertEquals("general", info.get("customFields").get(0).get("value").asText());
    }

    @Test
    void establishSessionsWithoutBodyGets200ForAnAnonymousConsumer() throws Exception {
        Http.Reply r = http().post(ESTABLISH, "", "Authorization", API_USER);
        assertEquals(200, r.status(), r.body());
        JsonNode info = Http.JSON.readTree((String) storedSession(r.json().get("channelToken").asText()).get("session_info"));
        assertTrue(info.get("firstName").isNull());
    }

    @Test
    void sessionInformationWithAWrongTypeGets400AndStoresNothing() {
        long before = chatSessions();
        Http.Reply r = http().post(ESTABLISH, "{\"sessionInformation\": {\"queueId\": {\"id\": 2}}}",
                "Authorization", API_USER);
        assertErrorBody(r, 400, "INVALID_FIELD");
        assertTrue(r.json().get("message").asText().contains("sessionInformation.queueId"), r.body());
        Http.Reply inString = http().post(ESTABLISH, "{\"sessionInformation\": \"{\\\"queueId\\\": \\\"two\\\"}\"}",
                "Authorization", API_USER);
        assertErrorBody(inString, 400, "INVALID_FIELD");
        assertEquals(before, chatSessions());
    }

    @Test
    void sessionInformationStringThatIsNotJsonGets400AndStoresNothing() {
        long before = chatSessions();
        Http.Reply r = http().post(ESTABLISH, "{\"sessionInformation\": \"firstName=Ada\"}", "Authorization", API_USER);
        assertErrorBody(r, 400, "INVALID_FIELD");
        assertTrue(r.json().get("message").asText().contains("sessionInformation"), r.body());
        Http.Reply array = http().post(ESTABLISH, "{\"sessionInformation\": \"[1, 2]\"}", "Authorization", API_USER);
        assertErrorBody(array, 400, "INVALID_FIELD");
        assertEquals(before, chatSessions());
    }

    private void assertChatAuthenticate(String path) throws Exception {
        String body = "{\"authUserName\": \"grace@example.com\", \"clientType\": \"CONSUMER\", \"firstName\": \"Grace\","
                + " \"queueId\": 1, \"incidentId\": 42, \"mediaList\": [\"CHAT\"], \"resumeType\": \"RESUME\"}";
        Http.Reply r = http().post(path, body, "Authorization", API_USER);
        assertEquals(201, r.status(), r.body());
        JsonNode json = r.json();
        assertEquals(List.of("chatSiteName", "domain", "jwt", "poolId"), fieldNames(json));
        assertEquals(base.getHost() + ":" + base.getPort(), json.get("domain").asText());
        assertEquals("1:1", json.get("poolId").asText());
        assertEquals("demo", json.get("chatSiteName").asText());
        String jwt = json.get("jwt").asText();
        assertEquals("grace@example.com", unverifiedClaims(jwt).getSubject());
        Map<String, Object> row = storedSession(jwt);
        assertEquals("grace@example.com", row.get("auth_user_name"));
        JsonNode info = Http.JSON.readTree((String) row.get("session_info"));
        assertEquals("Grace", info.get("firstName").asText());
        assertEquals(42, info.get("incidentId").asLong());
    }

    @Test
    void chatAuthenticateGets201OnTheServiceApiPaths() throws Exception {
        assertChatAuthenticate(CHAT_AUTHENTICATE);
        assertChatAuthenticate("/serviceApi/resources/latest/chatAuthenticate");
    }

    @Test
    void chatAuthenticateGets201OnTheCrmPath() throws Exception {
        assertChatAuthenticate("/crmRestApi/resources/11.13.18.05/chatAuthenticate");
    }

    @Test
    void chatAuthenticateWithoutAuthUserNameGets400AndStoresNothing() {
        long before = chatSessions();
        assertErrorBody(http().post(CHAT_AUTHENTICATE, "{\"firstName\": \"Grace\"}", "Authorization", API_USER),
                400, "INVALID_FIELD");
        assertErrorBody(http().post(CHAT_AUTHENTICATE, "{\"authUserName\": \"  \"}", "Authorization", API_USER),
                400, "INVALID_FIELD");
        assertErrorBody(http().post(CHAT_AUTHENTICATE, "", "Authorization", API_USER), 400, "INVALID_FIELD");
        assertEquals(before, chatSessions());
    }

    @Test
    void wrongPasswordGets401WithChallenge() {
        long before = chatSessions();
        assertUnauthorized(http().post(ESTABLISH, "{}", "Authorization", basic("demo-api", "wrong")), "CREDENTIALS_INVALID");
        assertUnauthorized(http().post(CHAT_AUTHENTICATE, "{\"authUserName\": \"x\"}",
                "Authorization", basic("demo-api", "wrong")), "CREDENTIALS_INVALID");
        assertEquals(before, chatSessions());
    }

    @Test
    void unknownUserGets401WithChallenge() {
        assertUnauthorized(http().post(ESTABLISH, "{}", "Authorization", basic("nobody", "demo-api-pass")),
                "CREDENTIALS_INVALID");
    }

    @Test
    void missingCredentialsGet401WithChallenge() {
        assertUnauthorized(http().post(ESTABLISH, "{}"), "CREDENTIALS_REQUIRED");
        assertUnauthorized(http().post(CHAT_AUTHENTICATE, "{\"authUserName\": \"x\"}", "Authorization", "Bearer abc"),
                "CREDENTIALS_REQUIRED");
    }

    @Test
    void malformedCredentialsGet401WithChallenge() {
        assertUnauthorized(http().post(ESTABLISH, "{}", "Authorization", "Basic %%%"), "CREDENTIALS_INVALID");
    }

    @Test
    void agentCredentialsOnEstablishSessionsGet401() {
        assertUnauthorized(http().post(ESTABLISH, "{}", "Authorization", basic("agent1", "demo-agent-pass")),
                "CREDENTIALS_INVALID");
        assertUnauthorized(http().post(CHAT_AUTHENTICATE, "{\"authUserName\": \"x\"}",
                "Authorization", basic("agent1", "demo-agent-pass")), "CREDENTIALS_INVALID");
    }

    @Test
    void apiCredentialsOnAgentTokensGet401() {
        assertUnauthorized(http().post("/services/rest/crossChannelServices/latest/agentTokens", "",
                "Authorization", API_USER), "CREDENTIALS_INVALID");
        assertUnauthorized(http().get("/services/rest/crossChannelServices/latest/serviceSettings/1",
                "Authorization", API_USER), "CREDENTIALS_INVALID");
    }

    @Test
    void jwksPublishesTheKeyThatVerifiesTheIssuedToken() throws Exception {
        String jwt = http().post(ESTABLISH, "{}", "Authorization", API_USER).json().get("channelToken").asText();
        Http.Reply jwks = http().get("/.well-known/jwks.json");
        assertEquals(200, jwks.status(), jwks.body());
        assertTrue(jwks.header("Content-Type").startsWith("application/json"));
        JsonNode keys = jwks.json().get("keys");
        assertTrue(keys.isArray() && keys.size() >= 1, jwks.body());
        for (JsonNode k : keys) {
            assertNotNull(k.get("kid"));
            assertFalse(k.has("d"), "no private parts in the JWKS");
        }
        JsonWebKeySet set = new JsonWebKeySet(jwks.body());
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(set.getJsonWebKeys()))
                .setExpectedIssuer("parley")
                .setExpectedAudience("demo")
                .setRequireExpirationTime()
                .build()
                .processToClaims(jwt);
        assertEquals(storedSession(jwt).get("id"), claims.getJwtId());
        assertTrue(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue() == 1800);
    }

    @Test
    void getOnEstablishSessionsGets501WithAllow() {
        Http.Reply r = http().get(ESTABLISH, "Authorization", API_USER);
        assertErrorBody(r, 501, "METHOD_NOT_SUPPORTED");
        assertNotNull(r.header("Allow"), "Allow header");
        assertTrue(r.header("Allow").contains("POST"), r.header("Allow"));
    }

    @Test
    void getOnChatAuthenticateGets501WithAllow() {
        Http.Reply r = http().get("/crmRestApi/resources/11.13.18.05/chatAuthenticate", "Authorization", API_USER);
        assertErrorBody(r, 501, "METHOD_NOT_SUPPORTED");
        assertTrue(r.header("Allow").contains("POST"), r.header("Allow"));
    }
}
