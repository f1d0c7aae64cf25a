package io.parley.engagement;

import io.parley.store.AgentStore;
import io.parley.store.EngagementStore;
import io.parley.store.EngagementStore.EngagementRow;
import io.parley.store.EngagementStore.ParticipantRow;
import io.parley.store.EventStore;
import io.parley.store.EventStore.EventRow;
import io.parley.store.TenantStore;
import io.parley.store.WaitingLineStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What happens in an engagement: messages, activity, participants joining and leaving,
 * conclusion. Every change is one transaction of the {@link Journal}, which gives its events
 * gap-free sequence numbers and wakes whoever waits once it has committed.
 */
public final class Conversation {

    private static final System.Logger LOG = System.getLogger(Conversation.class.getName());
    static final String ERASED = "{\"body\":\"\",\"richText\":false,\"messageData\":{}}";

    private final EngagementStore store;
    private final EventStore events;
    private final WaitingLineStore line;
    private final AgentStore agents;
    private final Engagements engagements;
    private final Queues queues;
    private final TenantStore tenants;
    private final Journal journal;
    private final Clock clock;
    private final int maxMessageChars;
    private final Duration concludedGrace;

    public Conversation(EngagementStore store, EventStore events, WaitingLineStore line, AgentStore agents, Engagements engagements, Queues queues,
                        TenantStore tenants, Journal journal, Clock clock, int maxMessageChars, Duration concludedGrace) {
        this.store = store;
        this.events = events;
        this.line = line;
        this.agents = agents;
        this.engagements = engagements;
        this.queues = queues;
        this.tenants = tenants;
        this.journal = journal;
        this.clock = clock;
        this.maxMessageChars = maxMessageChars;
        this.concludedGrace = concludedGrace;
    }

    // ------------------------------------------------------------------ messages and activity

    /**
     * Posts a message from participant {@code participantId}. A repeated {@code messageId} from
     * the same participant stores nothing new and answers like the first post.
     */
    public Posted post(long engagementId, long participantId, PostCommand cmd) {
        if (cmd.body() == null) {
            throw EngagementException.invalid("Field 'body' is required.");
        }
        if (cmd.body().length() > maxMessageChars) {
            throw new EngagementException(EngagementException.Kind.INVALID, "MESSAGE_TOO_LONG",
                    "The message is longer than " + maxMessageChars + " characters.");
        }
        if (cmd.messageId() != null && cmd.messageId().length() > 200) {
            throw EngagementException.invalid("Field 'messageId' is longer than 200 characters.");
        }
        return journal.writeShared((tx, changes) -> {
            EngagementRow e = engagements.lockOpen(tx, engagementId);
            engagements.requireParticipant(tx, e, participantId);
            if (cmd.messageId() != null) {
                Optional<EventRow> earlier = events.eventByMessageId(tx, engagementId, participantId, cmd.messageId());
                if (earlier.isPresent()) {
                    return new Posted(earlier.get().seq(), earlier.get().createdAt(), cmd.messageId(), true);
                }
            }
            Instant now = clock.instant();
            long seq = journal.append(tx, engagementId, EventType.MESSAGE_POSTED, participantId, cmd.visibility(),
                    cmd.offRecord(), cmd.messageId(), new EventPayload.MessagePosted(cmd.body(), cmd.richText(),
                            cmd.messageData()), now, changes);
            if (cmd.offRecord()) {
                store.markOffRecordPending(tx, engagementId);
            }
            return new Posted(seq, now, cmd.messageId(), false);
        });
    }

