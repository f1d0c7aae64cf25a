package io.parley.api.consumer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.parley.api.WireId;
import io.parley.api.WireModule;
import io.parley.engagement.Event;
import io.parley.engagement.EventPayload;
import io.parley.engagement.Participant;
import java.util.Map;

/**
 * A system message of getMessages, one record per {@code RNEngagement*Message}: {@code messageName}
 * first, then the message's own fields, then the {@link Stamp} every message ends with.
 */
@JsonPropertyOrder("messageName")
public sealed interface SystemMessage {

    /** The message's type on the wire; fixed per record, so it is no component. */
    @JsonProperty
    String messageName();

    /** The system message an event becomes for the end user. */
    static SystemMessage of(Event e, Map<Long, Participant> participants) {
        Stamp stamp = Stamp.of(e);
        EventPayload payload = e.payload();
        if (payload instanceof EventPayload.WaitInfo w) {
            return new WaitInformationChanged(w.position(), w.expectedWaitSeconds(), w.averageWaitSeconds(), stamp);
        } else if (payload instanceof EventPayload.MessagePosted p) {
            Participant author = e.participantId() == null ? null : participants.get(e.participantId());
            return new MessagePosted(p.body(), e.participantId(), author == null ? null : author.name(), p.richText(),
                    e.offRecord(), e.messageId(), p.messageData(), stamp);
        } else if (payload instanceof EventPayload.ActivityChanged a) {
            // Sneak previews are sent as they are typed: no state, no interval.
            return new ActivityChanged(e.participantId(), a.mode().name(), "NONE", 0, a.sneakPreview(),
                    a.sneakPreviewFocus(), stamp);
        } else if (payload instanceof EventPayload.ParticipantAdded a) {
            return new ParticipantAdded(a.participantId(), a.name(), a.role().name(),
                    a.greeting() == null ? "" : a.greeting(), stamp);
        } else if (payload instanceof EventPayload.ParticipantLeft l) {
            return new ParticipantLeft(l.participantId(), l.name(), l.role().name(), l.reason(), stamp);
        } else if (payload instanceof EventPayload.RoleChanged r) {
            return new RoleChanged(r.participantId(), r.role().name(), r.previousRole().name(), stamp);
        } else if (payload instanceof EventPayload.Concluded c) {
            return new Concluded(c.reason().name(), c.role() == null ? "SYSTEM" : c.role().name(), e.participantId(), stamp);
        }
        throw new IllegalArgumentException("No system message for " + payload);
    }

    /** The fields every system message ends with. */
    record Stamp(@WireId long engagementId, String createdTime, @WireId long sequenceNumber) {

        static Stamp of(Event e) {
            return new Stamp(e.engagementId(), WireModule.iso(e.createdAt()), e.seq());
        }
    }

    record WaitInformationChanged(@WireId long position, @WireId long expectedWaitTimeSeconds,
                                  @WireId long averageWaitTimeSeconds, @JsonUnwrapped Stamp stamp)
            implements SystemMessage {

        @Override
        public String messageName() {
            return "RNEngagementWaitInformationChangedMessage";
        }
    }

    record MessagePosted(String body, @WireId Long clientId, String name, boolean richText, boolean offTheRecord,
                         String messageId, Map<String, String> messageDataMap, @JsonUnwrapped Stamp stamp)
            implements SystemMessage {

        @Override
        public String messageName() {
            return "RNEngagementMessagePostedMessage";
        }
    }

    record ActivityChanged(@WireId Long clientId, String mode, String sneakPreviewState,
                           @WireId long sneakPreviewInterval, String sneakPreview, boolean sneakPreviewFocus,
                           @JsonUnwrapped Stamp stamp) implements SystemMessage {

        @Override
        public String messageName() {
            return "RNEngagementActivityChangedMessage";
        }
    }

    record ParticipantAdded(@WireId long clientId, String name, String role, String greeting,
                            @JsonUnwrapped Stamp stamp) implements SystemMessage {

        @Override
        public String messageName() {
            return "RNEngagementParticipantAddedMessage";
        }
    }

    record ParticipantLeft(@WireId long clientId, String name, String role, String disconnectReason,
                           @JsonUnwrapped Stamp stamp) implements SystemMessage {

        @Override
        public String messageName() {
            return "RNEngagementParticipantLeftMessage";
        }
    }

    record RoleChanged(@WireId long clientId, String role, String previousRole, @JsonUnwrapped Stamp stamp)
            implements SystemMessage {

        @Override
        public String messageName() {
            return "RNEngagementRoleChangedMessage";
        }
    }

    /** {@code role} is who concluded: SYSTEM when nobody did. */
    record Concluded(String reason, String role, @WireId Long clientId, @JsonUnwrapped Stamp stamp)
            implements SystemMessage {

        @Override
        public String messageName() {
            return "RNEngagementConcludedMessage";
        }
    }
}
