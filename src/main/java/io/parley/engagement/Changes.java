package io.parley.engagement;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What one transaction touched, to be signalled once it has committed: engagements with new
 * events, agent sessions with new inbox messages, queues whose members changed, and whether routing has
 * new work. Signalling before the commit would wake readers that then find nothing.
 */
final class Changes {

    final Set<Long> engagements = new LinkedHashSet<>();
    final Set<String> agents = new LinkedHashSet<>();
    final Set<Long> changedQueues = new LinkedHashSet<>();
    final Set<String> endedSessions = new LinkedHashSet<>();
    boolean routing;

    void engagement(long id) {
        engagements.add(id);
    }

    void agent(String sessionId) {
        agents.add(sessionId);
    }

    /** The queue's members changed (someone left, or came back ahead): positions moved, a place may have freed. */
    void queueChanged(long queueId) {
        changedQueues.add(queueId);
        routing = true;
    }

    /** The engagement behind this consumer session concluded, or this agent session ended. */
    void sessionEnded(String sessionId) {
        endedSessions.add(sessionId);
    }

    /** Offers may be due: an engagement is waiting, or an agent may have room. */
    void routing() {
        routing = true;
    }
}
