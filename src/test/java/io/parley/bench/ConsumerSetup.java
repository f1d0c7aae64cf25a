package io.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes consumer sessions as a chat widget does: {@code establishSessions} with the site's API user
 * (Basic), then {@code requestEngagement} with the channel token, a bounded number at a time. For
 * the latency run a stand-in agent (the test-support servlet) accepts each one at once, so the
 * queue never grows long; for the round trip the site's bots take them.
 */
final class ConsumerSetup {

    /** Account ids are small integers given in seed order; agents come after the API user. */
    private static final int MAX_ACCOUNT_ID_TRIED = 50;
    /** A session whose set-up failed is abandoned and made afresh, at most this many times. */
    private static final int ATTEMPTS = 3;

    private final JsonHttp http;
    /** Where the stand-in agent accepts: the same node, or (phase 4) another node on the same database. */
    private final JsonHttp agentHttp;
    private final Endpoints.Site site;
    private final int concurrency;
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final String basic;

    /** Sessions of the demo site. */
    ConsumerSetup(JsonHttp http, int concurrency) {
        this(http, Endpoints.DEMO, concurrency);
    }

    ConsumerSetup(JsonHttp http, Endpoints.Site site, int concurrency) {
        this(http, http, site, concurrency);
    }

    /** Sessions of {@code site} made through {@code http}, accepted by the stand-in agent through {@code agentHttp}. */
    ConsumerSetup(JsonHttp http, JsonHttp agentHttp, Endpoints.Site site, int concurrency) {
        this.http = http;
        this.agentHttp = agentHttp;
        this.site = site;
        this.concurrency = concurrency;
        this.basic = "Basic " + Base64.getEncoder().encodeToString(
                (site.apiUser() + ":" + site.apiPassword()).getBytes(StandardCharsets.UTF_8));
    }

    int concurrency() {
        return concurrency;
    }

    /** Makes {@code count} sessions, {@code concurrency} at a time; accepted by {@code agentAccountId} unless it is 0. */
    List<BenchSession> create(int count, long agentAccountId) {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "bench-setup");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<BenchSession>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> {
                    BenchSession s = createWithRetries(agentAccountId);
                    int n = done.incrementAndGet();
                    if (n % 1000 == 0) {
                        System.out.printf("    %,d sessions made%n", n);
                    }
                    return s;
                }));
            }
            List<BenchSession> sessions = new ArrayList<>(count);
            for (Future<BenchSession> f : futures) {
                sessions.add(f.get());
            }
            return sessions;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Making a consumer session failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Set-up attempts that failed and were made again with a fresh session. */
    int failedAttempts() {
        return failedAttempts.get();
    }

    /** The first set-up failure, as evidence for the report, or null. */
    String firstFailure() {
        return firstFailure.get();
    }

    /** Set-up is not what is measured: a failed session is abandoned and a fresh one made, but every failure is counted. */
    private BenchSession createWithRetries(long agentAccountId) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return createOne(agentAccountId);
            } catch (IllegalStateException e) {
                failedAttempts.incrementAndGet();
                firstFailure.compareAndSet(null, abbreviate(e.getMessage()));
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    /** One session: bootstrap, enter the queue, and (if an agent is given) be accepted. */
    BenchSession createOne(long agentAccountId) {
        String token = http.post(Endpoints.ESTABLISH_SESSIONS,
                "{\"sessionInformation\":{\"firstName\":\"Bench\",\"lastName\":\"Consumer\","
                        + "\"emailAddress\":\"bench@example.com\"}}",
                "Authorization", basic).require(200, "establishSessions").path("channelToken").asText();
        JsonNode engagement = http.post(site.consumer("requestEngagement"), "{}", "Authorization", "Bearer " + token)
                .require(200, "requestEngagement");
        BenchSession s = new BenchSession(engagement.path("sessionId").asText(), engagement.path("engagementId").asLong(), 0);
        return agentAccountId == 0 ? s : s.withAgent(accept(s.engagementId(), agentAccountId));
    }

    /** The stand-in agent takes the engagement; returns the agent's participant id. */
    long accept(long engagementId, long accountId) {
        return agentHttp.post(Endpoints.AGENT_ACCEPT, "{\"engagementId\":" + engagementId + ",\"accountId\":" + accountId + "}")
                .require(200, "test-support agent/accept").path("participantId").asLong();
    }

    /**
     * Finds an agent's account id by offering the waiting engagement to account ids 1, 2, ... in
     * turn: the stand-in refuses a non-agent with 404 AGENT_UNKNOWN before it changes anything, so
     * the first id it accepts with is an agent (agent1 of the demo seed). The engagement is then accepted.
     *
     * @return the account id and the agent's participant id in the engagement
     */
    long[] findAgentAndAccept(long engagementId) {
        for (long id = 1; id <= MAX_ACCOUNT_ID_TRIED; id++) {
            JsonHttp.Answer a = agentHttp.post(Endpoints.AGENT_ACCEPT, "{\"engagementId\":" + engagementId + ",\"accountId\":" + id + "}");
            if (a.status() == 200) {
                return new long[] {id, a.json().path("participantId").asLong()};
            }
            if (a.status() != 404 || !"AGENT_UNKNOWN".equals(a.json().path("code").asText())) {
                throw new IllegalStateException("agent/accept with account " + id + " answered " + a.status() + ": " + a.text());
            }
        }
        throw new IllegalStateException("No agent account among ids 1.." + MAX_ACCOUNT_ID_TRIED);
    }
}
