package io.parley.api.agent;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.parley.api.WireId;
import io.parley.api.WireTime;
import io.parley.engagement.ActivityMode;
import io.parley.engagement.AssignmentType;
import io.parley.engagement.ConcludeReason;
import io.parley.engagement.Role;
import io.parley.engagement.Visibility;
import java.time.Instant;
import java.util.Map;

/**
 * An agent system message of getMessages, written as {@code {"<TypeName>": {...}}}. The order of
 * the components is the order clients see; {@link AgentWire#message} builds them from the inbox.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
sealed interface AgentSystemMessage {

    /** Where an inbox item stands: what every message but the get timeout ends with. */
    record Inbox(@WireId Long engagementId, @WireTime Instant createdTime, @WireId long sequenceNumber) {
    }

    /** The one message of a poll that ended empty. */
    @JsonTypeName("ChatGetTimeout")
    record ChatGetTimeout(@WireTime Instant createdTime) implements AgentSystemMessage {
    }

    // ------------------------------------------------------------------ events of an engagement

    // senderType is the sender's ParticipantKind, or SYSTEM.
    @JsonTypeName("ChatEngagementMessageNotification")
    record ChatEngagementMessageNotification(
            @WireId long engagementSequenceNumber, @WireId Long clientId, @WireId Long senderId, String senderType,
            String name, String body, boolean richText, boolean offTheRecord, Visibility visibility, String messageId,
            Map<String, String> messageDataMap, String destinationType, @WireId long destinationId,
            @JsonUnwrapped Inbox inbox) implements AgentSystemMessage {
    }

    // Its clientId comes long before the rest of the sender: the contract's order.
    @JsonTypeName("ChatActivitySignal")
    record ChatActivitySignal(
            @WireId long engagementSequenceNumber, @WireId Long clientId, ActivityMode mode, String sneakPreviewState,
            @WireId long sneakPreviewInterval, String sneakPreview, boolean sneakPreviewFocus,
            @WireId long destinationId, String destinationType, @WireId Long senderId, String senderType, String name,
            String messageType, Visibility visibility, @JsonUnwrapped Inbox inbox) implements AgentSystemMessage {
    }

    @JsonTypeName("ChatEngagementParticipantAddedNotification")
    record ChatEngagementParticipantAddedNotification(
            @WireId long engagementSequenceNumber, @WireId long clientId, String name, Role role, String greeting,
            @JsonUnwrapped Inbox inbox) implements AgentSystemMessage {
    }

    @JsonTypeName("ChatEngagementParticipantRemovedNotification")
    record ChatEngagementParticipantRemovedNotification(
            @WireId long engagementSequenceNumber, @WireId long clientId, String name, Role role,
            String disconnectReason, @JsonUnwrapped Inbox inbox) implements AgentSystemMessage {
    }

    @JsonTypeName("ChatEngagementParticipantRoleChangedNotification")
    record ChatEngagementParticipantRoleChangedNotification(
            @WireId long engagementSequenceNumber, @WireId long clientId, Role role, Role previousRole,
            @JsonUnwrapped Inbox inbox) implements AgentSystemMessage {
    }

    // role is who ended it, or SYSTEM.
    @JsonTypeName("ChatEngagementConcludedNotification")
    record ChatEngagementConcludedNotification(
            @WireId long engagementSequenceNumber, ConcludeReason reason, String role, @WireId Long clientId,
            @JsonUnwrapped Inbox inbox) implements AgentSystemMessage {
    }

    @JsonTypeName("ChatEngagementWaitInformationNotification")
    record ChatEngagementWaitInformationNotification(
            @WireId long engagementSequenceNumber, int position, @JsonUnwrapped Inbox inbox)
            implements AgentSystemMessage {
    }

    // ------------------------------------------------------------------ notices to the agent session

    @JsonTypeName("ChatEngagementAssignmentNotification")
    record ChatEngagementAssignmentNotification(
            @WireId long queueId, AssignmentType assignmentType, @WireTime Instant expiresTime, String customerName,
            String question, boolean autoAccepted, @WireId Long requestedByClientId, @JsonUnwrapped Inbox inbox)
            implements AgentSystemMessage {
    }

    @JsonTypeName("ChatEngagementAssignmentWithdrawnNotification")
    record ChatEngagementAssignmentWithdrawnNotification(
            AssignmentType assignmentType, String reason, @JsonUnwrapped Inbox inbox) implements AgentSystemMessage {
    }

    @JsonTypeName("ChatEngagementRequestRefusedNotification")
    record ChatEngagementRequestRefusedNotification(
            AssignmentType assignmentType, @WireId long accountId, String reason, @JsonUnwrapped Inbox inbox)
            implements AgentSystemMessage {
    }

    @JsonTypeName("ChatConfigChangeNotification")
    record ChatConfigChangeNotification(
            String pool, int maxSessionCount, String status, boolean autoAccept, @JsonUnwrapped Inbox inbox)
            implements AgentSystemMessage {
    }
}
