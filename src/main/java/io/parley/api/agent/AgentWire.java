package io.parley.api.agent;

import io.parley.engagement.AgentMessage;
import io.parley.engagement.AgentNotice;
import io.parley.engagement.Event;
import io.parley.engagement.EventPayload;
import io.parley.engagement.Participant;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent API's wire format: answers wrapped in their result object beside a (null on
 * success) {@code chatSystemError}, and the agent system messages, each an object keyed by its
 * type name. The one place these shapes are written.
 */
final class AgentWire {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private AgentWire() {
    }

    /** {@code {"<resultName>": result, "chatSystemError": null}}. */
    static Map<String, Object> answer(String resultName, Map<String, Object> result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(resultName, result);
        m.put("chatSystemError", null);
        return m;
    }

    /** A 64-bit id and its String twin. */
    static void id(Map<String, Object> m, String name, Long value) {
        m.put(name, value);
        m.put(name + "String", value == null ? null : Long.toString(value));
    }

    /** Epoch milliseconds, with the ISO form as {@code <name>String}. */
    static void time(Map<String, Object> m, String name, Instant t) {
        m.put(name, t.toEpochMilli());
        m.put(name + "String", TIME.format(t));
    }

    /** A participant as {@code ChatClientInfo}. */
    static Map<String, Object> clientInfo(Participant p) {
        Map<String, Object> m = new LinkedHashMap<>();
        id(m, "clientId", p.id());
        id(m, "engagementId", p.engagementId());
        m.put("name", p.name());
        m.put("role", p.role().name());
        m.put("clientType", p.kind());
        id(m, "accountId", p.accountId());
        m.put("connected", !p.left());
        return m;
    }

    /** The get timeout: what a poll that ended empty carries (exactly one). */
    static Map<String, Object> timeout(Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        time(m, "createdTime", now);
        return Map.of("ChatGetTimeout", m);
    }

    /** One inbox item as a system message keyed by its type name. */
    static Map<String, Object> message(AgentMessage item, Map<Long, Participant> participants) {
        Map<String, Object> m = new LinkedHashMap<>();
        String type = item.event() != null ? eventMessage(item.event(), participants, m) : notice(item.notice(), m);
        id(m, "engagementId", item.engagementId());
        time(m, "createdTime", item.createdAt());
        id(m, "sequenceNumber", item.seq());
        return Map.of(type, m);
    }

    private static String eventMessage(Event e, Map<Long, Participant> participants, Map<String, Object> m) {
        Participant actor = e.actorId() == null ? null : participants.get(e.actorId());
        EventPayload payload = e.payload();
        id(m, "engagementSequenceNumber", e.seq());
        if (payload instanceof EventPayload.MessagePosted p) {
            sender(m, e, actor);
            m.put("body", p.body());
            m.put("richText", p.richText());
            m.put("offTheRecord", e.offRecord());
            m.put("visibility", e.visibility().name());
            m.put("messageId", e.messageId());
            m.put("messageDataMap", p.messageData());
            m.put("destinationType", "ENGAGEMENT");
            id(m, "destinationId", e.engagementId());
            return "ChatEngagementMessageNotification";
        }
        if (payload instanceof EventPayload.ActivityChanged a) {
            id(m, "clientId", e.actorId());
            m.put("mode", a.mode().name());
            m.put("sneakPreviewState", a.sneakPreview() == null ? "NONE" : "ENABLED");
            id(m, "sneakPreviewInterval", 0L);
            m.put("sneakPreview", a.sneakPreview());
            m.put("sneakPreviewFocus", a.sneakPreviewFocus());
            id(m, "destinationId", e.engagementId());
            m.put("destinationType", "ENGAGEMENT");
            sender(m, e, actor);
            m.put("messageType", "ACTIVITY");
            m.put("visibility", e.visibility().name());
            return "ChatActivitySignal";
        }
        if (payload instanceof EventPayload.ParticipantAdded a) {
            id(m, "clientId", a.participantId());
            m.put("name", a.name());
            m.put("role", a.role().name());
            m.put("greeting", a.greeting() == null ? "" : a.greeting());
            return "ChatEngagementParticipantAddedNotification";
        }
        if (payload instanceof EventPayload.ParticipantLeft l) {
            id(m, "clientId", l.participantId());
            m.put("name", l.name());
            m.put("role", l.role().name());
            m.put("disconnectReason", l.reason());
            return "ChatEngagementParticipantRemovedNotification";
        }
        if (payload instanceof EventPayload.RoleChanged r) {
            id(m, "clientId", r.participantId());
            m.put("role", r.role().name());
            m.put("previousRole", r.previousRole().name());
            return "ChatEngagementParticipantRoleChangedNotification";
        }
        if (payload instanceof EventPayload.Concluded c) {
            m.put("reason", c.reason().name());
            m.put("role", c.role() == null ? "SYSTEM" : c.role().name());
            id(m, "clientId", e.actorId());
            return "ChatEngagementConcludedNotification";
        }
        EventPayload.WaitInfo w = (EventPayload.WaitInfo) payload;
        m.put("position", w.position());
        return "ChatEngagementWaitInformationNotification";
    }

    private static void sender(Map<String, Object> m, Event e, Participant actor) {
        id(m, "clientId", e.actorId());
        id(m, "senderId", e.actorId());
        m.put("senderType", actor == null ? "SYSTEM" : actor.kind());
        m.put("name", actor == null ? null : actor.name());
    }

    private static String notice(AgentNotice notice, Map<String, Object> m) {
        if (notice instanceof AgentNotice.Offer o) {
            id(m, "queueId", o.queueId());
            m.put("assignmentType", o.assignmentType().name());
            time(m, "expiresTime", Instant.ofEpochMilli(o.expiresAtMillis()));
            m.put("customerName", o.customerName());
            m.put("question", o.question());
            m.put("autoAccepted", o.autoAccepted());
            id(m, "requestedByClientId", o.requestedBy());
            return "ChatEngagementAssignmentNotification";
        }
        if (notice instanceof AgentNotice.OfferWithdrawn w) {
            m.put("assignmentType", w.assignmentType().name());
            m.put("reason", w.reason());
            return "ChatEngagementAssignmentWithdrawnNotification";
        }
        if (notice instanceof AgentNotice.RequestRefused r) {
            m.put("assignmentType", r.assignmentType().name());
            id(m, "accountId", r.accountId());
            m.put("reason", r.reason());
            return "ChatEngagementRequestRefusedNotification";
        }
        AgentNotice.ConfigChange c = (AgentNotice.ConfigChange) notice;
        m.put("pool", c.pool());
        m.put("maxSessionCount", c.maxSessions());
        m.put("status", c.status());
        m.put("autoAccept", c.autoAccept());
        return "ChatConfigChangeNotification";
    }

    /** {@code {"getResponseTypes": [...], "chatSystemError": null}}: exactly one ChatGetTimeout when there is nothing. */
    static Map<String, Object> messages(List<Map<String, Object>> items, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("getResponseTypes", items.isEmpty() ? List.of(timeout(now)) : items);
        m.put("chatSystemError", null);
        return m;
    }
}