    /** Records what a participant is doing (typing, listening), with the sneak preview. */
    public long setActivity(long engagementId, long participantId, ActivityMode mode, String sneakPreview,
                            boolean sneakPreviewFocus) {
        if (sneakPreview != null && sneakPreview.length() > maxMessageChars) {
            throw EngagementException.invalid("The sneak preview is longer than " + maxMessageChars + " characters.");
        }
        return journal.writeShared((tx, changes) -> {
            EngagementRow e = engagements.lockOpen(tx, engagementId);
            engagements.requireParticipant(tx, e, participantId);
            return journal.append(tx, engagementId, EventType.ACTIVITY_CHANGED, participantId, Visibility.ALL,
                    new EventPayload.ActivityChanged(mode, sneakPreview, sneakPreviewFocus), clock.instant(), changes);
        });
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
                .orElseThrow(() -> EngagementException.notFound("AGENT_UNKNOWN", "No agent " + accountId + "."));
        EngagementRow before = store.find(engagementId).orElseThrow(() -> Engagements.unknown(engagementId));
        return journal.write((tx, changes) -> {
            line.lockQueue(tx, before.queueId());
            EngagementRow e = store.lock(tx, engagementId).orElseThrow(() -> Engagements.unknown(engagementId));
            if (e.siteId() != (account.siteId() == null ? -1 : account.siteId())) {
                throw Engagements.unknown(engagementId);
            }
            Instant now = clock.instant();
            if (!store.activate(tx, engagementId, now)) {
                throw EngagementException.conflict("NOT_QUEUED", "The engagement is no longer waiting for an agent.");
            }
            String greeting = account.greeting() == null ? "" : account.greeting();
            long id = store.insertParticipant(tx, engagementId, ParticipantKind.AGENT, Role.LEAD, accountId,
                    account.displayName(), greeting, now);
            journal.append(tx, engagementId, EventType.PARTICIPANT_ADDED, id, Visibility.ALL,
                    new EventPayload.ParticipantAdded(id, account.displayName(), Role.LEAD, greeting), now, changes);
            changes.queueChanged(before.queueId());
            return new Participant(id, engagementId, ParticipantKind.AGENT, Role.LEAD, accountId, account.displayName(), greeting, false);
        });
    }

    /** A participant leaves the engagement, for {@code reason} (e.g. PARTICIPANT_LEFT). */
    public void leave(long engagementId, long participantId, String reason) {
        journal.write((tx, changes) -> {
            EngagementRow e = store.lock(tx, engagementId).orElseThrow(() -> Engagements.unknown(engagementId));
            ParticipantRow p = engagements.requireParticipant(tx, e, participantId);
            Instant now = clock.instant();
            if (!store.leave(tx, participantId, reason, now)) {
                return false;
            }
            journal.append(tx, engagementId, EventType.PARTICIPANT_LEFT, participantId, Visibility.ALL,
                    new EventPayload.ParticipantLeft(participantId, p.name(), p.role(), reason), now,
                    changes);
            return true;
        });
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
        EngagementRow before = store.find(engagementId).orElseThrow(() -> Engagements.unknown(engagementId));
        if (before.state() == EngagementState.CONCLUDED) {
            return false;
        }
        boolean wasQueued = before.state() == EngagementState.QUEUED;
        boolean concluded = journal.write((tx, changes) -> {
            if (wasQueued) {
                line.lockQueue(tx, before.queueId());
            }
            EngagementRow e = store.lock(tx, engagementId).orElseThrow(() -> Engagements.unknown(engagementId));
            Role role = null;
            if (participantId != null) {
                role = engagements.requireParticipant(tx, e, participantId).role();
            }
            Instant now = clock.instant();
            if (!store.conclude(tx, engagementId, reason, now)) {
                return false;
            }
            journal.append(tx, engagementId, EventType.CONCLUDED, participantId, Visibility.ALL,
                    new EventPayload.Concluded(reason, role), now, changes);
            changes.sessionEnded(e.consumerSession());
            if (wasQueued) {
                changes.queueChanged(before.queueId());
                for (AgentStore.OfferRow o : agents.withdrawOffers(tx, engagementId, now)) {
                    journal.withdrawn(tx, o, "CONCLUDED", now, changes);
                }
            }
            return true;
        });
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
            for (long id : line.queuedBefore(q.id(), now.minusSeconds(q.timeoutSeconds()))) {
                if (conclude(id, null, ConcludeReason.QUEUE_TIMEOUT)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Erases off-the-record messages of engagements that ended more than the grace period ago. */
    public int eraseOffRecord() {
        return events.eraseOffRecord(clock.instant().minus(concludedGrace), ERASED);
    }
}
