package io.parley.auth;

import io.parley.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.compliance.ExportComplianceFilter;
import io.parley.engagement.ConsumerSession;
import io.parley.store.Database;
import io.parley.store.SigningKeyStore;
import io.parley.store.SiteDirectory;
import io.parley.store.StoreUnavailableException;
import io.parley.store.TenantStore.AccountRow;
import io.parley.store.TenantStore;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import io.parley.config.Settings;
import io.parley.store.LoginLockStore;
import io.parley.throttle.Buckets;
import io.parley.throttle.Throttle;
import io.parley.throttle.ThrottleSettings;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * The AuthFilter's decisions without a container: the request and response are small fakes, so
 * the cases a running Parley cannot easily show (another site's session, a session that ended,
 * the database down, an unexpected failure) are covered here.
 */
class AuthFilterTest {

    private static final PasswordHasher HASHER = new PasswordHasher(1_000);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final SiteDirectory sites;
    private final long demoId;
    private final JwtSettings jwt =
            new JwtSettings("parley", List.of("RS256"), Duration.ofMinutes(30), Duration.ofSeconds(30), 8192);
    private final SigningKeys keys;
    private final TokenService tokens;
    private final AtomicInteger chainCalls = new AtomicInteger();
    /** The caller the last request that passed carried to the resources. */
    private Principal passedAs;
    private final Database db;
    /** Throttle limits of these tests: 3 failed logins free, then one per 20 s; locked after 5. */
    private final Map<String, String> throttleSettings = new HashMap<>(Map.of(
            "throttle.login.accountFailures", "3", "throttle.login.accountLockAfter", "5",
            "throttle.requests.perAddressPerMinute", "1000", "throttle.sessions.perApiUserPerMinute", "1000"));
    private final List<String> throttled = new ArrayList<>();
    private final List<String> locked = new ArrayList<>();

