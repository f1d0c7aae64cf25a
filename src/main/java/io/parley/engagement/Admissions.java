package io.parley.engagement;

import io.parley.store.EngagementStore;
import io.parley.store.EngagementStore.ParticipantRow;
import io.parley.store.Site;
import io.parley.store.StoreException;
import io.parley.store.StoreUnavailableException;
import io.parley.store.WaitingLineStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Consumers entering queues: routing a chat session to its queue, and admission while the queue has room. */
public final class Admissions {

    private static final System.Logger LOG = System.getLogger(Admissions.class.getName());

    private final EngagementStore store;
    private final WaitingLineStore line;
    private final Queues queues;
    private final ChatSessions chatSessions;
    private final WaitInformation waits;
    private final Journal journal;
    private final Clock clock;

    public Admissions(EngagementStore store, WaitingLineStore line, Queues queues, ChatSessions chatSessions, WaitInformation waits,
                      Journal journal, Clock clock) {
        this.store = store;
        this.line = line;
        this.queues = queues;
        this.chatSessions = chatSessions;
        this.waits = waits;
        this.journal = journal;
        this.clock = clock;
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
        Router.Decision decision = route(site, cs.info());
        Queue queue = decision.queue();
        Admission result;
        try {
            result = journal.write((tx, changes) -> {
                line.lockQueue(tx, queue.id());
                if (queue.maxWaiting() != null && line.countQueued(tx, queue.id()) >= queue.maxWaiting()) {
                    return new Admission.QueueFull(queue.id());
                }
                Instant now = clock.instant();
                long id = store.insertEngagement(tx, site.id(), chatSessionId, SecureIds.next(), queue.id(), now);
                long participant = store.insertParticipant(tx, id, ParticipantKind.END_USER, Role.END_USER, null,
                        cs.info().displayName(), null, now);
                waits.announceArrival(tx, queue, id, changes);
                changes.routing();
                return new Admission.Admitted(Engagements.view(store.lock(tx, id).orElseThrow()), participant, false);
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
        if (result instanceof Admission.Admitted a) {
            LOG.log(System.Logger.Level.INFO, "Engagement {0} queued in queue {1} (site {2}{3})", a.engagement().id(),
                    queue.id(), site.name(), decision.rule() == null ? "" : ", rule " + decision.rule().name());
        }
        return result;
    }

    private Optional<Admission> existingAdmission(String chatSessionId) {
        return store.findByChatSession(chatSessionId).map(e -> {
            long participant = store.participants(e.id()).stream().filter(p -> p.kind() == ParticipantKind.END_USER)
                    .mapToLong(ParticipantRow::id).findFirst().orElseThrow();
            return new Admission.Admitted(Engagements.view(e), participant, true);
        });
    }

    /** The queue a new engagement with this session information would enter, without entering it. */
    public Router.Decision route(Site site, SessionInfo info) {
        return Router.route(info, queues.rulesOf(site.id()), queues.ofSite(site.id()), site.defaultQueueId(),
                clock.instant());
    }
}
