package io.parley.continuation;

import io.parley.engagement.Admission;
import io.parley.engagement.EngagementException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Held {@code requestEngagement} calls waiting for a place in a full queue, first come first
 * served. When the queue's membership changes (and every few seconds, for changes made elsewhere)
 * the room tries to admit its waiters in order. A waiter that no place reached within the
 * admission hold is answered 408; one that routing now refuses, 409.
 *
 * <p>The hold ends on time whatever the database is doing: admission attempts read and write it
 * under the room's lock, so the hold timer never waits for that lock, and the 408 is written by
 * threads that never touch the database.
 */
public final class WaitingRoom {

    private static final System.Logger LOG = System.getLogger(WaitingRoom.class.getName());

    /** How a held admission is answered; implemented at the API edge. Each is answered once. */
    public interface Reply {
        void admitted(Admission.Admitted admitted);

        void timedOut();

        void refused(EngagementException e);

        void overloaded(Duration retryAfter);

        void failed(RuntimeException e);
    }

    private static final int OPEN = 0;
    private static final int ATTEMPTING = 1;
    private static final int DONE = 2;

    private final EventBus bus;
    private final HeldSlots slots;
    private final ScheduledExecutorService holdTimer;
    private final Executor answers;
    private final Executor attempts;
    private final HoldSettings settings;
    private final Map<Long, Room> rooms = new ConcurrentHashMap<>();

    /**
     * @param holdTimer ends holds; it must run nothing that waits for the database
     * @param answers   answers ended holds (408, 503); none of its threads may wait for the database
     * @param attempts  tries admissions again when a queue changes (these read and write the database)
     */
    public WaitingRoom(EventBus bus, HeldSlots slots, ScheduledExecutorService holdTimer, Executor answers,
                       Executor attempts, HoldSettings settings) {
        this.bus = bus;
        this.slots = slots;
        this.holdTimer = holdTimer;
        this.answers = answers;
        this.attempts = attempts;
        this.settings = settings;
    }

    /**
     * One held admission. Its state moves OPEN → ATTEMPTING (while an admission is tried) → back to
     * OPEN (still full) or DONE; the timeout ends only an OPEN waiter, or flags an ATTEMPTING one
     * so that the attempt, if it fails, answers 408 itself. So a waiter whose engagement was
     * created is never answered 408.
     */
    private static final class Waiter {
        final Supplier<Admission> attempt;
        final Reply reply;
        final AtomicInteger state = new AtomicInteger(OPEN);
        final AtomicBoolean holdsSlot = new AtomicBoolean(true);
        volatile boolean expired;
        volatile ScheduledFuture<?> timeout;

        Waiter(Supplier<Admission> attempt, Reply reply) {
            this.attempt = attempt;
            this.reply = reply;
        }
    }

    private final class Room implements Runnable {
        final long queueId;
        /** Guards {@code waiters}; held by admission attempts, which call the database. */
        final ReentrantLock lock = new ReentrantLock();
        final Deque<Waiter> waiters = new ArrayDeque<>();

        Room(long queueId) {
            this.queueId = queueId;
        }

        /** A wake-up: the queue changed. */
        @Override
        public void run() {
            drain(this);
        }
    }

    /** Holds an admission for {@code queueId} until {@code attempt} admits it, routing refuses it, or the hold ends. */
    public void hold(long queueId, Supplier<Admission> attempt, Reply reply) {
        if (!slots.tryAcquire()) {
            reply.overloaded(settings.retryAfter());
            return;
        }
        Waiter w = new Waiter(attempt, reply);
        Room room = rooms.computeIfAbsent(queueId, Room::new);
        room.lock.lock();
        try {
            if (room.waiters.isEmpty()) {
                bus.subscribeQueue(queueId, room);
            }
            room.waiters.addLast(w);
        } finally {
            room.lock.unlock();
        }
        w.timeout = holdTimer.schedule(() -> expire(room, w), settings.admissionHold().toMillis(),
                TimeUnit.MILLISECONDS);
        // A place may have freed between the first attempt and joining the room.
        attempts.execute(room);
    }

