package io.parley.engagement;

/** A participant of an engagement; the id is the clientId clients see. */
public record Participant(long id, long engagementId, ParticipantKind kind, Role role, Long accountId, String name,
                          String greeting, boolean left) {
}
