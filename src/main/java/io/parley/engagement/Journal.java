package io.parley.engagement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.store.AgentInboxStore;
import io.parley.store.AgentStore;
import io.parley.store.EngagementStore;
import io.parley.store.EngagementStore.ParticipantRow;
import io.parley.store.EventStore;
import io.parley.store.EventStore.EventRow;
import io.parley.store.Tx;
import io.parley.store.UnitOfWork;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one way events enter Parley: every change of the domain runs through {@link #write} (or
 * {@link #writeShared}), appends its events here (an engagement's events, fanned out to the inboxes
 * of the agent sessions taking part, and notices for agent sessions), and is signalled to whoever
 * waits only after its commit. Reading events back is here too.
 */
public final class Journal {

    static final String ENGAGEMENT_EVENT = "ENGAGEMENT_EVENT";
    private static final int PAGE = 200;
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Work of one transaction: it records what it touched in {@code changes}. */
    @FunctionalInterface
    interface Change<T> {
        T apply(Tx tx, Changes changes);
    }

    private record Done<T>(T result, Changes changes) {
    }

    private final UnitOfWork uow;
    private final EngagementStore engagements;
    private final EventStore events;
    private final AgentStore agents;
    private final AgentInboxStore inboxes;
    private final EngagementSignals signals;
    private final OpenSessions openSessions;
    private final Set<Long> staleQueues = ConcurrentHashMap.newKeySet();

    public Journal(UnitOfWork uow, EngagementStore engagements, EventStore events, AgentStore agents,
                   AgentInboxStore inboxes, OpenSessions openSessions, EngagementSignals signals) {
        this.uow = uow;
        this.engagements = engagements;
        this.events = events;
        this.agents = agents;
        this.inboxes = inboxes;
        this.openSessions = openSessions;
        this.signals = signals;
    }

    UnitOfWork unitOfWork() {
        return uow;
    }

    // ------------------------------------------------------------------ transactions

    /** Runs {@code change} in its own transaction, then signals what it touched. */
    <T> T write(Change<T> change) {
        return committed(uow.transaction(tx -> run(tx, change)));
    }

    /**
     * Runs {@code change} in a transaction that may share its commit with others (a message, typing):
     * it answers once the commit holding it is durable, then signals what it touched.
     */
    <T> T writeShared(Change<T> change) {
        return committed(uow.sharedTransaction(tx -> run(tx, change)));
    }

    // A run that lost a lock conflict runs again alone: each run records its changes afresh.
    private static <T> Done<T> run(Tx tx, Change<T> change) {
        Changes changes = new Changes();
        return new Done<>(change.apply(tx, changes), changes);
    }

    /**
     * Signals what a committed transaction touched. Queues someone left get their new wait
     * information later, from {@link #takeStaleQueues()}, outside the transaction that changed them,
     * so an agent's accept does not write an event per waiting consumer while it holds the queue's
     * lock, and a burst of departures costs one refresh.
     */
    private <T> T committed(Done<T> done) {
        Changes changes = done.changes();
        for (String sessionId : changes.endedSessions) {
            openSessions.ended(sessionId);
            signals.sessionEnded(sessionId);
        }
        changes.engagements.forEach(signals::engagementChanged);
        changes.agents.forEach(signals::agentChanged);
        for (long queueId : changes.changedQueues) {
            staleQueues.add(queueId);
            signals.queueChanged(queueId);
        }
        if (changes.routing) {
            signals.routingNeeded();
        }
        return done.result();
    }

    /** The queues whose members changed since the last call. */
    List<Long> takeStaleQueues() {
        List<Long> taken = List.copyOf(staleQueues);
        staleQueues.removeAll(taken);
        return taken;
    }

    // ------------------------------------------------------------------ appending

    /** An event of the whole engagement that is neither off the record nor carries a messageId. */
    long append(Tx tx, long engagementId, EventType type, Long participantId, Visibility visibility, EventPayload payload,
                Instant now, Changes changes) {
        return append(tx, engagementId, type, participantId, visibility, false, null, payload, now, changes);
    }

    /**
     * Appends an event to the engagement (taking its row lock for the sequence number) and puts it
     * in the inbox of every agent session taking part, but for an agent's own posts and typing.
     * Wait information concerns the end user only.
     */
    long append(Tx tx, long engagementId, EventType type, Long participantId, Visibility visibility, boolean offRecord,
                String messageId, EventPayload payload, Instant now, Changes changes) {
        long seq = events.nextSeq(tx, engagementId);
        events.insertEvent(tx, new EventRow(engagementId, seq, type, now, participantId, visibility,
                offRecord, messageId, write(payload)));
        changes.engagement(engagementId);
        if (type == EventType.WAIT_INFO_CHANGED) {
            return seq;
        }
        for (ParticipantRow p : engagements.participants(tx, engagementId)) {
            if (p.agentSessionId() == null || p.releasedAt() != null) {
                continue;
            }
            boolean own = participantId != null && participantId == p.id();
            if (own && (type == EventType.MESSAGE_POSTED || type == EventType.ACTIVITY_CHANGED)) {
                continue;
            }
            inboxes.insertEvent(tx, new AgentInboxStore.EventRow(p.agentSessionId(), inboxes.nextSeq(tx, p.agentSessionId()),
                    ENGAGEMENT_EVENT, engagementId, seq, now, null));
            changes.agent(p.agentSessionId());
        }
        return seq;
    }

    /** Puts a notice into an agent session's inbox. */
    void notify(Tx tx, String sessionId, AgentNotice notice, Long engagementId, Instant now, Changes changes) {
        inboxes.insertEvent(tx, new AgentInboxStore.EventRow(sessionId, inboxes.nextSeq(tx, sessionId),
                AgentNotice.typeOf(notice), engagementId, null, now, write(notice)));
        changes.agent(sessionId);
    }

    /** Tells an agent session that its offer is gone, and why. */
    void withdrawn(Tx tx, AgentStore.OfferRow offer, String reason, Instant now, Changes changes) {
        notify(tx, offer.agentSessionId(), new AgentNotice.OfferWithdrawn(offer.engagementId(),
                offer.assignmentType(), reason), offer.engagementId(), now, changes);
    }

    // ------------------------------------------------------------------ reading

    /** Events for one reader: those it may see, and how far the read went (the reader's delivered seq after it). */
    public record Batch(List<Event> events, long deliveredSeq) {
    }

    /**
     * The events after {@code afterSeq} that the end user {@code participantId} may see: not agent-only
     * ones, and not their own posts and typing. Reads on past invisible events so a reader is never
     * stuck behind them.
     */
    public Batch forEndUser(long engagementId, long participantId, long afterSeq) {
        long seq = afterSeq;
        while (true) {
            List<EventRow> rows = events.eventsAfter(engagementId, seq, PAGE);
            List<Event> visible = new ArrayList<>();
            for (EventRow r : rows) {
                Event e = event(r);
                if (visibleToEndUser(e, participantId)) {
                    visible.add(e);
                }
                seq = r.seq();
            }
            if (!visible.isEmpty() || rows.size() < PAGE) {
                return new Batch(visible, seq);
            }
        }
    }

    /** Every stored event of the engagement, whoever may see it, in order (off-the-record ones are erased once ended). */
    public List<Event> transcript(long engagementId) {
        List<Event> all = new ArrayList<>();
        long seq = 0;
        while (true) {
            List<EventRow> rows = events.eventsAfter(engagementId, seq, PAGE);
            for (EventRow r : rows) {
                all.add(event(r));
                seq = r.seq();
            }
            if (rows.size() < PAGE) {
                return all;
            }
        }
    }

    static boolean visibleToEndUser(Event e, long participantId) {
        if (e.visibility() != Visibility.ALL) {
            return false;
        }
        boolean own = e.participantId() != null && e.participantId() == participantId;
        return !(own && (e.type() == EventType.MESSAGE_POSTED || e.type() == EventType.ACTIVITY_CHANGED));
    }

    /** The agent session's inbox after {@code afterSeq}: its notices and its engagements' events. */
    public List<AgentMessage> forAgent(String sessionId, long afterSeq) {
        List<AgentMessage> out = new ArrayList<>();
        for (AgentInboxStore.EventRow r : inboxes.eventsAfter(sessionId, afterSeq, PAGE)) {
            if (ENGAGEMENT_EVENT.equals(r.type())) {
                events.event(r.engagementId(), r.engagementSeq()).map(Journal::event).ifPresent(e ->
                        out.add(new AgentMessage(r.seq(), r.createdAt(), r.engagementId(), e, null)));
            } else {
                out.add(new AgentMessage(r.seq(), r.createdAt(), r.engagementId(), null, read(r.type(), r.payload())));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ delivered seqs

    /** The delivered seq a participant's polls start from when the client names none. */
    public long deliveredSeq(long engagementId, long participantId) {
        return engagements.participants(engagementId).stream().filter(p -> p.id() == participantId)
                .mapToLong(ParticipantRow::deliveredSeq).findFirst().orElse(0);
    }

    /** Where an agent session's polls start when the client names no delivered seq. */
    public long deliveredSeq(String agentSessionId) {
        return agents.session(agentSessionId).map(AgentStore.SessionRow::deliveredSeq).orElse(0L);
    }

    /** Records that an end user's (or agent participant's) polls have received everything up to {@code seq}. */
    public void delivered(long participantId, long seq) {
        engagements.advanceDelivered(participantId, seq);
    }

    /** Records that an agent session's polls have received its inbox up to {@code seq}. */
    public void delivered(String agentSessionId, long seq) {
        inboxes.advanceDelivered(agentSessionId, seq);
    }

    // ------------------------------------------------------------------ payloads as stored

    static Event event(EventRow r) {
        EventType type = r.type();
        try {
            return new Event(r.engagementId(), r.seq(), type, r.createdAt(), r.participantId(), r.visibility(),
                    r.offRecord(), r.messageId(), JSON.readValue(r.payload(), EventPayload.classOf(type)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable event " + r.engagementId() + "/" + r.seq(), e);
        }
    }

    static AgentNotice read(String type, String payload) {
        try {
            return JSON.readValue(payload, AgentNotice.classOf(type));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable agent notice of type " + type, e);
        }
    }

    private static String write(Object payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An event cannot be written", e);
        }
    }
}
