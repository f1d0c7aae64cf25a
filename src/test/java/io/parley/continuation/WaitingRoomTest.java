package io.parley.continuation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.engagement.EngagementException;
import io.parley.engagement.Admission;
import io.parley.engagement.Engagement;
import io.parley.engagement.EngagementState;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WaitingRoomTest {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final EventBus bus = new EventBus(executor);

    @AfterEach
    void stop() {
        timer.shutdownNow();
        executor.shutdownNow();
    }

    private static final class Recorder implements WaitingRoom.Reply {
        final CompletableFuture<String> answer = new CompletableFuture<>();
        final AtomicInteger answers = new AtomicInteger();

        private void answer(String a) {
            answers.incrementAndGet();
            answer.complete(a);
        }

        @Override
        public void admitted(Admission.Admitted admitted) {
            answer("admitted " + admitted.engagement().id());
        }

        @Override
        public void timedOut() {
            answer("408");
        }

        @Override
        public void refused(EngagementException e) {
            answer("409 " + e.code());
        }

        @Override
        public void overloaded(Duration retryAfter) {
            answer("503");
        }

        @Override
        public void failed(RuntimeException e) {
            answer("failed");
        }

        String get() throws Exception {
            return answer.get(10, TimeUnit.SECONDS);
        }
    }

    private static Admission.Admitted admitted(long id) {
        return new Admission.Admitted(new Engagement(id, 1, "s" + id, 1, EngagementState.QUEUED, Instant.EPOCH, null, 1),
                id * 10, false);
    }

    private WaitingRoom room(Duration hold, int maxHeld) {
        return new WaitingRoom(bus, new HeldSlots(maxHeld), timer, executor, executor,
                new HoldSettings(Duration.ofSeconds(25), hold, maxHeld, Duration.ofSeconds(3), 4));
    }

    @Test
    void aHeldRequestIsAdmittedWhenAPlaceFrees() throws Exception {
        WaitingRoom room = room(Duration.ofSeconds(5), 10);
        AtomicBoolean free = new AtomicBoolean();
        Supplier<Admission> attempt = () -> free.get() ? admitted(7) : new Admission.QueueFull(1);
        Recorder r = new Recorder();
        room.hold(1, attempt, r);
        Thread.sleep(100);
        assertEquals(1, room.held());
        free.set(true);
        bus.queueChanged(1);
        assertEquals("admitted 7", r.get());
        assertEquals(0, room.held());
    }

    @Test
    void noPlaceWithinTheHoldAnswers408() throws Exception {
        WaitingRoom room = room(Duration.ofMillis(200), 10);
        Recorder r = new Recorder();
        room.hold(1, () -> new Admission.QueueFull(1), r);
        assertEquals("408", r.get());
        Thread.sleep(50);
        assertEquals(1, r.answers.get());
    }

    @Test
    void routingThatNowRefusesAnswers409() throws Exception {
        WaitingRoom room = room(Duration.ofSeconds(5), 10);
        AtomicBoolean closed = new AtomicBoolean();
        Recorder r = new Recorder();
        room.hold(1, () -> {
            if (closed.get()) {
                throw new EngagementException(EngagementException.Kind.REFUSED, "QUEUE_CLOSED", "closed");
            }
            return new Admission.QueueFull(1);
        }, r);
        closed.set(true);
        room.retryAll();
        assertEquals("409 QUEUE_CLOSED", r.get());
    }

    @Test
    void waitersAreAdmittedFirstComeFirstServed() throws Exception {
        WaitingRoom room = room(Duration.ofSeconds(5), 10);
        AtomicInteger places = new AtomicInteger();
        AtomicInteger next = new AtomicInteger(100);
        Supplier<Admission> attempt = () -> places.getAndUpdate(p -> Math.max(0, p - 1)) > 0
                ? admitted(next.incrementAndGet()) : new Admission.QueueFull(1);
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        room.hold(1, attempt, first);
        Thread.sleep(50);
        room.hold(1, attempt, second);
        Thread.sleep(50);
        places.set(1);
        bus.queueChanged(1);
        assertEquals("admitted 101", first.get());
        Thread.sleep(100);
        assertEquals(false, second.answer.isDone());
        places.set(1);
        bus.queueChanged(1);
        assertEquals("admitted 102", second.get());
    }

    @Test
    void theCapAnswers503() throws Exception {
        WaitingRoom room = room(Duration.ofSeconds(5), 1);
        room.hold(1, () -> new Admission.QueueFull(1), new Recorder());
        Recorder r = new Recorder();
        room.hold(1, () -> new Admission.QueueFull(1), r);
        assertEquals("503", r.get());
    }

    @Test
    void anAdmissionRacingTheTimeoutIsNeverAnswered408() throws Exception {
        for (int i = 0; i < 200; i++) {
            WaitingRoom room = room(Duration.ofMillis(10), 10);
            AtomicBoolean free = new AtomicBoolean();
            AtomicBoolean created = new AtomicBoolean();
            long id = i;
            Supplier<Admission> attempt = () -> {
                if (free.get()) {
                    sleep(5);
                    created.set(true);
                    return admitted(id);
                }
                return new Admission.QueueFull(1);
            };
            Recorder r = new Recorder();
            room.hold(1, attempt, r);
            Thread.sleep(8);
            free.set(true);
            bus.queueChanged(1);
            String answer = r.get();
            Thread.sleep(20);
            assertEquals(1, r.answers.get(), "round " + i + " answered " + answer);
            assertEquals(created.get(), answer.startsWith("admitted"), "round " + i + ": an engagement created is never a 408");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aHoldEndsOnTimeWhileAnotherAttemptWaitsForTheDatabase() throws Exception {
        WaitingRoom room = room(Duration.ofSeconds(2), 10);
        AtomicBoolean databaseDown = new AtomicBoolean();
        CountDownLatch inAttempt = new CountDownLatch(1);
        CountDownLatch databaseBack = new CountDownLatch(1);
        // Once the database is down, the first waiter's attempt hangs, as a call waiting for a connection
        // does, and holds the room while it waits. The waiter behind it must still be answered when its
        // hold ends.
        Supplier<Admission> first = () -> {
            if (databaseDown.get()) {
                inAttempt.countDown();
                try {
                    databaseBack.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Admission.QueueFull(1);
        };
        Recorder firstReply = new Recorder();
        Recorder secondReply = new Recorder();
        room.hold(1, first, firstReply);
        room.hold(1, () -> new Admission.QueueFull(1), secondReply);
        databaseDown.set(true);
        room.retryAll();
        try {
            assertTrue(inAttempt.await(10, TimeUnit.SECONDS), "the first waiter's attempt waits for the database");
            assertEquals("408", secondReply.get(), "answered when its hold ended, though the room is busy");
        } finally {
            databaseBack.countDown();
        }
        // The attempt in flight decides its own waiter: it may have been admitted, so it is never cut short.
        assertEquals("408", firstReply.get(), "the stalled waiter is answered once its attempt is over");
        room.retryAll();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (room.held() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, room.held(), "every place is given back");
    }
}
