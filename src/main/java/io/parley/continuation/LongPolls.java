package io.parley.continuation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Long polls ({@code getMessages}), one channel per polling session: a consumer session or an
 * agent session, each reading its own {@link Feed}.
 *
 * <p>A poll answers at once when items are pending; otherwise it is parked (holding no thread)
 * until an item arrives, the hold ends (an empty batch), the same session polls again (the
 * older poll is answered empty at once), or the client goes away. Every path races through the
 * poll's {@link Gate}; items are delivered (the session's delivered seq moved) only by the path that wins, so a
 * message arriving as the hold ends is delivered exactly once — now or by the next poll.
 *
 * <p>Without the client's delivered seq the session's own lives here and in the database (at-most-once
 * delivery, as in Oracle's contract); with the client's ({@code lastSequenceNumber}) the
 * client names where to resume, and everything after it is delivered again.
 *
 * <p>A hold ends on time whatever the database is doing: the hold timer and the threads that
 * answer ended holds never read or write the database and never wait for a lock that a database
 * call may hold (a delivery attempt reads under the channel's lock; ending a hold does not take it).
 *
 * @param <T> what a poll delivers
 */
public final class LongPolls<T> {

    private static final System.Logger LOG = System.getLogger(LongPolls.class.getName());

    /** Where a session's items come from, how its delivered seq is kept, and what wakes its polls. */
    public interface Feed<T> {
        /** The items after {@code after} this session may see, and how far the read went. */
        Batch<T> read(long after);

        /** The stored delivered seq, where a poll without the client's starts. */
        long storedDeliveredSeq();

        /** Stores the delivered seq. */
        void delivered(long seq);

        void subscribe(Runnable waker);

        void unsubscribe(Runnable waker);
    }

    /** Items read, and the delivered seq after them (past items the session may not see, too). */
    public record Batch<T>(List<T> items, long deliveredSeq) {
    }

    /** How a poll is answered; implemented at the API edge. Each poll is answered once. */
    public interface Reply<T> {
        void deliver(List<T> items);

        void empty();

        void overloaded(Duration retryAfter);

        void failed(RuntimeException e);
    }

    /** A poll in progress, for the API edge to cancel when the client disconnects. */
    public interface Handle {
        void cancel();
    }

    private final HeldSlots slots;
    private final ScheduledExecutorService holdTimer;
    private final Executor answers;
    private final HoldSettings settings;
    private final Clock clock;
    private final Map<String, Channel<T>> channels = new ConcurrentHashMap<>();
    private final boolean sessionsShared;

    /**
     * @param holdTimer     ends holds; it must run nothing that waits for the database
     * @param answers       answers ended and replaced polls (empty batches); none of its threads may
     *                      wait for the database either, so it is not the executor that delivers
     * @param sessionsShared other nodes serve the same sessions (a cluster without stickiness), so a
     *                      session's stored delivered seq may have moved since this node last saw it
     */
    public LongPolls(HeldSlots slots, ScheduledExecutorService holdTimer, Executor answers, HoldSettings settings,
                     Clock clock, boolean sessionsShared) {
        this.slots = slots;
        this.holdTimer = holdTimer;
        this.answers = answers;
        this.settings = settings;
        this.clock = clock;
        this.sessionsShared = sessionsShared;
    }

    /**
     * One session's polling state: its feed, its delivered seq and the poll it holds, if any. The delivered seq
     * and the feed's reads are guarded by the channel's lock; {@code current} and {@code lastUsed}
     * are not, so that ending a poll never waits behind a read.
     */
    private static final class Channel<T> {
        final Feed<T> feed;
        long deliveredSeq = -1;
        final AtomicReference<LongPolls<T>.Poll> current = new AtomicReference<>();
        volatile Instant lastUsed;
        boolean retired;

        Channel(Feed<T> feed, Instant now) {
            this.feed = feed;
            this.lastUsed = now;
        }
    }

    private final class Poll implements Runnable, Handle {
        final Channel<T> channel;
        final Long clientDeliveredSeq;
        final Reply<T> reply;
        final Gate gate = new Gate();
        final AtomicBoolean slot = new AtomicBoolean();
        /** Wake-ups not yet acted on; while one delivery attempt runs, later ones only ask it to read once more. */
        final AtomicInteger wakes = new AtomicInteger();
        volatile ScheduledFuture<?> timeout;

        Poll(Channel<T> channel, Long clientDeliveredSeq, Reply<T> reply) {
            this.channel = channel;
            this.clientDeliveredSeq = clientDeliveredSeq;
            this.reply = reply;
        }

        /**
         * A wake-up from the event bus. A session in many engagements (a bot) is woken by all of
         * them: rather than line every delivery thread up behind its channel, one reads, and reads
         * once more if wake-ups came while it read.
         */
        @Override
        public void run() {
            if (wakes.getAndIncrement() != 0) {
                return;
            }
            int pending = 1;
            while (true) {
                try {
                    if (deliver(this)) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // The poll stays parked; its hold ends it, and the next poll reads again.
                    LOG.log(System.Logger.Level.WARNING, "A woken poll could not read its events: " + e.getMessage(), e);
                }
                pending = wakes.addAndGet(-pending);
                if (pending == 0) {
                    return;
                }
            }
        }

        /** The client went away: free the slot, answer nobody. */
        @Override
        public void cancel() {
            if (gate.close()) {
                finish(this);
            }
        }
    }

    /**
     * Polls for the items of session {@code sessionId}.
     *
     * @param feed         makes the session's feed the first time the session polls
     * @param clientDeliveredSeq the client's delivered seq ({@code lastSequenceNumber}), or null to use the session's own
     */
    public Handle poll(String sessionId, Supplier<Feed<T>> feed, Long clientDeliveredSeq, Reply<T> reply) {
        Poll poll;
        Poll previous;
        while (true) {
            Channel<T> ch = channels.computeIfAbsent(sessionId, k -> new Channel<>(feed.get(), clock.instant()));
            synchronized (ch) {
                if (ch.retired) {
                    continue;
                }
                if (ch.deliveredSeq < 0) {
                    ch.deliveredSeq = ch.feed.storedDeliveredSeq();
                } else if (sessionsShared && clientDeliveredSeq == null) {
                    // Another node may have delivered since: what it delivered must not come again from here.
                    ch.deliveredSeq = Math.max(ch.deliveredSeq, ch.feed.storedDeliveredSeq());
                }
                poll = new Poll(ch, clientDeliveredSeq, reply);
                previous = ch.current.getAndSet(poll);
                ch.lastUsed = clock.instant();
                break;
            }
        }
        if (previous != null && previous.gate.close()) {
            // A newer poll of the same session replaces the older one, which is answered empty at once.
            finish(previous);
            answers.execute(previous.reply::empty);
        }
        // Subscribe before reading: an item committed after the read still wakes this poll.
        poll.channel.feed.subscribe(poll);
        try {
            if (deliver(poll)) {
                return poll;
            }
        } catch (RuntimeException e) {
            if (poll.gate.close()) {
                finish(poll);
                reply.failed(e);
            }
            return poll;
        }
        if (!slots.tryAcquire()) {
            if (poll.gate.close()) {
                finish(poll);
                reply.overloaded(settings.retryAfter());
            }
            return poll;
        }
        poll.slot.set(true);
        if (!poll.gate.isOpen()) {
            releaseSlot(poll);
            return poll;
        }
        Poll parked = poll;
        poll.timeout = holdTimer.schedule(() -> expire(parked), settings.pollHold().toMillis(), TimeUnit.MILLISECONDS);
        if (!poll.gate.isOpen()) {
            poll.timeout.cancel(false);
        }
        return poll;
    }

    /**
     * Answers the poll if there are events for it.
     *
     * @return true when the poll is answered (by this call or another path)
     */
    private boolean deliver(Poll p) {
        Channel<T> ch = p.channel;
        Batch<T> batch;
        synchronized (ch) {
            if (!p.gate.isOpen()) {
                return true;
            }
            long from = p.clientDeliveredSeq != null ? p.clientDeliveredSeq : ch.deliveredSeq;
            batch = ch.feed.read(from);
            if (batch.items().isEmpty()) {
                if (p.clientDeliveredSeq == null && batch.deliveredSeq() > ch.deliveredSeq) {
                    advance(ch, batch.deliveredSeq());
                }
                return false;
            }
            if (!p.gate.close()) {
                return true;
            }
            if (batch.deliveredSeq() > ch.deliveredSeq) {
                advance(ch, batch.deliveredSeq());
            }
        }
        finish(p);
        p.reply.deliver(batch.items());
        return true;
    }

    private static <T> void advance(Channel<T> ch, long seq) {
        ch.deliveredSeq = seq;
        ch.feed.delivered(seq);
    }

    /** The hold ended: answered empty; the stored delivered seq is left as it is (nothing was delivered). */
    private void expire(Poll p) {
        if (p.gate.close()) {
            finish(p);
            answers.execute(p.reply::empty);
        }
    }

    /**
     * After the gate closed: unsubscribe, stop the timer, free the slot, let the channel go idle.
     * Takes no lock a delivery attempt holds while it reads.
     */
    private void finish(Poll p) {
        p.channel.feed.unsubscribe(p);
        ScheduledFuture<?> t = p.timeout;
        if (t != null) {
            t.cancel(false);
        }
        releaseSlot(p);
        p.channel.current.compareAndSet(p, null);
        p.channel.lastUsed = clock.instant();
    }

    private void releaseSlot(Poll p) {
        if (p.slot.compareAndSet(true, false)) {
            slots.release();
        }
    }

    /** Forgets sessions that have not polled for a while (their delivered seq stays in the database). */
    public int evictIdle(Duration idle) {
        Instant cutoff = clock.instant().minus(idle);
        int n = 0;
        for (Map.Entry<String, Channel<T>> e : channels.entrySet()) {
            Channel<T> ch = e.getValue();
            synchronized (ch) {
                if (ch.current.get() == null && ch.lastUsed.isBefore(cutoff)) {
                    ch.retired = true;
                    channels.remove(e.getKey(), ch);
                    n++;
                }
            }
        }
        return n;
    }

    /** How many sessions have polling state here (for leak checks and metrics). */
    public int channels() {
        return channels.size();
    }

    /** Answers every held poll empty: Parley is stopping, and clients simply poll again. */
    public void shutdown() {
        for (Channel<T> ch : channels.values()) {
            Poll p = ch.current.get();
            if (p != null && p.gate.close()) {
                finish(p);
                try {
                    p.reply.empty();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "A held poll could not be answered at shutdown", e);
                }
            }
        }
    }
}
