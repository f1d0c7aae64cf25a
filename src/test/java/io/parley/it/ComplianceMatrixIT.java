package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Export compliance over real HTTP. Callers are told apart by their loopback address (the test
 * country database maps 127.0.0.2 to IR and 127.0.0.3 to US and leaves 127.0.0.1 and 127.0.0.5
 * unknown); 127.0.0.1 is the trusted proxy, forwarding documentation addresses (203.0.113.0/24
 * IR, 198.51.100.0/24 US, 2001:db8:1::/48 IR).
 *
 * <p>What the filter guarantees is asserted exactly: a denial is 403 (504 when the webhook cannot
 * decide) with the error body, and the probe proves the resource never ran. For allowed callers
 * only "got past the filter" is asserted (probe count 1, neither 403 nor 504): the resources and
 * the AuthFilter behind it are not this test's subject. So allowed callers are tried on calls the
 * AuthFilter lets through: {@code getEngagementQueue} (no credentials) and the bootstrap calls with
 * the demo API user's Basic credentials.
 */
@Tag("containers")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ComplianceMatrixIT {

    static final TestDatabase DB = TestDatabase.create("ComplianceMatrixIT");
    static final Webhook WEBHOOK = Webhook.start();

    private static final String IR = "127.0.0.2";
    private static final String US = "127.0.0.3";
    private static final String UNKNOWN = "127.0.0.5";
    private static final String PROXY = "127.0.0.1";

    private static final String GET_MESSAGES = "/engagement/api/consumer/demo/v1/getMessages";
    /** A consumer call that needs no credentials: the AuthFilter lets it through, so the probe sees allowed callers. */
    private static final String QUEUE = queuePath("demo");
    private static final String ESTABLISH = "/services/rest/crossChannelServices/latest/establishSessions";
    private static final String CHAT_AUTHENTICATE = "/serviceApi/resources/latest/chatAuthenticate";
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("demo-api:demo-api-pass".getBytes(StandardCharsets.UTF_8));

    /** How long the denied-party list may take to see a new row: its refresh interval, and a margin. */
    private static final long DENIED_PARTY_REFRESH_MILLIS = 5_500;

    @Deployment(testable = false)
    static WebArchive deployment() {
        // Demo credentials from forwarded (non-loopback) clients too: the bootstrap calls behind the proxy must pass auth.
        return ParleyDeployment.war(DB, Map.of(
                "demo.allowRemote", "true",
                "compliance.trustedProxies", PROXY + "/32",
                "compliance.countryHeader", "CF-IPCountry",
                "compliance.countryDatabase", resource("/compliance/countries.csv"),
                "compliance.deniedPartiesFile", resource("/compliance/denied-parties.csv"),
                "compliance.screening.url", WEBHOOK.url(),
                // Long enough for a busy machine to get an answer from the webhook: the slow case never answers.
                "compliance.screening.timeoutMillis", "3000"));
    }

    @ArquillianResource
    URL base;

    private RawHttp raw;
    /** The container's log, from the start of each test; the audit lines are read from it. */
    private ServerLog log;

    /** The compliance audit lines logged during the test, oldest first. */
    private List<String> audit() {
        return log.messages().stream().filter(m -> m.startsWith("DENY rule=") || m.startsWith("UNSCREENED rule=")).toList();
    }

    private static boolean sitesCreated;

    /** Sites with their own rules: unknown countries denied; only KP denied; only US denied. */
    private static synchronized void createSites(URL base) {
        if (sitesCreated) {
            return;
        }
        sitesCreated = true;
        DB.execute("INSERT INTO site (name, pool, created_at, unknown_country_policy) VALUES ('strict', '1:1', CURRENT_TIMESTAMP, 'DENY')");
        DB.execute("INSERT INTO site (name, pool, created_at, denied_countries) VALUES ('lenient', '1:1', CURRENT_TIMESTAMP, 'KP')");
        DB.execute("INSERT INTO site (name, pool, created_at, denied_countries) VALUES ('usdenied', '1:1', CURRENT_TIMESTAMP, 'US')");
        // The site cache may predate the inserts by up to its 5 s refresh: wait until the new sites show.
        RawHttp raw = new RawHttp(base);
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!isComplianceDenial(raw.send(UNKNOWN, "GET", queuePath("strict"), null))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The sites inserted for the test never became visible");
            }
            sleep(250);
        }
    }

    @AfterAll
    static void stopWebhook() {
        WEBHOOK.stop();
    }

    @BeforeEach
    void reset() {
        createSites(base);
        raw = new RawHttp(base);
        assertEquals(200, new Http(base).send("DELETE", "/test-support/probe", null, Duration.ofSeconds(5)).status());
        WEBHOOK.questions.clear();
        log = ServerLog.watch();
    }

    @AfterEach
    void stopCapture() {
        log.close();
    }

    // --- country, direct callers ---

    @Test
    void embargoedCallerGets403AndNeverReachesTheResource() {
        Http.Reply r = raw.send(IR, "POST", GET_MESSAGES, "{}");
        assertDenied(r);
        assertEquals(0, probe(GET_MESSAGES));
    }

    @Test
    void everyDenialIsWrittenToTheAuditLog() {
        assertDenied(raw.send(IR, "POST", GET_MESSAGES, "{}"));
        assertEquals(1, audit().size(), () -> audit().toString());
        String line = audit().get(0);
        assertTrue(line.startsWith("DENY rule=DENIED_COUNTRY"), line);
        assertTrue(line.contains(" address=127.0.0.2 country=IR site=demo method=POST path=" + GET_MESSAGES), line);
    }

    @Test
    void allowedCallerGetsPastTheFilter() {
        assertPassed(raw.send(US, "GET", QUEUE, null), QUEUE);
    }

    @Test
    void otherEmbargoedCountriesGet403Too() {
        assertDenied(raw.send("127.0.0.4", "GET", QUEUE, null));
        assertEquals(0, probe(QUEUE));
    }

    @Test
    void agentPathsAreScreenedToo() {
        String path = "/engagement/api/agent/demo/v1/requestAssignment";
        assertDenied(raw.send(IR, "POST", path, "{}"));
        assertEquals(0, probe(path));
    }

    // --- trusted proxies ---

    @Test
    void embargoedClientBehindTheTrustedProxyGets403() {
        assertDenied(raw.send(PROXY, "GET", QUEUE, null, "X-Forwarded-For", "203.0.113.9"));
        assertEquals(0, probe(QUEUE));
    }

    @Test
    void allowedClientBehindTheTrustedProxyGetsPastTheFilter() {
        assertPassed(raw.send(PROXY, "GET", QUEUE, null, "X-Forwarded-For", "198.51.100.7"), QUEUE);
    }

    @Test
    void spoofedLeftMostEntryBehindTheTrustedProxyIsIgnoredAndGets403() {
        assertDenied(raw.send(PROXY, "GET", QUEUE, null, "X-Forwarded-For", "198.51.100.7, 203.0.113.9"));
        assertEquals(0, probe(QUEUE));
    }

    @Test
    void forwardedForFromAnUntrustedEmbargoedPeerIsIgnoredAndGets403() {
        assertDenied(raw.send(IR, "GET", QUEUE, null, "X-Forwarded-For", "198.51.100.7",
                "Forwarded", "for=198.51.100.7"));
        assertEquals(0, probe(QUEUE));
    }

    @Test
    void forwardedForFromAnUntrustedAllowedPeerIsIgnoredAndGetsPastTheFilter() {
        assertPassed(raw.send(US, "GET", QUEUE, null, "X-Forwarded-For", "203.0.113.9"), QUEUE);
    }

    @Test
    void rfc7239ForwardedIpv6ClientBehindTheTrustedProxyGets403() {
        assertDenied(raw.send(PROXY, "GET", QUEUE, null, "Forwarded", "for=\"[2001:db8:1::5]:4711\";proto=https"));
        assertEquals(0, probe(QUEUE));
    }

    // --- CDN country header ---

    @Test
    void cdnCountryHeaderFromAnUntrustedPeerIsIgnored() {
        assertPassed(raw.send(US, "GET", QUEUE, null, "CF-IPCountry", "IR"), QUEUE);
        assertDenied(raw.send(IR, "GET", QUEUE, null, "CF-IPCountry", "US"));
        assertEquals(1, probe(QUEUE));
    }

    @Test
    void cdnCountryHeaderFromTheTrustedProxyIsHonouredAndGets403() {
        assertDenied(raw.send(PROXY, "GET", QUEUE, null, "X-Forwarded-For", "198.51.100.7", "CF-IPCountry", "IR"));
        assertEquals(0, probe(QUEUE));
    }

    @Test
    void cdnCountryHeaderFromTheTrustedProxyWinsOverTheDatabase() {
        assertPassed(raw.send(PROXY, "GET", QUEUE, null, "X-Forwarded-For", "203.0.113.9", "CF-IPCountry", "US"),
                QUEUE);
    }

    // --- unknown countries and site overrides ---

    @Test
    void unknownCountryUnderTheServersAllowPolicyGetsPastTheFilter() {
        assertPassed(raw.send(UNKNOWN, "GET", QUEUE, null), QUEUE);
    }

    @Test
    void unknownCountryOnASiteThatDeniesUnknownCountriesGets403() {
        String path = queuePath("strict");
        assertDenied(raw.send(UNKNOWN, "GET", path, null));
        assertEquals(0, probe(path));
        assertPassed(raw.send(US, "GET", path, null), path);
    }

    @Test
    void aSitesOwnDeniedListReplacesTheServers() {
        String lenient = queuePath("lenient");
        assertPassed(raw.send(IR, "GET", lenient, null), lenient);
        String usDenied = queuePath("usdenied");
        assertDenied(raw.send(US, "GET", usDenied, null));
        assertEquals(0, probe(usDenied));
    }

    @Test
    void bootstrapCallsFromAnEmbargoedCallerGet403UnderTheServersPolicy() {
        assertDenied(raw.send(IR, "POST", ESTABLISH, "{}", "Authorization", BASIC));
        assertEquals(0, probe(ESTABLISH));
        assertEquals(0, WEBHOOK.questions.size(), "a caller denied by country is not screened further");
    }

    // --- identity: denied parties ---

    @Test
    void deniedEmailAtEstablishSessionsGets403AndNoSessionIsStored() {
        long sessions = sessions();
        Http.Reply r = raw.send(US, "POST", ESTABLISH, establishBody("Blocked.Person@example.com"), "Authorization", BASIC);
        assertDenied(r);
        assertEquals(0, probe(ESTABLISH));
        assertEquals(sessions, sessions(), "no session was stored");
        assertEquals(0, WEBHOOK.questions.size(), "a denied party is not sent to the webhook");
        assertTrue(audit().get(0).startsWith("DENY rule=DENIED_EMAIL"), () -> audit().toString());
    }

    @Test
    void deniedDomainAtChatAuthenticateGets403() {
        long sessions = sessions();
        assertDenied(raw.send(US, "POST", CHAT_AUTHENTICATE,
                "{\"authUserName\":\"u-17\",\"emailAddress\":\"ann@eu.sanctioned.example\"}", "Authorization", BASIC));
        assertEquals(0, probe(CHAT_AUTHENTICATE));
        assertEquals(sessions, sessions(), "no session was stored");
    }

    @Test
    void deniedOrganizationAtChatAuthenticateGets403() {
        assertDenied(raw.send(US, "POST", CHAT_AUTHENTICATE, "{\"authUserName\":\"u-17\",\"organizationId\":98765}",
                "Authorization", BASIC));
        assertEquals(0, probe(CHAT_AUTHENTICATE));
    }

    @Test
    void aPartyDeniedAfterItsTokenWasIssuedIsRefusedAtRequestEngagement() {
        Http.Reply issued = raw.send(US, "POST", ESTABLISH, establishBody("late.listed@example.com"), "Authorization", BASIC);
        assertEquals(200, issued.status(), issued::toString);
        String token = issued.json().get("channelToken").asText();
        DB.execute("INSERT INTO denied_party (site_id, kind, match_value, created_at)"
                + " VALUES (NULL, 'EMAIL', 'late.listed@example.com', CURRENT_TIMESTAMP)");
        sleep(DENIED_PARTY_REFRESH_MILLIS);
        long engagements = DB.count("SELECT COUNT(*) FROM engagement");
        String requestEngagement = "/engagement/api/consumer/demo/v1/requestEngagement";
        assertDenied(raw.send(US, "POST", requestEngagement, "{}", "Authorization", "Bearer " + token));
        assertEquals(0, probe(requestEngagement));
        assertEquals(engagements, DB.count("SELECT COUNT(*) FROM engagement"));
        assertTrue(audit().stream().anyMatch(l -> l.startsWith("DENY rule=DENIED_EMAIL")), () -> audit().toString());
    }

    @Test
    void anAllowedIdentityGetsPastTheFilterAfterTheWebhookSaidAllow() {
        assertPassed(raw.send(US, "POST", ESTABLISH, establishBody("ann@example.com"), "Authorization", BASIC), ESTABLISH);
        assertEquals(1, WEBHOOK.questions.size());
        JsonNode q = WEBHOOK.questions.get(0);
        assertEquals(US, q.get("address").asText());
        assertEquals("US", q.get("country").asText());
        assertEquals("establishSessions", q.get("operation").asText());
        assertEquals("ann@example.com", q.get("identity").get("email").asText());
        assertEquals("Ann", q.get("identity").get("firstName").asText());
    }

    @Test
    void theWebhookSeesTheClientBehindTheTrustedProxy() {
        assertPassed(raw.send(PROXY, "POST", CHAT_AUTHENTICATE, "{\"authUserName\":\"u-1\",\"emailAddress\":\"ann@example.com\"}",
                "X-Forwarded-For", "198.51.100.7", "Authorization", BASIC), CHAT_AUTHENTICATE);
        assertEquals("198.51.100.7", WEBHOOK.questions.get(0).get("address").asText());
        assertEquals("chatAuthenticate", WEBHOOK.questions.get(0).get("operation").asText());
    }

    // --- identity: screening webhook ---

    @Test
    void webhookDenyGets403() {
        long sessions = sessions();
        assertDenied(raw.send(US, "POST", ESTABLISH, establishBody("deny.me@example.com"), "Authorization", BASIC));
        assertEquals(0, probe(ESTABLISH));
        assertEquals(sessions, sessions(), "no session was stored");
        assertTrue(audit().get(0).startsWith("DENY rule=SCREENING_SERVICE"), () -> audit().toString());
    }

    @Test
    void webhookTimeoutGets504() {
        long start = System.nanoTime();
        Http.Reply r = raw.send(US, "POST", ESTABLISH, establishBody("slow@example.com"), "Authorization", BASIC);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertUnavailable(r);
        assertEquals(0, probe(ESTABLISH));
        assertTrue(tookMillis < 30_000, "answered by Parley's own timeout after " + tookMillis
                + " ms, not by the webhook, which takes a minute");
    }

    @Test
    void webhookFailureGets504() {
        assertUnavailable(raw.send(US, "POST", CHAT_AUTHENTICATE,
                "{\"authUserName\":\"u-17\",\"emailAddress\":\"broken@example.com\"}", "Authorization", BASIC));
        assertEquals(0, probe(CHAT_AUTHENTICATE));
    }

    // --- getQueueStats and paths outside the API ---

    @Test
    void getQueueStatsFromAnEmbargoedCallerIsNot403AndReachesTheResource() {
        String path = "/engagement/api/consumer/demo/v1/getQueueStats";
        String query = "?pool=1:1&request=" + URLEncoder.encode("{\"queueId\":1,\"chatProactiveAvailableType\":\"AGENTS\"}",
                StandardCharsets.UTF_8);
        Http.Reply r = raw.send(IR, "GET", path + query, null);
        assertNotEquals(403, r.status(), r::toString);
        assertEquals(1, probe(path));
        assertTrue(audit().get(0).endsWith("answer=no-availability"), () -> audit().toString());
    }

    @Test
    void pathsOutsideTheApiAreNotScreened() {
        Http.Reply r = raw.send(IR, "GET", "/.well-known/jwks.json", null);
        assertNotEquals(403, r.status(), r::toString);
        assertEquals(1, probe("/.well-known/jwks.json"));
    }

    // --- helpers ---

    private static void assertDenied(Http.Reply r) {
        assertError(r, 403, "EXPORT_COMPLIANCE_DENIED");
    }

    private static void assertUnavailable(Http.Reply r) {
        assertError(r, 504, "SCREENING_UNAVAILABLE");
    }

    private static void assertError(Http.Reply r, int status, String code) {
        assertEquals(status, r.status(), r::toString);
        assertTrue(r.header("Content-Type").startsWith("application/json"), r::toString);
        JsonNode body = r.json();
        assertEquals(status, body.get("status").asInt());
        assertEquals(code, body.get("code").asText());
        assertTrue(body.get("errorMessages").size() > 0, r::toString);
        assertEquals(code, body.get("errorMessages").get(0).get("code").asText());
        assertFalse(body.get("errorMessages").get(0).get("message").asText().isBlank());
        assertEquals(0, body.get("systemMessages").size());
        for (String hint : List.of("IR", "Iran", "country", "denied party", "email", "domain", "organization")) {
            assertFalse(body.get("message").asText().contains(hint), "the message names no rule: " + body);
        }
    }

    private void assertPassed(Http.Reply r, String path) {
        assertNotEquals(403, r.status(), r::toString);
        assertNotEquals(504, r.status(), r::toString);
        assertEquals(1, probe(path), "the request got past the filter");
    }

    private long probe(String path) {
        JsonNode counts = new Http(base).get("/test-support/probe").json();
        return counts.has(path) ? counts.get(path).asLong() : 0;
    }

    private static String queuePath(String site) {
        return "/engagement/api/consumer/" + site + "/v1/getEngagementQueue";
    }

    private static boolean isComplianceDenial(Http.Reply r) {
        return r.status() == 403 && r.body().contains("\"EXPORT_COMPLIANCE_DENIED\"");
    }

    private static long sessions() {
        return DB.count("SELECT COUNT(*) FROM chat_session");
    }

    private static String establishBody(String email) {
        String info = "{\"emailAddress\":\"" + email + "\",\"firstName\":\"Ann\",\"lastName\":\"Lee\",\"queueId\":1}";
        return "{\"sessionInformation\":" + Http.JSON.valueToTree(info) + "}";
    }

    private static String resource(String name) {
        try {
            return Path.of(ComplianceMatrixIT.class.getResource(name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A screening webhook in the test JVM. It decides by the email it is asked about: {@code deny*}
     * is denied, {@code slow*} is answered after 2 s, {@code broken*} gets HTTP 500, anyone else is allowed.
     */
    static final class Webhook {
        final List<JsonNode> questions = Collections.synchronizedList(new ArrayList<>());
        private final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool();

        private Webhook(HttpServer server) {
            this.server = server;
        }

        static Webhook start() {
            try {
                Webhook w = new Webhook(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
                w.server.setExecutor(w.executor);
                w.server.createContext("/screen", w::handle);
                w.server.start();
                return w;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/screen";
        }

        void stop() {
            server.stop(0);
            executor.shutdownNow();
        }

        private void handle(HttpExchange exchange) throws IOException {
            JsonNode question = Http.JSON.readTree(exchange.getRequestBody());
            questions.add(question);
            String email = question.path("identity").path("email").asText("");
            int status = 200;
            String answer = "{\"decision\":\"ALLOW\"}";
            if (email.startsWith("deny")) {
                answer = "{\"decision\":\"DENY\"}";
            } else if (email.startsWith("slow")) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    // The webhook is stopping (the test is over): no answer, as from a webhook that went away.
                    Thread.currentThread().interrupt();
                    exchange.close();
                    return;
                }
            } else if (email.startsWith("broken")) {
                status = 500;
                answer = "{\"error\":\"down\"}";
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }
    }
}
