package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.parley.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RefreshingTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final AtomicInteger loads = new AtomicInteger();
    private final AtomicBoolean down = new AtomicBoolean();

    private String load() {
        loads.incrementAndGet();
        if (down.get()) {
            throw new StoreUnavailableException("The database is unreachable", null);
        }
        return "v" + loads.get();
    }

    @Test
    void aValueIsKeptForItsRefreshIntervalThenReadAgain() {
        Refreshing<String> r = new Refreshing<>(this::load, clock, Duration.ofSeconds(5));
        assertEquals("v1", r.get());
        assertEquals("v1", r.get());
        clock.advance(Duration.ofSeconds(5));
        assertEquals("v2", r.get());
        r.invalidate();
        assertEquals("v3", r.get());
    }

    @Test
    void aFailedLoadFailsTheCallersOfTheNextSecondAtOnceThenIsTriedAgain() {
        Refreshing<String> r = new Refreshing<>(this::load, clock, Duration.ZERO);
        down.set(true);
        StoreUnavailableException first = assertThrows(StoreUnavailableException.class, r::get);
        assertSame(first, assertThrows(StoreUnavailableException.class, r::get), "the same failure, without asking again");
        assertEquals(1, loads.get());
        clock.advance(Refreshing.FAILURE_MEMORY);
        assertThrows(StoreUnavailableException.class, r::get);
        assertEquals(2, loads.get(), "after the pause, the database is asked again");
        down.set(false);
        clock.advance(Refreshing.FAILURE_MEMORY);
        assertEquals("v3", r.get());
    }

    @Test
    void callersQueuedBehindASlowFailingLoadDoNotEachWaitTheirTurn() throws Exception {
        Refreshing<String> r = new Refreshing<>(() -> {
            loads.incrementAndGet();
            sleep(300);
            throw new StoreUnavailableException("The database is unreachable", null);
        }, clock, Duration.ZERO);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(pool.submit(() -> assertThrows(StoreUnavailableException.class, r::get)));
            }
            for (Future<?> f : calls) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, loads.get(), "one caller asked the database; nineteen learned its answer");
    }

    @Test
    void whileOneCallerReloadsAStaleValueTheOthersGoOnWithIt() throws Exception {
        java.util.concurrent.CountDownLatch inLoad = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Refreshing<String> r = new Refreshing<>(() -> {
            int n = loads.incrementAndGet();
            if (n == 2) {
                inLoad.countDown();
                await(release);
            }
            return "v" + n;
        }, clock, Duration.ofSeconds(5));
        assertEquals("v1", r.get());
        clock.advance(Duration.ofSeconds(5));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> reloader = pool.submit(r::get);
            inLoad.await(5, TimeUnit.SECONDS);
            assertEquals("v1", r.get(), "not held up by the reload");
            release.countDown();
            assertEquals("v2", reloader.get(5, TimeUnit.SECONDS));
            assertEquals("v2", r.get());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
