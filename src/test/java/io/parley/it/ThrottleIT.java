package io.parley.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
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
 * Throttling over HTTP: failed password logins get 429 {@code TOO_MANY_ATTEMPTS} with
 * {@code Retry-After} (per account and per client address, told apart through a trusted proxy),
 * a lock that administrators see and clear, the request budget of calls without credentials,
 * metrics and the audit log. Each test uses accounts and client addresses of its own.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("containers")
class ThrottleIT {

    static final TestDatabase DB = TestDatabase.create("ThrottleIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of(
                "throttle.login.accountFailures", "3",
                // Delays long enough that no token comes back while a busy machine hashes the failures.
                "throttle.login.accountDelaySeconds", "10",
                "throttle.login.accountLockAfter", "4",
                "throttle.login.addressFailures", "6",
                "throttle.login.addressDelaySeconds", "60",
                "throttle.login.addressLockAfter", "50",
                "throttle.requests.perAddressPerMinute", "20",
                // The client addresses of these tests come through the test client as a trusted proxy,
                // and log in with the demo credentials from there.
                "compliance.trustedProxies", "127.0.0.0/8,::1",
                "demo.allowRemote", "true", "publicDomain", "chat.example.com"));
    }

    @ArquillianResource
    URL base;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(base);
    }

    private static final String AGENT_TOKENS = "/services/rest/crossChannelServices/latest/agentTokens";
    private static final String ESTABLISH = "/services/rest/crossChannelServices/latest/establishSessions";

    private Http.Reply agentTokens(String user, String password, String from) {
        return http.post(AGENT_TOKENS, "", "Authorization", Consumer.basic(user, password), "X-Forwarded-For", from);
    }

    private static void assertThrottled(Http.Reply r) {
        assertEquals(429, r.status(), r.body());
        assertEquals("TOO_MANY_ATTEMPTS", r.json().get("code").asText());
        assertEquals(429, r.json().get("status").asInt());
        assertFalse(r.json().get("errorMessages").isEmpty(), "the one error body");
        assertNotNull(r.header("Retry-After"));
        assertTrue(Long.parseLong(r.header("Retry-After")) >= 1);
    }

    @Test
    void failedLoginsOfAnAccountAreDelayedThenLockedAndAnAdministratorClearsTheLock() {
        String from = "192.0.2.10";
        for (int i = 0; i < 3; i++) {
            assertEquals(401, agentTokens("agent2", "wrong-" + i, from).status(), "the first failures are free");
        }
        Http.Reply delayed = agentTokens("agent2", AgentClient.PASSWORD, from);
        assertThrottled(delayed);
        assertTrue(Long.parseLong(delayed.header("Retry-After")) <= 10, "one attempt per delay: " + delayed.header("Retry-After"));

        // After the delay one more attempt is let through; failing it locks the account.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> agentTokens("agent2", "wrong-again", from).status() == 401);
        Http.Reply locked = agentTokens("agent2", AgentClient.PASSWORD, "192.0.2.11");
        assertThrottled(locked);
        assertTrue(Long.parseLong(locked.header("Retry-After")) > 60,
                "locked for the lock period, from any address, even with the right password: " + locked.header("Retry-After"));

        AdminClient admin = new AdminClient(http);
        JsonNode lock = lockOf(admin, "ACCOUNT", "agent2");
        assertNotNull(lock, "the administrator sees the lock");
        assertTrue(lock.get("lockedUntil").asText().compareTo(lock.get("lockedAt").asText()) > 0);
        assertEquals(204, admin.delete("loginLocks/" + lock.get("id").asLong()).status());
        assertEquals(404, admin.delete("loginLocks/" + lock.get("id").asLong()).status(), "cleared once");
        assertEquals(200, agentTokens("agent2", AgentClient.PASSWORD, "192.0.2.12").status(), "the account logs in at once");

        JsonNode audit = admin.ok("GET", "audit?limit=50", null).get("items");
        assertTrue(has(audit, "LOCK", "agent2"), "the lock is in the audit log: " + audit);
        assertTrue(has(audit, "UNLOCK", "agent2"), "and so is its clearing: " + audit);
    }

    @Test
    void aClientAddressThatFailsTooOftenIsRefusedForEveryAccountAndOthersAreNot() {
        String guesser = "198.51.100.7";
        for (int i = 0; i < 6; i++) {
            assertEquals(401, http.post(ESTABLISH, "{}", "Authorization", Consumer.basic("guess-" + i, "x"),
                    "X-Forwarded-For", guesser).status());
        }
        assertThrottled(http.post(ESTABLISH, "{}", "Authorization", Consumer.basic("demo-api", "demo-api-pass"),
                "X-Forwarded-For", guesser));
        assertEquals(200, http.post(ESTABLISH, "{}", "Authorization", Consumer.basic("demo-api", "demo-api-pass"),
                "X-Forwarded-For", "198.51.100.8").status(), "another client behind the same proxy is not refused");
    }

    @Test
    void adminLoginIsThrottledToo() {
        String from = "203.0.113.40";
        for (int i = 0; i < 3; i++) {
            assertEquals(401, http.post(AdminClient.API + "login", "", "Authorization",
                    Consumer.basic("nobody-admin", "x" + i), "X-Forwarded-For", from).status());
        }
        assertThrottled(http.post(AdminClient.API + "login", "", "Authorization", Consumer.basic("nobody-admin", "y"),
                "X-Forwarded-For", from));
    }

    @Test
    void callsWithoutCredentialsSpendTheAddressesRequestBudget() {
        String from = "203.0.113.99";
        String stats = Consumer.API + "getQueueStats?request=%7B%22queueId%22%3A1%7D";
        int ok = 0;
        Http.Reply r = http.get(stats, "X-Forwarded-For", from);
        while (r.status() == 200 && ok < 100) {
            ok++;
            r = http.get(ok % 2 == 0 ? stats : "/ui/chat", "X-Forwarded-For", from);
        }
        assertThrottled(r);
        assertTrue(ok >= 20 && ok < 40, "the budget of 20 a minute, give or take its refill: " + ok);
        assertEquals(200, http.get(stats, "X-Forwarded-For", "203.0.113.100").status(), "another address has its own");

        String metrics = http.get("/metrics").body();
        assertTrue(metrics.contains("parley_throttled_total{endpoint=\"getQueueStats\",reason=\"requests\"}")
                || metrics.contains("parley_throttled_total{endpoint=\"ui\",reason=\"requests\"}"), metrics);
    }

    private static JsonNode lockOf(AdminClient admin, String kind, String subject) {
        for (JsonNode l : admin.ok("GET", "loginLocks", null).get("items")) {
            if (kind.equals(l.get("kind").asText()) && subject.equals(l.get("subject").asText())) {
                return l;
            }
        }
        return null;
    }

    private static boolean has(JsonNode audit, String action, String target) {
        List<String> seen = new ArrayList<>();
        for (JsonNode e : audit) {
            seen.add(e.get("action").asText() + " " + e.get("targetId").asText());
        }
        return seen.contains(action + " " + target);
    }
}
