package io.parley.engagement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A queue's figures are a snapshot: callers in a flood share one database read, and a change this
 * node signals is seen by the very next caller.
 */
class QueueStatisticsTest {

    private final Fixture f = new Fixture(EngagementSignals.NONE);
    private final AtomicLong nanos = new AtomicLong();
    private final QueueStatistics statistics = new QueueStatistics(f.waits, f.agentSessions, f.clock, nanos::get);

    private Queue general() {
        return f.queues.byId(1).orElseThrow();
    }

    @Test
    void callersShareOneSnapshotUntilAChangeIsSignalled() {
        assertEquals(0, statistics.of(general()).waiting());
        f.admit();
        // Nobody told the statistics: the snapshot (at most a second old) still stands.
        assertEquals(0, statistics.of(general()).waiting());

        statistics.changed();
        assertEquals(1, statistics.of(general()).waiting(), "read afresh after the change was signalled");
        f.admit();
        statistics.changed();
        assertEquals(2, statistics.of(general()).waiting());
    }

    @Test
    void aSnapshotIsReadAgainOnceItIsASecondOld() {
        assertEquals(0, statistics.of(general()).waiting());
        f.admit();
        nanos.addAndGet(QueueStatistics.MAX_AGE.toNanos() - 1);
        assertEquals(0, statistics.of(general()).waiting(), "not yet a second old");
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertEquals(1, statistics.of(general()).waiting(), "other nodes' changes show within a second");
    }
}
