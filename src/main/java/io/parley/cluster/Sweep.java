package io.parley.cluster;

import io.parley.continuation.EventBus;
import io.parley.store.LastSeqs;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The safety net under the notifications: every few seconds, the last sequence number of each
 * engagement and agent session this node's polls wait on is read, and the polls of those that
 * changed since the last look are woken. So a lost notification delays a message by at most one
 * sweep, never loses it. (Queue changes and routing need no sweep: the waiting room retries and
 * the dispatcher runs on their own clocks.)
 */
public final class Sweep implements Runnable {

    private final EventBus local;
    private final LastSeqs lastSeqs;
    private final Map<Long, Long> engagementSeqs = new HashMap<>();
    private final Map<String, Long> agentSeqs = new HashMap<>();

    public Sweep(EventBus local, LastSeqs lastSeqs) {
        this.local = local;
        this.lastSeqs = lastSeqs;
    }

    @Override
    public synchronized void run() {
        Set<Long> engagements = local.subscribedEngagementIds();
        for (Long id : changed(engagementSeqs, engagements, lastSeqs.engagements(engagements))) {
            local.engagementChanged(id);
        }
        Set<String> agents = local.subscribedAgentIds();
        for (String id : changed(agentSeqs, agents, lastSeqs.agentSessions(agents))) {
            local.agentChanged(id);
        }
    }

    /** The ids whose sequence moved since the last sweep (or that are new to it); remembers the current ones. */
    static <K> Set<K> changed(Map<K, Long> known, Set<K> watched, Map<K, Long> current) {
        Set<K> moved = new java.util.HashSet<>();
        for (Map.Entry<K, Long> e : current.entrySet()) {
            Long before = known.put(e.getKey(), e.getValue());
            if (before == null || before < e.getValue()) {
                moved.add(e.getKey());
            }
        }
        known.keySet().retainAll(watched);
        return moved;
    }
}
