package io.parley.engagement;

import io.parley.store.AgentStore;
import io.parley.store.AgentStore.OfferRow;
import io.parley.store.AgentStore.SessionRow;
import io.parley.store.Database;
import io.parley.store.EngagementStore;
import io.parley.store.EngagementStore.EngagementRow;
import io.parley.store.EngagementStore.ParticipantRow;
import io.parley.store.Site;
import io.parley.store.SiteDirectory;
import io.parley.store.TenantStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agent side: agent sessions, routing (offers to the longest idle eligible agent with room),
 * acceptance, transfers, conferences, monitoring, wrap-up and release.
 *
 * <p>Capacity is counted under the agent session's row lock (chats held plus offers pending),
 * and every offer or acceptance takes the locks in the one order: queue, engagement, agent
 * session. So however many offers and accepts race, an agent never holds more chats than its
 * {@code maxSessionCount}, and exactly one agent wins a contested engagement.
 */
public final class AgentService {

    private static final System.Logger LOG = System.getLogger(AgentService.class.getName());

    /** Properties agents may set, by scope: what Oracle's API allows, nothing else. */
    static final Map<String, Set<String>> SETTABLE = Map.of(
            "ENGAGEMENT", Set.of("CONTACT_ID", "INCIDENT_ID"),
            "USER", Set.of("FIRST_NAME", "LAST_NAME", "EMAIL", "QUESTION", "PRODUCT_ID", "CATEGORY_ID", "CONTACT_ID"));
    private static final Set<String> NUMERIC = Set.of("CONTACT_ID", "INCIDENT_ID", "PRODUCT_ID", "CATEGORY_ID");

    /** Timings of routing and of agent liveness. */
    public record Settings(Duration offerTimeout, Duration awayAfter) {
    }

    /** A live agent session. */
    public record AgentSession(String id, long accountId, long siteId, String username, String name, String status,
                               int maxSessions, boolean autoAccept, boolean away) {
    }

    /** The participants of an engagement after an acknowledgement. */
    public record Acknowledged(long engagementId, long participantId, List<EngagementService.Participant> participants) {
    }

    private final EngagementService engagements;
    private final EngagementStore store;
    private final AgentStore agents;
    private final Queues queues;
    private final TenantStore tenants;
    private final SiteDirectory sites;
    private final ChatSessions chatSessions;
    private final Database db;
    private final Clock clock;
    private final Settings settings;

    public AgentService(EngagementService engagements, EngagementStore store, AgentStore agents, Queues queues,
                        TenantStore tenants, SiteDirectory sites, ChatSessions chatSessions, Clock clock,
                        Settings settings) {
        this.engagements = engagements;
        this.store = store;
        this.agents = agents;
        this.queues = queues;
        this.tenants = tenants;
        this.sites = sites;
        this.chatSessions = chatSessions;
        this.db = store.database();
        this.clock = clock;
        this.settings = settings;
    }

    // ------------------------------------------------------------------ sessions

    /**
     * Logs an agent on. With {@code logonOverride} an existing session is taken over: it ends, its
     * chats continue in the new session, whose channel starts again at sequence 1.
     *
     * @throws EngagementException CONFLICT when the agent is logged on and did not ask to take over
     */
    public AgentSession logon(long accountId, boolean logonOverride, boolean autoAccept) {
        TenantStore.AccountRow account = agentAccount(accountId);
        Site site = sites.byId(account.siteId()).orElseThrow(() -> notFound("SITE_UNKNOWN", "The agent's site is gone."));
        String id = SecureIds.next();
        Changes changes = new Changes();
        int capacity = account.maxSessions() == null ? 0 : account.maxSessions();
        db.inTransaction(c -> {
            Instant now = clock.instant();
            Optional<SessionRow> live = agents.liveSessionOf(c, accountId);
            if (live.isPresent()) {
                if (!logonOverride) {
                    throw conflict("ALREADY_LOGGED_ON", "The agent is logged on already; set logonOverride to take over.");
                }
                agents.lockSession(c, live.get().id());
                for (OfferRow o : agents.pendingOffersOf(c, live.get().id())) {
                    agents.answerOffer(c, o.id(), "WITHDRAWN", now);
                }
                agents.endSession(c, live.get().id(), now);
                changes.agent(live.get().id());
                changes.routing();
            }
            agents.insertSession(c, id, accountId, site.id(), capacity, autoAccept, now);
            store.rebindAgentSession(c, accountId, id);
            engagements.inbox().notify(c, id, new AgentNotice.ConfigChange(site.pool(), capacity, "NONE", autoAccept),
                    null, now, changes);
            return null;
        });
        engagements.signal(changes);
        LOG.log(System.Logger.Level.INFO, "Agent {0} logged on (site {1}{2})", account.username(), site.name(),
                logonOverride ? ", taking over" : "");
        return session(id).orElseThrow();
    }

    /** The live session with this id, if any. */
    public Optional<AgentSession> session(String sessionId) {
        if (sessionId == null || sessionId.isBlank() || sessionId.length() > 64) {
            return Optional.empty();
        }
        return agents.session(sessionId).filter(s -> s.endedAt() == null).map(AgentService::view);
    }

    /** Notes that the agent is there (any call); an agent marked away comes back. */
    public void touch(String sessionId) {
        agents.touch(sessionId, clock.instant());
    }

