package io.parley.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A pool of keep-alive connections that sends requests in the order they were submitted, one per
 * idle connection. When every connection is busy it opens more, up to a cap, so one slow answer
 * does not hold up the requests behind it; beyond the cap requests wait in line. A request in
 * flight on a connection that breaks is reported lost and not sent again: the server may have
 * acted on it, and a resend would be a second message. Runs on the {@link EventLoop} thread.
 */
final class RequestPool implements HttpConnection.Listener {

    /** What happens to one submitted request; called on the loop thread. */
    interface Exchange {
        /** The request is being written now ({@link System#nanoTime()}). */
        void sent(long nanos);

        void answered(RawResponse response);

        /** The connection broke with the request in flight; it will never be answered. */
        void lost();
    }

    private record Pending(byte[] request, Exchange exchange) {
    }

    private final EventLoop loop;
    private final InetSocketAddress server;
    private final int maxConnections;
    private final Deque<HttpConnection> idle = new ArrayDeque<>();
    private final Deque<Pending> waiting = new ArrayDeque<>();
    private final Map<HttpConnection, Pending> inFlight = new HashMap<>();
    private int open;
    private int connecting;
    private int opened;
    private int connectFailures;
    private int mostOpen;

    RequestPool(EventLoop loop, InetSocketAddress server, int maxConnections) {
        this.loop = loop;
        this.server = server;
        this.maxConnections = maxConnections;
    }

    /** Opens {@code n} connections ahead of the load. Loop thread only. */
    void warm(int n) {
        for (int i = 0; i < n && open < maxConnections; i++) {
            openOne();
        }
    }

    /** Sends {@code request} as soon as a connection is free. Loop thread only. */
    void submit(byte[] request, Exchange exchange) {
        waiting.add(new Pending(request, exchange));
        pump();
    }

    /** Connections opened so far (Tomcat closes a keep-alive connection after 100 requests). */
    int connectionsOpened() {
        return opened;
    }

    int connectFailures() {
        return connectFailures;
    }

    /** Requests waiting for a free connection: every connection is busy and the cap is reached. */
    int waiting() {
        return waiting.size();
    }

    /**
     * Drops the requests still waiting for a connection, unwritten and unreported (their exchanges
     * hear nothing), and returns how many. Loop thread only.
     */
    int withdrawWaiting() {
        int n = waiting.size();
        waiting.clear();
        return n;
    }

    /** The most connections open at once. */
    int mostOpen() {
        return mostOpen;
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
            Pending p = waiting.poll();
            // In flight before the write: a write that fails at once reports the request lost.
            inFlight.put(c, p);
            p.exchange().sent(System.nanoTime());
            c.send(p.request());
        }
    }

    private void openOne() {
        open++;
        opened++;
        connecting++;
        mostOpen = Math.max(mostOpen, open);
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
        Pending p = inFlight.remove(c);
        if (p != null) {
            p.exchange().answered(r);
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
        Pending p = inFlight.remove(c);
        if (p != null) {
            p.exchange().lost();
        }
        pump();
    }
}
