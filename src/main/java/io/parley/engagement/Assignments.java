package io.parley.engagement;

import io.parley.store.AgentStore;
import io.parley.store.AgentStore.OfferRow;
import io.parley.store.AgentStore.SessionRow;
import io.parley.store.EngagementStore;
import io.parley.store.EngagementStore.EngagementRow;
import io.parley.store.EngagementStore.ParticipantRow;
import io.parley.store.TenantStore;
import io.parley.store.Tx;
import io.parley.store.WaitingLineStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An agent in its chats: accepting (to lead, take over, join, monitor), declining, posting,
 * concluding, releasing, and moving a chat to a queue or another agent. Locks are taken in the
 * order {@link Dispatcher} describes: queue, engagement, agent session.
 */
public final class Assignments {

    private static final System.Logger LOG = System.getLogger(Assignments.class.getName());

    private final EngagementStore store;
    private final WaitingLineStore line;
    private final AgentStore agents;
    private final Engagements engagements;
    private final Conversation conversation;
    private final Queues queues;
    private final TenantStore tenants;
    private final ChatSessions chatSessions;
    private final Offers offers;
    private final Journal journal;
    private final Clock clock;
    private final AgentSettings settings;

    public Assignments(EngagementStore store, WaitingLineStore line, AgentStore agents, Engagements engagements, Conversation conversation,
                       Queues queues, TenantStore tenants, ChatSessions chatSessions, Offers offers, Journal journal,
                       Clock clock, AgentSettings settings) {
        this.store = store;
        this.line = line;
        this.agents = agents;
        this.engagements = engagements;
        this.conversation = conversation;
        this.queues = queues;
        this.tenants = tenants;
        this.chatSessions = chatSessions;
        this.offers = offers;
        this.journal = journal;
        this.clock = clock;
        this.settings = settings;
    }

    /** The participants of an engagement after an acknowledgement. */
    public record Acknowledged(long engagementId, long participantId, List<Participant> participants) {
    }

    // ------------------------------------------------------------------ acknowledgement

    /**
     * Accepts an engagement: to lead it (offered or not: the first eligible agent with room wins;
     * others get CONFLICT), to take it over or join it (an offer is needed), or to monitor it
     * (supervisors need none). {@code auto} makes the session accept later offers by itself.
     */
    public Acknowledged accept(String sessionId, long engagementId, AssignmentType type, boolean auto) {
        EngagementRow before = store.find(engagementId).orElseThrow(() -> engagementUnknown(engagementId));
        long participantId = journal.write((tx, changes) -> {
            Instant now = clock.instant();
            if (type == AssignmentType.LEAD) {
                line.lockQueue(tx, before.queueId());
            }
            EngagementRow e = store.lock(tx, engagementId).orElseThrow(() -> engagementUnknown(engagementId));
            SessionRow s = lockLive(tx, sessionId);
            if (e.siteId() != s.siteId()) {
                throw engagementUnknown(engagementId);
            }
            if (auto) {
                agents.setAutoAccept(tx, sessionId, true);
            }
            return switch (type) {
                case LEAD -> acceptLead(tx, e, s, now, changes);
                case TRANSFER -> acceptTransfer(tx, e, s, now, changes);
                case CONFERENCE -> acceptConference(tx, e, s, now, changes);
                case MONITOR -> monitor(tx, e, s, now, changes);
            };
        });
        return new Acknowledged(engagementId, participantId, engagements.participants(engagementId));
    }

    private long acceptLead(Tx tx, EngagementRow e, SessionRow s, Instant now, Changes changes) {
        if (e.state() != EngagementState.QUEUED) {
            throw EngagementException.conflict("NOT_QUEUED", "The engagement is no longer waiting for an agent.");
        }
        if (!agents.isMember(tx, s.accountId(), e.queueId())) {
            throw EngagementException.conflict("NOT_A_QUEUE_MEMBER", "The agent does not serve the engagement's queue.");
        }
        boolean offeredHere = agents.pendingOffers(tx, e.id()).stream()
                .anyMatch(o -> o.agentSessionId().equals(s.id()) && o.assignmentType() == AssignmentType.LEAD);
        if (agents.load(tx, s.accountId(), s.id()) - (offeredHere ? 1 : 0) >= s.maxSessions()) {
            throw atCapacity();
        }
        return becomeLead(tx, e, s, now, changes);
    }

