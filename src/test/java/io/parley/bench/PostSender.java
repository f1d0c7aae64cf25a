package io.parley.bench;

import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Sends numbered messages at a fixed rate, open loop: message {@code i} is due at
 * {@code start + i / rate}, whether or not earlier posts were answered. The posts go through a
 * {@link RequestPool}, which opens more connections (up to its cap) whenever every connection is
 * busy, so a slow answer does not delay the next send. Runs on the {@link EventLoop} thread.
 */
final class PostSender {

    /** Follows each message's post; called on the loop thread. */
    interface Tracker {
        void sent(int message, long scheduledNanos, long sentNanos);

        void posted(int message, int status, long answeredNanos);

        /** The post was in flight when its connection broke. */
        void postLost(int message);
    }

    private final EventLoop loop;
    private final RequestPool pool;
    private final IntFunction<byte[]> requestFor;
    private final Tracker tracker;
    private final long intervalNanos;
    private final int total;
    private final Statuses statuses = new Statuses();
    private long startNanos;
    private int next;
    private boolean stopped;

    /**
     * @param requestFor the bytes of message {@code i}'s post
     */
    PostSender(EventLoop loop, RequestPool pool, IntFunction<byte[]> requestFor, Tracker tracker, int ratePerSecond,
               int total) {
        this.loop = loop;
        this.pool = pool;
        this.requestFor = requestFor;
        this.tracker = tracker;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        this.total = total;
    }

    /** Starts sending at {@code startNanos}. Loop thread only. */
    void start(long startNanos) {
        this.startNanos = startNanos;
        loop.schedule(startNanos, this::tick);
    }

    /**
     * Sends nothing more: the messages not yet handed to the pool are dropped, and so are those still
     * waiting there for a connection. Returns how many were dropped. Loop thread only.
     */
    int stop() {
        stopped = true;
        return total - next + pool.withdrawWaiting();
    }

    /** The posts' answers by status, with the first errors. Loop thread only. */
    Statuses statuses() {
        return statuses;
    }

    private long due(int message) {
        return startNanos + message * intervalNanos;
    }

    private void tick() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        while (next < total && due(next) - now <= 0) {
            send(next, due(next));
            next++;
        }
        if (next < total) {
            loop.schedule(due(next), this::tick);
        }
    }

    private void send(int message, long scheduled) {
        pool.submit(requestFor.apply(message), new RequestPool.Exchange() {
            @Override
            public void sent(long nanos) {
                tracker.sent(message, scheduled, nanos);
            }

            @Override
            public void answered(RawResponse r) {
                statuses.answered(r);
                tracker.posted(message, r.status(), r.receivedNanos());
            }

            @Override
            public void lost() {
                statuses.lost();
                tracker.postLost(message);
            }
        });
    }
}
