package io.parley.engagement;

import io.parley.store.Tx;
import io.parley.store.UnitOfWork;
import io.parley.store.WaitingLineStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What waiting consumers are told: their place in the queue and the expected wait, from the queue's recent history. */
public final class WaitInformation {

    private static final Duration HISTORY_WINDOW = Duration.ofHours(1);

    private final WaitingLineStore store;
    private final Queues queues;
    private final Journal journal;
    private final UnitOfWork uow;
    private final Clock clock;

    public WaitInformation(WaitingLineStore store, Queues queues, Journal journal, Clock clock) {
        this.store = store;
        this.queues = queues;
        this.journal = journal;
        this.uow = journal.unitOfWork();
        this.clock = clock;
    }

    /** How many engagements wait in the queue now. */
    public int waiting(long queueId) {
        return uow.query(tx -> store.countQueued(tx, queueId));
    }

    /** The wait estimates of a queue from its recent history. */
    public WaitEstimator estimator(Queue queue) {
        return uow.query(tx -> estimator(tx, queue));
    }

    private WaitEstimator estimator(Tx tx, Queue queue) {
        Instant now = clock.instant();
        List<WaitingLineStore.Departure> departures = store.departuresSince(tx, queue.id(), now.minus(HISTORY_WINDOW), 50);
        List<Duration> waits = departures.stream().map(d -> Duration.between(d.queuedAt(), d.acceptedAt())).toList();
        Duration span = departures.isEmpty() ? Duration.ZERO
                : Duration.between(departures.get(departures.size() - 1).acceptedAt(), now);
        return new WaitEstimator(queue.defaultWaitSeconds(), new WaitEstimator.History(waits, span));
    }

    /**
     * Sends a newcomer its wait information. An arrival at the back of the queue moves no one
     * else, and the estimates depend only on departures, so nobody else needs a new message.
     */
    void announceArrival(Tx tx, Queue queue, long engagementId, Changes changes) {
        int position = store.countQueued(tx, queue.id());
        WaitEstimator est = estimator(tx, queue);
        int expected = est.expectedWaitSeconds(position);
        journal.append(tx, engagementId, EventType.WAIT_INFO_CHANGED, null, Visibility.ALL,
                new EventPayload.WaitInfo(position, expected, est.averageWaitSeconds()), clock.instant(), changes);
        store.setWaitInfo(tx, engagementId, position, expected);
    }

    /**
     * Sends new wait information to the waiting consumers of every queue someone left since the
     * last call (run every few hundred milliseconds).
     *
     * @return how many queues were refreshed
     */
    public int refreshStaleQueues() {
        int n = 0;
        for (long queueId : journal.takeStaleQueues()) {
            Optional<Queue> queue = queues.byId(queueId);
            if (queue.isEmpty()) {
                continue;
            }
            journal.write((tx, changes) -> {
                store.lockQueue(tx, queueId);
                refresh(tx, queue.get(), changes);
                return null;
            });
            n++;
        }
        return n;
    }

    /**
     * Sends new wait information to every waiting engagement of the queue whose position or
     * expected wait changed. Runs in a transaction that holds the queue's lock.
     */
    private void refresh(Tx tx, Queue queue, Changes changes) {
        List<WaitingLineStore.QueuedRow> waiting = store.queued(tx, queue.id());
        if (waiting.isEmpty()) {
            return;
        }
        WaitEstimator est = estimator(tx, queue);
        int average = est.averageWaitSeconds();
        Instant now = clock.instant();
        for (int i = 0; i < waiting.size(); i++) {
            WaitingLineStore.QueuedRow row = waiting.get(i);
            int position = i + 1;
            int expected = est.expectedWaitSeconds(position);
            if (Integer.valueOf(position).equals(row.lastPosition()) && Integer.valueOf(expected).equals(row.lastExpectedWait())) {
                continue;
            }
            journal.append(tx, row.id(), EventType.WAIT_INFO_CHANGED, null, Visibility.ALL,
                    new EventPayload.WaitInfo(position, expected, average), now, changes);
            store.setWaitInfo(tx, row.id(), position, expected);
        }
    }
}
