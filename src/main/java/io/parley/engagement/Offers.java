package io.parley.engagement;

import io.parley.store.AgentStore;
import io.parley.store.AgentStore.OfferRow;
import io.parley.store.EngagementStore;
import io.parley.store.EngagementStore.ParticipantRow;
import io.parley.store.Tx;
import java.time.Instant;
import java.util.Optional;

/** Offers that end without being accepted, and who hears of it. */
public final class Offers {

    private final AgentStore agents;
    private final EngagementStore store;
    private final Journal journal;

    public Offers(AgentStore agents, EngagementStore store, Journal journal) {
        this.agents = agents;
        this.store = store;
        this.journal = journal;
    }

    /** Withdraws the session's pending offers to lead; the engagements go to other agents. */
    void withdrawLeadOffers(Tx tx, String sessionId, String reason, Instant now, Changes changes) {
        for (OfferRow o : agents.pendingOffersOf(tx, sessionId)) {
            if (o.assignmentType() == AssignmentType.LEAD && agents.answerOffer(tx, o.id(), "WITHDRAWN", now)) {
                journal.withdrawn(tx, o, reason, now, changes);
            }
        }
    }

    /** Tells whoever asked for a transfer or conference that it will not happen. */
    void refuseRequest(Tx tx, OfferRow o, String reason, Instant now, Changes changes) {
        if (o.requestedBy() == null) {
            return;
        }
        Optional<ParticipantRow> requester = store.participants(tx, o.engagementId()).stream()
                .filter(p -> p.id() == o.requestedBy() && p.agentSessionId() != null && p.releasedAt() == null)
                .findFirst();
        if (requester.isPresent()) {
            journal.notify(tx, requester.get().agentSessionId(), new AgentNotice.RequestRefused(
                    o.engagementId(), o.assignmentType(), o.accountId(), reason),
                    o.engagementId(), now, changes);
        }
    }

    /** The session's pending offer of the engagement; CONFLICT when there is none. */
    OfferRow pending(Tx tx, long engagementId, String sessionId, AssignmentType type) {
        return agents.pendingOffersOf(tx, sessionId).stream()
                .filter(o -> o.engagementId() == engagementId && o.assignmentType() == type)
                .findFirst()
                .orElseThrow(() -> EngagementException.conflict("NO_OFFER",
                        "There is no pending " + type + " offer of this engagement."));
    }
}