    /** Sets the agent's status; offers pending for an agent that is no longer available go to others. */
    public void setStatus(String sessionId, String status, int subTypeId) {
        Changes changes = new Changes();
        db.inTransaction(c -> {
            Instant now = clock.instant();
            SessionRow s = lockLive(c, sessionId);
            agents.setStatus(c, sessionId, status, subTypeId, now);
            if (!"AVAILABLE".equals(status)) {
                withdrawLeadOffers(c, s.id(), "UNAVAILABLE", now, changes);
            }
            changes.routing();
            return null;
        });
        engagements.signal(changes);
    }

    /**
     * The agent asks for chats (or stops asking), with its capacity: at most {@code maxSessions}
     * chats at once, and never more than the account allows when it sets a limit.
     */
    public int requestAssignment(String sessionId, boolean requested, int maxSessions) {
        Changes changes = new Changes();
        AgentSession before = session(sessionId).orElseThrow(() -> notFound("SESSION_UNKNOWN", "No such agent session."));
        Integer limit = tenants.account(before.accountId()).map(TenantStore.AccountRow::maxSessions).orElse(null);
        int effective = limit == null ? maxSessions : Math.min(maxSessions, limit);
        Site site = sites.byId(before.siteId()).orElseThrow();
        int capacity = db.inTransaction(c -> {
            Instant now = clock.instant();
            SessionRow s = lockLive(c, sessionId);
            agents.setAssignment(c, sessionId, requested, effective);
            if (!requested) {
                withdrawLeadOffers(c, sessionId, "UNAVAILABLE", now, changes);
            }
            if (effective != s.maxSessions()) {
                engagements.inbox().notify(c, sessionId, new AgentNotice.ConfigChange(site.pool(), effective, s.status(),
                        s.autoAccept()), null, now, changes);
            }
            changes.routing();
            return effective;
        });
        engagements.signal(changes);
        return capacity;
    }

    /**
     * Ends the agent's session. Its live chats go back to their queues ahead of new arrivals (or to
     * a conferee, who becomes the lead); chats in wrap-up are released.
     *
     * @throws EngagementException CONFLICT when the agent has live chats and did not force the logoff
     */
    public void logoff(String sessionId, boolean force) {
        SessionRow s = agents.session(sessionId).filter(x -> x.endedAt() == null)
                .orElseThrow(() -> notFound("SESSION_UNKNOWN", "No such agent session."));
        List<Long> held = db.read(c -> store.heldBy(c, s.accountId()));
        boolean live = held.stream().map(store::find).flatMap(Optional::stream)
                .anyMatch(e -> EngagementState.ACTIVE.name().equals(e.state()));
        if (live && !force) {
            throw conflict("LIVE_CHATS", "The agent has live chats; set forceLogoff to return them to their queues.");
        }
        for (long engagementId : held) {
            leaveEngagement(s, engagementId, "TRANSFERRED_TO_QUEUE");
        }
        Changes changes = new Changes();
        db.inTransaction(c -> {
            Instant now = clock.instant();
            agents.lockSession(c, sessionId);
            withdrawLeadOffers(c, sessionId, "LOGGED_OFF", now, changes);
            agents.endSession(c, sessionId, now);
            changes.routing();
            return null;
        });
        engagements.signal(changes);
        LOG.log(System.Logger.Level.INFO, "Agent {0} logged off", s.username());
    }

    // ------------------------------------------------------------------ routing

    /**
     * Makes the offers that are due: for every queue, its waiting engagements in order, each to the
     * longest idle eligible agent with room that has not refused it. A session that accepts
     * automatically takes the engagement at once.
     *
     * @return how many offers were made
     */
    // Row locks settle every race (across nodes too); the monitor only keeps this node's timer and
    // its wake-ups from competing for the same queue locks.
    public synchronized int dispatch() {
        int offers = 0;
        for (Queue q : queues.all()) {
            boolean offered = true;
            while (offered) {
                Changes changes = new Changes();
                // One offer per transaction: the queue's lock is held briefly, and arrivals and accepts interleave.
                offered = db.inTransaction(c -> offerNext(c, q, changes));
                engagements.signal(changes);
                offers += offered ? 1 : 0;
            }
        }
        return offers;
    }

    /**
     * Offers the first waiting engagement of the queue that an eligible agent with room can take;
     * false if none. The agents with room are taken once, before the engagements are looked at, so
     * an agent that frees up meanwhile cannot make a later engagement overtake an earlier one.
     */
    private boolean offerNext(Connection c, Queue queue, Changes changes) throws SQLException {
        if (!store.tryLockQueue(c, queue.id())) {
            // Someone else is changing the queue (an arrival, an accept, another node's dispatcher): rather
            // than wait behind it, leave the queue to the next round (its signal, or the periodic dispatch).
            return false;
        }
        List<Long> waiting = agents.unofferedWaiting(c, queue.id());
        if (waiting.isEmpty()) {
            return false;
        }
        List<SessionRow> free = new ArrayList<>();
        for (SessionRow candidate : agents.eligible(c, queue.id())) {
            if (agents.load(c, candidate.accountId(), candidate.id()) < candidate.maxSessions()) {
                free.add(candidate);
            }
        }
        Instant now = clock.instant();
        for (long engagementId : waiting) {
            if (free.isEmpty()) {
                return false;
            }
            List<Long> refused = agents.refusedBy(c, engagementId);
            for (SessionRow candidate : List.copyOf(free)) {
                if (refused.contains(candidate.accountId())) {
                    continue;
                }
                EngagementRow e = store.lock(c, engagementId).orElse(null);
                if (e == null || !EngagementState.QUEUED.name().equals(e.state())) {
                    break;
                }
                SessionRow s = agents.lockSession(c, candidate.id()).orElse(null);
                if (s == null || !eligibleNow(s) || agents.load(c, s.accountId(), s.id()) >= s.maxSessions()) {
                    free.remove(candidate);
                    continue;
                }
                offer(c, e, s, now, changes);
                return true;
            }
        }
        return false;
    }

