package io.parley.engagement;

/**
 * A routing rule: when every condition it sets matches the session information, it routes the
 * engagement to {@code targetQueueId} or rejects it.
 */
public record RoutingRule(long id, int priority, String name, Long queueId, Long productId, Long categoryId,
                          Long interfaceId, String fieldName, String fieldValue, Action action, Long targetQueueId) {

    /** What a matching rule does. */
    public enum Action { ROUTE, REJECT }

    public boolean matches(SessionInfo info) {
        return same(queueId, info.queueId()) && same(productId, info.productId())
                && same(categoryId, info.categoryId()) && same(interfaceId, info.interfaceId())
                && (fieldName == null || (fieldValue != null && fieldValue.equalsIgnoreCase(info.customField(fieldName))));
    }

    private static boolean same(Long condition, Long value) {
        return condition == null || condition.equals(value);
    }
}
