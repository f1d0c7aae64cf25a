package io.parley.engagement;

/** A consumer session: the engagement behind a SessionId and the end user's participant. */
public record ConsumerSessionView(String sessionId, String siteName, long engagementId, long participantId,
                                  boolean usable) {
}