    private static boolean eligibleNow(SessionRow s) {
        return s.endedAt() == null && "AVAILABLE".equals(s.status()) && s.assignmentRequested() && !s.away();
    }

    private void offer(Connection c, EngagementRow e, SessionRow s, Instant now, Changes changes) throws SQLException {
        ChatSession cs = chatSessions.find(c, e.chatSessionId()).orElse(null);
        String customer = cs == null ? "Guest" : cs.info().displayName();
        String question = cs == null ? null : cs.info().question();
        // Given work, the agent is no longer the longest idle: the next offer goes to someone else.
        agents.setIdleSince(c, s.id(), now);
        if (s.autoAccept()) {
            // The agent learns of the assignment first, then sees itself (and the end user) in it.
            engagements.inbox().notify(c, s.id(), new AgentNotice.Offer(e.id(), e.queueId(), AssignmentType.LEAD,
                    now.toEpochMilli(), customer, question, true, null), e.id(), now, changes);
            becomeLead(c, e, s, now, changes);
            return;
        }
        Instant expires = now.plus(settings.offerTimeout());
        agents.insertOffer(c, e.id(), s.id(), s.accountId(), AssignmentType.LEAD.name(), null, now, expires);
        engagements.inbox().notify(c, s.id(), new AgentNotice.Offer(e.id(), e.queueId(), AssignmentType.LEAD,
                expires.toEpochMilli(), customer, question, false, null), e.id(), now, changes);
    }

    /** Withdraws offers nobody answered in time; the engagements go to the next agent. */
    public int expireOffers() {
        int n = 0;
        for (OfferRow o : agents.expiredOffers(clock.instant())) {
            Changes changes = new Changes();
            boolean expired = db.inTransaction(c -> {
                Instant now = clock.instant();
                if (!agents.answerOffer(c, o.id(), "EXPIRED", now)) {
                    return false;
                }
                engagements.notifyWithdrawn(c, o, "TIMEOUT", now, changes);
                refuseRequest(c, o, "TIMEOUT", now, changes);
                changes.routing();
                return true;
            });
            engagements.signal(changes);
            n += expired ? 1 : 0;
        }
        return n;
    }

    /** Marks away the agents whose calls stopped; their pending offers move on. */
    public int markAway() {
        Instant cutoff = clock.instant().minus(settings.awayAfter());
        List<String> away = agents.markAway(cutoff);
        for (String sessionId : away) {
            Changes changes = new Changes();
            db.inTransaction(c -> {
                withdrawLeadOffers(c, sessionId, "AWAY", clock.instant(), changes);
                changes.routing();
                return null;
            });
            engagements.signal(changes);
            LOG.log(System.Logger.Level.INFO, "Agent session {0} is away: no call for {1}", sessionId, settings.awayAfter());
        }
        return away.size();
    }

    private void withdrawLeadOffers(Connection c, String sessionId, String reason, Instant now, Changes changes)
            throws SQLException {
        for (OfferRow o : agents.pendingOffersOf(c, sessionId)) {
            if (AssignmentType.LEAD.name().equals(o.assignmentType()) && agents.answerOffer(c, o.id(), "WITHDRAWN", now)) {
                engagements.notifyWithdrawn(c, o, reason, now, changes);
            }
        }
    }

    // ------------------------------------------------------------------ acknowledgement

    /**
     * Accepts an engagement: to lead it (offered or not: the first eligible agent with room wins;
     * others get CONFLICT), to take it over or join it (an offer is needed), or to monitor it
     * (supervisors need none). {@code auto} makes the session accept later offers by itself.
     */
    public Acknowledged accept(String sessionId, long engagementId, AssignmentType type, boolean auto) {
        EngagementRow before = store.find(engagementId).orElseThrow(() -> engagementUnknown(engagementId));
        Changes changes = new Changes();
        long participantId = db.inTransaction(c -> {
            Instant now = clock.instant();
            if (type == AssignmentType.LEAD) {
                store.lockQueue(c, before.queueId());
            }
            EngagementRow e = store.lock(c, engagementId).orElseThrow(() -> engagementUnknown(engagementId));
            SessionRow s = lockLive(c, sessionId);
            if (e.siteId() != s.siteId()) {
                throw engagementUnknown(engagementId);
            }
            if (auto) {
                agents.setAutoAccept(c, sessionId, true);
            }
            return switch (type) {
                case LEAD -> acceptLead(c, e, s, now, changes);
                case TRANSFER -> acceptTransfer(c, e, s, now, changes);
                case CONFERENCE -> acceptConference(c, e, s, now, changes);
                case MONITOR -> monitor(c, e, s, now, changes);
            };
        });
        engagements.signal(changes);
        return new Acknowledged(engagementId, participantId, engagements.participants(engagementId));
    }

