package io.parley.engagement;

/**
 * Wake-up signals the engagement side raises after a transaction commits: new events in an
 * engagement, a change in a queue's membership (a place may have freed), new messages for an
 * agent session. They carry no data; whoever wakes reads the database.
 */
public interface EngagementSignals {

    void engagementChanged(long engagementId);

    void queueChanged(long queueId);

    /** New messages for an agent session (its inbox grew). */
    void agentChanged(String agentSessionId);

    /** Offers may be due: an engagement waits for an agent, or an agent may have room. */
    void routingNeeded();

    /**
     * A consumer session's engagement concluded, or an agent session ended. Only other nodes need
     * telling (their {@link OpenSessions} forget it): this node's journal has done so already.
     */
    default void sessionEnded(String sessionId) {
    }

    /** Signals that go nowhere (tools, unit tests). */
    EngagementSignals NONE = new EngagementSignals() {
        @Override
        public void engagementChanged(long engagementId) {
        }

        @Override
        public void queueChanged(long queueId) {
        }

        @Override
        public void agentChanged(String agentSessionId) {
        }

        @Override
        public void routingNeeded() {
        }
    };
}
