package io.parley.api.agent;

import io.parley.api.agent.AgentSystemMessage.ChatActivitySignal;
import io.parley.api.agent.AgentSystemMessage.ChatConfigChangeNotification;
import io.parley.api.agent.AgentSystemMessage.ChatEngagementAssignmentNotification;
import io.parley.api.agent.AgentSystemMessage.ChatEngagementAssignmentWithdrawnNotification;
import io.parley.api.agent.AgentSystemMessage.ChatEngagementConcludedNotification;
import io.parley.api.agent.AgentSystemMessage.ChatEngagementMessageNotification;
import io.parley.api.agent.AgentSystemMessage.ChatEngagementParticipantAddedNotification;
import io.parley.api.agent.AgentSystemMessage.ChatEngagementParticipantRemovedNotification;
import io.parley.api.agent.AgentSystemMessage.ChatEngagementParticipantRoleChangedNotification;
import io.parley.api.agent.AgentSystemMessage.ChatEngagementRequestRefusedNotification;
import io.parley.api.agent.AgentSystemMessage.ChatEngagementWaitInformationNotification;
import io.parley.api.agent.AgentSystemMessage.Inbox;
import io.parley.engagement.AgentMessage;
import io.parley.engagement.AgentNotice;
import io.parley.engagement.Event;
import io.parley.engagement.EventPayload;
import io.parley.engagement.Participant;
import java.time.Instant;
import java.util.Map;

/**
 * The agent system messages of an agent session's inbox, built from its items: the one place the
 * domain's events and notices become {@link AgentSystemMessage}s.
 */
final class AgentWire {

    /** A message's destination: always the engagement it happened in. */
    private static final String ENGAGEMENT = "ENGAGEMENT";

    private AgentWire() {
    }

    /** One inbox item; {@code participants} are those of its engagement, by id. */
    static AgentSystemMessage message(AgentMessage item, Map<Long, Participant> participants) {
        Inbox inbox = new Inbox(item.engagementId(), item.createdAt(), item.seq());
        return item.event() != null ? event(item.event(), participants, inbox) : notice(item.notice(), inbox);
    }

    private static AgentSystemMessage event(Event e, Map<Long, Participant> participants, Inbox inbox) {
        Participant actor = e.participantId() == null ? null : participants.get(e.participantId());
        String senderType = actor == null ? "SYSTEM" : actor.kind().name();
        String senderName = actor == null ? null : actor.name();
        EventPayload payload = e.payload();
        if (payload instanceof EventPayload.MessagePosted p) {
            return new ChatEngagementMessageNotification(e.seq(), e.participantId(), e.participantId(), senderType, senderName,
                    p.body(), p.richText(), e.offRecord(), e.visibility(), e.messageId(), p.messageData(), ENGAGEMENT,
                    e.engagementId(), inbox);
        }
        if (payload instanceof EventPayload.ActivityChanged a) {
            return new ChatActivitySignal(e.seq(), e.participantId(), a.mode(), a.sneakPreview() == null ? "NONE" : "ENABLED",
                    0L, a.sneakPreview(), a.sneakPreviewFocus(), e.engagementId(), ENGAGEMENT, e.participantId(), senderType,
                    senderName, "ACTIVITY", e.visibility(), inbox);
        }
        if (payload instanceof EventPayload.ParticipantAdded a) {
            return new ChatEngagementParticipantAddedNotification(e.seq(), a.participantId(), a.name(), a.role(),
                    a.greeting() == null ? "" : a.greeting(), inbox);
        }
        if (payload instanceof EventPayload.ParticipantLeft l) {
            return new ChatEngagementParticipantRemovedNotification(e.seq(), l.participantId(), l.name(), l.role(),
                    l.reason(), inbox);
        }
        if (payload instanceof EventPayload.RoleChanged r) {
            return new ChatEngagementParticipantRoleChangedNotification(e.seq(), r.participantId(), r.role(),
                    r.previousRole(), inbox);
        }
        if (payload instanceof EventPayload.Concluded c) {
            return new ChatEngagementConcludedNotification(e.seq(), c.reason(),
                    c.role() == null ? "SYSTEM" : c.role().name(), e.participantId(), inbox);
        }
        EventPayload.WaitInfo w = (EventPayload.WaitInfo) payload;
        return new ChatEngagementWaitInformationNotification(e.seq(), w.position(), inbox);
    }

    private static AgentSystemMessage notice(AgentNotice notice, Inbox inbox) {
        if (notice instanceof AgentNotice.Offer o) {
            return new ChatEngagementAssignmentNotification(o.queueId(), o.assignmentType(),
                    Instant.ofEpochMilli(o.expiresAtMillis()), o.customerName(), o.question(), o.autoAccepted(),
                    o.requestedBy(), inbox);
        }
        if (notice instanceof AgentNotice.OfferWithdrawn w) {
            return new ChatEngagementAssignmentWithdrawnNotification(w.assignmentType(), w.reason(), inbox);
        }
        if (notice instanceof AgentNotice.RequestRefused r) {
            return new ChatEngagementRequestRefusedNotification(r.assignmentType(), r.accountId(), r.reason(), inbox);
        }
        AgentNotice.ConfigChange c = (AgentNotice.ConfigChange) notice;
        return new ChatConfigChangeNotification(c.pool(), c.maxSessions(), c.status(), c.autoAccept(), inbox);
    }
}
