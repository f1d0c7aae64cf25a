package io.parley.engagement;

/** The kinds of things that happen in an engagement; each becomes a system message. */
public enum EventType {
    WAIT_INFO_CHANGED, MESSAGE_POSTED, ACTIVITY_CHANGED, PARTICIPANT_ADDED, PARTICIPANT_LEFT, ROLE_CHANGED, CONCLUDED
}
