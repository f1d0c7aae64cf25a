package io.parley.engagement;

import java.time.Instant;

/**
 * One thing that happened in an engagement, in order: {@code seq} is gap-free per engagement.
 *
 * @param participantId the participant who caused it, or null for the system
 */
public record Event(long engagementId, long seq, EventType type, Instant createdAt, Long participantId,
                    Visibility visibility, boolean offRecord, String messageId, EventPayload payload) {
}
