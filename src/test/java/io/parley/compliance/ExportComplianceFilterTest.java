package io.parley.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.config.Settings;
import io.parley.store.Database;
import io.parley.store.SiteDirectory;
import io.parley.store.StoreUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The filter without a container: what it hands on, and what it writes when it does not. The
 * matrix over real HTTP is {@code ComplianceMatrixIT}.
 */
class ExportComplianceFilterTest {

    private static final String GET_MESSAGES = "/engagement/api/consumer/demo/v1/getMessages";
    private static final String QUEUE_STATS = "/engagement/api/consumer/demo/v1/getQueueStats";
    private static final String REQUEST_ENGAGEMENT = "/engagement/api/consumer/demo/v1/requestEngagement";
    private static final String ESTABLISH = "/services/rest/crossChannelServices/latest/establishSessions";

    /** 10.0.0.0/8 are trusted proxies; 203.0.113.0/24 is IR, 198.51.100.0/24 US. */
    private static final CountryDatabase COUNTRIES = CountryDatabase.of(List.of(
            range("203.0.113.0/24", "IR"), range("198.51.100.0/24", "US")));

    private Database db;
    private SessionIdentities sessionIdentities = request -> Optional.empty();
    private HttpServletRequest passed;
    private byte[] passedBody;

    @BeforeEach
    void database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:filter-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        db = Database.wrap(ds);
        db.read(c -> c.createStatement().executeUpdate(
                "INSERT INTO denied_party (site_id, kind, match_value, created_at)"
                        + " VALUES (NULL, 'EMAIL', 'blocked.person@example.com', CURRENT_TIMESTAMP)"));
    }

    private ExportCompliance compliance(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("compliance.trustedProxies", "10.0.0.0/8"));
        all.putAll(settings);
        return new ExportCompliance(ComplianceSettings.from(Settings.of(all)), CountrySource.fixed(COUNTRIES),
                new SiteDirectory(db, Clock.systemUTC(), Duration.ofSeconds(5)),
                new DeniedPartyList(db, Clock.systemUTC(), Duration.ofSeconds(5)), r -> sessionIdentities.forRequest(r), 1024,
                Duration.ofSeconds(5));
    }

    private ServletFakes.Response run(ServletFakes.Request request, Map<String, String> settings) throws Exception {
        ExportCompliance compliance = compliance(settings);
        ServletFakes.Response response = new ServletFakes.Response();
        passed = null;
        new ExportComplianceFilter(compliance).doFilter(request.proxy(), response.proxy(), (req, res) -> {
            passed = (HttpServletRequest) req;
            passedBody = req.getInputStream().readAllBytes();
        });
        return response;
    }

    private ServletFakes.Response run(ServletFakes.Request request) throws Exception {
        return run(request, Map.of());
    }

    @Test
    void anEmbargoedCallerGets403AndTheChainIsNotCalled() throws Exception {
        ServletFakes.Response r = run(new ServletFakes.Request("POST", GET_MESSAGES, "203.0.113.9"));
        assertEquals(403, r.status);
        assertNull(passed);
        JsonNode body = new ObjectMapper().readTree(r.text());
        assertEquals(ExportComplianceFilter.DENIED_CODE, body.get("code").asText());
        assertEquals(ExportComplianceFilter.DENIED_CODE, body.get("errorMessages").get(0).get("code").asText());
        assertEquals(0, body.get("systemMessages").size());
        assertFalse(r.text().contains("IR"), "the body does not say which rule matched");
    }

    @Test
    void laterFiltersSeeTheClientBehindTheTrustedProxyAndTheSchemeItUsed() throws Exception {
        run(new ServletFakes.Request("POST", GET_MESSAGES, "10.0.0.5")
                .header("X-Forwarded-For", "198.51.100.7, 10.1.1.1").header("X-Forwarded-Proto", "https"));
        assertNotNull(passed);
        assertEquals("198.51.100.7", passed.getRemoteAddr());
        assertEquals("198.51.100.7", passed.getRemoteHost());
        assertEquals("https", passed.getScheme());
        assertTrue(passed.isSecure());
        assertEquals(443, passed.getServerPort());
        assertEquals("https://chat.example" + GET_MESSAGES, passed.getRequestURL().toString());
    }

    @Test
    void overTlsBelievesTheProtoOnlyFromATrustedProxyAsTheRequestPassedOnDoes() {
        ExportCompliance compliance = compliance(Map.of("compliance.enabled", "false"));
        assertTrue(compliance.overTls(new ServletFakes.Request("GET", GET_MESSAGES, "10.0.0.5")
                .header("X-Forwarded-For", "198.51.100.7").header("X-Forwarded-Proto", "https").proxy()));
        assertTrue(compliance.overTls(new ServletFakes.Request("GET", GET_MESSAGES, "10.0.0.5")
                .header("Forwarded", "for=198.51.100.7;proto=https").proxy()));
        assertFalse(compliance.overTls(new ServletFakes.Request("GET", GET_MESSAGES, "198.51.100.7")
                .header("X-Forwarded-Proto", "https").proxy()), "an untrusted peer's word is not taken");
        assertFalse(compliance.overTls(new ServletFakes.Request("GET", GET_MESSAGES, "10.0.0.5")
                .header("X-Forwarded-Proto", "http").proxy()));
        assertFalse(compliance.overTls(new ServletFakes.Request("GET", GET_MESSAGES, "10.0.0.5").proxy()),
                "without a word from the proxy, the connection (plain HTTP here) decides");
    }

    @Test
    void disabledComplianceOnlyResolvesTheAddress() throws Exception {
        ServletFakes.Response r = run(new ServletFakes.Request("POST", GET_MESSAGES, "10.0.0.5")
                .header("X-Forwarded-For", "203.0.113.9"), Map.of("compliance.enabled", "false"));
        assertEquals(200, r.status);
        assertEquals("203.0.113.9", passed.getRemoteAddr());
    }

    @Test
    void pathsOutsideTheApiAreNotScreened() throws Exception {
        ServletFakes.Response r = run(new ServletFakes.Request("GET", "/.well-known/jwks.json", "203.0.113.9"));
        assertEquals(200, r.status);
        assertNotNull(passed);
    }

    @Test
    void getQueueStatsNeverAnswers403ButMarksTheDeniedCaller() throws Exception {
        ServletFakes.Response r = run(new ServletFakes.Request("GET", QUEUE_STATS, "203.0.113.9"));
        assertEquals(200, r.status);
        assertEquals(Boolean.TRUE, passed.getAttribute(ExportComplianceFilter.DENIED_ATTRIBUTE));
    }

    @Test
    void getQueueStatsOfAnAllowedCallerIsNotMarked() throws Exception {
        run(new ServletFakes.Request("GET", QUEUE_STATS, "198.51.100.7"));
        assertNull(passed.getAttribute(ExportComplianceFilter.DENIED_ATTRIBUTE));
    }

    @Test
    void theBootstrapBodyIsReadForScreeningAndCanBeReadAgain() throws Exception {
        String json = "{\"sessionInformation\":{\"emailAddress\":\"ann@example.com\"}}";
        run(new ServletFakes.Request("POST", ESTABLISH, "198.51.100.7").body(json));
        assertEquals(json, new String(passedBody, StandardCharsets.UTF_8));
    }

    @Test
    void aDeniedPartyGets403AtTheBootstrapCall() throws Exception {
        ServletFakes.Response r = run(new ServletFakes.Request("POST", ESTABLISH, "198.51.100.7")
                .body("{\"sessionInformation\":\"{\\\"emailAddress\\\":\\\"Blocked.Person@example.com\\\"}\"}"));
        assertEquals(403, r.status);
        assertNull(passed);
    }

    @Test
    void aBodyDeclaredOverTheLimitIsPassedOnUnreadForTheResourceToRefuse() throws Exception {
        String json = "{\"sessionInformation\":{\"emailAddress\":\"blocked.person@example.com\",\"pad\":\""
                + "x".repeat(2000) + "\"}}";
        ServletFakes.Response r = run(new ServletFakes.Request("POST", ESTABLISH, "198.51.100.7").body(json));
        assertEquals(200, r.status);
        assertEquals(json.length(), passedBody.length);
    }

    @Test
    void aChunkedBodyOverTheLimitIsPassedOnUnscreenedForTheResourceToRefuse() throws Exception {
        String json = "{\"sessionInformation\":{\"emailAddress\":\"blocked.person@example.com\",\"pad\":\""
                + "x".repeat(2000) + "\"}}";
        ServletFakes.Response r = run(new ServletFakes.Request("POST", ESTABLISH, "198.51.100.7").body(json).chunked());
        assertEquals(200, r.status);
        assertEquals(1025, passedBody.length, "the resource sees more than the limit and answers 400");
    }

    @Test
    void anUnreadableBodyIsPassedOn() throws Exception {
        run(new ServletFakes.Request("POST", ESTABLISH, "198.51.100.7").body("{not json"));
        assertEquals("{not json", new String(passedBody, StandardCharsets.UTF_8));
    }

    @Test
    void requestEngagementScreensTheSessionsIdentity() throws Exception {
        sessionIdentities = request -> Optional.of(new Identity("blocked.person@example.com", null, null, null, null, null));
        ServletFakes.Response r = run(new ServletFakes.Request("POST", REQUEST_ENGAGEMENT, "198.51.100.7"));
        assertEquals(403, r.status);
        assertNull(passed);
    }

    @Test
    void theSessionPortSeesTheResolvedClient() throws Exception {
        String[] seen = new String[1];
        sessionIdentities = request -> {
            seen[0] = request.getRemoteAddr();
            return Optional.of(Identity.ANONYMOUS);
        };
        run(new ServletFakes.Request("POST", REQUEST_ENGAGEMENT, "10.0.0.5").header("X-Forwarded-For", "198.51.100.7"));
        assertEquals("198.51.100.7", seen[0]);
        assertNotNull(passed);
    }

    @Test
    void anUnexpectedFailureGets500WithAnErrorIdAndTheChainIsNotCalled() throws Exception {
        sessionIdentities = request -> {
            throw new IllegalStateException("boom");
        };
        ServletFakes.Response r = run(new ServletFakes.Request("POST", REQUEST_ENGAGEMENT, "198.51.100.7"));
        assertEquals(500, r.status);
        assertNull(passed);
        JsonNode body = new ObjectMapper().readTree(r.text());
        assertFalse(body.get("errorId").asText().isEmpty());
        assertFalse(r.text().contains("boom"));
    }

    @Test
    void anUnreachableDatabaseGets503WithRetryAfter() throws Exception {
        sessionIdentities = request -> {
            throw new StoreUnavailableException("down", new SQLException("down", "08001"));
        };
        ServletFakes.Response r = run(new ServletFakes.Request("POST", REQUEST_ENGAGEMENT, "198.51.100.7"));
        assertEquals(503, r.status);
        assertEquals("5", r.headers.get("Retry-After"));
        assertNull(passed);
    }

    private static CountryDatabase.Range range(String block, String country) {
        Cidr c = Cidr.parse(block).orElseThrow();
        return new CountryDatabase.Range(c.first(), c.last(), country);
    }
}
