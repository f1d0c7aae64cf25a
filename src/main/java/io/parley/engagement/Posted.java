package io.parley.engagement;

import java.time.Instant;

/** A stored message: its sequence number and time; {@code replay} when the messageId was seen before. */
public record Posted(long seq, Instant createdAt, String messageId, boolean replay) {
}
