package io.parley.engagement;

import io.parley.store.AgentStore;
import io.parley.store.AgentStore.OfferRow;
import io.parley.store.AgentStore.SessionRow;
import io.parley.store.EngagementStore;
import io.parley.store.EngagementStore.EngagementRow;
import io.parley.store.Site;
import io.parley.store.SiteDirectory;
import io.parley.store.TenantStore;
import io.parley.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Agent sessions: logging on and off, status, asking for chats and capacity, liveness, and what
 * an agent sees of its site (the directory, its inbox).
 */
public final class AgentPresence {

    private static final System.Logger LOG = System.getLogger(AgentPresence.class.getName());

    private final AgentStore agents;
    private final EngagementStore store;
    private final Assignments assignments;
    private final Offers offers;
    private final Queues queues;
    private final TenantStore tenants;
    private final SiteDirectory sites;
    private final Journal journal;
    private final OpenSessions openSessions;
    private final Clock clock;
    private final AgentSettings settings;

    public AgentPresence(AgentStore agents, EngagementStore store, Assignments assignments, Offers offers, Queues queues,
                         TenantStore tenants, SiteDirectory sites, Journal journal, OpenSessions openSessions, Clock clock,
                         AgentSettings settings) {
        this.agents = agents;
        this.store = store;
        this.assignments = assignments;
        this.offers = offers;
        this.queues = queues;
        this.tenants = tenants;
        this.sites = sites;
        this.journal = journal;
        this.openSessions = openSessions;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Logs an agent on. With {@code logonOverride} an existing session is taken over: it ends, its
     * chats continue in the new session, whose channel starts again at sequence 1.
     *
     * @throws EngagementException CONFLICT when the agent is logged on and did not ask to take over
     */
    public AgentSession logon(long accountId, boolean logonOverride, boolean autoAccept) {
        TenantStore.AccountRow account = tenants.account(accountId).filter(a -> "AGENT".equals(a.role()) && a.siteId() != null)
                .orElseThrow(() -> EngagementException.notFound("AGENT_UNKNOWN", "No agent " + accountId + "."));
        Site site = sites.byId(account.siteId())
                .orElseThrow(() -> EngagementException.notFound("SITE_UNKNOWN", "The agent's site is gone."));
        String id = SecureIds.next();
        int capacity = account.maxSessions() == null ? 0 : account.maxSessions();
        journal.write((tx, changes) -> {
            Instant now = clock.instant();
            Optional<SessionRow> live = agents.liveSessionOf(tx, accountId);
            if (live.isPresent()) {
                if (!logonOverride) {
                    throw EngagementException.conflict("ALREADY_LOGGED_ON",
                            "The agent is logged on already; set logonOverride to take over.");
                }
                agents.lockSession(tx, live.get().id());
                for (OfferRow o : agents.pendingOffersOf(tx, live.get().id())) {
                    agents.answerOffer(tx, o.id(), "WITHDRAWN", now);
                }
                agents.endSession(tx, live.get().id(), now);
                changes.agent(live.get().id());
                changes.sessionEnded(live.get().id());
                changes.routing();
            }
            agents.insertSession(tx, id, accountId, site.id(), capacity, autoAccept, now);
            store.rebindAgentSession(tx, accountId, id);
            journal.notify(tx, id, new AgentNotice.ConfigChange(site.pool(), capacity, "NONE", autoAccept), null, now,
                    changes);
            return null;
        });
        LOG.log(System.Logger.Level.INFO, "Agent {0} logged on (site {1}{2})", account.username(), site.name(),
                logonOverride ? ", taking over" : "");
        return session(id).orElseThrow();
    }

    /** The live session with this id, if any. */
    public Optional<AgentSession> session(String sessionId) {
        return live(agents, sessionId).map(AgentSession::of);
    }

    /** Whose live session this is, if it is one: what every agent call is checked against, read once per session. */
    public Optional<AgentSession.Identity> identity(String sessionId) {
        Optional<AgentSession.Identity> known = sessionId == null ? Optional.empty() : openSessions.agent(sessionId);
        if (known.isPresent()) {
            return known;
        }
        Optional<AgentSession.Identity> read = live(agents, sessionId)
                .map(s -> new AgentSession.Identity(s.id(), s.accountId(), s.siteId()));
        read.ifPresent(openSessions::put);
        return read;
    }

    static Optional<SessionRow> live(AgentStore agents, String sessionId) {
        if (sessionId == null || sessionId.isBlank() || sessionId.length() > 64) {
            return Optional.empty();
        }
        return agents.session(sessionId).filter(s -> s.endedAt() == null);
    }

    /**
     * Notes that the agent is there (any call); an agent marked away comes back. The last-seen time
     * is written at most every {@link AgentStore#TOUCH_EVERY} per node: an agent seen that recently
     * cannot have been marked away, as away takes far longer ({@link AgentSettings#awayAfter}).
     */
    public void touch(String sessionId) {
        Instant now = clock.instant();
        if (openSessions.touchedAfter(sessionId, now.minus(AgentStore.TOUCH_EVERY))) {
            return;
        }
        agents.touch(sessionId, now);
        openSessions.touched(sessionId, now);
    }

    /** Sets the agent's status; offers pending for an agent that is no longer available go to others. */
    public void setStatus(String sessionId, String status, int subTypeId) {
        journal.write((tx, changes) -> {
            Instant now = clock.instant();
            SessionRow s = lockLive(tx, sessionId);
            agents.setStatus(tx, sessionId, status, subTypeId, now);
            if (!"AVAILABLE".equals(status)) {
                offers.withdrawLeadOffers(tx, s.id(), "UNAVAILABLE", now, changes);
            }
            changes.routing();
            return null;
        });
    }

    /**
     * The agent asks for chats (or stops asking), with its capacity: at most {@code maxSessions}
     * chats at once, and never more than the account allows when it sets a limit.
     */
    public int requestAssignment(String sessionId, boolean requested, int maxSessions) {
        AgentSession before = session(sessionId).orElseThrow(AgentPresence::sessionUnknown);
        Integer limit = tenants.account(before.accountId()).map(TenantStore.AccountRow::maxSessions).orElse(null);
        int effective = limit == null ? maxSessions : Math.min(maxSessions, limit);
        Site site = sites.byId(before.siteId()).orElseThrow();
        return journal.write((tx, changes) -> {
            Instant now = clock.instant();
            SessionRow s = lockLive(tx, sessionId);
            agents.setAssignment(tx, sessionId, requested, effective);
            if (!requested) {
                offers.withdrawLeadOffers(tx, sessionId, "UNAVAILABLE", now, changes);
            }
            if (effective != s.maxSessions()) {
                journal.notify(tx, sessionId, new AgentNotice.ConfigChange(site.pool(), effective, s.status(),
                        s.autoAccept()), null, now, changes);
            }
            changes.routing();
            return effective;
        });
    }

    /**
     * Ends the agent's session. Its live chats go back to their queues ahead of new arrivals (or to
     * a conferee, who becomes the lead); chats in wrap-up are released.
     *
     * @throws EngagementException CONFLICT when the agent has live chats and did not force the logoff
     */
    public void logoff(String sessionId, boolean force) {
        SessionRow s = live(agents, sessionId).orElseThrow(AgentPresence::sessionUnknown);
        List<Long> held = journal.unitOfWork().query(tx -> store.heldBy(tx, s.accountId()));
        boolean busy = held.stream().map(store::find).flatMap(Optional::stream)
                .anyMatch(e -> e.state() == EngagementState.ACTIVE);
        if (busy && !force) {
            throw EngagementException.conflict("LIVE_CHATS",
                    "The agent has live chats; set forceLogoff to return them to their queues.");
        }
        for (long engagementId : held) {
            assignments.leaveEngagement(s, engagementId, "TRANSFERRED_TO_QUEUE");
        }
        journal.write((tx, changes) -> {
            Instant now = clock.instant();
            agents.lockSession(tx, sessionId);
            offers.withdrawLeadOffers(tx, sessionId, "LOGGED_OFF", now, changes);
            agents.endSession(tx, sessionId, now);
            changes.sessionEnded(sessionId);
            changes.routing();
            return null;
        });
        LOG.log(System.Logger.Level.INFO, "Agent {0} logged off", s.username());
    }

    /** Marks away the agents whose calls stopped; their pending offers move on. */
    public int markAway() {
        List<String> away = agents.markAway(clock.instant().minus(settings.awayAfter()));
        for (String sessionId : away) {
            openSessions.away(sessionId);
            journal.write((tx, changes) -> {
                offers.withdrawLeadOffers(tx, sessionId, "AWAY", clock.instant(), changes);
                changes.routing();
                return null;
            });
            LOG.log(System.Logger.Level.INFO, "Agent session {0} is away: no call for {1}", sessionId, settings.awayAfter());
        }
        return away.size();
    }

    // ------------------------------------------------------------------ what the agent sees

    /** Where a reroute would send the engagement, and how busy it is there. */
    public record RerouteTarget(Queue queue, int waiting, int availableAgents, int expectedWaitSeconds) {
    }

    public Optional<RerouteTarget> rerouteTarget(String sessionId, long engagementId, QueueStatistics statistics) {
        assignments.participant(sessionId, engagementId);
        EngagementRow e = store.find(engagementId).orElseThrow(() -> Assignments.engagementUnknown(engagementId));
        return queues.byId(e.queueId()).map(Queue::escalationQueueId).flatMap(queues::byId).map(q -> {
            QueueStatistics.Stats stats = statistics.of(q);
            return new RerouteTarget(q, stats.waiting(), stats.agents().availableWithCapacity(), stats.expectedWaitSeconds());
        });
    }

    /** The agents and queues of the agent's site, for transfer and conference choices. */
    public record Directory(List<AgentSession> agents, List<Queue> queues) {
    }

    public Directory directory(String sessionId) {
        AgentSession me = session(sessionId).orElseThrow(AgentPresence::sessionUnknown);
        List<AgentSession> live = agents.liveSessions(me.siteId()).stream().map(AgentSession::of).toList();
        return new Directory(live, List.copyOf(queues.ofSite(me.siteId()).values()));
    }

    /** Whether the account takes chats from the queue. */
    public boolean serves(long accountId, long queueId) {
        return journal.unitOfWork().query(tx -> agents.isMember(tx, accountId, queueId));
    }

    /** How many chats an agent holds (lead or conferee, not released). */
    public int load(String sessionId) {
        SessionRow s = agents.session(sessionId).orElseThrow(AgentPresence::sessionUnknown);
        return journal.unitOfWork().query(tx -> agents.load(tx, s.accountId(), s.id()));
    }

    private SessionRow lockLive(Tx tx, String sessionId) {
        return lockLive(agents, tx, sessionId);
    }

    /** The live session, locked for the transaction; NOT_FOUND when it has ended. */
    static SessionRow lockLive(AgentStore agents, Tx tx, String sessionId) {
        return agents.lockSession(tx, sessionId).filter(s -> s.endedAt() == null)
                .orElseThrow(AgentPresence::sessionUnknown);
    }

    static EngagementException sessionUnknown() {
        return EngagementException.notFound("SESSION_UNKNOWN", "No such agent session.");
    }
}
