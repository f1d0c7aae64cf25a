package io.parley.continuation;

import io.parley.engagement.AgentMessage;
import io.parley.engagement.Event;
import io.parley.engagement.Journal;
import java.util.List;

/** The feeds long polls read: what each kind of session receives, and what wakes its polls. */
public final class Feeds {

    private Feeds() {
    }

    /**
     * The end user's feed of an engagement: the events it may see (not its own posts and typing,
     * not agent-only events), woken by any change of the engagement.
     */
    public static LongPolls.Feed<Event> endUser(Journal journal, EventBus bus, long engagementId,
                                                long participantId) {
        return new LongPolls.Feed<>() {
            @Override
            public LongPolls.Batch<Event> read(long after) {
                Journal.Batch b = journal.forEndUser(engagementId, participantId, after);
                return new LongPolls.Batch<>(b.events(), b.deliveredSeq());
            }

            @Override
            public long storedDeliveredSeq() {
                return journal.deliveredSeq(engagementId, participantId);
            }

            @Override
            public void delivered(long seq) {
                journal.delivered(participantId, seq);
            }

            @Override
            public void subscribe(Runnable waker) {
                bus.subscribeEngagement(engagementId, waker);
            }

            @Override
            public void unsubscribe(Runnable waker) {
                bus.unsubscribeEngagement(engagementId, waker);
            }
        };
    }

    /** An agent session's feed: its inbox (its notices and its engagements' events), woken when the inbox grows. */
    public static LongPolls.Feed<AgentMessage> agent(Journal journal, EventBus bus, String sessionId) {
        return new LongPolls.Feed<>() {
            @Override
            public LongPolls.Batch<AgentMessage> read(long after) {
                List<AgentMessage> items = journal.forAgent(sessionId, after);
                return new LongPolls.Batch<>(items, items.isEmpty() ? after : items.get(items.size() - 1).seq());
            }

            @Override
            public long storedDeliveredSeq() {
                return journal.deliveredSeq(sessionId);
            }

            @Override
            public void delivered(long seq) {
                journal.delivered(sessionId, seq);
            }

            @Override
            public void subscribe(Runnable waker) {
                bus.subscribeAgent(sessionId, waker);
            }

            @Override
            public void unsubscribe(Runnable waker) {
                bus.unsubscribeAgent(sessionId, waker);
            }
        };
    }
}
