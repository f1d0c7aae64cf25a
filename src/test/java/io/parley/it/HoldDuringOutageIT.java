package io.parley.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Thousands of held polls, then the database stops: every hold still ends on time (an empty 200),
 * because ending a hold never waits for the database.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HoldDuringOutageIT {

    private static final int POLLS = 2000;
    private static final int HOLD_SECONDS = 10;

    static final TestDatabase DB = TestDatabase.createOnOwnServer("HoldDuringOutageIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of("poll.hold", Integer.toString(HOLD_SECONDS),
                "db.connectTimeoutMillis", "2000", "throttle.sessions.perApiUserPerMinute", "1000000"));
    }

    @ArquillianResource
    URL base;

    @Test
    void heldPollsEndWithinASecondOfTheirHoldWhileTheDatabaseIsDown() throws Exception {
        Http http = new Http(base);
        List<Consumer> consumers = join(http);
        // The first poll of each brings its queue position at once; the next one is held.
        forEachAtMost(32, consumers, c -> c.pollAsync("{}"));

        List<CompletableFuture<Http.Reply>> polls = new ArrayList<>();
        for (Consumer c : consumers) {
            polls.add(c.pollAsync("{}"));
        }
        await().atMost(Duration.ofSeconds(HOLD_SECONDS - 2)).pollInterval(Duration.ofMillis(100))
                .until(() -> held(http) >= POLLS);

        DB.stopServer();
        long stopped = System.nanoTime();
        try {
            long deadline = stopped + TimeUnit.SECONDS.toNanos(HOLD_SECONDS + 1);
            int empty = 0;
            for (CompletableFuture<Http.Reply> poll : polls) {
                Http.Reply r = poll.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertEquals(200, r.status(), "a held poll ends as a poll, not as an error: " + r);
                if (r.json().get("systemMessages").isEmpty()) {
                    empty++;
                }
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            assertTrue(tookMillis <= (HOLD_SECONDS + 1) * 1000L, "every poll held before the outage answered within"
                    + " a second of its hold: the last after " + tookMillis + " ms");
            assertTrue(empty > POLLS / 2, "they were held, not answered by news: " + empty + " empty of " + POLLS);
        } finally {
            DB.startServer();
        }
    }

    /** {@value #POLLS} customers waiting in the demo queue, made a few dozen at a time. */
    private static List<Consumer> join(Http http) {
        List<Consumer> consumers = new ArrayList<>();
        for (int i = 0; i < POLLS; i++) {
            consumers.add(new Consumer(http));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(32);
        try {
            forEachAtMost(32, consumers, c -> CompletableFuture.runAsync(c::join, pool));
        } finally {
            pool.shutdown();
        }
        return consumers;
    }

    private static void forEachAtMost(int concurrently, List<Consumer> consumers,
                                      java.util.function.Function<Consumer, CompletableFuture<?>> action) {
        Semaphore permits = new Semaphore(concurrently);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (Consumer c : consumers) {
            permits.acquireUninterruptibly();
            all.add(action.apply(c).whenComplete((r, e) -> permits.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    private static final Pattern HELD = Pattern.compile("(?m)^parley_held_requests (\\S+)$");

    private static double held(Http http) {
        Matcher m = HELD.matcher(http.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