    private long acceptLead(Connection c, EngagementRow e, SessionRow s, Instant now, Changes changes)
            throws SQLException {
        if (!EngagementState.QUEUED.name().equals(e.state())) {
            throw conflict("NOT_QUEUED", "The engagement is no longer waiting for an agent.");
        }
        if (!agents.isMember(c, s.accountId(), e.queueId())) {
            throw conflict("NOT_A_QUEUE_MEMBER", "The agent does not serve the engagement's queue.");
        }
        boolean offeredHere = agents.pendingOffers(c, e.id()).stream()
                .anyMatch(o -> o.agentSessionId().equals(s.id()) && AssignmentType.LEAD.name().equals(o.assignmentType()));
        if (agents.load(c, s.accountId(), s.id()) - (offeredHere ? 1 : 0) >= s.maxSessions()) {
            throw conflict("AT_CAPACITY", "The agent holds as many chats as its capacity allows.");
        }
        return becomeLead(c, e, s, now, changes);
    }

    /** The agent session leads the waiting engagement: it leaves the queue, offers of it are settled. */
    private long becomeLead(Connection c, EngagementRow e, SessionRow s, Instant now, Changes changes)
            throws SQLException {
        if (!store.activate(c, e.id(), now)) {
            throw conflict("NOT_QUEUED", "The engagement is no longer waiting for an agent.");
        }
        for (OfferRow o : agents.pendingOffers(c, e.id())) {
            boolean mine = o.agentSessionId().equals(s.id());
            if (agents.answerOffer(c, o.id(), mine ? "ACCEPTED" : "WITHDRAWN", now) && !mine) {
                engagements.notifyWithdrawn(c, o, "TAKEN", now, changes);
            }
        }
        long id = join(c, e.id(), s, Role.LEAD, now, changes);
        agents.setIdleSince(c, s.id(), now);
        changes.queueChanged(e.queueId());
        LOG.log(System.Logger.Level.INFO, "Engagement {0} taken by agent {1}", e.id(), s.username());
        return id;
    }

    private long acceptTransfer(Connection c, EngagementRow e, SessionRow s, Instant now, Changes changes)
            throws SQLException {
        OfferRow offer = pendingOffer(c, e.id(), s.id(), AssignmentType.TRANSFER);
        requireActive(e);
        if (agents.load(c, s.accountId(), s.id()) - 1 >= s.maxSessions()) {
            throw conflict("AT_CAPACITY", "The agent holds as many chats as its capacity allows.");
        }
        agents.answerOffer(c, offer.id(), "ACCEPTED", now);
        ParticipantRow lead = leadOf(c, e.id())
                .orElseThrow(() -> conflict("LEAD_LEFT", "The lead participant has left."));
        depart(c, e.id(), lead, "TRANSFERRED_TO_AGENT", now, changes);
        long id = join(c, e.id(), s, Role.LEAD, now, changes);
        agents.setIdleSince(c, s.id(), now);
        changes.routing();
        return id;
    }

    private long acceptConference(Connection c, EngagementRow e, SessionRow s, Instant now, Changes changes)
            throws SQLException {
        OfferRow offer = pendingOffer(c, e.id(), s.id(), AssignmentType.CONFERENCE);
        requireActive(e);
        if (agents.load(c, s.accountId(), s.id()) - 1 >= s.maxSessions()) {
            throw conflict("AT_CAPACITY", "The agent holds as many chats as its capacity allows.");
        }
        agents.answerOffer(c, offer.id(), "ACCEPTED", now);
        return join(c, e.id(), s, Role.CONFEREE, now, changes);
    }

    private long monitor(Connection c, EngagementRow e, SessionRow s, Instant now, Changes changes) throws SQLException {
        requireActive(e);
        if (store.participants(c, e.id()).stream()
                .anyMatch(p -> s.accountId() == (p.accountId() == null ? -1 : p.accountId()) && p.releasedAt() == null)) {
            throw conflict("ALREADY_A_PARTICIPANT", "The agent takes part in this engagement already.");
        }
        return join(c, e.id(), s, Role.MONITOR, now, changes);
    }

    /** Declines an offer (or, for {@code unavailable}, declines and stops taking chats); it goes to the next agent. */
    public void decline(String sessionId, long engagementId, boolean unavailable) {
        Changes changes = new Changes();
        db.inTransaction(c -> {
            Instant now = clock.instant();
            store.lock(c, engagementId).orElseThrow(() -> engagementUnknown(engagementId));
            SessionRow s = lockLive(c, sessionId);
            List<OfferRow> mine = agents.pendingOffersOf(c, s.id()).stream()
                    .filter(o -> o.engagementId() == engagementId).toList();
            if (mine.isEmpty()) {
                throw conflict("NO_OFFER", "There is no pending offer of this engagement to this agent.");
            }
            for (OfferRow o : mine) {
                agents.answerOffer(c, o.id(), "DECLINED", now);
                refuseRequest(c, o, "DECLINED", now, changes);
            }
            if (unavailable) {
                agents.setStatus(c, s.id(), "UNAVAILABLE", s.subTypeId(), now);
                withdrawLeadOffers(c, s.id(), "UNAVAILABLE", now, changes);
            }
            changes.routing();
            return null;
        });
        engagements.signal(changes);
    }

