package io.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One session that long-polls {@code getMessages} over its own raw socket, for ever: it sends a
 * poll, and as soon as the poll is answered (messages, or empty when the hold ends) it polls
 * again, as a chat widget or an agent desktop does. A connection the server closes is opened
 * again. A consumer session polls the consumer API; an {@link AgentBot} gives its own request
 * (with its cursor) and reads the agent API's answers. Runs on the {@link EventLoop} thread.
 */
final class Poller implements HttpConnection.Listener {

    /** Receives the body of every chat message that a poll answer carries. */
    @FunctionalInterface
    interface MessageSink {
        void message(String body, long receivedNanos);
    }

    /** Receives every consumer system message that a poll answer carries, whatever its {@code messageName}. */
    @FunctionalInterface
    interface SystemMessageSink {
        void message(String messageName, JsonNode message, long receivedNanos);
    }

    /** Reads a 200 answer; returns how many messages it carried (0 for an empty poll). */
    @FunctionalInterface
    interface AnswerReader {
        int read(RawResponse answer) throws IOException;
    }

    static final String MESSAGE_POSTED = "RNEngagementMessagePostedMessage";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RECONNECT_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EventLoop loop;
    private final InetSocketAddress server;
    private final Supplier<byte[]> request;
    private final PollStats stats;
    private final AnswerReader reader;
    private HttpConnection connection;
    private boolean outstanding;
    private boolean stopped;

    /** A poller of a demo-site consumer session that hears the chat messages only. */
    Poller(EventLoop loop, InetSocketAddress server, RawRequests requests, BenchSession session, PollStats stats,
           MessageSink sink) {
        this(loop, server, requests, Endpoints.DEMO, session, stats, (name, m, at) -> {
            if (MESSAGE_POSTED.equals(name)) {
                sink.message(m.path("body").asText(), at);
            }
        });
    }

    /** A poller of a consumer session of {@code site} that hears every system message. */
    Poller(EventLoop loop, InetSocketAddress server, RawRequests requests, Endpoints.Site site, BenchSession session,
           PollStats stats, SystemMessageSink sink) {
        this(loop, server, constant(requests.postJson(site.consumer("getMessages"), "{}", "SessionId",
                session.sessionId())), stats, r -> consumerMessages(r, sink));
    }

    /** A poller that sends {@code request}'s bytes for every poll and hands every 200 answer to {@code reader}. */
    Poller(EventLoop loop, InetSocketAddress server, Supplier<byte[]> request, PollStats stats, AnswerReader reader) {
        this.loop = loop;
        this.server = server;
        this.request = request;
        this.stats = stats;
        this.reader = reader;
    }

    private static Supplier<byte[]> constant(byte[] bytes) {
        return () -> bytes;
    }

    /** Connects and starts polling. Loop thread only. */
    void start() {
        connection = HttpConnection.open(loop, server, this);
    }

    /** Stops polling and closes the socket (the server sees the client go away). Loop thread only. */
    void stop() {
        stopped = true;
        if (connection != null && !connection.isClosed()) {
            if (connection.hasConnected()) {
                stats.connected.decrementAndGet();
            }
            connection.close();
        }
        settleOutstanding();
    }

    @Override
    public void onConnected(HttpConnection c) {
        connection = c;
        stats.connected.incrementAndGet();
        poll();
    }

    private void poll() {
        if (stopped || !connection.isIdle()) {
            return;
        }
        outstanding = true;
        stats.outstanding.incrementAndGet();
        stats.sent.incrementAndGet();
        connection.send(request.get());
    }

    @Override
    public void onResponse(HttpConnection c, RawResponse r) {
        settleOutstanding();
        stats.status(r.status());
        if (r.status() == 200) {
            int messages = deliverMessages(r);
            (messages > 0 ? stats.answeredWithMessages : stats.answeredEmpty).incrementAndGet();
            poll();
        } else if (r.status() == 503) {
            stats.refused503.incrementAndGet();
            stats.sample("503 Retry-After " + r.header("retry-after") + ": " + r.bodyText());
            retryLater(retryAfterNanos(r));
        } else {
            stats.otherStatus.incrementAndGet();
            stats.sample(r.status() + ": " + r.bodyText());
            // A session the server no longer knows (403) cannot poll again; others retry as a widget would.
            if (r.status() == 403 || r.status() == 404) {
                stop();
            } else {
                retryLater(RECONNECT_DELAY_NANOS);
            }
        }
    }

    @Override
    public void onClosed(HttpConnection c, IOException cause, boolean requestLost) {
        settleOutstanding();
        if (!c.hasConnected()) {
            stats.connectFailures.incrementAndGet();
            stats.sample("connect: " + cause);
        } else {
            stats.connected.decrementAndGet();
            if (cause != null || requestLost) {
                stats.connectionsBroken.incrementAndGet();
                stats.sample("connection lost" + (requestLost ? " with a poll in flight" : "") + ": " + cause);
            } else {
                stats.closedByServer.incrementAndGet();
            }
        }
        // One connection per poller at a time: whichever closed, the poller needs a new one.
        if (c.hasConnected() && cause == null && !requestLost) {
            if (!stopped) {
                start();
            }
        } else {
            retryLater(RECONNECT_DELAY_NANOS);
        }
    }

    private void retryLater(long delayNanos) {
        if (stopped) {
            return;
        }
        loop.schedule(System.nanoTime() + delayNanos, () -> {
            if (stopped) {
                return;
            }
            if (connection == null || connection.isClosed()) {
                start();
            } else {
                poll();
            }
        });
    }

    private void settleOutstanding() {
        if (outstanding) {
            outstanding = false;
            stats.outstanding.decrementAndGet();
        }
    }

    private int deliverMessages(RawResponse r) {
        try {
            return reader.read(r);
        } catch (IOException | RuntimeException e) {
            stats.sample("unreadable poll answer: " + e.getMessage());
            return 0;
        }
    }

    private static int consumerMessages(RawResponse r, SystemMessageSink sink) throws IOException {
        int n = 0;
        for (JsonNode m : JSON.readTree(r.body()).path("systemMessages")) {
            n++;
            sink.message(m.path("messageName").asText(), m, r.receivedNanos());
        }
        return n;
    }

    private static long retryAfterNanos(RawResponse r) {
        try {
            return TimeUnit.SECONDS.toNanos(Long.parseLong(r.header("retry-after")));
        } catch (NumberFormatException | NullPointerException e) {
            return RECONNECT_DELAY_NANOS;
        }
    }
}
