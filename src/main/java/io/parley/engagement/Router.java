package io.parley.engagement;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Decides the queue of a new engagement from its session information: the first matching rule
 * (by priority) routes or rejects; without one, the session's own {@code queueId} when it names a
 * queue of the site, else the site's default queue. A queue outside its business hours refuses.
 */
public final class Router {

    /** Where an engagement goes, and which rule sent it there (null: no rule). */
    public record Decision(Queue queue, RoutingRule rule) {
    }

    private Router() {
    }

    /**
     * @throws EngagementException (REFUSED) when a rule rejects, the queue is closed, or no queue fits
     */
    public static Decision route(SessionInfo info, List<RoutingRule> rules, Map<Long, Queue> siteQueues,
                                 Long defaultQueueId, Instant now) {
        Decision d = choose(info, rules, siteQueues, defaultQueueId);
        if (!d.queue().hours().isOpen(now)) {
            throw new EngagementException(EngagementException.Kind.REFUSED, "QUEUE_CLOSED",
                    "The queue '" + d.queue().name() + "' is closed at this time.");
        }
        return d;
    }

    private static Decision choose(SessionInfo info, List<RoutingRule> rules, Map<Long, Queue> siteQueues,
                                   Long defaultQueueId) {
        for (RoutingRule rule : rules) {
            if (!rule.matches(info)) {
                continue;
            }
            if (rule.action() == RoutingRule.Action.REJECT) {
                throw new EngagementException(EngagementException.Kind.REFUSED, "ROUTING_REJECTED",
                        "Chat is not available for this request.");
            }
            Queue target = rule.targetQueueId() == null ? null : siteQueues.get(rule.targetQueueId());
            if (target != null) {
                return new Decision(target, rule);
            }
        }
        if (info.queueId() != null && siteQueues.containsKey(info.queueId())) {
            return new Decision(siteQueues.get(info.queueId()), null);
        }
        if (defaultQueueId != null && siteQueues.containsKey(defaultQueueId)) {
            return new Decision(siteQueues.get(defaultQueueId), null);
        }
        return siteQueues.values().stream().min((a, b) -> Long.compare(a.id(), b.id()))
                .map(q -> new Decision(q, null))
                .orElseThrow(() -> new EngagementException(EngagementException.Kind.REFUSED, "NO_QUEUE",
                        "This site has no queue to take the chat."));
    }
}