    /** The agent session leads the waiting engagement: it leaves the queue, offers of it are settled. */
    long becomeLead(Tx tx, EngagementRow e, SessionRow s, Instant now, Changes changes) {
        if (!store.activate(tx, e.id(), now)) {
            throw EngagementException.conflict("NOT_QUEUED", "The engagement is no longer waiting for an agent.");
        }
        for (OfferRow o : agents.pendingOffers(tx, e.id())) {
            boolean mine = o.agentSessionId().equals(s.id());
            if (agents.answerOffer(tx, o.id(), mine ? "ACCEPTED" : "WITHDRAWN", now) && !mine) {
                journal.withdrawn(tx, o, "TAKEN", now, changes);
            }
        }
        long id = join(tx, e.id(), s, Role.LEAD, now, changes);
        agents.setIdleSince(tx, s.id(), now);
        changes.queueChanged(e.queueId());
        LOG.log(System.Logger.Level.INFO, "Engagement {0} taken by agent {1}", e.id(), s.username());
        return id;
    }

    private long acceptTransfer(Tx tx, EngagementRow e, SessionRow s, Instant now, Changes changes) {
        OfferRow offer = offers.pending(tx, e.id(), s.id(), AssignmentType.TRANSFER);
        requireActive(e);
        if (agents.load(tx, s.accountId(), s.id()) - 1 >= s.maxSessions()) {
            throw atCapacity();
        }
        agents.answerOffer(tx, offer.id(), "ACCEPTED", now);
        ParticipantRow lead = leadOf(tx, e.id())
                .orElseThrow(() -> EngagementException.conflict("LEAD_LEFT", "The lead participant has left."));
        // The transferee takes the lead: no conferee is promoted in between.
        leaveAndRelease(tx, e.id(), lead, "TRANSFERRED_TO_AGENT", now, changes);
        long id = join(tx, e.id(), s, Role.LEAD, now, changes);
        agents.setIdleSince(tx, s.id(), now);
        changes.routing();
        return id;
    }

    private long acceptConference(Tx tx, EngagementRow e, SessionRow s, Instant now, Changes changes) {
        OfferRow offer = offers.pending(tx, e.id(), s.id(), AssignmentType.CONFERENCE);
        requireActive(e);
        if (agents.load(tx, s.accountId(), s.id()) - 1 >= s.maxSessions()) {
            throw atCapacity();
        }
        agents.answerOffer(tx, offer.id(), "ACCEPTED", now);
        return join(tx, e.id(), s, Role.CONFEREE, now, changes);
    }

    private long monitor(Tx tx, EngagementRow e, SessionRow s, Instant now, Changes changes) {
        requireActive(e);
        if (store.participants(tx, e.id()).stream()
                .anyMatch(p -> s.accountId() == (p.accountId() == null ? -1 : p.accountId()) && p.releasedAt() == null)) {
            throw EngagementException.conflict("ALREADY_A_PARTICIPANT", "The agent takes part in this engagement already.");
        }
        return join(tx, e.id(), s, Role.MONITOR, now, changes);
    }

    /** Declines an offer (or, for {@code unavailable}, declines and stops taking chats); it goes to the next agent. */
    public void decline(String sessionId, long engagementId, boolean unavailable) {
        journal.write((tx, changes) -> {
            Instant now = clock.instant();
            store.lock(tx, engagementId).orElseThrow(() -> engagementUnknown(engagementId));
            SessionRow s = lockLive(tx, sessionId);
            List<OfferRow> mine = agents.pendingOffersOf(tx, s.id()).stream()
                    .filter(o -> o.engagementId() == engagementId).toList();
            if (mine.isEmpty()) {
                throw EngagementException.conflict("NO_OFFER", "There is no pending offer of this engagement to this agent.");
            }
            for (OfferRow o : mine) {
                agents.answerOffer(tx, o.id(), "DECLINED", now);
                offers.refuseRequest(tx, o, "DECLINED", now, changes);
            }
            if (unavailable) {
                agents.setStatus(tx, s.id(), "UNAVAILABLE", s.subTypeId(), now);
                offers.withdrawLeadOffers(tx, s.id(), "UNAVAILABLE", now, changes);
            }
            changes.routing();
            return null;
        });
    }

    // ------------------------------------------------------------------ in the chat