    // ------------------------------------------------------------------ in the chat

    /** The agent's participant in the engagement; CONFLICT when it takes no (more) part. */
    public EngagementService.Participant participant(String sessionId, long engagementId) {
        AgentSession s = session(sessionId).orElseThrow(() -> notFound("SESSION_UNKNOWN", "No such agent session."));
        EngagementRow e = store.find(engagementId).filter(x -> x.siteId() == s.siteId())
                .orElseThrow(() -> engagementUnknown(engagementId));
        return store.participants(e.id()).stream()
                .filter(p -> p.accountId() != null && p.accountId() == s.accountId() && p.releasedAt() == null
                        && p.leftAt() == null)
                .findFirst()
                .map(p -> new EngagementService.Participant(p.id(), p.engagementId(), p.kind(), Role.valueOf(p.role()),
                        p.accountId(), p.name(), p.greeting(), false))
                .orElseThrow(() -> conflict("NOT_A_PARTICIPANT", "The agent takes no part in this engagement."));
    }

    /** Posts for the agent; a monitor's messages are always whispers among agents. */
    public EngagementService.Posted post(String sessionId, long engagementId, EngagementService.PostCommand cmd) {
        EngagementService.Participant p = participant(sessionId, engagementId);
        requireOpen(engagementId);
        EngagementService.PostCommand effective = p.role() == Role.MONITOR
                ? new EngagementService.PostCommand(cmd.body(), cmd.richText(), cmd.offRecord(), cmd.messageId(),
                        cmd.messageData(), Visibility.AGENTS)
                : cmd;
        return engagements.post(engagementId, p.id(), effective);
    }

    /** The agent's typing state, shown to the consumer. */
    public long setInteraction(String sessionId, long engagementId, ActivityMode mode, String sneakPreview, boolean focus) {
        EngagementService.Participant p = participant(sessionId, engagementId);
        requireOpen(engagementId);
        return engagements.setActivity(engagementId, p.id(), mode, sneakPreview, focus);
    }

    /** Concludes the engagement for the agent, who stays in wrap-up until it releases the chat. */
    public void conclude(String sessionId, long engagementId) {
        EngagementService.Participant p = participant(sessionId, engagementId);
        if (p.role() == Role.MONITOR) {
            throw conflict("MONITOR_CANNOT_CONCLUDE", "A monitoring supervisor cannot conclude the engagement.");
        }
        engagements.conclude(engagementId, p.id(), ConcludeReason.AGENT_CONCLUDED);
    }

    /**
     * Releases the chat, freeing the agent's slot: after the engagement concluded (wrap-up is
     * over), or to leave a live engagement as a conferee or monitor, or as a lead handing it to a
     * conferee (who becomes the lead).
     */
    public void release(String sessionId, long engagementId) {
        SessionRow s = agents.session(sessionId).filter(x -> x.endedAt() == null)
                .orElseThrow(() -> notFound("SESSION_UNKNOWN", "No such agent session."));
        participant(sessionId, engagementId);
        EngagementRow e = store.find(engagementId).orElseThrow(() -> engagementUnknown(engagementId));
        if (EngagementState.ACTIVE.name().equals(e.state())) {
            Changes changes = new Changes();
            db.inTransaction(c -> {
                EngagementRow locked = store.lock(c, engagementId).orElseThrow();
                ParticipantRow me = mine(c, locked.id(), s).orElseThrow(() -> conflict("NOT_A_PARTICIPANT",
                        "The agent takes no part in this engagement."));
                if (Role.LEAD.name().equals(me.role()) && firstConferee(c, engagementId).isEmpty()) {
                    throw conflict("NOT_CONCLUDED", "Conclude or transfer the engagement before releasing it.");
                }
                depart(c, engagementId, me, "PARTICIPANT_LEFT", clock.instant(), changes);
                agents.lockSession(c, s.id());
                agents.setIdleSince(c, s.id(), clock.instant());
                changes.routing();
                return null;
            });
            engagements.signal(changes);
            return;
        }
        Changes changes = new Changes();
        db.inTransaction(c -> {
            store.lock(c, engagementId);
            ParticipantRow me = mine(c, engagementId, s).orElseThrow(() -> conflict("NOT_A_PARTICIPANT",
                    "The agent takes no part in this engagement."));
            if (EngagementState.QUEUED.name().equals(e.state())) {
                throw conflict("NOT_A_PARTICIPANT", "The agent takes no part in this engagement.");
            }
            store.release(c, me.id(), clock.instant());
            agents.lockSession(c, s.id());
            agents.setIdleSince(c, s.id(), clock.instant());
            changes.routing();
            return null;
        });
        engagements.signal(changes);
    }

