package io.parley.engagement;

import java.util.Map;

/** The data of an event, one record per {@link EventType}. */
public sealed interface EventPayload {

    /** Queue position and waits, in seconds. */
    record WaitInfo(int position, int expectedWaitSeconds, int averageWaitSeconds) implements EventPayload {
    }

    /** A chat message; {@code messageData} holds the client's optional key/value pairs. */
    record MessagePosted(String body, boolean richText, Map<String, String> messageData) implements EventPayload {
        public MessagePosted {
            messageData = messageData == null ? Map.of() : Map.copyOf(messageData);
        }
    }

    /** A typing indicator, with the sneak preview of what is being typed. */
    record ActivityChanged(ActivityMode mode, String sneakPreview, boolean sneakPreviewFocus) implements EventPayload {
    }

    /** Someone joined; greeting is the agent's configured greeting ("" for none). */
    record ParticipantAdded(long participantId, String name, Role role, String greeting) implements EventPayload {
    }

    /** Someone left, with why (e.g. PARTICIPANT_LEFT, TRANSFERRED_TO_QUEUE). */
    record ParticipantLeft(long participantId, String name, Role role, String reason) implements EventPayload {
    }

    /** A participant's role changed (a conferee became the lead). */
    record RoleChanged(long participantId, Role previousRole, Role role) implements EventPayload {
    }

    /** The engagement ended; {@code role} is the role of whoever ended it (null: the system). */
    record Concluded(ConcludeReason reason, Role role) implements EventPayload {
    }

    /** The payload class that goes with each event type. */
    static Class<? extends EventPayload> classOf(EventType type) {
        return switch (type) {
            case WAIT_INFO_CHANGED -> WaitInfo.class;
            case MESSAGE_POSTED -> MessagePosted.class;
            case ACTIVITY_CHANGED -> ActivityChanged.class;
            case PARTICIPANT_ADDED -> ParticipantAdded.class;
            case PARTICIPANT_LEFT -> ParticipantLeft.class;
            case ROLE_CHANGED -> RoleChanged.class;
            case CONCLUDED -> Concluded.class;
        };
    }
}
