package io.parley.continuation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.engagement.PostCommand;
import io.parley.engagement.Chats;
import io.parley.engagement.Event;
import io.parley.engagement.EventPayload;
import io.parley.engagement.EventType;
import io.parley.engagement.Visibility;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LongPollsTest {

    /** What a poll was answered with. */
    private record Answer(String kind, List<Event> events) {
    }

    private static final class Recorder implements LongPolls.Reply<Event> {
        final CompletableFuture<Answer> answer = new CompletableFuture<>();
        int answers;

        @Override
        public synchronized void deliver(List<Event> events) {
            answers++;
            answer.complete(new Answer("deliver", events));
        }

        @Override
        public synchronized void empty() {
            answers++;
            answer.complete(new Answer("empty", List.of()));
        }

        @Override
        public synchronized void overloaded(Duration retryAfter) {
            answers++;
            answer.complete(new Answer("overloaded", List.of()));
        }

        @Override
        public synchronized void failed(RuntimeException e) {
            answers++;
            answer.complete(new Answer("failed", List.of()));
        }

        Answer get() throws Exception {
            return answer.get(10, TimeUnit.SECONDS);
        }
    }

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final ExecutorService delivery = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        timer.shutdownNow();
        delivery.shutdownNow();
    }

    private final class Setup {
        final EventBus bus = new EventBus(delivery);
        final HeldSlots slots;
        final Chats.Chat chat;
        final LongPolls<Event> polls;

        Setup(Duration hold, int maxHeld) {
            slots = new HeldSlots(maxHeld);
            chat = Chats.chatWithAgent(bus);
            polls = new LongPolls<>(slots, timer, delivery,
                    new HoldSettings(hold, Duration.ofSeconds(5), maxHeld, Duration.ofSeconds(3), 4), Clock.systemUTC(), false);
        }

        LongPolls.Handle poll(Long cursor, Recorder r) {
            return poll(chat, cursor, r);
        }

        LongPolls.Handle poll(Chats.Chat c, Long cursor, Recorder r) {
            return polls.poll(c.sessionId(), () -> Feeds.endUser(c.domain().journal(), bus, c.engagementId(), c.endUser()), cursor, r);
        }

        long agentSays(String text) {
            return chat.domain().conversation().post(chat.engagementId(), chat.agent(),
                    new PostCommand(text, false, false, null, Map.of(), Visibility.ALL)).seq();
        }
    }

    private static List<String> bodies(Answer a) {
        List<String> out = new ArrayList<>();
        for (Event e : a.events()) {
            if (e.type() == EventType.MESSAGE_POSTED) {
                out.add(((EventPayload.MessagePosted) e.payload()).body());
            }
        }
        return out;
    }

    @Test
    void pendingEventsAreAnsweredAtOnceAndNotAgain() throws Exception {
        Setup s = new Setup(Duration.ofMillis(300), 10);
        Recorder first = new Recorder();
        s.poll(null, first);
        assertEquals("deliver", first.get().kind(), "wait information and the agent joining are pending");
        Recorder second = new Recorder();
        s.poll(null, second);
        assertEquals("empty", second.get().kind(), "nothing new: the hold ends with an empty batch");
        assertEquals(0, s.slots.held());
    }

    @Test
    void aParkedPollIsWokenByANewMessage() throws Exception {
        Setup s = new Setup(Duration.ofSeconds(5), 10);
        s.poll(null, new Recorder()).cancel();
        Recorder drained = new Recorder();
        s.poll(null, drained);
        drained.get();
        Recorder parked = new Recorder();
        s.poll(null, parked);
        assertEquals(1, s.slots.held());
        s.agentSays("hello");
        Answer a = parked.get();
        assertEquals(List.of("hello"), bodies(a));
        assertEquals(0, s.slots.held());
    }

    @Test
    void aNewPollSupersedesTheOldOneWhichIsAnsweredEmpty() throws Exception {
        Setup s = new Setup(Duration.ofSeconds(5), 10);
        Recorder drained = new Recorder();
        s.poll(null, drained);
        drained.get();
        Recorder old = new Recorder();
        s.poll(null, old);
        Recorder current = new Recorder();
        s.poll(null, current);
        assertEquals("empty", old.get().kind());
        s.agentSays("for the new poll");
        assertEquals(List.of("for the new poll"), bodies(current.get()));
        assertEquals(1, old.answers);
        assertEquals(0, s.slots.held());
    }

    @Test
    void aMessageArrivingAsTheHoldEndsIsDeliveredExactlyOnce() throws Exception {
        Setup s = new Setup(Duration.ofMillis(20), 10);
        Recorder drained = new Recorder();
        s.poll(null, drained);
        drained.get();
        for (int i = 0; i < 300; i++) {
            Recorder parked = new Recorder();
            s.poll(null, parked);
            Thread.sleep(19);
            s.agentSays("m" + i);
            List<String> got = new ArrayList<>(bodies(parked.get()));
            if (got.isEmpty()) {
                Recorder next = new Recorder();
                s.poll(null, next);
                got.addAll(bodies(next.get()));
            }
            assertEquals(List.of("m" + i), got, "round " + i);
            assertEquals(1, parked.answers);
        }
        assertEquals(0, s.slots.held());
    }

    @Test
    void aCursorRedeliversEverythingAfterIt() throws Exception {
        Setup s = new Setup(Duration.ofMillis(300), 10);
        long seq = s.agentSays("one");
        s.agentSays("two");
        Recorder drained = new Recorder();
        s.poll(null, drained);
        assertTrue(bodies(drained.get()).containsAll(List.of("one", "two")));
        Recorder lost = new Recorder();
        s.poll(seq - 1, lost);
        assertEquals(List.of("one", "two"), bodies(lost.get()), "the response was lost: ask again from the cursor");
        Recorder after = new Recorder();
        s.poll(seq, after);
        assertEquals(List.of("two"), bodies(after.get()));
    }

    @Test
    void theNodesCapAnswersOverloaded() throws Exception {
        Setup s = new Setup(Duration.ofSeconds(5), 1);
        Recorder drained = new Recorder();
        s.poll(null, drained);
        drained.get();
        Recorder parked = new Recorder();
        LongPolls.Handle h = s.poll(null, parked);
        assertEquals(1, s.slots.held());
        Chats.Chat other = Chats.anotherConsumer(s.chat);
        Recorder refused = new Recorder();
        s.poll(other, 1_000_000L, refused);
        assertEquals("overloaded", refused.get().kind());
        h.cancel();
        assertEquals(0, s.slots.held(), "a cancelled (disconnected) poll frees its slot");
    }

    @Test
    void thousandsOfAbandonedPollsLeaveNothingBehind() throws Exception {
        Setup s = new Setup(Duration.ofSeconds(30), 100);
        Recorder drained = new Recorder();
        s.poll(null, drained);
        drained.get();
        for (int i = 0; i < 3000; i++) {
            s.poll(null, new Recorder()).cancel();
        }
        assertEquals(0, s.slots.held());
        assertEquals(0, s.bus.subscribedEngagements());
        assertEquals(1, s.polls.evictIdle(Duration.ZERO));
        assertEquals(0, s.polls.channels());
    }

    @Test
    void theHoldEndsOnTimeWhileADeliveryWaitsForTheDatabase() throws Exception {
        HeldSlots slots = new HeldSlots(10);
        LongPolls<Event> polls = new LongPolls<>(slots, timer, delivery,
                new HoldSettings(Duration.ofMillis(300), Duration.ofSeconds(5), 10, Duration.ofSeconds(3), 4),
                Clock.systemUTC(), false);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch databaseBack = new CountDownLatch(1);
        AtomicReference<Runnable> waker = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        // The poll's first read finds nothing; a wake-up then reads again and hangs, as a read waiting
        // for a database connection does, holding the session's channel while it waits.
        LongPolls.Feed<Event> feed = new LongPolls.Feed<>() {
            @Override
            public LongPolls.Batch<Event> read(long after) {
                if (reads.incrementAndGet() > 1) {
                    reading.countDown();
                    try {
                        databaseBack.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return new LongPolls.Batch<>(List.of(), after);
            }

            @Override
            public long storedDeliveredSeq() {
                return 0;
            }

            @Override
            public void delivered(long seq) {
            }

            @Override
            public void subscribe(Runnable w) {
                waker.set(w);
            }

            @Override
            public void unsubscribe(Runnable w) {
            }
        };
        Recorder r = new Recorder();
        polls.poll("s1", () -> feed, null, r);
        delivery.execute(waker.get());
        try {
            assertTrue(reading.await(10, TimeUnit.SECONDS), "a wake-up is reading from the stalled database");
            assertEquals("empty", r.get().kind(), "answered when its hold ended, though the read still waits");
            assertEquals(0, slots.held(), "its slot is free");
        } finally {
            databaseBack.countDown();
        }
    }
}
