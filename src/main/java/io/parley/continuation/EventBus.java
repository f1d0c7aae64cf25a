package io.parley.continuation;

import io.parley.engagement.EngagementSignals;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * In-process wake-ups: held requests subscribe to an engagement or a queue, and the engagement
 * side's signals wake them on the delivery executor. A wake-up carries no data; the woken
 * request reads the database, so a lost or doubled signal can delay an answer, never corrupt it.
 */
public final class EventBus implements EngagementSignals {

    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());

    private final Map<Long, Set<Runnable>> byEngagement = new ConcurrentHashMap<>();
    private final Map<Long, Set<Runnable>> byQueue = new ConcurrentHashMap<>();
    private final Map<String, Set<Runnable>> byAgent = new ConcurrentHashMap<>();
    private final Executor executor;
    private final AtomicBoolean routingScheduled = new AtomicBoolean();
    private volatile Runnable router = () -> { };
    private volatile Runnable queuesChanged = () -> { };

    public EventBus(Executor executor) {
        this.executor = executor;
    }

    /** What runs when routing is needed: the dispatcher that makes offers. */
    public void onRoutingNeeded(Runnable dispatcher) {
        this.router = dispatcher;
    }

    /**
     * What runs at once, on the signalling thread, whenever routing is needed (a queue's members or its
     * agents' availability changed), before anyone hears of the change: cached figures are dropped.
     */
    public void onQueuesChanged(Runnable listener) {
        this.queuesChanged = listener;
    }

    /** Runs the dispatcher soon on the delivery executor; requests that arrive meanwhile share one run. */
    @Override
    public void routingNeeded() {
        queuesChanged.run();
        if (routingScheduled.compareAndSet(false, true)) {
            executor.execute(() -> {
                routingScheduled.set(false);
                try {
                    router.run();
                } catch (RuntimeException e) {
                    // The periodic dispatch retries; a failed round must not kill the delivery thread.
                    LOG.log(System.Logger.Level.WARNING, "Routing failed: " + e.getMessage(), e);
                }
            });
        }
    }

    /** Runs {@code waker} (on the delivery executor) whenever the engagement changes, until unsubscribed. */
    public void subscribeEngagement(long engagementId, Runnable waker) {
        byEngagement.computeIfAbsent(engagementId, k -> ConcurrentHashMap.newKeySet()).add(waker);
    }

    public void unsubscribeEngagement(long engagementId, Runnable waker) {
        remove(byEngagement, engagementId, waker);
    }

    /** Runs {@code waker} whenever the queue's membership changes, until unsubscribed. */
    public void subscribeQueue(long queueId, Runnable waker) {
        byQueue.computeIfAbsent(queueId, k -> ConcurrentHashMap.newKeySet()).add(waker);
    }

    public void unsubscribeQueue(long queueId, Runnable waker) {
        remove(byQueue, queueId, waker);
    }

    /** Runs {@code waker} whenever the agent session's inbox grows, until unsubscribed. */
    public void subscribeAgent(String agentSessionId, Runnable waker) {
        byAgent.computeIfAbsent(agentSessionId, k -> ConcurrentHashMap.newKeySet()).add(waker);
    }

    public void unsubscribeAgent(String agentSessionId, Runnable waker) {
        remove(byAgent, agentSessionId, waker);
    }

    @Override
    public void agentChanged(String agentSessionId) {
        wake(byAgent.get(agentSessionId));
    }

    @Override
    public void engagementChanged(long engagementId) {
        wake(byEngagement.get(engagementId));
    }

    @Override
    public void queueChanged(long queueId) {
        wake(byQueue.get(queueId));
    }

    /** The engagements some request of this node waits on. */
    public Set<Long> subscribedEngagementIds() {
        return Set.copyOf(byEngagement.keySet());
    }

    /** The agent sessions some request of this node waits on. */
    public Set<String> subscribedAgentIds() {
        return Set.copyOf(byAgent.keySet());
    }

    /** How many engagements and agent sessions have at least one subscriber (for leak checks). */
    public int subscribedEngagements() {
        return byEngagement.size() + byAgent.size();
    }

    private void wake(Set<Runnable> wakers) {
        if (wakers != null) {
            for (Runnable w : wakers) {
                executor.execute(w);
            }
        }
    }

    private static <K> void remove(Map<K, Set<Runnable>> map, K key, Runnable waker) {
        map.computeIfPresent(key, (k, set) -> {
            set.remove(waker);
            return set.isEmpty() ? null : set;
        });
    }
}