    /**
     * Moves the engagement: to a queue (the escalation queue by default), ahead of new arrivals; or
     * offers it to a named agent, as a transfer or to join a conference.
     */
    public void reroute(String sessionId, long engagementId, Long queueId, Long agentAccountId, AssignmentType type) {
        EngagementService.Participant p = participant(sessionId, engagementId);
        if (p.role() != Role.LEAD) {
            throw conflict("NOT_THE_LEAD", "Only the lead agent can move the engagement.");
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
            throw queueId != null ? new EngagementException(EngagementException.Kind.INVALID, "INVALID_FIELD",
                    "Site has no queue " + queueId + ".")
                    : conflict("NO_ESCALATION_QUEUE", "The engagement's queue has no escalation queue.");
        }
        requeue(engagementId, target.id(), "TRANSFERRED_TO_QUEUE");
    }

    private void invite(String sessionId, EngagementRow e, EngagementService.Participant requester, long accountId,
                        AssignmentType type) {
        Changes changes = new Changes();
        db.inTransaction(c -> {
            Instant now = clock.instant();
            store.lock(c, e.id());
            SessionRow target = agents.liveSessionOf(c, accountId).filter(t -> t.siteId() == e.siteId())
                    .orElseThrow(() -> conflict("AGENT_NOT_LOGGED_ON", "The agent " + accountId + " is not logged on."));
            if (target.id().equals(sessionId)) {
                throw new EngagementException(EngagementException.Kind.INVALID, "INVALID_FIELD",
                        "An agent cannot invite itself.");
            }
            agents.lockSession(c, target.id());
            Instant expires = now.plus(settings.offerTimeout());
            agents.insertOffer(c, e.id(), target.id(), target.accountId(), type.name(), requester.id(), now, expires);
            ChatSession cs = chatSessions.find(c, e.chatSessionId()).orElse(null);
            engagements.inbox().notify(c, target.id(), new AgentNotice.Offer(e.id(), e.queueId(), type,
                    expires.toEpochMilli(), cs == null ? "Guest" : cs.info().displayName(),
                    cs == null ? null : cs.info().question(), false, requester.id()), e.id(), now, changes);
            return null;
        });
        engagements.signal(changes);
    }

    /** Tells whoever asked for a transfer or conference that it will not happen. */
    private void refuseRequest(Connection c, OfferRow o, String reason, Instant now, Changes changes)
            throws SQLException {
        if (o.requestedBy() == null) {
            return;
        }
        Optional<ParticipantRow> requester = store.participants(c, o.engagementId()).stream()
                .filter(p -> p.id() == o.requestedBy() && p.agentSessionId() != null && p.releasedAt() == null)
                .findFirst();
        if (requester.isPresent()) {
            engagements.inbox().notify(c, requester.get().agentSessionId(), new AgentNotice.RequestRefused(
                    o.engagementId(), AssignmentType.valueOf(o.assignmentType()), o.accountId(), reason),
                    o.engagementId(), now, changes);
        }
    }

    /**
     * Puts a live engagement back in a queue ahead of new arrivals: every agent leaves it and is
     * released; the consumer sees the lead leave, then new wait information.
     */
    private void requeue(long engagementId, long queueId, String reason) {
        EngagementRow before = store.find(engagementId).orElseThrow(() -> engagementUnknown(engagementId));
        Changes changes = new Changes();
        db.inTransaction(c -> {
            Instant now = clock.instant();
            store.lockQueue(c, queueId);
            EngagementRow e = store.lock(c, engagementId).orElseThrow();
            if (!EngagementState.ACTIVE.name().equals(e.state())) {
                throw conflict("NOT_ACTIVE", "The engagement is not in progress.");
            }
            List<ParticipantRow> staying = store.participants(c, engagementId).stream()
                    .filter(p -> "AGENT".equals(p.kind()) && p.releasedAt() == null)
                    .sorted(Comparator.comparing((ParticipantRow p) -> !Role.LEAD.name().equals(p.role())))
                    .toList();
            for (ParticipantRow p : staying) {
                leaveAndRelease(c, engagementId, p, reason, now, changes);
            }
            store.requeue(c, engagementId, queueId, -1, now);
            changes.queueChanged(queueId);
            return null;
        });
        engagements.signal(changes);
        LOG.log(System.Logger.Level.INFO, "Engagement {0} back in queue {1} (was in {2}): {3}", engagementId, queueId,
                before.queueId(), reason);
    }

    /** The agent leaves one engagement as it logs off. */
    private void leaveEngagement(SessionRow s, long engagementId, String reason) {
        EngagementRow e = store.find(engagementId).orElse(null);
        if (e == null) {
            return;
        }
        Optional<ParticipantRow> me = db.read(c -> mine(c, engagementId, s));
        if (me.isEmpty()) {
            return;
        }
        boolean lead = Role.LEAD.name().equals(me.get().role());
        if (EngagementState.ACTIVE.name().equals(e.state()) && lead
                && db.read(c -> firstConferee(c, engagementId)).isEmpty()) {
            requeue(engagementId, e.queueId(), reason);
            return;
        }
        Changes changes = new Changes();
        db.inTransaction(c -> {
            store.lock(c, engagementId);
            ParticipantRow p = mine(c, engagementId, s).orElse(null);
            if (p != null) {
                if (EngagementState.ACTIVE.name().equals(e.state())) {
                    depart(c, engagementId, p, "PARTICIPANT_LEFT", clock.instant(), changes);
                } else {
                    store.release(c, p.id(), clock.instant());
                }
            }
            return null;
        });
        engagements.signal(changes);
    }