    /** The agent's participant in the engagement; CONFLICT when it takes no (more) part. */
    public Participant participant(String sessionId, long engagementId) {
        SessionRow s = liveSession(sessionId);
        EngagementRow e = store.find(engagementId).filter(x -> x.siteId() == s.siteId())
                .orElseThrow(() -> engagementUnknown(engagementId));
        return store.participants(e.id()).stream()
                .filter(p -> p.accountId() != null && p.accountId() == s.accountId() && p.releasedAt() == null
                        && p.leftAt() == null)
                .findFirst()
                .map(Engagements::view)
                .orElseThrow(() -> notAParticipant());
    }

    /** Posts for the agent; a monitor's messages are always whispers among agents. */
    public Posted post(String sessionId, long engagementId, PostCommand cmd) {
        Participant p = participant(sessionId, engagementId);
        requireOpen(engagementId);
        PostCommand effective = p.role() == Role.MONITOR
                ? new PostCommand(cmd.body(), cmd.richText(), cmd.offRecord(), cmd.messageId(), cmd.messageData(),
                        Visibility.AGENTS)
                : cmd;
        return conversation.post(engagementId, p.id(), effective);
    }

    /** The agent's typing state, shown to the consumer. */
    public long setInteraction(String sessionId, long engagementId, ActivityMode mode, String sneakPreview, boolean focus) {
        Participant p = participant(sessionId, engagementId);
        requireOpen(engagementId);
        return conversation.setActivity(engagementId, p.id(), mode, sneakPreview, focus);
    }

    /** Concludes the engagement for the agent, who stays in wrap-up until it releases the chat. */
    public void conclude(String sessionId, long engagementId) {
        Participant p = participant(sessionId, engagementId);
        if (p.role() == Role.MONITOR) {
            throw EngagementException.conflict("MONITOR_CANNOT_CONCLUDE",
                    "A monitoring supervisor cannot conclude the engagement.");
        }
        conversation.conclude(engagementId, p.id(), ConcludeReason.AGENT_CONCLUDED);
    }

    /**
     * Releases the chat, freeing the agent's slot: after the engagement concluded (wrap-up is
     * over), or to leave a live engagement as a conferee or monitor, or as a lead handing it to a
     * conferee (who becomes the lead).
     */
    public void release(String sessionId, long engagementId) {
        SessionRow s = liveSession(sessionId);
        participant(sessionId, engagementId);
        EngagementRow e = store.find(engagementId).orElseThrow(() -> engagementUnknown(engagementId));
        boolean active = e.state() == EngagementState.ACTIVE;
        journal.write((tx, changes) -> {
            store.lock(tx, engagementId);
            ParticipantRow me = mine(tx, engagementId, s).orElseThrow(Assignments::notAParticipant);
            if (active) {
                if (me.role() == Role.LEAD && firstConferee(tx, engagementId).isEmpty()) {
                    throw EngagementException.conflict("NOT_CONCLUDED",
                            "Conclude or transfer the engagement before releasing it.");
                }
                depart(tx, engagementId, me, "PARTICIPANT_LEFT", clock.instant(), changes);
            } else {
                if (e.state() == EngagementState.QUEUED) {
                    throw notAParticipant();
                }
                store.release(tx, me.id(), clock.instant());
            }
            agents.lockSession(tx, s.id());
            agents.setIdleSince(tx, s.id(), clock.instant());
            changes.routing();
            return null;
        });
    }

    /**
     * Moves the engagement: to a queue (the escalation queue by default), ahead of new arrivals; or
     * offers it to a named agent, as a transfer or to join a conference.
     */
    public void reroute(String sessionId, long engagementId, Long queueId, Long agentAccountId, AssignmentType type) {
        Participant p = participant(sessionId, engagementId);
        if (p.role() != Role.LEAD) {
            throw EngagementException.conflict("NOT_THE_LEAD", "Only the lead agent can move the engagement.");
        }
        EngagementRow e = store.find(engagementId).orElseThrow(() -> engagementUnknown(engagementId));
        requireActive(e);
        if (agentAccountId != null) {
            invite(sessionId, e, p, agentAccountId, type == AssignmentType.CONFERENCE ? AssignmentType.CONFERENCE
                    : AssignmentType.TRANSFER);
            return;
        }
        Queue target = queueId != null ? queues.ofSite(e.siteId()).get(queueId)
                : queues.byId(e.queueId()).map(Queue::escalationQueueId).flatMap(queues::byId).orElse(null);
        if (target == null) {
            throw queueId != null ? EngagementException.invalid("Site has no queue " + queueId + ".")
                    : EngagementException.conflict("NO_ESCALATION_QUEUE", "The engagement's queue has no escalation queue.");
        }
        requeue(engagementId, target.id(), "TRANSFERRED_TO_QUEUE");
    }

