package io.parley.engagement;

import java.time.Instant;

/** An engagement as its callers need it. */
public record Engagement(long id, long siteId, String consumerSession, long queueId, EngagementState state,
                         Instant queuedAt, Instant concludedAt, long lastSeq) {
}
