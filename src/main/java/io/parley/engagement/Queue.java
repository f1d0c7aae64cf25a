package io.parley.engagement;

/**
 * A queue and its policies.
 *
 * @param maxWaiting         how many engagements may wait at once (null: no limit); beyond it requests are held
 * @param timeoutSeconds     a waiting engagement older than this concludes with QUEUE_TIMEOUT (null: never)
 * @param escalationQueueId  where a reroute sends an engagement (null: none)
 * @param defaultWaitSeconds the expected wait per position before there is history
 */
public record Queue(long id, long siteId, String name, Integer maxWaiting, Integer timeoutSeconds,
                   Long escalationQueueId, BusinessHours hours, int defaultWaitSeconds) {
}
