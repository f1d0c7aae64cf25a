package io.parley.cluster;

import io.parley.continuation.EventBus;
import io.parley.engagement.EngagementSignals;
import io.parley.store.Notifications;
import io.parley.store.StoreException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Wake-ups across the nodes that share one PostgreSQL. A signal wakes this node's own requests
 * at once and is also sent to the other nodes as a NOTIFY on one channel; every node listens
 * there and wakes its own requests for the others' signals.
 *
 * <p>A notification carries only ids (whoever wakes reads the database), so one lost, late or
 * doubled costs time, never a message. Notifications go out in batches from one sender thread:
 * a burst of posts costs a few statements, not one per post. The listener reconnects after a
 * drop, and {@link Sweep} finds what any lost notification would have said.
 *
 * <p>Payload: the sending node's id, then tokens separated by spaces: {@code e<engagement id>},
 * {@code q<queue id>}, {@code a<agent session id>}, {@code r} (routing needed), {@code s<session id>}
 * (a consumer or agent session ended: forget it).
 */
public final class ClusterSignals implements EngagementSignals, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ClusterSignals.class.getName());
    /** Signals waiting to be sent; when the database is slow or down, the overflow is dropped (the sweep covers it). */
    private static final int OUTBOX_LIMIT = 100_000;
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final EventBus local;
    private final Notifications notifications;
    private final Runnable onReconnected;
    private final Consumer<String> onSessionEnded;
    private final String nodeId;
    private final BlockingQueue<String> outbox = new LinkedBlockingQueue<>(OUTBOX_LIMIT);
    private final Thread sender;
    private final Thread listener;
    private volatile boolean running = true;

    private ClusterSignals(EventBus local, Notifications notifications, Runnable onReconnected,
                           Consumer<String> onSessionEnded) {
        this.local = local;
        this.notifications = notifications;
        this.onReconnected = onReconnected;
        this.onSessionEnded = onSessionEnded;
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        this.nodeId = HexFormat.of().formatHex(id);
        this.sender = new Thread(this::sendLoop, "parley-notify-send");
        this.listener = new Thread(this::listenLoop, "parley-notify-listen");
        sender.setDaemon(true);
        listener.setDaemon(true);
    }

    /**
     * Starts sending and, when {@code listen}, listening.
     *
     * @param listen        false where LISTEN cannot work (a pooler in transaction mode between Parley and
     *                      PostgreSQL): this node then finds the others' changes by its sweep alone
     * @param onReconnected runs each time the listener is back after a drop: what it missed must be looked for
     * @param onSessionEnded told of the sessions that ended on another node
     */
    public static ClusterSignals start(EventBus local, Notifications notifications, boolean listen,
                                       Runnable onReconnected, Consumer<String> onSessionEnded) {
        ClusterSignals s = new ClusterSignals(local, notifications, onReconnected, onSessionEnded);
        s.sender.start();
        if (listen) {
            s.listener.start();
        }
        LOG.log(System.Logger.Level.INFO, listen ? "Cluster wake-ups on: node {0} notifies and listens"
                : "Cluster wake-ups on: node {0} notifies; it does not listen and relies on its sweep", s.nodeId);
        return s;
    }

    /** Signals that neither send nor listen: for tests of what a received notification does. */
    static ClusterSignals forTest(EventBus local, Consumer<String> onSessionEnded) {
        return new ClusterSignals(local, null, () -> { }, onSessionEnded);
    }

    public String nodeId() {
        return nodeId;
    }

    @Override
    public void engagementChanged(long engagementId) {
        local.engagementChanged(engagementId);
        send("e" + engagementId);
    }

    @Override
    public void queueChanged(long queueId) {
        local.queueChanged(queueId);
        send("q" + queueId);
    }

    @Override
    public void agentChanged(String agentSessionId) {
        local.agentChanged(agentSessionId);
        send("a" + agentSessionId);
    }

    @Override
    public void routingNeeded() {
        local.routingNeeded();
        send("r");
    }

    @Override
    public void sessionEnded(String sessionId) {
        send("s" + sessionId);
    }

    private void send(String token) {
        outbox.offer(token);
    }

    private void sendLoop() {
        while (running) {
            try {
                String first = outbox.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                Set<String> batch = new LinkedHashSet<>();
                batch.add(first);
                List<String> more = new ArrayList<>();
                outbox.drainTo(more);
                batch.addAll(more);
                notifications.publish(payloads(nodeId, batch));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (StoreException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not notify the other nodes (they will find the changes"
                        + " by their sweep): {0}", e.getMessage());
                pause();
            }
        }
    }

    /** The tokens as payloads of at most {@link Notifications#MAX_PAYLOAD} characters, each led by the node id. */
    static List<String> payloads(String nodeId, Set<String> tokens) {
        List<String> payloads = new ArrayList<>();
        StringBuilder p = new StringBuilder(nodeId);
        for (String t : tokens) {
            if (p.length() + 1 + t.length() > Notifications.MAX_PAYLOAD) {
                payloads.add(p.toString());
                p = new StringBuilder(nodeId);
            }
            p.append(' ').append(t);
        }
        payloads.add(p.toString());
        return payloads;
    }

    private void listenLoop() {
        boolean first = true;
        while (running) {
            try {
                boolean reconnect = !first;
                notifications.listen(() -> running, () -> {
                    if (reconnect) {
                        LOG.log(System.Logger.Level.INFO, "Listening for the other nodes again");
                        onReconnected.run();
                    }
                }, this::received);
            } catch (StoreException e) {
                if (running) {
                    LOG.log(System.Logger.Level.WARNING, "Lost the notifications of the other nodes ({0});"
                            + " listening again in {1}", e.getMessage(), RETRY);
                    pause();
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "A notification could not be handled", e);
                pause();
            }
            first = false;
        }
    }

    /** Wakes this node's requests for another node's signals. */
    void received(String payload) {
        String[] tokens = payload.split(" ");
        if (tokens.length == 0 || tokens[0].equals(nodeId)) {
            return;
        }
        for (int i = 1; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.isEmpty()) {
                continue;
            }
            try {
                switch (t.charAt(0)) {
                    case 'e' -> local.engagementChanged(Long.parseLong(t.substring(1)));
                    case 'q' -> local.queueChanged(Long.parseLong(t.substring(1)));
                    case 'a' -> local.agentChanged(t.substring(1));
                    case 'r' -> local.routingNeeded();
                    case 's' -> onSessionEnded.accept(t.substring(1));
                    default -> LOG.log(System.Logger.Level.DEBUG, "Unknown notification token {0}", t);
                }
            } catch (NumberFormatException e) {
                LOG.log(System.Logger.Level.DEBUG, "Malformed notification token {0}", t);
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sending and listening; what is still in the outbox is dropped (the other nodes' sweeps cover it). */
    @Override
    public void close() {
        running = false;
        sender.interrupt();
        try {
            sender.join(2000);
            if (listener.isAlive()) {
                listener.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