    /**
     * A participant leaves a live engagement and is released; when the lead leaves, the first
     * conferee becomes the lead (the consumer sees the role change).
     */
    private void depart(Connection c, long engagementId, ParticipantRow p, String reason, Instant now, Changes changes)
            throws SQLException {
        leaveAndRelease(c, engagementId, p, reason, now, changes);
        if (Role.LEAD.name().equals(p.role())) {
            Optional<ParticipantRow> next = firstConferee(c, engagementId);
            if (next.isPresent()) {
                store.setRole(c, next.get().id(), Role.LEAD.name());
                engagements.append(c, engagementId, EventType.ROLE_CHANGED, next.get().id(), Visibility.ALL, false, null,
                        new EventPayload.RoleChanged(next.get().id(), Role.CONFEREE, Role.LEAD), now, changes);
            }
        }
    }

    private void leaveAndRelease(Connection c, long engagementId, ParticipantRow p, String reason, Instant now,
                                 Changes changes) throws SQLException {
        Role role = Role.valueOf(p.role());
        if (store.leave(c, p.id(), reason, now)) {
            engagements.append(c, engagementId, EventType.PARTICIPANT_LEFT, p.id(), visibilityOf(role), false, null,
                    new EventPayload.ParticipantLeft(p.id(), p.name(), role, reason), now, changes);
        }
        store.release(c, p.id(), now);
        changes.routing();
    }

    /** The agent session joins the engagement in {@code role}; a monitor's arrival is seen by agents only. */
    private long join(Connection c, long engagementId, SessionRow s, Role role, Instant now, Changes changes)
            throws SQLException {
        TenantStore.AccountRow account = tenants.account(c, s.accountId())
                .orElseThrow(() -> notFound("AGENT_UNKNOWN", "No agent " + s.accountId() + "."));
        String greeting = role == Role.LEAD && account.greeting() != null ? account.greeting() : "";
        long id = store.insertParticipant(c, engagementId, "AGENT", role.name(), s.accountId(), s.id(),
                account.displayName(), greeting, now);
        engagements.append(c, engagementId, EventType.PARTICIPANT_ADDED, id, visibilityOf(role), false, null,
                new EventPayload.ParticipantAdded(id, account.displayName(), role, greeting), now, changes);
        return id;
    }

    private static Visibility visibilityOf(Role role) {
        return role == Role.MONITOR ? Visibility.AGENTS : Visibility.ALL;
    }

    // ------------------------------------------------------------------ properties and lookups

