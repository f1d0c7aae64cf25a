package io.parley.engagement;

import io.parley.store.AgentStore;
import io.parley.store.AgentStore.OfferRow;
import io.parley.store.AgentStore.SessionRow;
import io.parley.store.EngagementStore;
import io.parley.store.EngagementStore.EngagementRow;
import io.parley.store.Tx;
import io.parley.store.WaitingLineStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Routing to agents: waiting engagements are offered, in order, to the longest idle eligible agent
 * with room; offers nobody answers in time move on.
 *
 * <p>Capacity is counted under the agent session's row lock (chats held plus offers pending), and
 * every offer or acceptance takes the locks in the one order: queue, engagement, agent session. So
 * however many offers and accepts race, an agent never holds more chats than its capacity, and
 * exactly one agent wins a contested engagement.
 */
public final class Dispatcher {

    private final EngagementStore store;
    private final WaitingLineStore line;
    private final AgentStore agents;
    private final Queues queues;
    private final ChatSessions chatSessions;
    private final Offers offers;
    private final Assignments assignments;
    private final Journal journal;
    private final Clock clock;
    private final AgentSettings settings;

    public Dispatcher(EngagementStore store, WaitingLineStore line, AgentStore agents, Queues queues, ChatSessions chatSessions, Offers offers,
                      Assignments assignments, Journal journal, Clock clock, AgentSettings settings) {
        this.store = store;
        this.line = line;
        this.agents = agents;
        this.queues = queues;
        this.chatSessions = chatSessions;
        this.offers = offers;
        this.assignments = assignments;
        this.journal = journal;
        this.clock = clock;
        this.settings = settings;
    }

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
        int made = 0;
        for (Queue q : queues.all()) {
            boolean offered = true;
            while (offered) {
                // One offer per transaction: the queue's lock is held briefly, and arrivals and accepts interleave.
                offered = journal.write((tx, changes) -> offerNext(tx, q, changes));
                made += offered ? 1 : 0;
            }
        }
        return made;
    }

    /**
     * Offers the first waiting engagement of the queue that an eligible agent with room can take;
     * false if none. The agents with room are taken once, before the engagements are looked at, so
     * an agent that frees up meanwhile cannot make a later engagement overtake an earlier one.
     */
    private boolean offerNext(Tx tx, Queue queue, Changes changes) {
        if (!line.tryLockQueue(tx, queue.id())) {
            // Someone else is changing the queue (an arrival, an accept, another node's dispatcher): rather
            // than wait behind it, leave the queue to the next round (its signal, or the periodic dispatch).
            return false;
        }
        List<Long> waiting = agents.unofferedWaiting(tx, queue.id());
        if (waiting.isEmpty()) {
            return false;
        }
        List<SessionRow> free = new ArrayList<>();
        for (SessionRow candidate : agents.eligible(tx, queue.id())) {
            if (agents.load(tx, candidate.accountId(), candidate.id()) < candidate.maxSessions()) {
                free.add(candidate);
            }
        }
        Instant now = clock.instant();
        for (long engagementId : waiting) {
            if (free.isEmpty()) {
                return false;
            }
            List<Long> refused = agents.refusedBy(tx, engagementId);
            for (SessionRow candidate : List.copyOf(free)) {
                if (refused.contains(candidate.accountId())) {
                    continue;
                }
                EngagementRow e = store.lock(tx, engagementId).orElse(null);
                if (e == null || e.state() != EngagementState.QUEUED) {
                    break;
                }
                SessionRow s = agents.lockSession(tx, candidate.id()).orElse(null);
                if (s == null || !eligibleNow(s) || agents.load(tx, s.accountId(), s.id()) >= s.maxSessions()) {
                    free.remove(candidate);
                    continue;
                }
                offer(tx, e, s, now, changes);
                return true;
            }
        }
        return false;
    }

    private static boolean eligibleNow(SessionRow s) {
        return s.endedAt() == null && "AVAILABLE".equals(s.status()) && s.assignmentRequested() && !s.away();
    }

    private void offer(Tx tx, EngagementRow e, SessionRow s, Instant now, Changes changes) {
        ChatSession cs = chatSessions.find(tx, e.chatSessionId()).orElse(null);
        String customer = cs == null ? "Guest" : cs.info().displayName();
        String question = cs == null ? null : cs.info().question();
        // Given work, the agent is no longer the longest idle: the next offer goes to someone else.
        agents.setIdleSince(tx, s.id(), now);
        if (s.autoAccept()) {
            // The agent learns of the assignment first, then sees itself (and the end user) in it.
            journal.notify(tx, s.id(), new AgentNotice.Offer(e.id(), e.queueId(), AssignmentType.LEAD,
                    now.toEpochMilli(), customer, question, true, null), e.id(), now, changes);
            assignments.becomeLead(tx, e, s, now, changes);
            return;
        }
        Instant expires = now.plus(settings.offerTimeout());
        agents.insertOffer(tx, e.id(), s.id(), s.accountId(), AssignmentType.LEAD, null, now, expires);
        journal.notify(tx, s.id(), new AgentNotice.Offer(e.id(), e.queueId(), AssignmentType.LEAD,
                expires.toEpochMilli(), customer, question, false, null), e.id(), now, changes);
    }

    /** Withdraws offers nobody answered in time; the engagements go to the next agent. */
    public int expireOffers() {
        int n = 0;
        for (OfferRow o : agents.expiredOffers(clock.instant())) {
            boolean expired = journal.write((tx, changes) -> {
                Instant now = clock.instant();
                if (!agents.answerOffer(tx, o.id(), "EXPIRED", now)) {
                    return false;
                }
                journal.withdrawn(tx, o, "TIMEOUT", now, changes);
                offers.refuseRequest(tx, o, "TIMEOUT", now, changes);
                changes.routing();
                return true;
            });
            n += expired ? 1 : 0;
        }
        return n;
    }
}