    private void invite(String sessionId, EngagementRow e, Participant requester, long accountId, AssignmentType type) {
        journal.write((tx, changes) -> {
            Instant now = clock.instant();
            store.lock(tx, e.id());
            SessionRow target = agents.liveSessionOf(tx, accountId).filter(t -> t.siteId() == e.siteId())
                    .orElseThrow(() -> EngagementException.conflict("AGENT_NOT_LOGGED_ON",
                            "The agent " + accountId + " is not logged on."));
            if (target.id().equals(sessionId)) {
                throw EngagementException.invalid("An agent cannot invite itself.");
            }
            agents.lockSession(tx, target.id());
            Instant expires = now.plus(settings.offerTimeout());
            agents.insertOffer(tx, e.id(), target.id(), target.accountId(), type, requester.id(), now, expires);
            ChatSession cs = chatSessions.find(tx, e.chatSessionId()).orElse(null);
            journal.notify(tx, target.id(), new AgentNotice.Offer(e.id(), e.queueId(), type,
                    expires.toEpochMilli(), cs == null ? "Guest" : cs.info().displayName(),
                    cs == null ? null : cs.info().question(), false, requester.id()), e.id(), now, changes);
            return null;
        });
    }

    /**
     * Puts a live engagement back in a queue ahead of new arrivals: every agent leaves it and is
     * released; the consumer sees the lead leave, then new wait information.
     */
    private void requeue(long engagementId, long queueId, String reason) {
        EngagementRow before = store.find(engagementId).orElseThrow(() -> engagementUnknown(engagementId));
        journal.write((tx, changes) -> {
            Instant now = clock.instant();
            line.lockQueue(tx, queueId);
            EngagementRow e = store.lock(tx, engagementId).orElseThrow();
            requireActive(e);
            List<ParticipantRow> staying = store.participants(tx, engagementId).stream()
                    .filter(p -> p.kind() == ParticipantKind.AGENT && p.releasedAt() == null)
                    .sorted(Comparator.comparing((ParticipantRow p) -> p.role() != Role.LEAD))
                    .toList();
            for (ParticipantRow p : staying) {
                leaveAndRelease(tx, engagementId, p, reason, now, changes);
            }
            store.requeue(tx, engagementId, queueId, -1, now);
            changes.queueChanged(queueId);
            return null;
        });
        LOG.log(System.Logger.Level.INFO, "Engagement {0} back in queue {1} (was in {2}): {3}", engagementId, queueId,
                before.queueId(), reason);
    }

    /** The agent leaves one engagement as it logs off; a lead nobody takes over from puts it back in its queue. */
    void leaveEngagement(SessionRow s, long engagementId, String reason) {
        EngagementRow e = store.find(engagementId).orElse(null);
        if (e == null) {
            return;
        }
        Optional<ParticipantRow> me = journal.unitOfWork().query(tx -> mine(tx, engagementId, s));
        if (me.isEmpty()) {
            return;
        }
        boolean lead = me.get().role() == Role.LEAD;
        if (e.state() == EngagementState.ACTIVE && lead
                && journal.unitOfWork().query(tx -> firstConferee(tx, engagementId)).isEmpty()) {
            requeue(engagementId, e.queueId(), reason);
            return;
        }
        journal.write((tx, changes) -> {
            store.lock(tx, engagementId);
            ParticipantRow p = mine(tx, engagementId, s).orElse(null);
            if (p != null) {
                if (e.state() == EngagementState.ACTIVE) {
                    depart(tx, engagementId, p, "PARTICIPANT_LEFT", clock.instant(), changes);
                } else {
                    store.release(tx, p.id(), clock.instant());
                }
            }
            return null;
        });
    }