    /** Tries every room again: covers changes no signal announced (another node, a raised capacity). */
    public void retryAll() {
        rooms.values().forEach(attempts::execute);
    }

    /** How many admissions are held. */
    public int held() {
        return rooms.values().stream().mapToInt(r -> {
            r.lock.lock();
            try {
                return (int) r.waiters.stream().filter(w -> w.holdsSlot.get()).count();
            } finally {
                r.lock.unlock();
            }
        }).sum();
    }

    private void drain(Room room) {
        List<Runnable> answers = new ArrayList<>();
        room.lock.lock();
        try {
            while (!room.waiters.isEmpty()) {
                Waiter w = room.waiters.peekFirst();
                if (!w.state.compareAndSet(OPEN, ATTEMPTING)) {
                    finishDone(room, w);
                    continue;
                }
                Admission result;
                try {
                    result = w.attempt.get();
                } catch (EngagementException e) {
                    finish(room, w);
                    answers.add(() -> w.reply.refused(e));
                    continue;
                } catch (RuntimeException e) {
                    finish(room, w);
                    answers.add(() -> w.reply.failed(e));
                    continue;
                }
                if (result instanceof Admission.Admitted admitted) {
                    finish(room, w);
                    answers.add(() -> w.reply.admitted(admitted));
                    continue;
                }
                // Still full: this waiter and everyone behind it keep waiting.
                w.state.set(OPEN);
                if (w.expired && w.state.compareAndSet(OPEN, DONE)) {
                    finishDone(room, w);
                    answers.add(w.reply::timedOut);
                    continue;
                }
                break;
            }
        } finally {
            room.lock.unlock();
        }
        answers.forEach(Runnable::run);
    }

    private void expire(Room room, Waiter w) {
        if (!w.state.compareAndSet(OPEN, DONE)) {
            w.expired = true;
            // The attempt may have gone back to OPEN between the two looks; if not, it answers 408 itself.
            if (!w.state.compareAndSet(OPEN, DONE)) {
                return;
            }
        }
        // An attempt may hold the room's lock while it waits for the database: then the waiter stays
        // in the deque, DONE, and the next drain (at the latest the periodic retry) removes it.
        if (room.lock.tryLock()) {
            try {
                finishDone(room, w);
            } finally {
                room.lock.unlock();
            }
        } else {
            releaseSlot(w);
        }
        answers.execute(w.reply::timedOut);
    }

    private void finish(Room room, Waiter w) {
        w.state.set(DONE);
        finishDone(room, w);
    }

    /** Removes a DONE waiter: its slot, its timer, and the room's subscription when it empties. */
    private void finishDone(Room room, Waiter w) {
        room.waiters.remove(w);
        releaseSlot(w);
        ScheduledFuture<?> t = w.timeout;
        if (t != null) {
            t.cancel(false);
        }
        if (room.waiters.isEmpty()) {
            bus.unsubscribeQueue(room.queueId, room);
        }
    }

    private void releaseSlot(Waiter w) {
        if (w.holdsSlot.compareAndSet(true, false)) {
            slots.release();
        }
    }

    /** Answers every held admission 503: Parley is stopping; clients retry. */
    public void shutdown() {
        for (Room room : rooms.values()) {
            List<Waiter> ended = new ArrayList<>();
            room.lock.lock();
            try {
                for (Waiter w : new ArrayList<>(room.waiters)) {
                    if (w.state.compareAndSet(OPEN, DONE)) {
                        finishDone(room, w);
                        ended.add(w);
                    }
                }
            } finally {
                room.lock.unlock();
            }
            for (Waiter w : ended) {
                try {
                    w.reply.overloaded(settings.retryAfter());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "A held admission could not be answered at shutdown", e);
                }
            }
        }
    }
}