    /**
     * Sets engagement or user properties (allow-listed names only; ids must be numbers) and custom
     * fields (user scope).
     *
     * @return per property name whether it was set
     */
    public Map<String, Boolean> setProperties(String sessionId, long engagementId, String scope,
                                              Map<String, String> properties, List<SessionInfo.CustomField> fields) {
        EngagementService.Participant p = participant(sessionId, engagementId);
        if (p.role() == Role.MONITOR) {
            throw conflict("MONITOR_CANNOT_MODIFY", "A monitoring supervisor cannot change the engagement.");
        }
        String s = scope == null ? "USER" : scope.toUpperCase(Locale.ROOT);
        Set<String> allowed = SETTABLE.get(s);
        if (allowed == null) {
            throw invalid("Field 'type' must be ENGAGEMENT or USER.");
        }
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String name = e.getKey() == null ? "" : e.getKey().toUpperCase(Locale.ROOT);
            if (!allowed.contains(name)) {
                throw invalid("Property '" + e.getKey() + "' cannot be set with type " + s + ".");
            }
            if (NUMERIC.contains(name) && (e.getValue() == null || !e.getValue().trim().matches("-?\\d{1,18}"))) {
                throw invalid("Property '" + name + "' must be a number.");
            }
            if (e.getValue() != null && e.getValue().length() > 4000) {
                throw invalid("Property '" + name + "' is longer than 4000 characters.");
            }
        }
        if (!fields.isEmpty() && !"USER".equals(s)) {
            throw invalid("Custom fields can only be set with type USER.");
        }
        for (SessionInfo.CustomField f : fields) {
            if (f.name() == null || f.name().isBlank() || f.name().length() > 200) {
                throw invalid("Every custom field needs a name of at most 200 characters.");
            }
        }
        java.util.LinkedHashMap<String, Boolean> result = new java.util.LinkedHashMap<>();
        db.inTransaction(c -> {
            Instant now = clock.instant();
            for (Map.Entry<String, String> e : properties.entrySet()) {
                String name = e.getKey().toUpperCase(Locale.ROOT);
                store.setProperty(c, engagementId, s, name, e.getValue() == null ? null : e.getValue().trim(), now);
                result.put(name, true);
            }
            for (SessionInfo.CustomField f : fields) {
                store.setProperty(c, engagementId, "FIELD", f.name(), f.value(), now);
                result.put(f.name(), true);
            }
            return null;
        });
        return result;
    }

    /** Where a reroute would send the engagement, and how busy it is there. */
    public record RerouteTarget(Queue queue, int waiting, int availableAgents, int expectedWaitSeconds) {
    }

    public Optional<RerouteTarget> rerouteTarget(String sessionId, long engagementId, QueueStatistics statistics) {
        participant(sessionId, engagementId);
        EngagementRow e = store.find(engagementId).orElseThrow(() -> engagementUnknown(engagementId));
        return queues.byId(e.queueId()).map(Queue::escalationQueueId).flatMap(queues::byId).map(q -> {
            QueueStatistics.Stats stats = statistics.of(q);
            return new RerouteTarget(q, stats.waiting(), stats.agents().availableWithCapacity(), stats.expectedWaitSeconds());
        });
    }

    /** The agents and queues of the agent's site, for transfer and conference choices. */
    public record Directory(List<AgentSession> agents, List<Queue> queues) {
    }

    public Directory directory(String sessionId) {
        AgentSession me = session(sessionId).orElseThrow(() -> notFound("SESSION_UNKNOWN", "No such agent session."));
        List<AgentSession> live = agents.liveSessions(me.siteId()).stream().map(AgentService::view).toList();
        return new Directory(live, List.copyOf(queues.ofSite(me.siteId()).values()));
    }

    /** The session's inbox after {@code afterSeq}. */
    public List<AgentMessage> messages(String sessionId, long afterSeq) {
        return engagements.agentMessages(sessionId, afterSeq);
    }

    /** Where the session's polls start when the client names no cursor. */
    public long deliveredSeq(String sessionId) {
        return agents.session(sessionId).map(SessionRow::deliveredSeq).orElse(0L);
    }

    public void delivered(String sessionId, long seq) {
        agents.advanceDelivered(sessionId, seq);
    }

    /** Whether the account takes chats from the queue. */
    public boolean serves(long accountId, long queueId) {
        return db.read(c -> agents.isMember(c, accountId, queueId));
    }

    /** How many chats an agent holds (lead or conferee, not released). */
    public int load(String sessionId) {
        SessionRow s = agents.session(sessionId).orElseThrow(() -> notFound("SESSION_UNKNOWN", "No such agent session."));
        return db.read(c -> agents.load(c, s.accountId(), s.id()));
    }

    // ------------------------------------------------------------------ internals

    private SessionRow lockLive(Connection c, String sessionId) throws SQLException {
        return agents.lockSession(c, sessionId).filter(s -> s.endedAt() == null)
                .orElseThrow(() -> notFound("SESSION_UNKNOWN", "No such agent session."));
    }

    private OfferRow pendingOffer(Connection c, long engagementId, String sessionId, AssignmentType type)
            throws SQLException {
        return agents.pendingOffersOf(c, sessionId).stream()
                .filter(o -> o.engagementId() == engagementId && type.name().equals(o.assignmentType()))
                .findFirst()
                .orElseThrow(() -> conflict("NO_OFFER", "There is no pending " + type + " offer of this engagement."));
    }

    private Optional<ParticipantRow> leadOf(Connection c, long engagementId) throws SQLException {
        return store.participants(c, engagementId).stream()
                .filter(p -> Role.LEAD.name().equals(p.role()) && p.releasedAt() == null && p.leftAt() == null)
                .findFirst();
    }

    private Optional<ParticipantRow> firstConferee(Connection c, long engagementId) throws SQLException {
        return store.participants(c, engagementId).stream()
                .filter(p -> Role.CONFEREE.name().equals(p.role()) && p.releasedAt() == null && p.leftAt() == null)
                .findFirst();
    }

    private Optional<ParticipantRow> mine(Connection c, long engagementId, SessionRow s) throws SQLException {
        return store.participants(c, engagementId).stream()
                .filter(p -> p.accountId() != null && p.accountId() == s.accountId() && p.releasedAt() == null)
                .findFirst();
    }

    private void requireOpen(long engagementId) {
        EngagementRow e = store.find(engagementId).orElseThrow(() -> engagementUnknown(engagementId));
        if (EngagementState.CONCLUDED.name().equals(e.state())) {
            throw conflict("ENGAGEMENT_CONCLUDED", "The engagement has concluded.");
        }
    }

    private static void requireActive(EngagementRow e) {
        if (!EngagementState.ACTIVE.name().equals(e.state())) {
            throw conflict("NOT_ACTIVE", "The engagement is not in progress.");
        }
    }

    private TenantStore.AccountRow agentAccount(long accountId) {
        return tenants.account(accountId).filter(a -> "AGENT".equals(a.role()) && a.siteId() != null)
                .orElseThrow(() -> notFound("AGENT_UNKNOWN", "No agent " + accountId + "."));
    }

    private static AgentSession view(SessionRow s) {
        return new AgentSession(s.id(), s.accountId(), s.siteId(), s.username(), s.displayName(), s.status(),
                s.maxSessions(), s.autoAccept(), s.away());
    }

    static EngagementException conflict(String code, String message) {
        return new EngagementException(EngagementException.Kind.CONFLICT, code, message);
    }

    private static EngagementException invalid(String message) {
        return new EngagementException(EngagementException.Kind.INVALID, "INVALID_FIELD", message);
    }

    private static EngagementException notFound(String code, String message) {
        return new EngagementException(EngagementException.Kind.NOT_FOUND, code, message);
    }

    private static EngagementException engagementUnknown(long engagementId) {
        return new EngagementException(EngagementException.Kind.NOT_FOUND, "ENGAGEMENT_ID_UNKNOWN",
                "No engagement " + engagementId + ".");
    }
}
