package io.parley.engagement;

import java.time.Instant;

/**
 * The session a bootstrap call opened: who the consumer is and what they asked, bound to the
 * id ({@code jti}) of the token issued with it. It leads to at most one engagement.
 */
public record ChatSession(String id, long siteId, String authUserName, SessionInfo info, Instant createdAt,
                          Instant expiresAt) {
}
