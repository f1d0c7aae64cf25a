package io.parley.engagement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final Map<Long, Queue> queues = new LinkedHashMap<>();

    RouterTest() {
        queues.put(1L, new Queue(1, 1, "General", null, null, 2L, BusinessHours.always(), 60));
        queues.put(2L, new Queue(2, 1, "Billing", null, null, null, BusinessHours.always(), 60));
    }

    private static RoutingRule rule(long id, Long product, String field, String value, RoutingRule.Action action, Long target) {
        return new RoutingRule(id, (int) id, "r" + id, null, product, null, null, field, value, action, target);
    }

    @Test
    void theFirstMatchingRuleDecides() {
        List<RoutingRule> rules = List.of(rule(1, 7L, null, null, RoutingRule.Action.ROUTE, 2L),
                rule(2, 7L, null, null, RoutingRule.Action.REJECT, null));
        Router.Decision d = Router.route(Fixture.info(null, 7L, List.of()), rules, queues, 1L, NOW);
        assertEquals(2, d.queue().id());
        assertEquals(1, d.rule().id());
    }

    @Test
    void withoutARuleTheSessionsQueueThenTheDefault() {
        assertEquals(2, Router.route(Fixture.info(2L, null, List.of()), List.of(), queues, 1L, NOW).queue().id());
        Router.Decision d = Router.route(Fixture.info(42L, null, List.of()), List.of(), queues, 1L, NOW);
        assertEquals(1, d.queue().id(), "a queueId of another site falls back to the default");
        assertNull(d.rule());
    }

    @Test
    void everyConditionARuleSetsMustMatch() {
        RoutingRule rule = new RoutingRule(9, 1, "web billing", 1L, null, 30L, 4L, null, null, RoutingRule.Action.ROUTE, 2L);
        SessionInfo all = new SessionInfo(null, null, null, null, null, null, 1L, null, 30L, 4L, null, null, null,
                List.of(), Map.of());
        SessionInfo otherInterface = new SessionInfo(null, null, null, null, null, null, 1L, null, 30L, 5L, null, null,
                null, List.of(), Map.of());
        assertEquals(2, Router.route(all, List.of(rule), queues, 1L, NOW).queue().id());
        assertEquals(1, Router.route(otherInterface, List.of(rule), queues, 1L, NOW).queue().id(),
                "queue id and category match, the interface does not: the rule does not apply");
    }

    @Test
    void aRuleOnACustomFieldMatchesCaseInsensitively() {
        List<RoutingRule> rules = List.of(rule(1, null, "topic", "billing", RoutingRule.Action.ROUTE, 2L));
        SessionInfo info = Fixture.info(null, null, List.of(new SessionInfo.CustomField("TOPIC", "STRING", "BILLING")));
        assertEquals(2, Router.route(info, rules, queues, 1L, NOW).queue().id());
    }

    @Test
    void aRejectingRuleAndAClosedQueueRefuse() {
        List<RoutingRule> reject = List.of(rule(1, 5L, null, null, RoutingRule.Action.REJECT, null));
        assertEquals("ROUTING_REJECTED", assertThrows(EngagementException.class,
                () -> Router.route(Fixture.info(null, 5L, List.of()), reject, queues, 1L, NOW)).code());
        queues.put(1L, new Queue(1, 1, "General", null, null, null, BusinessHours.parse("UTC", "SUN 00:00-01:00"), 60));
        assertEquals("QUEUE_CLOSED", assertThrows(EngagementException.class,
                () -> Router.route(SessionInfo.empty(), List.of(), queues, 1L, NOW)).code());
    }

    @Test
    void aSiteWithoutQueuesRefuses() {
        assertEquals("NO_QUEUE", assertThrows(EngagementException.class,
                () -> Router.route(SessionInfo.empty(), List.of(), Map.of(), null, NOW)).code());
    }
}
