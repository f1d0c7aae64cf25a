package io.parley.it;

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
import java.util.concurrent.TimeoutException;
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
    private static final int HOLD_SECONDS = 15;

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

        // Sent over about four seconds, as a node's polls arrive, rather than in one burst: their holds end
        // spread out as well, and no answer waits behind two thousand others.
        List<CompletableFuture<Http.Reply>> polls = new ArrayList<>();
        java.util.Queue<Long> answeredAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (Consumer c : consumers) {
            polls.add(c.pollAsync("{}").whenComplete((r, e) -> answeredAt.add(System.nanoTime())));
            if (polls.size() % 100 == 0) {
                Thread.sleep(200);
            }
        }
        // Before the first of them ends its hold (they took about four seconds to send).
        HeldRequests.await(http, POLLS, Duration.ofSeconds(HOLD_SECONDS - 6));

        DB.stopServer();
        long stopped = System.nanoTime();
        StarvationProbe starved = StarvationProbe.start();
        try {
            // The last poll was parked before the database stopped, so every hold has ended HOLD_SECONDS after
            // it; Parley answers within a second of that. One more second is this JVM's margin: it runs the
            // server and two thousand clients at once, and a busy machine pauses it now and then. When the
            // machine starves this JVM's threads for longer than that (another build, a benchmark), every
            // thread here is late by as much, the hold's too: the margin grows by the longest starvation seen.
            int empty = 0;
            for (CompletableFuture<Http.Reply> poll : polls) {
                Http.Reply r = null;
                while (r == null) {
                    long deadline = stopped + TimeUnit.SECONDS.toNanos(HOLD_SECONDS + 2) + starved.longestNanos();
                    try {
                        r = poll.get(Math.min(200_000_000L, Math.max(1, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
                    } catch (TimeoutException e) {
                        if (System.nanoTime() - deadline >= 0) {
                            throw new AssertionError("held polls still unanswered two seconds after their hold: "
                                    + polls.stream().filter(p -> !p.isDone()).count() + " of " + POLLS
                                    + "; answered so far at " + summary(answeredAt, stopped)
                                    + " ms after the database stopped; longest starvation of this JVM's threads "
                                    + TimeUnit.NANOSECONDS.toMillis(starved.longestNanos()) + " ms\n" + serverThreads(), e);
                        }
                    }
                }
                assertEquals(200, r.status(), "a held poll ends as a poll, not as an error: " + r);
                if (r.json().get("systemMessages").isEmpty()) {
                    empty++;
                }
            }
            assertTrue(empty > POLLS / 2, "they were held, not answered by news: " + empty + " empty of " + POLLS);
        } finally {
            starved.stop();
            DB.startServer();
        }
    }

    /**
     * How long a thread of this JVM that asks to wake every 20 ms is kept waiting beyond that: the
     * machine's starvation of this JVM, which delays the hold timer and the answers just as much.
     */
    private static final class StarvationProbe implements Runnable {
        private volatile long longest;
        private volatile boolean stopped;

        static StarvationProbe start() {
            StarvationProbe probe = new StarvationProbe();
            Thread t = new Thread(probe, "starvation-probe");
            t.setDaemon(true);
            t.start();
            return probe;
        }

        @Override
        public void run() {
            while (!stopped) {
                long before = System.nanoTime();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                long late = System.nanoTime() - before - TimeUnit.MILLISECONDS.toNanos(20);
                if (late > longest) {
                    longest = late;
                }
            }
        }

        long longestNanos() {
            return longest;
        }

        void stop() {
            stopped = true;
        }
    }

    private static String summary(java.util.Collection<Long> nanos, long since) {
        List<Long> sorted = new ArrayList<>(nanos.stream().map(n -> TimeUnit.NANOSECONDS.toMillis(n - since)).toList());
        java.util.Collections.sort(sorted);
        return sorted.isEmpty() ? "none" : "min " + sorted.get(0) + ", median " + sorted.get(sorted.size() / 2)
                + ", max " + sorted.get(sorted.size() - 1);
    }

    /** Parley runs in this JVM (the embedded Tomcat): what its hold and answer threads are doing. */
    private static String serverThreads() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("parley-hold") || t.getName().startsWith("parley-answer")) {
                b.append(t.getName()).append(' ').append(t.getState()).append('\n');
                for (int i = 0; i < Math.min(12, stack.length); i++) {
                    b.append("    at ").append(stack[i]).append('\n');
                }
            }
        });
        return b.toString();
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
}
