package io.parley.api.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.api.dto.ConsumerRequests;
import io.parley.api.error.ApiException;
import io.parley.engagement.Event;
import io.parley.engagement.EventPayload;
import io.parley.engagement.Participant;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The consumer API's wire format: the common answer fields, the id/String twins, and the
 * {@code RNEngagement*} system messages. The one place these shapes are written.
 */
final class ConsumerWire {

    /** ISO-8601 in UTC with milliseconds, e.g. {@code 2026-11-26T09:16:40.123Z}: what JavaScript's Date parses. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private ConsumerWire() {
    }

    /** Rejects a {@code clientRequestTime} that is neither a string nor a number. */
    static void validate(ConsumerRequests.Envelope request) {
        JsonNode t = request.clientRequestTime();
        if (t != null && !t.isNull() && !t.isTextual() && !t.isNumber()) {
            throw ApiException.badRequest("INVALID_FIELD", "Field 'clientRequestTime' must be a string or a number.");
        }
    }

    /** A new answer carrying the echoes of the request and the service times. */
    static Map<String, Object> answer(ConsumerRequests.Envelope request, Instant started) {
        Map<String, Object> m = new LinkedHashMap<>();
        JsonNode t = request.clientRequestTime();
        m.put("clientRequestTime", t == null || t.isNull() ? null : t);
        id(m, "clientTransactionId", request.clientTransactionId());
        m.put("serviceStartTime", TIME.format(started));
        m.put("serviceFinishTime", TIME.format(Instant.now()));
        return m;
    }

    /** A 64-bit id and its String twin, so JavaScript clients lose no precision. */
    static void id(Map<String, Object> m, String name, Long value) {
        m.put(name, value);
        m.put(name + "String", value == null ? null : Long.toString(value));
    }

    /** The system message an event becomes for the end user. */
    static Map<String, Object> systemMessage(Event e, Map<Long, Participant> participants) {
        Map<String, Object> m = new LinkedHashMap<>();
        EventPayload payload = e.payload();
        if (payload instanceof EventPayload.WaitInfo w) {
            m.put("messageName", "RNEngagementWaitInformationChangedMessage");
            id(m, "position", (long) w.position());
            id(m, "expectedWaitTimeSeconds", (long) w.expectedWaitSeconds());
            id(m, "averageWaitTimeSeconds", (long) w.averageWaitSeconds());
        } else if (payload instanceof EventPayload.MessagePosted p) {
            m.put("messageName", "RNEngagementMessagePostedMessage");
            m.put("body", p.body());
            id(m, "clientId", e.actorId());
            m.put("name", nameOf(e.actorId(), participants));
            m.put("richText", p.richText());
            m.put("offTheRecord", e.offRecord());
            m.put("messageId", e.messageId());
            m.put("messageDataMap", p.messageData());
        } else if (payload instanceof EventPayload.ActivityChanged a) {
            m.put("messageName", "RNEngagementActivityChangedMessage");
            id(m, "clientId", e.actorId());
            m.put("mode", a.mode().name());
            m.put("sneakPreviewState", "NONE");
            id(m, "sneakPreviewInterval", 0L);
            m.put("sneakPreview", a.sneakPreview());
            m.put("sneakPreviewFocus", a.sneakPreviewFocus());
        } else if (payload instanceof EventPayload.ParticipantAdded a) {
            m.put("messageName", "RNEngagementParticipantAddedMessage");
            id(m, "clientId", a.participantId());
            m.put("name", a.name());
            m.put("role", a.role().name());
            m.put("greeting", a.greeting() == null ? "" : a.greeting());
        } else if (payload instanceof EventPayload.ParticipantLeft l) {
            m.put("messageName", "RNEngagementParticipantLeftMessage");
            id(m, "clientId", l.participantId());
            m.put("name", l.name());
            m.put("role", l.role().name());
            m.put("disconnectReason", l.reason());
        } else if (payload instanceof EventPayload.RoleChanged r) {
            m.put("messageName", "RNEngagementRoleChangedMessage");
            id(m, "clientId", r.participantId());
            m.put("role", r.role().name());
            m.put("previousRole", r.previousRole().name());
        } else if (payload instanceof EventPayload.Concluded c) {
            m.put("messageName", "RNEngagementConcludedMessage");
            m.put("reason", c.reason().name());
            m.put("role", c.role() == null ? "SYSTEM" : c.role().name());
            id(m, "clientId", e.actorId());
        }
        id(m, "engagementId", e.engagementId());
        m.put("createdTime", TIME.format(e.createdAt()));
        id(m, "sequenceNumber", e.seq());
        return m;
    }

    private static String nameOf(Long participantId, Map<Long, Participant> participants) {
        Participant p = participantId == null ? null : participants.get(participantId);
        return p == null ? null : p.name();
    }
}
