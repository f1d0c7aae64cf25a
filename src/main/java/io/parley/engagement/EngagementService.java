package io.parley.engagement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.store.AgentStore;
import io.parley.store.Database;
import io.parley.store.EngagementStore;
import io.parley.store.EngagementStore.EngagementRow;
import io.parley.store.EngagementStore.EventRow;
import io.parley.store.EngagementStore.ParticipantRow;
import io.parley.store.Site;
import io.parley.store.SiteDirectory;
import io.parley.store.StoreException;
import io.parley.store.StoreUnavailableException;
import io.parley.store.TenantStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The life of engagements: admission into a queue, messages, activity, participants joining
 * and leaving, conclusion. Every change is one database transaction that appends events with
 * gap-free sequence numbers; after it commits, {@link EngagementSignals} wakes whoever waits.
 */
public final class EngagementService {

    private static final System.Logger LOG = System.getLogger(EngagementService.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int PAGE = 200;
    private static final Duration HISTORY_WINDOW = Duration.ofHours(1);
    static final String ERASED = "{\"body\":\"\",\"richText\":false,\"messageData\":{}}";

    private final EngagementStore store;
    private final AgentStore agents;
    private final Database db;
    private final Queues queues;
    private final ChatSessions chatSessions;
    private final SiteDirectory sites;
    private final TenantStore tenants;
    private final EngagementSignals signals;
    private final Clock clock;
    private final int maxMessageChars;
    private final Duration concludedGrace;
    private final Set<Long> staleQueues = ConcurrentHashMap.newKeySet();
    private final AgentInbox inbox;

    public EngagementService(EngagementStore store, AgentStore agents, Queues queues, ChatSessions chatSessions,
                             SiteDirectory sites, TenantStore tenants, EngagementSignals signals, Clock clock,
                             int maxMessageChars, Duration concludedGrace) {
        this.store = store;
        this.agents = agents;
        this.inbox = new AgentInbox(agents);
        this.db = store.database();
        this.queues = queues;
        this.chatSessions = chatSessions;
        this.sites = sites;
        this.tenants = tenants;
        this.signals = signals;
        this.clock = clock;
        this.maxMessageChars = maxMessageChars;
        this.concludedGrace = concludedGrace;
    }

    // ------------------------------------------------------------------ views

    /** An engagement as its callers need it. */
    public record Engagement(long id, long siteId, String consumerSession, long queueId, EngagementState state,
                             Instant queuedAt, Instant concludedAt, long lastSeq) {
    }

    /** A participant of an engagement; the id is the clientId clients see. */
    public record Participant(long id, long engagementId, String kind, Role role, Long accountId, String name,
                              String greeting, boolean left) {
    }

    /** A consumer session: the engagement behind a SessionId and the end user's participant. */
    public record ConsumerSessionView(String sessionId, String siteName, long engagementId, long participantId,
                                      boolean usable) {
    }

    /** Events for one reader: those it may see, and how far the read went (its next cursor). */
    public record Batch(List<Event> events, long readUpTo) {
    }

    public Optional<Engagement> engagement(long id) {
        return store.find(id).map(EngagementService::view);
    }

    /** The engagement a participant (clientId) belongs to. */
    public Optional<Long> engagementOfParticipant(long participantId) {
        return store.engagementOfParticipant(participantId);
    }

    public List<Participant> participants(long engagementId) {
        return store.participants(engagementId).stream().map(EngagementService::view).toList();
    }

    /**
     * The consumer session behind a {@code SessionId}. It stays usable after the engagement
     * concluded until the closing messages were delivered or the grace period has passed.
     */
    public Optional<ConsumerSessionView> consumerSession(String sessionId) {
        if (sessionId == null || sessionId.isBlank() || sessionId.length() > 64) {
            return Optional.empty();
        }
        return store.findConsumer(sessionId).flatMap(row -> {
            EngagementRow e = row.engagement();
            Optional<Site> site = sites.byId(e.siteId());
            if (site.isEmpty()) {
                return Optional.empty();
            }
            boolean usable = !EngagementState.CONCLUDED.name().equals(e.state())
                    || (clock.instant().isBefore(e.concludedAt().plus(concludedGrace)) && row.deliveredSeq() < e.lastSeq());
            return Optional.of(new ConsumerSessionView(sessionId, site.get().name(), e.id(), row.participantId(), usable));
        });
    }

    // ------------------------------------------------------------------ admission

    /** The outcome of asking for an engagement. */
    public sealed interface Admission {
        /** In the queue (or there already: the same token asked before). */
        record Admitted(Engagement engagement, long participantId, boolean replay) implements Admission {
        }

        /** The queue is at capacity: wait for a place, then ask again. */
        record QueueFull(long queueId) implements Admission {
        }
    }

    /**
     * Puts the consumer of chat session {@code chatSessionId} into the queue its session
     * information routes to. One chat session yields at most one engagement: asking again
     * returns the same one.
     *
     * @throws EngagementException REFUSED when routing refuses (closed queue, a rejecting rule)
     */
    public Admission requestEngagement(String chatSessionId, Site site) {
        Optional<Admission> existing = existingAdmission(chatSessionId);
        if (existing.isPresent()) {
            return existing.get();
        }
        ChatSession cs = chatSessions.find(chatSessionId)
                .filter(s -> s.siteId() == site.id())
                .orElseThrow(() -> new EngagementException(EngagementException.Kind.SESSION_ENDED, "SESSION_UNKNOWN",
                        "The chat session of this token does not exist."));
        Router.Decision decision = Router.route(cs.info(), queues.rulesOf(site.id()), queues.ofSite(site.id()),
                site.defaultQueueId(), clock.instant());
        Queue queue = decision.queue();
        Changes changes = new Changes();
        Admission result;
        try {
            result = db.inTransaction(c -> {
                store.lockQueue(c, queue.id());
                if (queue.maxWaiting() != null && store.countQueued(c, queue.id()) >= queue.maxWaiting()) {
                    return new Admission.QueueFull(queue.id());
                }
                Instant now = clock.instant();
                long id = store.insertEngagement(c, site.id(), chatSessionId, SecureIds.next(), queue.id(), now);
                long participant = store.insertParticipant(c, id, "END_USER", Role.END_USER.name(), null,
                        cs.info().displayName(), null, now);
                announceArrival(c, queue, id, changes);
                changes.routing();
                return new Admission.Admitted(view(store.lock(c, id).orElseThrow()), participant, false);
            });
        } catch (StoreException e) {
            // Two requests with the same token raced; the loser answers with the winner's engagement.
            Optional<Admission> raced = e instanceof StoreUnavailableException ? Optional.empty()
                    : existingAdmission(chatSessionId);
            if (raced.isPresent()) {
                return raced.get();
            }
            throw e;
        }
        signal(changes);
        if (result instanceof Admission.Admitted a) {
            LOG.log(System.Logger.Level.INFO, "Engagement {0} queued in queue {1} (site {2}{3})", a.engagement().id(),
                    queue.id(), site.name(), decision.rule() == null ? "" : ", rule " + decision.rule().name());
        }
        return result;
    }

    private Optional<Admission> existingAdmission(String chatSessionId) {
        return store.findByChatSession(chatSessionId).map(e -> {
            long participant = store.participants(e.id()).stream().filter(p -> "END_USER".equals(p.kind()))
                    .mapToLong(ParticipantRow::id).findFirst().orElseThrow();
            return new Admission.Admitted(view(e), participant, true);
        });
    }

    /** The queue a new engagement with this session information would enter, without entering it. */
    public Router.Decision route(Site site, SessionInfo info) {
        return Router.route(info, queues.rulesOf(site.id()), queues.ofSite(site.id()), site.defaultQueueId(),
                clock.instant());
    }

    // ------------------------------------------------------------------ messages and activity

    /** A chat message to post. */
    public record PostCommand(String body, boolean richText, boolean offRecord, String messageId,
                              Map<String, String> messageData, Visibility visibility) {
    }

    /** A stored message: its sequence number and time; {@code replay} when the messageId was seen before. */
    public record Posted(long seq, Instant createdAt, String messageId, boolean replay) {
    }

    /**
     * Posts a message from participant {@code participantId}. A repeated {@code messageId} from
     * the same participant stores nothing new and answers like the first post.
     */
    public Posted post(long engagementId, long participantId, PostCommand cmd) {
        if (cmd.body() == null) {
            throw new EngagementException(EngagementException.Kind.INVALID, "INVALID_FIELD", "Field 'body' is required.");
        }
        if (cmd.body().length() > maxMessageChars) {
            throw new EngagementException(EngagementException.Kind.INVALID, "MESSAGE_TOO_LONG",
                    "The message is longer than " + maxMessageChars + " characters.");
        }
        if (cmd.messageId() != null && cmd.messageId().length() > 200) {
            throw new EngagementException(EngagementException.Kind.INVALID, "INVALID_FIELD",
                    "Field 'messageId' is longer than 200 characters.");
        }
        Changes changes = new Changes();
        Posted posted = db.inGroupTransaction(c -> {
            EngagementRow e = lockOpen(c, engagementId);
            requireParticipant(c, e, participantId);
            if (cmd.messageId() != null) {
                Optional<EventRow> earlier = store.eventByMessageId(c, engagementId, participantId, cmd.messageId());
                if (earlier.isPresent()) {
                    return new Posted(earlier.get().seq(), earlier.get().createdAt(), cmd.messageId(), true);
                }
            }
            Instant now = clock.instant();
            long seq = append(c, engagementId, EventType.MESSAGE_POSTED, participantId, cmd.visibility(), cmd.offRecord(),
                    cmd.messageId(), new EventPayload.MessagePosted(cmd.body(), cmd.richText(), cmd.messageData()), now,
                    changes);
            if (cmd.offRecord()) {
                store.markOffRecordPending(c, engagementId);
            }
            return new Posted(seq, now, cmd.messageId(), false);
        });
        signal(changes);
        return posted;
    }

    /** Records what a participant is doing (typing, listening), with the sneak preview. */
    public long setActivity(long engagementId, long participantId, ActivityMode mode, String sneakPreview,
                            boolean sneakPreviewFocus) {
        if (sneakPreview != null && sneakPreview.length() > maxMessageChars) {
            throw new EngagementException(EngagementException.Kind.INVALID, "INVALID_FIELD",
                    "The sneak preview is longer than " + maxMessageChars + " characters.");
        }
        Changes changes = new Changes();
        long seq = db.inGroupTransaction(c -> {
            EngagementRow e = lockOpen(c, engagementId);
            requireParticipant(c, e, participantId);
            return append(c, engagementId, EventType.ACTIVITY_CHANGED, participantId, Visibility.ALL, false, null,
                    new EventPayload.ActivityChanged(mode, sneakPreview, sneakPreviewFocus), clock.instant(), changes);
        });
        signal(changes);
        return seq;
    }

    // ------------------------------------------------------------------ participants

    /**
     * An agent takes a waiting engagement as its lead: the engagement leaves the queue and the
     * consumer sees the agent join with the agent's greeting.
     *
     * @throws EngagementException CONFLICT when the engagement is no longer waiting
     */
    public Participant acceptAsLead(long engagementId, long accountId) {
        TenantStore.AccountRow account = tenants.account(accountId)
                .filter(a -> "AGENT".equals(a.role()))
                .orElseThrow(() -> new EngagementException(EngagementException.Kind.NOT_FOUND, "AGENT_UNKNOWN",
                        "No agent " + accountId + "."));
        EngagementRow before = store.find(engagementId).orElseThrow(() -> unknown(engagementId));
        Changes changes = new Changes();
        Participant p = db.inTransaction(c -> {
            store.lockQueue(c, before.queueId());
            EngagementRow e = store.lock(c, engagementId).orElseThrow(() -> unknown(engagementId));
            if (e.siteId() != (account.siteId() == null ? -1 : account.siteId())) {
                throw unknown(engagementId);
            }
            Instant now = clock.instant();
            if (!store.activate(c, engagementId, now)) {
                throw new EngagementException(EngagementException.Kind.CONFLICT, "NOT_QUEUED",
                        "The engagement is no longer waiting for an agent.");
            }
            String greeting = account.greeting() == null ? "" : account.greeting();
            long id = store.insertParticipant(c, engagementId, "AGENT", Role.LEAD.name(), accountId,
                    account.displayName(), greeting, now);
            append(c, engagementId, EventType.PARTICIPANT_ADDED, id, Visibility.ALL, false, null,
                    new EventPayload.ParticipantAdded(id, account.displayName(), Role.LEAD, greeting), now, changes);
            changes.queueChanged(before.queueId());
            return new Participant(id, engagementId, "AGENT", Role.LEAD, accountId, account.displayName(), greeting, false);
        });
        signal(changes);
        return p;
    }

    /** A participant leaves the engagement, for {@code reason} (e.g. PARTICIPANT_LEFT). */
    public void leave(long engagementId, long participantId, String reason) {
        Changes changes = new Changes();
        db.inTransaction(c -> {
            EngagementRow e = store.lock(c, engagementId).orElseThrow(() -> unknown(engagementId));
            ParticipantRow p = requireParticipant(c, e, participantId);
            Instant now = clock.instant();
            if (!store.leave(c, participantId, reason, now)) {
                return false;
            }
            append(c, engagementId, EventType.PARTICIPANT_LEFT, participantId, Visibility.ALL, false, null,
                    new EventPayload.ParticipantLeft(participantId, p.name(), Role.valueOf(p.role()), reason), now,
                    changes);
            return true;
        });
        signal(changes);
    }

    // ------------------------------------------------------------------ conclusion

    /**
     * Ends the engagement. Concluding an engagement that has ended already changes nothing and
     * is not an error (a retried conclude answers like the first).
     *
     * @param participantId who concludes, or null for the system (queue timeout)
     * @return true when this call concluded it
     */
    public boolean conclude(long engagementId, Long participantId, ConcludeReason reason) {
        EngagementRow before = store.find(engagementId).orElseThrow(() -> unknown(engagementId));
        if (EngagementState.CONCLUDED.name().equals(before.state())) {
            return false;
        }
        Changes changes = new Changes();
        boolean wasQueued = EngagementState.QUEUED.name().equals(before.state());
        boolean concluded = db.inTransaction(c -> {
            if (wasQueued) {
                store.lockQueue(c, before.queueId());
            }
            EngagementRow e = store.lock(c, engagementId).orElseThrow(() -> unknown(engagementId));
            Role role = null;
            if (participantId != null) {
                role = Role.valueOf(requireParticipant(c, e, participantId).role());
            }
            Instant now = clock.instant();
            if (!store.conclude(c, engagementId, reason.name(), now)) {
                return false;
            }
            append(c, engagementId, EventType.CONCLUDED, participantId, Visibility.ALL, false, null,
                    new EventPayload.Concluded(reason, role), now, changes);
            if (wasQueued) {
                changes.queueChanged(before.queueId());
                for (AgentStore.OfferRow o : agents.withdrawOffers(c, engagementId, now)) {
                    notifyWithdrawn(c, o, "CONCLUDED", now, changes);
                }
            }
            return true;
        });
        signal(changes);
        if (concluded) {
            LOG.log(System.Logger.Level.INFO, "Engagement {0} concluded: {1}", engagementId, reason);
        }
        return concluded;
    }

    /** Concludes every engagement that waited longer than its queue allows (QUEUE_TIMEOUT). */
    public int concludeTimedOut() {
        int n = 0;
        Instant now = clock.instant();
        for (Queue q : queues.all()) {
            if (q.timeoutSeconds() == null) {
                continue;
            }
            for (long id : store.queuedBefore(q.id(), now.minusSeconds(q.timeoutSeconds()))) {
                if (conclude(id, null, ConcludeReason.QUEUE_TIMEOUT)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Erases off-the-record messages of engagements that ended more than the grace period ago. */
    public int eraseOffRecord() {
        return store.eraseOffRecord(clock.instant().minus(concludedGrace), ERASED);
    }

    // ------------------------------------------------------------------ reading events

    /**
     * The events after {@code afterSeq} that the end user {@code participantId} may see: not agent-only
     * ones, and not their own posts and typing. Reads on past invisible events so a reader is never
     * stuck behind them.
     */
    public Batch eventsForEndUser(long engagementId, long participantId, long afterSeq) {
        long cursor = afterSeq;
        while (true) {
            List<EventRow> rows = store.eventsAfter(engagementId, cursor, PAGE);
            List<Event> visible = new ArrayList<>();
            for (EventRow r : rows) {
                Event e = event(r);
                if (visibleToEndUser(e, participantId)) {
                    visible.add(e);
                }
                cursor = r.seq();
            }
            if (!visible.isEmpty() || rows.size() < PAGE) {
                return new Batch(visible, cursor);
            }
        }
    }

    /** Every stored event of the engagement, whoever may see it, in order (off-the-record ones are erased once ended). */
    public List<Event> transcript(long engagementId) {
        List<Event> all = new ArrayList<>();
        long cursor = 0;
        while (true) {
            List<EventRow> rows = store.eventsAfter(engagementId, cursor, PAGE);
            for (EventRow r : rows) {
                all.add(event(r));
                cursor = r.seq();
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
        boolean own = e.actorId() != null && e.actorId() == participantId;
        return !(own && (e.type() == EventType.MESSAGE_POSTED || e.type() == EventType.ACTIVITY_CHANGED));
    }

    /** Records that a participant's polls have received everything up to {@code seq}. */
    public void delivered(long participantId, long seq) {
        store.advanceDelivered(participantId, seq);
    }

    /** The delivery cursor a participant's polls start from when the client names none. */
    public long deliveredSeq(long engagementId, long participantId) {
        return store.participants(engagementId).stream().filter(p -> p.id() == participantId)
                .mapToLong(ParticipantRow::deliveredSeq).findFirst().orElse(0);
    }

    // ------------------------------------------------------------------ queue bookkeeping

    /** How many engagements wait in the queue now. */
    public int waiting(long queueId) {
        return db.read(c -> store.countQueued(c, queueId));
    }

    /** Whether the queue could take one more engagement now. */
    public boolean hasRoom(Queue queue) {
        return queue.maxWaiting() == null || waiting(queue.id()) < queue.maxWaiting();
    }

    /** The wait estimates of a queue from its recent history. */
    public WaitEstimator estimator(Queue queue) {
        return db.read(c -> estimator(c, queue));
    }

    private WaitEstimator estimator(Connection c, Queue queue) throws SQLException {
        Instant now = clock.instant();
        List<EngagementStore.Departure> departures = store.departuresSince(c, queue.id(), now.minus(HISTORY_WINDOW), 50);
        List<Duration> waits = departures.stream().map(d -> Duration.between(d.queuedAt(), d.acceptedAt())).toList();
        Duration span = departures.isEmpty() ? Duration.ZERO
                : Duration.between(departures.get(departures.size() - 1).acceptedAt(), now);
        return new WaitEstimator(queue.defaultWaitSeconds(), new WaitEstimator.History(waits, span));
    }

    /**
     * Signals what a committed transaction touched. Queues someone left get their new wait
     * information from {@link #refreshStaleQueues()}, outside the transaction that changed them,
     * so an agent's accept does not write an event per waiting consumer while it holds the
     * queue's lock, and a burst of departures costs one refresh.
     */
    void signal(Changes changes) {
        changes.engagements.forEach(signals::engagementChanged);
        changes.agents.forEach(signals::agentChanged);
        for (long queueId : changes.changedQueues) {
            staleQueues.add(queueId);
            signals.queueChanged(queueId);
        }
        if (changes.routing) {
            signals.routingNeeded();
        }
    }

    /**
     * Sends new wait information to the waiting consumers of every queue someone left since the
     * last call (run every few hundred milliseconds).
     *
     * @return how many queues were refreshed
     */
    public int refreshStaleQueues() {
        int n = 0;
        for (Long queueId : List.copyOf(staleQueues)) {
            staleQueues.remove(queueId);
            Optional<Queue> queue = queues.byId(queueId);
            if (queue.isEmpty()) {
                continue;
            }
            Changes changes = new Changes();
            db.inTransaction(c -> {
                store.lockQueue(c, queueId);
                refreshWaitInfo(c, queue.get(), changes);
                return null;
            });
            signal(changes);
            n++;
        }
        return n;
    }

    /**
     * Sends a newcomer its wait information. An arrival at the back of the queue moves no one
     * else, and the estimates depend only on departures, so nobody else needs a new message.
     */
    private void announceArrival(Connection c, Queue queue, long engagementId, Changes changes) throws SQLException {
        int position = store.countQueued(c, queue.id());
        WaitEstimator est = estimator(c, queue);
        int expected = est.expectedWaitSeconds(position);
        append(c, engagementId, EventType.WAIT_INFO_CHANGED, null, Visibility.ALL, false, null,
                new EventPayload.WaitInfo(position, expected, est.averageWaitSeconds()), clock.instant(), changes);
        store.setWaitInfo(c, engagementId, position, expected);
    }

    /**
     * Sends new wait information to every waiting engagement of the queue whose position or
     * expected wait changed. Runs in a transaction that holds the queue's lock.
     *
     */
    private void refreshWaitInfo(Connection c, Queue queue, Changes changes) throws SQLException {
        List<EngagementStore.QueuedRow> waiting = store.queued(c, queue.id());
        if (waiting.isEmpty()) {
            return;
        }
        WaitEstimator est = estimator(c, queue);
        int average = est.averageWaitSeconds();
        Instant now = clock.instant();
        for (int i = 0; i < waiting.size(); i++) {
            EngagementStore.QueuedRow row = waiting.get(i);
            int position = i + 1;
            int expected = est.expectedWaitSeconds(position);
            if (Integer.valueOf(position).equals(row.lastPosition()) && Integer.valueOf(expected).equals(row.lastExpectedWait())) {
                continue;
            }
            append(c, row.id(), EventType.WAIT_INFO_CHANGED, null, Visibility.ALL, false, null,
                    new EventPayload.WaitInfo(position, expected, average), now, changes);
            store.setWaitInfo(c, row.id(), position, expected);
        }
    }

    // ------------------------------------------------------------------ agent inboxes

    /** Tells an agent session that its offer is gone, and why. */
    void notifyWithdrawn(Connection c, AgentStore.OfferRow offer, String reason, Instant now, Changes changes)
            throws SQLException {
        inbox.notify(c, offer.agentSessionId(), new AgentNotice.OfferWithdrawn(offer.engagementId(),
                AssignmentType.valueOf(offer.assignmentType()), reason), offer.engagementId(), now, changes);
    }

    AgentInbox inbox() {
        return inbox;
    }

    /** The agent session's inbox after {@code afterSeq}: its notices and its engagements' events. */
    public List<AgentMessage> agentMessages(String sessionId, long afterSeq) {
        List<AgentMessage> out = new ArrayList<>();
        for (AgentStore.EventRow r : agents.eventsAfter(sessionId, afterSeq, PAGE)) {
            if (AgentInbox.ENGAGEMENT_EVENT.equals(r.type())) {
                Event e = store.event(r.engagementId(), r.engagementSeq()).map(EngagementService::event).orElse(null);
                if (e != null) {
                    out.add(new AgentMessage(r.seq(), r.createdAt(), r.engagementId(), e, null));
                }
            } else {
                out.add(new AgentMessage(r.seq(), r.createdAt(), r.engagementId(), null,
                        AgentInbox.read(r.type(), r.payload())));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ internals

    /**
     * Appends an event to the engagement (taking its row lock for the sequence number) and puts it
     * in the inbox of every agent session taking part, but for an agent's own posts and typing.
     * Wait information concerns the end user only.
     */
    long append(Connection c, long engagementId, EventType type, Long actorId, Visibility visibility,
                boolean offRecord, String messageId, EventPayload payload, Instant now, Changes changes)
            throws SQLException {
        long seq = store.nextSeq(c, engagementId);
        store.insertEvent(c, new EventRow(engagementId, seq, type.name(), now, actorId, visibility.name(), offRecord,
                messageId, write(payload)));
        changes.engagement(engagementId);
        if (type != EventType.WAIT_INFO_CHANGED) {
            for (ParticipantRow p : store.participants(c, engagementId)) {
                if (p.agentSessionId() == null || p.releasedAt() != null) {
                    continue;
                }
                boolean own = actorId != null && actorId == p.id();
                if (own && (type == EventType.MESSAGE_POSTED || type == EventType.ACTIVITY_CHANGED)) {
                    continue;
                }
                long inboxSeq = agents.nextSeq(c, p.agentSessionId());
                agents.insertEvent(c, new AgentStore.EventRow(p.agentSessionId(), inboxSeq, AgentInbox.ENGAGEMENT_EVENT,
                        engagementId, seq, now, null));
                changes.agent(p.agentSessionId());
            }
        }
        return seq;
    }

    private EngagementRow lockOpen(Connection c, long engagementId) throws SQLException {
        EngagementRow e = store.lock(c, engagementId).orElseThrow(() -> unknown(engagementId));
        if (EngagementState.CONCLUDED.name().equals(e.state())) {
            throw new EngagementException(EngagementException.Kind.SESSION_ENDED, "ENGAGEMENT_CONCLUDED",
                    "The engagement has concluded.");
        }
        return e;
    }

    private ParticipantRow requireParticipant(Connection c, EngagementRow e, long participantId) throws SQLException {
        return store.participants(c, e.id()).stream()
                .filter(p -> p.id() == participantId && p.leftAt() == null)
                .findFirst()
                .orElseThrow(() -> new EngagementException(EngagementException.Kind.CONFLICT, "NOT_A_PARTICIPANT",
                        "Participant " + participantId + " is not in engagement " + e.id() + "."));
    }

    private static EngagementException unknown(long engagementId) {
        return new EngagementException(EngagementException.Kind.NOT_FOUND, "ENGAGEMENT_UNKNOWN",
                "No engagement " + engagementId + ".");
    }

    private static Engagement view(EngagementRow r) {
        return new Engagement(r.id(), r.siteId(), r.consumerSession(), r.queueId(), EngagementState.valueOf(r.state()),
                r.queuedAt(), r.concludedAt(), r.lastSeq());
    }

    private static Participant view(ParticipantRow r) {
        return new Participant(r.id(), r.engagementId(), r.kind(), Role.valueOf(r.role()), r.accountId(), r.name(),
                r.greeting(), r.leftAt() != null);
    }

    static Event event(EventRow r) {
        EventType type = EventType.valueOf(r.type());
        try {
            return new Event(r.engagementId(), r.seq(), type, r.createdAt(), r.actorId(), Visibility.valueOf(r.visibility()),
                    r.offRecord(), r.messageId(), JSON.readValue(r.payload(), EventPayload.classOf(type)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable event " + r.engagementId() + "/" + r.seq(), e);
        }
    }

    private static String write(EventPayload payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Event payload cannot be written", e);
        }
    }
}
