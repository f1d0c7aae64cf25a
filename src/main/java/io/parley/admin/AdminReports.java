package io.parley.admin;

import io.parley.engagement.ChatSessions;
import io.parley.engagement.EngagementException;
import io.parley.engagement.EngagementModule;
import io.parley.engagement.Engagements;
import io.parley.engagement.Event;
import io.parley.engagement.EventPayload;
import io.parley.engagement.Journal;
import io.parley.engagement.Participant;
import io.parley.engagement.Queue;
import io.parley.engagement.Queues;
import io.parley.engagement.SessionInfo;
import io.parley.engagement.WaitInformation;
import io.parley.store.AgentStore;
import io.parley.store.ReportStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What administrators watch and look up: live figures per queue, the engagement search, and an
 * engagement's transcript. "Today" is the current UTC day.
 */
public final class AdminReports {

    /**
     * A queue's live figures. Agents are those logged on who serve the queue: available (and asking
     * for chats, with room), away (their calls stopped), busy (the rest: full, or not available).
     * Today's counts are engagements created today; abandoned ones ended by the customer before an
     * agent took them; the average handle time is over engagements concluded today (null: none).
     */
    public record QueueFigures(long queueId, long siteId, String name, int waiting, long longestWaitSeconds,
                               int expectedWaitSeconds, int agentsAvailable, int agentsBusy, int agentsAway,
                               long engagementsToday, long abandonedToday, long timedOutToday,
                               Long averageHandleSeconds, boolean open) {
    }

    /** An engagement as the search lists it. */
    public record EngagementSummary(long id, long siteId, long queueId, String state, Instant createdAt,
                                    Instant acceptedAt, Instant concludedAt, String concludeReason, String customerName,
                                    String customerEmail, String organization, List<String> agents) {
    }

    /** One line of a transcript; {@code visibility} AGENTS marks what the customer never saw (whispers). */
    public record TranscriptLine(long seq, Instant at, String type, String participant, String role, String visibility,
                                 String text) {
    }

    public record Transcript(EngagementSummary engagement, List<TranscriptLine> lines) {
    }

    public static final int MAX_RESULTS = 500;
    private static final Set<String> STATES = Set.of("QUEUED", "ACTIVE", "CONCLUDED");

    private final ReportStore reports;
    private final Queues queues;
    private final Engagements engagements;
    private final WaitInformation waits;
    private final Journal journal;
    private final AgentStore agents;
    private final Clock clock;

    public AdminReports(ReportStore reports, Queues queues, EngagementModule domain, AgentStore agents, Clock clock) {
        this.reports = reports;
        this.queues = queues;
        this.engagements = domain.engagements();
        this.waits = domain.waits();
        this.journal = domain.journal();
        this.agents = agents;
        this.clock = clock;
    }

    /** The figures of every queue, or of one site's queues. */
    public List<QueueFigures> statistics(Long siteId) {
        Instant now = clock.instant();
        Instant startOfDay = LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<Long, ReportStore.Waiting> waiting = reports.waiting();
        Map<Long, ReportStore.Counts> today = reports.countsSince(startOfDay);
        Map<Long, long[]> handle = new HashMap<>();
        for (ReportStore.Handled h : reports.handledSince(startOfDay)) {
            long[] sumAndCount = handle.computeIfAbsent(h.queueId(), k -> new long[2]);
            sumAndCount[0] += Duration.between(h.acceptedAt(), h.concludedAt()).toSeconds();
            sumAndCount[1]++;
        }
        List<QueueFigures> out = new ArrayList<>();
        for (Queue q : queues.all()) {
            if (siteId != null && q.siteId() != siteId) {
                continue;
            }
            ReportStore.Waiting w = waiting.get(q.id());
            int count = w == null ? 0 : w.count();
            long longest = w == null ? 0 : Math.max(0, Duration.between(w.oldestQueuedAt(), now).toSeconds());
            AgentStore.Availability a = agents.availability(q.id());
            ReportStore.Counts t = today.getOrDefault(q.id(), new ReportStore.Counts(q.id(), 0, 0, 0));
            long[] h = handle.get(q.id());
            out.add(new QueueFigures(q.id(), q.siteId(), q.name(), count, longest,
                    waits.estimator(q).expectedWaitSeconds(count + 1), a.availableWithCapacity(),
                    a.connected() - a.availableWithCapacity() - a.away(), a.away(), t.created(), t.abandoned(),
                    t.timedOut(), h == null ? null : h[0] / h[1], q.hours().isOpen(now)));
        }
        return out;
    }