    /**
     * A participant leaves a live engagement and is released; when the lead leaves, the first
     * conferee becomes the lead (the consumer sees the role change).
     */
    private void depart(Tx tx, long engagementId, ParticipantRow p, String reason, Instant now, Changes changes) {
        leaveAndRelease(tx, engagementId, p, reason, now, changes);
        if (p.role() == Role.LEAD) {
            Optional<ParticipantRow> next = firstConferee(tx, engagementId);
            if (next.isPresent()) {
                store.setRole(tx, next.get().id(), Role.LEAD);
                journal.append(tx, engagementId, EventType.ROLE_CHANGED, next.get().id(), Visibility.ALL,
                        new EventPayload.RoleChanged(next.get().id(), Role.CONFEREE, Role.LEAD), now, changes);
            }
        }
    }

    private void leaveAndRelease(Tx tx, long engagementId, ParticipantRow p, String reason, Instant now,
                                 Changes changes) {
        Role role = p.role();
        if (store.leave(tx, p.id(), reason, now)) {
            journal.append(tx, engagementId, EventType.PARTICIPANT_LEFT, p.id(), visibilityOf(role),
                    new EventPayload.ParticipantLeft(p.id(), p.name(), role, reason), now, changes);
        }
        store.release(tx, p.id(), now);
        changes.routing();
    }

    /** The agent session joins the engagement in {@code role}; a monitor's arrival is seen by agents only. */
    private long join(Tx tx, long engagementId, SessionRow s, Role role, Instant now, Changes changes) {
        TenantStore.AccountRow account = tenants.account(tx, s.accountId())
                .orElseThrow(() -> EngagementException.notFound("AGENT_UNKNOWN", "No agent " + s.accountId() + "."));
        String greeting = role == Role.LEAD && account.greeting() != null ? account.greeting() : "";
        long id = store.insertParticipant(tx, engagementId, ParticipantKind.AGENT, role, s.accountId(), s.id(),
                account.displayName(), greeting, now);
        journal.append(tx, engagementId, EventType.PARTICIPANT_ADDED, id, visibilityOf(role),
                new EventPayload.ParticipantAdded(id, account.displayName(), role, greeting), now, changes);
        return id;
    }

    private static Visibility visibilityOf(Role role) {
        return role == Role.MONITOR ? Visibility.AGENTS : Visibility.ALL;
    }

    // ------------------------------------------------------------------ internals

    private SessionRow liveSession(String sessionId) {
        return AgentPresence.live(agents, sessionId).orElseThrow(AgentPresence::sessionUnknown);
    }

    private SessionRow lockLive(Tx tx, String sessionId) {
        return AgentPresence.lockLive(agents, tx, sessionId);
    }

    private Optional<ParticipantRow> leadOf(Tx tx, long engagementId) {
        return store.participants(tx, engagementId).stream()
                .filter(p -> p.role() == Role.LEAD && p.releasedAt() == null && p.leftAt() == null)
                .findFirst();
    }

    private Optional<ParticipantRow> firstConferee(Tx tx, long engagementId) {
        return store.participants(tx, engagementId).stream()
                .filter(p -> p.role() == Role.CONFEREE && p.releasedAt() == null && p.leftAt() == null)
                .findFirst();
    }

    private Optional<ParticipantRow> mine(Tx tx, long engagementId, SessionRow s) {
        return store.participants(tx, engagementId).stream()
                .filter(p -> p.accountId() != null && p.accountId() == s.accountId() && p.releasedAt() == null)
                .findFirst();
    }

    private void requireOpen(long engagementId) {
        EngagementRow e = store.find(engagementId).orElseThrow(() -> engagementUnknown(engagementId));
        if (e.state() == EngagementState.CONCLUDED) {
            throw EngagementException.conflict("ENGAGEMENT_CONCLUDED", "The engagement has concluded.");
        }
    }

    private static void requireActive(EngagementRow e) {
        if (e.state() != EngagementState.ACTIVE) {
            throw EngagementException.conflict("NOT_ACTIVE", "The engagement is not in progress.");
        }
    }

    private static EngagementException atCapacity() {
        return EngagementException.conflict("AT_CAPACITY", "The agent holds as many chats as its capacity allows.");
    }

    private static EngagementException notAParticipant() {
        return EngagementException.conflict("NOT_A_PARTICIPANT", "The agent takes no part in this engagement.");
    }

    static EngagementException engagementUnknown(long engagementId) {
        return EngagementException.notFound("ENGAGEMENT_ID_UNKNOWN", "No engagement " + engagementId + ".");
    }
}
