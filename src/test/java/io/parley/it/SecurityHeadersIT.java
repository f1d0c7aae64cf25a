package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
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
 * The headers every kind of answer carries, whoever wrote it (a resource, a filter's denial, the CORS
 * preflight): {@code nosniff} everywhere, {@code no-store} on the APIs that hand out tokens and
 * transcripts, the pages' framing rule, and HSTS exactly when the client came over TLS as a trusted
 * proxy says. 127.0.0.1 stands for the trusted proxy; 127.0.0.2 is a caller nobody vouches for.
 */
@Tag("containers")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SecurityHeadersIT {

    static final TestDatabase DB = TestDatabase.create("SecurityHeadersIT");

    private static final String PROXY = "127.0.0.1";
    private static final String UNTRUSTED = "127.0.0.2";
    private static final String HSTS = "max-age=31536000";
    private static final String GET_MESSAGES = Consumer.API + "getMessages";
    private static final String ESTABLISH = "/services/rest/crossChannelServices/latest/establishSessions";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of("compliance.trustedProxies", PROXY + "/32"));
    }

    @ArquillianResource
    URL base;

    private Http http;
    private RawHttp raw;

    @BeforeEach
    void setUp() {
        http = new Http(base);
        raw = new RawHttp(base);
    }

    /** nosniff, and no HSTS over plain HTTP. */
    private static void assertBrowserSafe(Http.Reply r, String what) {
        assertEquals("nosniff", r.header("X-Content-Type-Options"), what + ": " + r);
        assertNull(r.header("Strict-Transport-Security"), what + " came over plain HTTP: " + r);
    }

    private static void assertNotStored(Http.Reply r, String what) {
        assertEquals("no-store", r.header("Cache-Control"), what + ": " + r);
    }

    @Test
    void consumerAnswersAndTheFiltersDenialsAreNeitherSniffedNorStored() {
        Http.Reply stats = http.get(Consumer.API + "getQueueStats?request=%7B%22queueId%22%3A1%7D");
        assertEquals(200, stats.status(), stats.toString());
        assertBrowserSafe(stats, "a consumer answer");
        assertNotStored(stats, "a consumer answer");

        Http.Reply denied = http.post(GET_MESSAGES, "{}", "SessionId", "no-such-session", "Content-Type", "application/json");
        assertEquals(403, denied.status(), "the AuthFilter's denial: " + denied);
        assertEquals("SESSION_UNKNOWN", denied.json().get("code").asText());
        assertBrowserSafe(denied, "a filter's error body");
        assertNotStored(denied, "a filter's error body");

        Http.Reply preflight = http.send("OPTIONS", GET_MESSAGES, null, java.time.Duration.ofSeconds(10),
                "Origin", "http://localhost:3000", "Access-Control-Request-Method", "POST");
        assertEquals(204, preflight.status(), preflight.toString());
        assertEquals("http://localhost:3000", preflight.header("Access-Control-Allow-Origin"));
        assertBrowserSafe(preflight, "a preflight");
    }

    @Test
    void bootstrapAndAdminAnswersThatCarryTokensAreNotStored() {
        Http.Reply boot = http.post(ESTABLISH, "{}", "Authorization", Consumer.basic("demo-api", "demo-api-pass"),
                "Content-Type", "application/json");
        assertEquals(200, boot.status(), boot.toString());
        assertBrowserSafe(boot, "establishSessions");
        assertNotStored(boot, "establishSessions");

        Http.Reply login = http.post(AdminClient.API + "login", "", "Authorization",
                Consumer.basic("admin", "demo-admin-pass"));
        assertEquals(200, login.status(), login.toString());
        assertBrowserSafe(login, "the admin login");
        assertNotStored(login, "the admin login");

        Http.Reply agentToken = http.post("/services/rest/crossChannelServices/latest/agentTokens", "",
                "Authorization", Consumer.basic("agent1", "demo-agent-pass"));
        assertEquals(200, agentToken.status(), agentToken.toString());
        assertNotStored(agentToken, "agentTokens");
    }

    @Test
    void theTranscriptExportIsNeitherSniffedNorStored() {
        Consumer ann = new Consumer(http).join();
        AdminClient admin = new AdminClient(http);
        Http.Reply csv = admin.get("engagements/" + ann.engagementId + "/transcript.csv");
        assertEquals(200, csv.status(), csv.toString());
        assertTrue(csv.header("Content-Type").startsWith("text/csv"), csv.toString());
        assertBrowserSafe(csv, "the CSV export");
        assertNotStored(csv, "the CSV export");
    }

    @Test
    void pagesMayBeFramedOnlyByParleyAndKeepTheirCaching() {
        Http.Reply page = http.get("/ui/chat");
        assertEquals(200, page.status(), page.toString());
        assertBrowserSafe(page, "a page");
        assertEquals("SAMEORIGIN", page.header("X-Frame-Options"));
        assertTrue(page.header("Content-Security-Policy").contains("frame-ancestors 'self'"), page.toString());
        assertTrue(page.header("Cache-Control").contains("no-cache"), "pages revalidate as before: " + page);
        assertNotEquals("no-store", page.header("Cache-Control"));

        Http.Reply asset = http.get("/ui/assets/parley.js");
        assertEquals(200, asset.status(), asset.toString());
        assertBrowserSafe(asset, "a page's script");
    }

    @Test
    void healthMetricsAndTheKeysAreNotSniffedAndKeepTheirCaching() {
        for (String path : new String[] {"/health/live", "/health/ready", "/metrics"}) {
            Http.Reply r = http.get(path);
            assertEquals(200, r.status(), path + ": " + r);
            assertBrowserSafe(r, path);
        }
        Http.Reply jwks = http.get("/.well-known/jwks.json");
        assertEquals(200, jwks.status(), jwks.toString());
        assertBrowserSafe(jwks, "the JWKS");
        assertTrue(jwks.header("Cache-Control").contains("max-age=300"), "the public keys stay cacheable: "
                + jwks.header("Cache-Control"));
    }

    @Test
    void hstsIsSentWhenATrustedProxySaysTheClientUsedHttps() {
        Http.Reply viaProxy = raw.send(PROXY, "GET", "/health/live", null, "X-Forwarded-Proto", "https");
        assertEquals(200, viaProxy.status(), viaProxy.toString());
        assertEquals(HSTS, viaProxy.header("Strict-Transport-Security"), viaProxy.toString());
        assertEquals("nosniff", viaProxy.header("X-Content-Type-Options"));

        Http.Reply rfc7239 = raw.send(PROXY, "POST", GET_MESSAGES, "{}", "Forwarded", "for=127.0.0.9;proto=https",
                "SessionId", "no-such-session");
        assertEquals(403, rfc7239.status(), rfc7239.toString());
        assertEquals(HSTS, rfc7239.header("Strict-Transport-Security"), "a filter's denial carries it too: " + rfc7239);

        Http.Reply untrusted = raw.send(UNTRUSTED, "GET", "/health/live", null, "X-Forwarded-Proto", "https");
        assertEquals(200, untrusted.status(), untrusted.toString());
        assertNull(untrusted.header("Strict-Transport-Security"), "a caller's own word is not taken: " + untrusted);

        Http.Reply plain = raw.send(PROXY, "GET", "/health/live", null, "X-Forwarded-Proto", "http");
        assertNull(plain.header("Strict-Transport-Security"), plain.toString());
    }

    @Test
    void theDomainFollowsTheSchemeATrustedProxyReportsAsHstsDoes() throws Exception {
        Http.Reply boot = raw.send(PROXY, "POST", ESTABLISH, "{}", "X-Forwarded-Proto", "https",
                "Authorization", Consumer.basic("demo-api", "demo-api-pass"));
        assertEquals(200, boot.status(), boot.toString());
        assertEquals(HSTS, boot.header("Strict-Transport-Security"));
        JsonNode server = Http.JSON.readTree(boot.json().get("sessionServerResponse").asText());
        // https on its default port: the port is left out of the domain (a demo caller on loopback keeps its Host).
        assertEquals(base.getHost(), server.get("domain").asText(), boot.toString());
    }
}
