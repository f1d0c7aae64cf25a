package io.parley.api.dto;

import java.util.List;
import java.util.Map;

/**
 * The request bodies of the agent API. Every one may carry {@code sequenceNumber} (the client's
 * own transaction number) and {@code timeCreated} (epoch milliseconds); both are accepted and
 * echoed nowhere. Unknown fields are ignored; a missing required field is a 400.
 */
public final class AgentRequests {

    private AgentRequests() {
    }

    /** {@code messageDataMap.autoAccept = "true"} makes the session accept offers by itself (bots). */
    public record CreateSession(Boolean logonOverride, Map<String, String> messageDataMap, Long sequenceNumber,
                                Long timeCreated) {
    }

    public record Logoff(Boolean forceLogoff, Long sequenceNumber, Long timeCreated) {
    }

    /** The statuses an agent may set. */
    public enum Status { NONE, AVAILABLE, UNAVAILABLE }

    public record ActivityStatus(Status status, Integer subTypeId, Long sequenceNumber, Long timeCreated) {
    }

    public record RequestAssignment(Boolean assignmentRequested, Integer idleSessionCount, Integer maxSessionCount,
                                    Long sequenceNumber, Long timeCreated) {
    }

    /** What an acknowledgement does. */
    public enum Action { NONE, ACCEPT, DECLINE, UNAVAILABLE, AVAILABLE }

    /** Whether the agent accepted by hand, or from now on automatically. */
    public enum ActionType { NONE, MANUAL, AUTO }

    /** The role the acknowledgement is about. */
    public enum AssignmentType { NONE, LEAD, TRANSFER, CONFERENCE, MONITOR }

    public record Acknowledgement(Action action, ActionType actionType, AssignmentType assignmentType,
                                  Long engagementId, Long sequenceNumber, Long timeCreated) {
    }

    /** {@code lastSequenceNumber}: Parley's optional cursor on the session's channel. */
    public record GetMessages(Long lastSequenceNumber, Long sequenceNumber, Long timeCreated) {
    }

    /** Where a message goes. */
    public enum DestinationType {
        NONE, AGENT, END_USER, ENGAGEMENT, GROUP, PROFILE, QUEUE, SUBSCRIPTION_AGENT_STATS,
        SUBSCRIPTION_AGENT_STATS_BY_GROUP, SUBSCRIPTION_AGENT_STATS_BY_QUEUE, SUBSCRIPTION_AGENT_GROUP_STATS,
        SUBSCRIPTION_ENGAGEMENT_STATS, SUBSCRIPTION_ENGAGEMENT_STATS_BY_QUEUE, SUBSCRIPTION_ENGAGEMENT_STATS_BY_AGENT,
        SUBSCRIPTION_QUEUE_STATS, SYSTEM, UNIVERSAL_QUEUE, UNKNOWN
    }

    /** Who sees a message: everyone in the engagement, or agents only (a whisper). */
    public enum MessageVisibility { ALL, AGENTS }

    public record PostMessage(String body, Long destinationId, DestinationType destinationType, Long engagementId,
                              String messageType, MessageVisibility visibility, String messageId,
                              Map<String, String> messageDataMap, Boolean offTheRecord, Boolean richText,
                              Long sequenceNumber, Long timeCreated) {
    }

    /** The agent's typing modes. */
    public enum Mode { NONE, AWAY, LISTENING, RESEARCHING, RESPONDING }

    public record InteractionStatus(Long clientId, Long engagementId, Mode mode, String sneakPreview,
                                    Boolean sneakPreviewFocus, Long sneakPreviewInterval, Long sequenceNumber,
                                    Long timeCreated) {
    }

    /** The scope of a property. */
    public enum PropertyType { ENGAGEMENT, USER }

    public record SetProperty(Long engagementId, String name, PropertyType type, String value, Long sequenceNumber,
                              Long timeCreated) {
    }

    public record CustomField(String name, String type, String value) {
    }

    public record ModifyProperties(Long engagementId, PropertyType type, Map<String, String> propertiesMap,
                                   List<CustomField> customFields, Long sequenceNumber, Long timeCreated) {
    }

    public record EngagementOnly(Long engagementId, Long sequenceNumber, Long timeCreated) {
    }

    /**
     * Beyond the reference's escalation-queue reroute: {@code queueId} sends the engagement to that
     * queue; {@code agentId} offers it to that agent, as a TRANSFER (default) or CONFERENCE.
     */
    public record Reroute(Long engagementId, Long queueId, Long agentId, AssignmentType assignmentType,
                          Long sequenceNumber, Long timeCreated) {
    }

    /** What {@code retrieveAgentsAndQueues} lists: agents of a queue, one agent, or the whole site. */
    public enum DirectoryType { SITE, QUEUE, AGENT }

    public record RetrieveAgentsAndQueues(Long id, DirectoryType type, Boolean includeAgentInformation,
                                          Boolean includeQueueInformation, Long sequenceNumber, Long timeCreated) {
    }
}
