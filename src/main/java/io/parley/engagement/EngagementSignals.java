package io.parley.engagement;

/**
 * Wake-up signals the engagement side raises after a transaction commits: new events in an
 * engagement, or a change in a queue's membership (a place may have freed). They carry no data;
 * whoever wakes reads the database.
 */
public interface EngagementSignals {

    void engagementChanged(long engagementId);

    void queueChanged(long queueId);

    /** Signals that go nowhere (tools, unit tests). */
    EngagementSignals NONE = new EngagementSignals() {
        @Override
        public void engagementChanged(long engagementId) {
        }

        @Override
        public void queueChanged(long queueId) {
        }
    };
}
