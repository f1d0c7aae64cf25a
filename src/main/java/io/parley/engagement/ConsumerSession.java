package io.parley.engagement;

/**
 * A consumer session: the engagement behind a {@code SessionId} and the end user's participant.
 * {@code usable} is false once the session has ended for good (concluded, closing messages
 * delivered or the grace period over).
 */
public record ConsumerSession(String sessionId, String siteName, long engagementId, long participantId,
                              boolean usable) {
}
