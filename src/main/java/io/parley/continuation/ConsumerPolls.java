package io.parley.continuation;

import io.parley.engagement.EngagementService;
import io.parley.engagement.Event;
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

/**
 * The consumer's long polls ({@code getMessages}), one channel per consumer session.
 *
 * <p>A poll answers at once when events are pending; otherwise it is parked (holding no thread)
 * until an event arrives, the hold ends (an empty batch), the same session polls again (the
 * older poll is answered empty at once), or the client goes away. Every path races through the
 * poll's {@link Gate}; events are taken off the session's cursor only by the path that wins, so a
 * message arriving as the hold ends is delivered exactly once — now or by the next poll.
 *
 * <p>Without a client cursor the session's cursor lives here and in the database (at-most-once
 * delivery, as in Oracle's contract); with {@code lastSequenceNumber} the client names where to
 * resume, and everything after it is delivered again.
 */
public final class ConsumerPolls {

    private static final System.Logger LOG = System.getLogger(ConsumerPolls.class.getName());

    /** How a poll is answered; implemented at the API edge. Each poll is answered once. */
    public interface Reply {
        void deliver(List<Event> events);

        void empty();

        void overloaded(Duration retryAfter);

        void failed(RuntimeException e);
    }

    /** A poll in progress, for the API edge to cancel when the client disconnects. */
    public interface Handle {
        void cancel();
    }

    private final EngagementService engagements;
    private final EventBus bus;
    private final HeldSlots slots;
    private final ScheduledExecutorService timer;
    private final Executor executor;
    private final HoldSettings settings;
    private final Clock clock;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    public ConsumerPolls(EngagementService engagements, EventBus bus, HeldSlots slots, ScheduledExecutorService timer,
                         Executor executor, HoldSettings settings, Clock clock) {
        this.engagements = engagements;
        this.bus = bus;
        this.slots = slots;
        this.timer = timer;
        this.executor = executor;
        this.settings = settings;
        this.clock = clock;
    }

    /** One consumer session's polling state: its cursor and the poll it holds, if any. */
    private static final class Channel {
        final long engagementId;
        final long participantId;
        long cursor = -1;
        Poll current;
        Instant lastUsed;
        boolean retired;

        Channel(long engagementId, long participantId, Instant now) {
            this.engagementId = engagementId;
            this.participantId = participantId;
            this.lastUsed = now;
        }
    }

    private final class Poll implements Runnable, Handle {
        final Channel channel;
        final Long clientCursor;
        final Reply reply;
        final Gate gate = new Gate();
        final AtomicBoolean slot = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;

        Poll(Channel channel, Long clientCursor, Reply reply) {
            this.channel = channel;
            this.clientCursor = clientCursor;
            this.reply = reply;
        }

        /** A wake-up from the event bus. */
        @Override
        public void run() {
            try {
                deliver(this);
            } catch (RuntimeException e) {
                // The poll stays parked; its hold ends it, and the next poll reads again.
                LOG.log(System.Logger.Level.WARNING, "A woken poll could not read its events: " + e.getMessage(), e);
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
     * Polls for the events of a consumer session.
     *
     * @param clientCursor the client's {@code lastSequenceNumber}, or null to use the session's cursor
     */
    public Handle poll(String sessionId, long engagementId, long participantId, Long clientCursor, Reply reply) {
        Poll poll;
        Poll previous;
        while (true) {
            Channel ch = channels.computeIfAbsent(sessionId, k -> new Channel(engagementId, participantId, clock.instant()));
            synchronized (ch) {
                if (ch.retired) {
                    continue;
                }
                if (ch.cursor < 0) {
                    ch.cursor = engagements.deliveredSeq(engagementId, participantId);
                }
                poll = new Poll(ch, clientCursor, reply);
                previous = ch.current;
                ch.current = poll;
                ch.lastUsed = clock.instant();
                break;
            }
        }
        if (previous != null && previous.gate.close()) {
            // A newer poll of the same session replaces the older one, which is answered empty at once.
            finish(previous);
            executor.execute(previous.reply::empty);
        }
        // Subscribe before reading: an event committed after the read still wakes this poll.
        bus.subscribeEngagement(engagementId, poll);
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
        poll.timeout = timer.schedule(() -> expire(parked), settings.pollHold().toMillis(), TimeUnit.MILLISECONDS);
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
        Channel ch = p.channel;
        EngagementService.Batch batch;
        synchronized (ch) {
            if (!p.gate.isOpen()) {
                return true;
            }
            long from = p.clientCursor != null ? p.clientCursor : ch.cursor;
            batch = engagements.eventsForEndUser(ch.engagementId, ch.participantId, from);
            if (batch.events().isEmpty()) {
                if (p.clientCursor == null && batch.readUpTo() > ch.cursor) {
                    advance(ch, batch.readUpTo());
                }
                return false;
            }
            if (!p.gate.close()) {
                return true;
            }
            if (batch.readUpTo() > ch.cursor) {
                advance(ch, batch.readUpTo());
            }
        }
        finish(p);
        p.reply.deliver(batch.events());
        return true;
    }

    private void advance(Channel ch, long seq) {
        ch.cursor = seq;
        engagements.delivered(ch.participantId, seq);
    }

    private void expire(Poll p) {
        if (p.gate.close()) {
            finish(p);
            executor.execute(p.reply::empty);
        }
    }

    /** After the gate closed: unsubscribe, stop the timer, free the slot, let the channel go idle. */
    private void finish(Poll p) {
        bus.unsubscribeEngagement(p.channel.engagementId, p);
        ScheduledFuture<?> t = p.timeout;
        if (t != null) {
            t.cancel(false);
        }
        releaseSlot(p);
        synchronized (p.channel) {
            if (p.channel.current == p) {
                p.channel.current = null;
            }
            p.channel.lastUsed = clock.instant();
        }
    }

    private void releaseSlot(Poll p) {
        if (p.slot.compareAndSet(true, false)) {
            slots.release();
        }
    }

    /** Forgets sessions that have not polled for a while (their cursor stays in the database). */
    public int evictIdle(Duration idle) {
        Instant cutoff = clock.instant().minus(idle);
        int n = 0;
        for (Map.Entry<String, Channel> e : channels.entrySet()) {
            Channel ch = e.getValue();
            synchronized (ch) {
                if (ch.current == null && ch.lastUsed.isBefore(cutoff)) {
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
        for (Channel ch : channels.values()) {
            Poll p;
            synchronized (ch) {
                p = ch.current;
            }
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
