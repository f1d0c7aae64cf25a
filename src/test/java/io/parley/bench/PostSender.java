package io.parley.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Posts agent messages through the stand-in agent ({@code /test-support/agent/post}) at a fixed
 * rate, open loop: message {@code i} is due at {@code start + i / rate}, whether or not earlier
 * posts were answered. Messages go round-robin over the sessions, over a pool of keep-alive
 * connections that grows (up to a cap) whenever every connection is busy, so a slow answer does
 * not delay the next send. Runs on the {@link EventLoop} thread.
 */
final class PostSender implements HttpConnection.Listener {

    private record Post(int message, long scheduledNanos, byte[] request) {
    }

    private final EventLoop loop;
    private final InetSocketAddress server;
    private final RawRequests requests;
    private final List<BenchSession> sessions;
    private final DeliveryTracker tracker;
    private final int maxConnections;
    private final long intervalNanos;
    private final int total;
    private final Deque<HttpConnection> idle = new ArrayDeque<>();
    private final Deque<Post> waiting = new ArrayDeque<>();
    private final Map<HttpConnection, Post> inFlight = new HashMap<>();
    private int open;
    private int connecting;
    private int opened;
    private int connectFailures;
    private long startNanos;
    private int next;

    PostSender(EventLoop loop, InetSocketAddress server, RawRequests requests, List<BenchSession> sessions,
               DeliveryTracker tracker, int maxConnections, int ratePerSecond, int total) {
        this.loop = loop;
        this.server = server;
        this.requests = requests;
        this.sessions = sessions;
        this.tracker = tracker;
        this.maxConnections = maxConnections;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        this.total = total;
    }

    /** Opens {@code n} connections ahead of the run. Loop thread only. */
    void warm(int n) {
        for (int i = 0; i < n; i++) {
            openOne();
        }
    }

    /** Starts sending at {@code startNanos}. Loop thread only. */
    void start(long startNanos) {
        this.startNanos = startNanos;
        loop.schedule(startNanos, this::tick);
    }

    int connectionsOpened() {
        return opened;
    }

    int connectFailures() {
        return connectFailures;
    }

    private long due(int message) {
        return startNanos + message * intervalNanos;
    }

    private void tick() {
        long now = System.nanoTime();
        while (next < total && due(next) - now <= 0) {
            BenchSession s = sessions.get(next % sessions.size());
            byte[] request = requests.postJson(Endpoints.AGENT_POST, "{\"engagementId\":" + s.engagementId()
                    + ",\"participantId\":" + s.agentParticipantId() + ",\"body\":\"" + DeliveryTracker.body(next) + "\"}");
            waiting.add(new Post(next, due(next), request));
            next++;
        }
        pump();
        if (next < total) {
            loop.schedule(due(next), this::tick);
        }
    }

    private void pump() {
        while (!waiting.isEmpty()) {
            HttpConnection c = idle.poll();
            if (c == null) {
                for (int want = waiting.size() - connecting; want > 0 && open < maxConnections; want--) {
                    openOne();
                }
                return;
            }
            Post p = waiting.poll();
            long now = System.nanoTime();
            c.send(p.request());
            inFlight.put(c, p);
            tracker.sent(p.message(), p.scheduledNanos(), now);
        }
    }

    private void openOne() {
        open++;
        opened++;
        connecting++;
        HttpConnection.open(loop, server, this);
    }

    @Override
    public void onConnected(HttpConnection c) {
        connecting--;
        idle.add(c);
        pump();
    }

    @Override
    public void onResponse(HttpConnection c, RawResponse r) {
        Post p = inFlight.remove(c);
        if (p != null) {
            tracker.posted(p.message(), r.status(), r.receivedNanos());
        }
        if (c.isIdle()) {
            idle.add(c);
        }
        pump();
    }

    @Override
    public void onClosed(HttpConnection c, IOException cause, boolean requestLost) {
        open--;
        idle.remove(c);
        if (!c.hasConnected()) {
            connecting--;
            connectFailures++;
        }
        Post p = inFlight.remove(c);
        if (p != null && requestLost) {
            // Not sent again: the server may have stored it, and a resend would be a second message.
            tracker.postLost(p.message());
        }
        pump();
    }
}
