package io.parley.api.dto;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The request bodies of the consumer API. Every one may carry {@code clientRequestTime} (a
 * string or a number, echoed as sent) and {@code clientTransactionId} (a 64-bit number, also
 * accepted as a numeric string, echoed with its String twin). Unknown fields are ignored.
 */
public final class ConsumerRequests {

    private ConsumerRequests() {
    }

    /** The fields every consumer request may carry. */
    public interface Envelope {
        JsonNode clientRequestTime();

        Long clientTransactionId();
    }

    public record RequestEngagement(JsonNode clientRequestTime, Long clientTransactionId) implements Envelope {
    }

    /** {@code lastSequenceNumber}: Parley's optional cursor; everything after it is delivered (again). */
    public record GetMessages(JsonNode clientRequestTime, Long clientTransactionId, Long lastSequenceNumber)
            implements Envelope {
    }

    public record PostMessage(String body, JsonNode clientRequestTime, Long clientTransactionId,
                              Map<String, String> messageDataMap, String messageId, Boolean offTheRecord,
                              Boolean richText) implements Envelope {
    }

    /** The consumer's typing state: {@code mode} LISTENING (not typing) or RESPONDING (typing). */
    public record Activity(JsonNode clientRequestTime, Long clientTransactionId, ConsumerMode mode,
                           Boolean sneakPreviewFocus, String sneakPreviewText) implements Envelope {
    }

    /** The modes a consumer may report. */
    public enum ConsumerMode { NONE, LISTENING, RESPONDING }

    public record Conclude(JsonNode clientRequestTime, Long clientTransactionId) implements Envelope {
    }

    /** How getQueueStats counts availability: available agents who asked for chats, or connected agents. */
    public enum AvailabilityType { AGENTS, SESSIONS }

    public record QueueStats(JsonNode clientRequestTime, Long clientTransactionId, Long queueId,
                             AvailabilityType chatProactiveAvailableType) implements Envelope {
    }

    /** A custom field as clients send it; when {@code value} is given, {@code type} must be one of {@link FieldType}. */
    public record CustomField(String name, String type, String value) {
    }

    /** The custom-field types the API knows. */
    public enum FieldType { BOOLEAN, DATE, DATETIME, INTEGER, LONG, STRING, DECIMAL }

    public record EngagementQueue(JsonNode clientRequestTime, Long clientTransactionId, Long interfaceId,
                                  String interfaceName, Long productId, Long categoryId, Long organizationId,
                                  Long queueId, List<CustomField> customFields) implements Envelope {
    }
}