    /** Engagements by site, queue, state, creation time and customer; newest first, at most {@link #MAX_RESULTS}. */
    public List<EngagementSummary> search(Long siteId, Long queueId, String state, Instant from, Instant to,
                                          String customer, int limit, int offset) {
        String s = state == null || state.isBlank() ? null : state.strip().toUpperCase(Locale.ROOT);
        if (s != null && !STATES.contains(s)) {
            throw AdminChecks.invalid("state", "QUEUED, ACTIVE or CONCLUDED");
        }
        if (limit < 1 || limit > MAX_RESULTS) {
            throw AdminChecks.invalid("limit", "from 1 to " + MAX_RESULTS);
        }
        if (offset < 0) {
            throw AdminChecks.invalid("offset", "not negative");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw AdminChecks.invalid("to", "later than 'from'");
        }
        String who = customer == null || customer.isBlank() ? null : customer.strip();
        if (who != null && who.length() > 200) {
            throw AdminChecks.invalid("customer", "at most 200 characters");
        }
        List<ReportStore.Found> found = reports.search(new ReportStore.Query(siteId, queueId, s, from, to, who, limit, offset));
        Map<Long, List<String>> names = reports.agentNames(found.stream().map(ReportStore.Found::id).toList());
        return found.stream().map(f -> summary(f, names.getOrDefault(f.id(), List.of()))).toList();
    }

    /** Everything stored of an engagement, in order, whoever could see it. */
    public Transcript transcript(long engagementId) {
        ReportStore.Found f = reports.find(engagementId)
                .orElseThrow(() -> new EngagementException(EngagementException.Kind.NOT_FOUND, "ENGAGEMENT_UNKNOWN",
                        "There is no engagement " + engagementId + "."));
        Map<Long, Participant> people = new HashMap<>();
        engagements.participants(engagementId).forEach(p -> people.put(p.id(), p));
        List<TranscriptLine> lines = new ArrayList<>();
        for (Event ev : journal.transcript(engagementId)) {
            String text = text(ev.payload());
            if (text == null) {
                continue;
            }
            Participant p = ev.participantId() == null ? null : people.get(ev.participantId());
            lines.add(new TranscriptLine(ev.seq(), ev.createdAt(), ev.type().name(), p == null ? "System" : p.name(),
                    p == null ? "SYSTEM" : p.role().name(), ev.visibility().name(), text));
        }
        List<String> agentNames = reports.agentNames(List.of(engagementId)).getOrDefault(engagementId, List.of());
        return new Transcript(summary(f, agentNames), lines);
    }

    /** What a transcript says for an event; null for what is no part of the conversation (wait updates, typing). */
    private static String text(EventPayload payload) {
        if (payload instanceof EventPayload.MessagePosted m) {
            return m.body();
        }
        if (payload instanceof EventPayload.ParticipantAdded a) {
            return a.name() + " joined as " + a.role().name();
        }
        if (payload instanceof EventPayload.ParticipantLeft l) {
            return l.name() + " left" + (l.reason() == null ? "" : " (" + l.reason() + ")");
        }
        if (payload instanceof EventPayload.RoleChanged r) {
            return "Role changed from " + r.previousRole().name() + " to " + r.role().name();
        }
        if (payload instanceof EventPayload.Concluded c) {
            return "Concluded: " + c.reason().name();
        }
        return null;
    }

    private static EngagementSummary summary(ReportStore.Found f, List<String> agentNames) {
        SessionInfo info = f.sessionInfo() == null ? SessionInfo.empty() : ChatSessions.read(f.sessionInfo());
        return new EngagementSummary(f.id(), f.siteId(), f.queueId(), f.state(), f.createdAt(), f.acceptedAt(),
                f.concludedAt(), f.concludeReason(), info.displayName(), info.emailAddress(), info.organizationName(),
                agentNames);
    }
}
