package io.parley.continuation;

import io.parley.engagement.AgentMessage;
import io.parley.engagement.AgentService;
import io.parley.engagement.EngagementService;
import io.parley.engagement.Event;
import java.util.List;

/** The feeds long polls read: what each kind of session receives, and what wakes its polls. */
public final class Feeds {

    private Feeds() {
    }

    /**
     * The end user's feed of an engagement: the events it may see (not its own posts and typing,
     * not agent-only events), woken by any change of the engagement.
     */
    public static LongPolls.Feed<Event> endUser(EngagementService engagements, EventBus bus, long engagementId,
                                                long participantId) {
        return new LongPolls.Feed<>() {
            @Override
            public LongPolls.Batch<Event> read(long after) {
                EngagementService.Batch b = engagements.eventsForEndUser(engagementId, participantId, after);
                return new LongPolls.Batch<>(b.events(), b.readUpTo());
            }

            @Override
            public long storedCursor() {
                return engagements.deliveredSeq(engagementId, participantId);
            }

            @Override
            public void delivered(long seq) {
                engagements.delivered(participantId, seq);
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
    public static LongPolls.Feed<AgentMessage> agent(AgentService agents, EventBus bus, String sessionId) {
        return new LongPolls.Feed<>() {
            @Override
            public LongPolls.Batch<AgentMessage> read(long after) {
                List<AgentMessage> items = agents.messages(sessionId, after);
                return new LongPolls.Batch<>(items, items.isEmpty() ? after : items.get(items.size() - 1).seq());
            }

            @Override
            public long storedCursor() {
                return agents.deliveredSeq(sessionId);
            }

            @Override
            public void delivered(long seq) {
                agents.delivered(sessionId, seq);
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