    AuthFilterTest() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:filter-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        db = Database.wrap(ds);
        TenantStore tenants = new TenantStore(db);
        demoId = db.inTransaction(c -> tenants.insertSite(c, "demo", "1:1", null, clock.instant()));
        db.inTransaction(c -> tenants.insertSite(c, "other", "1:1", null, clock.instant()));
        sites = new SiteDirectory(db, clock, Duration.ofSeconds(5));
        keys = new SigningKeys(new SigningKeyStore(db), jwt, clock, SigningKeys.RELOAD_INTERVAL);
        keys.start();
        tokens = new TokenService(jwt, keys, clock);
    }

    private BasicAuthenticator basic(Function<String, Optional<AccountRow>> accounts) {
        return new BasicAuthenticator(accounts, id -> sites.byId(id).map(s -> s.name()), HASHER, false, clock);
    }

    private BasicAuthenticator basic() {
        AccountRow api = new AccountRow(1, demoId, "shop-api", HASHER.hash("pw".toCharArray()), "API", null, null, null);
        return basic(name -> name.equals("shop-api") ? Optional.of(api) : Optional.empty());
    }

    private AuthFilter filter(BasicAuthenticator basic, ConsumerSessions sessions) throws Exception {
        Throttle throttle = new Throttle(ThrottleSettings.from(Settings.of(throttleSettings)), Buckets.inMemory(clock),
                Buckets.inMemory(clock), new LoginLockStore(db), clock, new Throttle.Listener() {
                    @Override
                    public void throttled(String endpoint, Throttle.Reason reason) {
                        throttled.add(endpoint + ":" + reason.tag());
                    }

                    @Override
                    public void locked(String endpoint, Throttle.Reason kind, String subject, Instant until) {
                        locked.add(kind.tag() + ":" + subject);
                    }
                });
        AuthFilter.Collaborators with = new AuthFilter.Collaborators(sites, basic, tokens, sessions, id -> Optional.empty(),
                throttle, Duration.ofSeconds(5));
        ServletContext context = proxy(ServletContext.class, (name, args) ->
                name.equals("getAttribute") && AuthFilter.Collaborators.ATTRIBUTE.equals(args[0]) ? with : null);
        FilterConfig config = proxy(FilterConfig.class, (name, args) -> name.equals("getServletContext") ? context : null);
        AuthFilter filter = new AuthFilter();
        filter.init(config);
        return filter;
    }

    /** A request: path, headers (any case) and attributes. */
    private static final class FakeRequest {
        final Map<String, String> headers = new HashMap<>();
        final Map<String, Object> attributes = new HashMap<>();
        final String path;

        FakeRequest(String path, String... headerPairs) {
            this.path = path;
            for (int i = 0; i + 1 < headerPairs.length; i += 2) {
                headers.put(headerPairs[i].toLowerCase(Locale.ROOT), headerPairs[i + 1]);
            }
        }

        HttpServletRequest request() {
            return proxy(HttpServletRequest.class, (name, args) -> switch (name) {
                case "getServletPath" -> path;
                case "getPathInfo" -> null;
                case "getHeader" -> headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
                case "getRemoteAddr" -> "127.0.0.1";
                case "getMethod" -> "POST";
                case "setAttribute" -> attributes.put((String) args[0], args[1]);
                case "getAttribute" -> attributes.get(args[0]);
                default -> null;
            });
        }
    }

    /** A response that records what the filter wrote. */
    private static final class FakeResponse {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        HttpServletResponse response() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }

                @Override
                public void write(int b) {
                    body.write(b);
                }
            };
            return proxy(HttpServletResponse.class, (name, args) -> {
                switch (name) {
                    case "setStatus" -> status = (Integer) args[0];
                    case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                    case "getOutputStream" -> {
                        return out;
                    }
                    case "isCommitted" -> {
                        return false;
                    }
                    default -> {
                    }
                }
                return null;
            });
        }

        JsonNode json() throws Exception {
            return JSON.readTree(body.toString(StandardCharsets.UTF_8));
        }
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(String method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Handler handler) {
        return (T) Proxy.newProxyInstance(AuthFilterTest.class.getClassLoader(), new Class<?>[] {type},
                (p, m, args) -> {
                    if (m.getName().equals("hashCode")) {
                        return System.identityHashCode(p);
                    }
                    if (m.getName().equals("equals")) {
                        return p == args[0];
                    }
                    return handler.handle(m.getName(), args);
                });
    }

    private FakeResponse run(AuthFilter filter, FakeRequest request) throws Exception {
        FakeResponse response = new FakeResponse();
        filter.doFilter(request.request(), response.response(), (req, res) -> {
            chainCalls.incrementAndGet();
            passedAs = ((HttpServletRequest) req).getUserPrincipal();
        });
        return response;
    }

    private static ConsumerSession session(String site, boolean usable) {
        return new ConsumerSession("s1", site, 10, 20, usable);
    }

    @Test
    void usableSessionOfThePathsSitePassesAsTheCaller() throws Exception {
        AuthFilter f = filter(basic(), id -> id.equals("s1") ? Optional.of(session("demo", true)) : Optional.empty());
        FakeRequest req = new FakeRequest("/engagement/api/consumer/demo/v1/getMessages", "sessionid", "s1");
        FakeResponse res = run(f, req);
        assertEquals(1, chainCalls.get());
        assertEquals(new ConsumerCaller(session("demo", true)), passedAs);
        assertEquals(200, res.status);
    }

    @Test
    void sessionOfAnotherSiteGets403() throws Exception {
        AuthFilter f = filter(basic(), id -> Optional.of(session("other", true)));
        FakeResponse res = run(f, new FakeRequest("/engagement/api/consumer/demo/v1/getMessages", "SessionId", "s1"));
        assertEquals(403, res.status);
        assertEquals("SESSION_UNKNOWN", res.json().get("code").asText());
        assertEquals(0, chainCalls.get());
    }

    @Test
    void endedSessionGets403() throws Exception {
        AuthFilter f = filter(basic(), id -> Optional.of(session("demo", false)));
        FakeResponse res = run(f, new FakeRequest("/engagement/api/consumer/demo/v1/postMessage", "SessionId", "s1"));
        assertEquals(403, res.status);
        assertEquals(0, chainCalls.get());
    }

    @Test
    void undefinedSessionIdIsNeverLookedUp() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        AuthFilter f = filter(basic(), id -> {
            lookups.incrementAndGet();
            return Optional.empty();
        });
        assertEquals(403, run(f, new FakeRequest("/engagement/api/consumer/demo/v1/activity", "SessionId", "undefined")).status);
        assertEquals(403, run(f, new FakeRequest("/engagement/api/consumer/demo/v1/activity", "SessionId", "x".repeat(500))).status);
        assertEquals(0, lookups.get());
    }

    @Test
    void databaseOutageGets503WithRetryAfter() throws Exception {
        AuthFilter f = filter(basic(), id -> {
            throw new StoreUnavailableException("down", null);
        });
        FakeResponse res = run(f, new FakeRequest("/engagement/api/consumer/demo/v1/getMessages", "SessionId", "s1"));
        assertEquals(503, res.status);
        assertNotNull(res.headers.get("Retry-After"));
        assertEquals("SERVICE_UNAVAILABLE", res.json().get("code").asText());
        assertEquals(0, chainCalls.get());
    }

    @Test
    void databaseOutageDuringBasicAuthGets503() throws Exception {
        AuthFilter f = filter(basic(name -> {
            throw new StoreUnavailableException("down", null);
        }), id -> Optional.empty());
        String credentials = "Basic " + Base64.getEncoder().encodeToString("shop-api:pw".getBytes(StandardCharsets.UTF_8));
        FakeResponse res = run(f, new FakeRequest("/services/rest/crossChannelServices/latest/establishSessions",
                "Authorization", credentials));
        assertEquals(503, res.status);
        assertEquals(0, chainCalls.get());
    }

    @Test
    void unexpectedFailureGets500WithAnErrorIdAndNoStackTrace() throws Exception {
        AuthFilter f = filter(basic(), id -> {
            throw new IllegalStateException("secret internals");
        });
        FakeResponse res = run(f, new FakeRequest("/engagement/api/consumer/demo/v1/getMessages", "SessionId", "s1"));
        assertEquals(500, res.status);
        JsonNode body = res.json();
        assertEquals("INTERNAL_ERROR", body.get("code").asText());
        assertNotNull(body.get("errorId"));
        assertFalse(body.toString().contains("secret internals"));
        assertEquals(0, chainCalls.get());
    }

    @Test
    void basicCredentialsPassWithTheAccountAsTheCaller() throws Exception {
        String credentials = "Basic " + Base64.getEncoder().encodeToString("shop-api:pw".getBytes(StandardCharsets.UTF_8));
        FakeRequest req = new FakeRequest("/serviceApi/resources/latest/chatAuthenticate", "Authorization", credentials);
        run(filter(basic(), id -> Optional.empty()), req);
        assertEquals(1, chainCalls.get());
        assertEquals(new AccountPrincipal(1, "shop-api", AccountPrincipal.Role.API, demoId, "demo"), passedAs);
    }

    @Test
    void bearerTokenPassesWithTheVerifiedTokenAsTheCaller() throws Exception {
        String token = tokens.issue("demo", "jti-1", "jti-1", Duration.ofMinutes(30));
        FakeRequest req = new FakeRequest("/engagement/api/consumer/demo/v1/requestEngagement",
                "Authorization", "bearer " + token, "SessionId", "undefined");
        run(filter(basic(), id -> Optional.empty()), req);
        assertEquals(1, chainCalls.get());
        VerifiedToken v = assertInstanceOf(VerifiedToken.class, passedAs, "the token, not a session");
        assertEquals("jti-1", v.jti());
        assertEquals("demo", v.site());
    }

    @Test
    void tokenOfAnotherSiteGets403OnThisSite() throws Exception {
        String token = tokens.issue("other", "jti-1", "jti-1", Duration.ofMinutes(30));
        FakeResponse res = run(filter(basic(), id -> Optional.empty()),
                new FakeRequest("/engagement/api/consumer/demo/v1/requestEngagement", "Authorization", "Bearer " + token));
        assertEquals(403, res.status);
        assertEquals("TOKEN_INVALID", res.json().get("code").asText());
        assertEquals(0, chainCalls.get());
    }

    @Test
    void otherPathsPassUntouched() throws Exception {
        FakeResponse res = run(filter(basic(), id -> Optional.empty()), new FakeRequest("/.well-known/jwks.json"));
        assertEquals(1, chainCalls.get());
        assertTrue(res.body.size() == 0);
    }

    @Test
    void pagesPassWithoutCredentialsAndWithoutLookingAnythingUp() throws Exception {
        ConsumerSessions never = id -> {
            throw new AssertionError("a page request looked up a session");
        };
        for (String path : List.of("/ui", "/ui/", "/ui/agent", "/ui/assets/agent.js")) {
            FakeResponse res = run(filter(basic(), never), new FakeRequest(path));
            assertEquals(200, res.status, path);
            assertEquals(0, res.body.size(), path);
        }
        assertEquals(4, chainCalls.get());
    }

    private static String basicHeader(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** An authenticator whose password checks are counted: a throttled attempt must cost none. */
    private BasicAuthenticator countingBasic(AtomicInteger hashes) {
        AccountRow api = new AccountRow(1, demoId, "shop-api", "stored-hash", "API", null, null, null);
        return new BasicAuthenticator(name -> name.equals("shop-api") ? Optional.of(api) : Optional.empty(),
                id -> sites.byId(id).map(s -> s.name()), (password, stored) -> {
                    hashes.incrementAndGet();
                    return new String(password).equals("pw") && stored.equals("stored-hash");
                }, "dummy", false, clock, Duration.ofMinutes(5));
    }

    private static final String ESTABLISH = "/services/rest/crossChannelServices/latest/establishSessions";

    @Test
    void failedLoginsGetGrowingDelaysThenALockBeforeAnyPasswordIsHashed() throws Exception {
        AtomicInteger hashes = new AtomicInteger();
        AuthFilter f = filter(countingBasic(hashes), id -> Optional.empty());
        for (int i = 1; i <= 3; i++) {
            assertEquals(401, run(f, new FakeRequest(ESTABLISH, "Authorization", basicHeader("shop-api", "guess" + i))).status,
                    "the first failures are free");
        }
        FakeResponse delayed = run(f, new FakeRequest(ESTABLISH, "Authorization", basicHeader("shop-api", "guess4")));
        assertEquals(429, delayed.status);
        assertEquals("TOO_MANY_ATTEMPTS", delayed.json().get("code").asText());
        assertEquals("20", delayed.headers.get("Retry-After"), "one attempt per delay");
        assertEquals(3, hashes.get(), "the refused attempt hashed nothing");
        assertEquals(List.of("establishSessions:account"), throttled);

        // Each delay passed, the next failures are let through one at a time, until the lock.
        for (int i = 4; i <= 5; i++) {
            clock.advance(Duration.ofSeconds(20));
            assertEquals(401, run(f, new FakeRequest(ESTABLISH, "Authorization", basicHeader("shop-api", "guess" + i))).status);
        }
        assertEquals(List.of("account:shop-api"), locked, "the fifth failure locks the account");
        clock.advance(Duration.ofMinutes(1));
        FakeResponse lockedOut = run(f, new FakeRequest(ESTABLISH, "Authorization", basicHeader("shop-api", "pw")));
        assertEquals(429, lockedOut.status, "locked: even the right password is refused");
        assertTrue(Long.parseLong(lockedOut.headers.get("Retry-After")) > 600, lockedOut.headers.toString());
        assertEquals(5, hashes.get());
        assertEquals(0, chainCalls.get());

        clock.advance(Duration.ofMinutes(15));
        assertEquals(200, run(f, new FakeRequest(ESTABLISH, "Authorization", basicHeader("shop-api", "pw"))).status,
                "the lock ends");
        assertEquals(1, chainCalls.get());
    }

    @Test
    void aSuccessResetsTheAccountsCount() throws Exception {
        AtomicInteger hashes = new AtomicInteger();
        AuthFilter f = filter(countingBasic(hashes), id -> Optional.empty());
        // Two failures and a success, three times: six failures in all, more than the three free ones.
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(401, run(f, new FakeRequest(ESTABLISH, "Authorization", basicHeader("shop-api", "no"))).status);
            }
            assertEquals(200, run(f, new FakeRequest(ESTABLISH, "Authorization", basicHeader("shop-api", "pw"))).status,
                    "round " + round);
        }
        assertEquals(List.of(), throttled);
    }

    @Test
    void unknownAccountsAreThrottledLikeRealOnes() throws Exception {
        AtomicInteger hashes = new AtomicInteger();
        AuthFilter f = filter(countingBasic(hashes), id -> Optional.empty());
        for (int i = 0; i < 3; i++) {
            assertEquals(401, run(f, new FakeRequest(ESTABLISH, "Authorization", basicHeader("nobody", "x"))).status);
        }
        assertEquals(429, run(f, new FakeRequest(ESTABLISH, "Authorization", basicHeader("nobody", "x"))).status,
                "a 429 does not tell whether the account exists");
    }

    @Test
    void theRequestBudgetOfCallsWithoutCredentialsGets429() throws Exception {
        throttleSettings.put("throttle.requests.perAddressPerMinute", "3");
        AuthFilter f = filter(basic(), id -> Optional.empty());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, run(f, new FakeRequest("/engagement/api/consumer/demo/v1/getQueueStats")).status);
        }
        FakeResponse over = run(f, new FakeRequest("/ui/chat"));
        assertEquals(429, over.status, "the pages share the budget");
        assertEquals("TOO_MANY_ATTEMPTS", over.json().get("code").asText());
        assertEquals("20", over.headers.get("Retry-After"), "a minute's budget refills one request per 20 s");
        assertEquals(List.of("ui:requests"), throttled);
    }

    @Test
    void anApiUsersSessionBudgetGets429() throws Exception {
        throttleSettings.put("throttle.sessions.perApiUserPerMinute", "2");
        AuthFilter f = filter(basic(), id -> Optional.empty());
        for (int i = 0; i < 2; i++) {
            assertEquals(200, run(f, new FakeRequest(ESTABLISH, "Authorization", basicHeader("shop-api", "pw"))).status);
        }
        FakeResponse over = run(f, new FakeRequest(ESTABLISH, "Authorization", basicHeader("shop-api", "pw")));
        assertEquals(429, over.status);
        assertEquals(List.of("establishSessions:sessions"), throttled);
    }

    @Test
    void aPathNobodyServesIsAnswered404HereAndReachesNoResource() throws Exception {
        AuthFilter f = filter(basic(), id -> Optional.empty());
        for (String path : List.of("/", "/health", "/metrics/all", "/admin/api/v2/sites", "/engagement/api/consumer/demo/v2/x",
                "/services/rest/crossChannelServices/latest/unknownCall")) {
            FakeResponse res = run(f, new FakeRequest(path));
            assertEquals(404, res.status, path);
            assertEquals("NOT_FOUND", res.json().get("code").asText(), path);
        }
        assertEquals(0, chainCalls.get(), "no resource ran");
    }

    @Test
    void publicPathsPassAsAVisitor() throws Exception {
        AuthFilter f = filter(basic(), id -> Optional.empty());
        for (String path : List.of("/health/live", "/health/ready", "/metrics", "/.well-known/jwks.json",
                "/engagement/api/consumer/demo/v1/getQueueStats", "/ui/chat")) {
            assertEquals(200, run(f, new FakeRequest(path)).status, path);
            assertEquals(new Visitor(false), passedAs, path);
        }
        FakeRequest masked = new FakeRequest("/engagement/api/consumer/demo/v1/getQueueStats");
        masked.attributes.put(ExportComplianceFilter.DENIED_ATTRIBUTE, Boolean.TRUE);
        run(f, masked);
        assertEquals(new Visitor(true), passedAs, "a caller export compliance denied sees no availability");
    }

    @Test
    void agentCallsOfAnUnknownSiteGet404() throws Exception {
        FakeResponse res = run(filter(basic(), id -> Optional.empty()),
                new FakeRequest("/engagement/api/agent/nosuchsite/v1/getMessages", "X-JSESSIONID", "a1", "X-AID", "1"));
        assertEquals(404, res.status);
        assertEquals("SITE_UNKNOWN", res.json().get("code").asText());
        assertEquals(0, chainCalls.get());
    }
}
