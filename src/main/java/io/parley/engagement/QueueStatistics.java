package io.parley.engagement;

import io.parley.store.AgentStore;
import io.parley.store.AgentStore.Availability;
import java.time.Clock;

/** What a consumer may learn about a queue before joining it: its length, its agents, its waits. */
public final class QueueStatistics {

    /**
     * A queue's figures.
     *
     * @param expectedWaitSeconds the expected wait of an engagement joining now
     */
    public record Stats(long queueId, int waiting, Availability agents, int expectedWaitSeconds,
                        int averageWaitSeconds, boolean open) {
    }

    private final EngagementService engagements;
    private final AgentStore agentSessions;
    private final Clock clock;

    public QueueStatistics(EngagementService engagements, AgentStore agentSessions, Clock clock) {
        this.engagements = engagements;
        this.agentSessions = agentSessions;
        this.clock = clock;
    }

    public Stats of(Queue queue) {
        int waiting = engagements.waiting(queue.id());
        WaitEstimator est = engagements.estimator(queue);
        return new Stats(queue.id(), waiting, agentSessions.availability(queue.id()), est.expectedWaitSeconds(waiting + 1),
                est.averageWaitSeconds(), queue.hours().isOpen(clock.instant()));
    }

    /** The figures shown to a caller that export compliance denied: the queue shows no availability. */
    public static Stats unavailable(Queue queue) {
        return new Stats(queue.id(), 0, Availability.NONE, 0, 0, false);
    }
}
