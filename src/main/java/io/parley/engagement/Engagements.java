package io.parley.engagement;

import io.parley.store.EngagementStore;
import io.parley.store.EngagementStore.EngagementRow;
import io.parley.store.EngagementStore.ParticipantRow;
import io.parley.store.Site;
import io.parley.store.SiteDirectory;
import io.parley.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Engagements and their participants as the rest of Parley looks them up, and the checks every change makes. */
public final class Engagements {

    private final EngagementStore store;
    private final SiteDirectory sites;
    private final Clock clock;
    private final Duration concludedGrace;
    private final OpenSessions openSessions;

    public Engagements(EngagementStore store, SiteDirectory sites, Clock clock, Duration concludedGrace,
                       OpenSessions openSessions) {
        this.store = store;
        this.openSessions = openSessions;
        this.sites = sites;
        this.clock = clock;
        this.concludedGrace = concludedGrace;
    }

    public Optional<Engagement> engagement(long id) {
        return store.find(id).map(Engagements::view);
    }

    /** The engagement a participant (clientId) belongs to. */
    public Optional<Long> engagementOfParticipant(long participantId) {
        return store.engagementOfParticipant(participantId);
    }

    public List<Participant> participants(long engagementId) {
        return store.participants(engagementId).stream().map(Engagements::view).toList();
    }

    /**
     * The consumer session behind a {@code SessionId}. It stays usable after the engagement
     * concluded until the closing messages were delivered or the grace period has passed.
     */
    public Optional<ConsumerSession> consumerSession(String sessionId) {
        if (sessionId == null || sessionId.isBlank() || sessionId.length() > 64) {
            return Optional.empty();
        }
        Optional<ConsumerSession> open = openSessions.consumer(sessionId);
        if (open.isPresent()) {
            return open;
        }
        return store.findConsumer(sessionId).flatMap(row -> {
            EngagementRow e = row.engagement();
            Optional<Site> site = sites.byId(e.siteId());
            if (site.isEmpty()) {
                return Optional.empty();
            }
            if (e.state() != EngagementState.CONCLUDED) {
                ConsumerSession view = new ConsumerSession(sessionId, site.get().name(), e.id(), row.participantId(),
                        true);
                openSessions.put(view);
                return Optional.of(view);
            }
            boolean usable = clock.instant().isBefore(e.concludedAt().plus(concludedGrace))
                    && row.deliveredSeq() < e.lastSeq();
            return Optional.of(new ConsumerSession(sessionId, site.get().name(), e.id(), row.participantId(), usable));
        });
    }

    // ------------------------------------------------------------------ inside a change

    /** Locks the engagement for a change that needs it still going. */
    EngagementRow lockOpen(Tx tx, long engagementId) {
        EngagementRow e = store.lock(tx, engagementId).orElseThrow(() -> unknown(engagementId));
        if (e.state() == EngagementState.CONCLUDED) {
            throw new EngagementException(EngagementException.Kind.SESSION_ENDED, "ENGAGEMENT_CONCLUDED",
                    "The engagement has concluded.");
        }
        return e;
    }

    /** The participant, still in the engagement; CONFLICT when it is not (or no longer). */
    ParticipantRow requireParticipant(Tx tx, EngagementRow e, long participantId) {
        return store.participants(tx, e.id()).stream()
                .filter(p -> p.id() == participantId && p.leftAt() == null)
                .findFirst()
                .orElseThrow(() -> EngagementException.conflict("NOT_A_PARTICIPANT",
                        "Participant " + participantId + " is not in engagement " + e.id() + "."));
    }

    static EngagementException unknown(long engagementId) {
        return EngagementException.notFound("ENGAGEMENT_UNKNOWN", "No engagement " + engagementId + ".");
    }

    static Engagement view(EngagementRow r) {
        return new Engagement(r.id(), r.siteId(), r.consumerSession(), r.queueId(), r.state(),
                r.queuedAt(), r.concludedAt(), r.lastSeq());
    }

    static Participant view(ParticipantRow r) {
        return new Participant(r.id(), r.engagementId(), r.kind(), r.role(), r.accountId(), r.name(),
                r.greeting(), r.leftAt() != null);
    }
}
