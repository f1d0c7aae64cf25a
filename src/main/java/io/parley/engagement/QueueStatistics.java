package io.parley.engagement;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.parley.store.AgentStore;
import io.parley.store.AgentStore.Availability;
import java.time.Clock;
import java.time.Duration;

/**
 * What a consumer may learn about a queue before joining it: its length, its agents, its waits.
 *
 * <p>Anyone may ask, as often as they like (getQueueStats needs no session), so each queue's figures
 * are a snapshot: read from the database at most once per {@link #MAX_AGE} on this node, and read
 * afresh as soon as this node changes a queue (an arrival, a departure, an agent's availability).
 * Changes made on other nodes show within {@link #MAX_AGE}.
 */
public final class QueueStatistics {

    /** How old a queue's figures may be when they are served. */
    public static final Duration MAX_AGE = Duration.ofSeconds(1);

    /**
     * A queue's figures.
     *
     * @param expectedWaitSeconds the expected wait of an engagement joining now
     */
    public record Stats(long queueId, int waiting, Availability agents, int expectedWaitSeconds,
                        int averageWaitSeconds, boolean open) {
    }

    /** The figures that come from the database (whether the queue is open depends on the clock only). */
    private record Figures(int waiting, Availability agents, int expectedWaitSeconds, int averageWaitSeconds) {
    }

    private final WaitInformation waits;
    private final AgentStore agentSessions;
    private final Clock clock;
    private final Cache<Long, Figures> snapshots;

    public QueueStatistics(WaitInformation waits, AgentStore agentSessions, Clock clock) {
        this(waits, agentSessions, clock, Ticker.systemTicker());
    }

    /** @param ticker what measures a snapshot's age (tests move it by hand) */
    QueueStatistics(WaitInformation waits, AgentStore agentSessions, Clock clock, Ticker ticker) {
        this.waits = waits;
        this.agentSessions = agentSessions;
        this.clock = clock;
        this.snapshots = Caffeine.newBuilder().expireAfterWrite(MAX_AGE).ticker(ticker).build();
    }

    public Stats of(Queue queue) {
        // Concurrent callers of one queue wait for one read rather than each making their own.
        Figures f = snapshots.get(queue.id(), id -> read(queue));
        return new Stats(queue.id(), f.waiting(), f.agents(), f.expectedWaitSeconds(), f.averageWaitSeconds(),
                queue.hours().isOpen(clock.instant()));
    }

    private Figures read(Queue queue) {
        int waiting = waits.waiting(queue.id());
        WaitEstimator est = waits.estimator(queue);
        return new Figures(waiting, agentSessions.availability(queue.id()), est.expectedWaitSeconds(waiting + 1),
                est.averageWaitSeconds());
    }

    /**
     * Queues changed here (someone arrived or left, an agent's availability changed): their next
     * caller reads afresh. The signal does not say which queues an agent serves, so all go.
     */
    public void changed() {
        snapshots.invalidateAll();
    }

    /** The figures shown to a caller that export compliance denied: the queue shows no availability. */
    public static Stats unavailable(Queue queue) {
        return new Stats(queue.id(), 0, Availability.NONE, 0, 0, false);
    }
}
