package io.parley.api.consumer;

import io.parley.api.Callers;
import io.parley.api.Disconnects;
import io.parley.api.JsonInput;
import io.parley.api.dto.ConsumerRequests;
import io.parley.api.error.ApiException;
import io.parley.auth.ConsumerCaller;
import io.parley.auth.VerifiedToken;
import io.parley.auth.Visitor;
import io.parley.continuation.EventBus;
import io.parley.continuation.Feeds;
import io.parley.continuation.LongPolls;
import io.parley.continuation.WaitingRoom;
import io.parley.engagement.ActivityMode;
import io.parley.engagement.Admission;
import io.parley.engagement.Admissions;
import io.parley.engagement.ConcludeReason;
import io.parley.engagement.ConsumerSession;
import io.parley.engagement.Conversation;
import io.parley.engagement.EngagementException;
import io.parley.engagement.EngagementModule;
import io.parley.engagement.Engagements;
import io.parley.engagement.Event;
import io.parley.engagement.Journal;
import io.parley.engagement.Participant;
import io.parley.engagement.PostCommand;
import io.parley.engagement.Posted;
import io.parley.engagement.Queue;
import io.parley.engagement.QueueStatistics;
import io.parley.engagement.Queues;
import io.parley.engagement.Router;
import io.parley.engagement.SessionInfo;
import io.parley.engagement.Visibility;
import io.parley.store.Site;
import io.parley.store.SiteDirectory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The consumer API, {@code /engagement/api/consumer/{fqSiteName}/v1/...}: thin translations
 * between the wire format and the engagement service. The AuthFilter has checked the caller
 * before any method here runs: the token on {@code requestEngagement}, the {@code SessionId} on
 * the session calls. The {@code pool} query parameter is accepted everywhere and needed nowhere.
 */
@Path("/engagement/api/consumer/{fqSiteName}/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class ConsumerResource {

    private final Admissions admissions;
    private final Engagements engagements;
    private final Conversation conversation;
    private final Journal journal;
    private final QueueStatistics statistics;
    private final Queues queues;
    private final LongPolls<Event> polls;
    private final EventBus bus;
    private final WaitingRoom waitingRoom;
    private final SiteDirectory sites;
    private final Clock clock;

    public ConsumerResource(EngagementModule domain, Queues queues, LongPolls<Event> polls, EventBus bus,
                            WaitingRoom waitingRoom, SiteDirectory sites, Clock clock) {
        this.admissions = domain.admissions();
        this.engagements = domain.engagements();
        this.conversation = domain.conversation();
        this.journal = domain.journal();
        this.statistics = domain.statistics();
        this.queues = queues;
        this.polls = polls;
        this.bus = bus;
        this.waitingRoom = waitingRoom;
        this.sites = sites;
        this.clock = clock;
    }

    @POST
    @Path("requestEngagement")
    public void requestEngagement(@PathParam("fqSiteName") String siteName, ConsumerRequests.RequestEngagement body,
                                  @Context SecurityContext caller, @Suspended AsyncResponse async) {
        Instant started = clock.instant();
        ConsumerWire.validate(body);
        Site site = site(siteName);
        String chatSessionId = Callers.of(caller, VerifiedToken.class).jti();
        Supplier<Admission> attempt = () -> admissions.requestEngagement(chatSessionId, site);
        Admission first = attempt.get();
        if (first instanceof Admission.Admitted admitted) {
            async.resume(engagementAnswer(body, started, admitted));
            return;
        }
        long queueId = ((Admission.QueueFull) first).queueId();
        waitingRoom.hold(queueId, attempt, new WaitingRoom.Reply() {
            @Override
            public void admitted(Admission.Admitted admitted) {
                async.resume(engagementAnswer(body, started, admitted));
            }

            @Override
            public void timedOut() {
                async.resume(new ApiException(408, "ADMISSION_TIMEOUT",
                        "The queue stayed full; no place freed while the request was held. Try again later."));
            }

            @Override
            public void refused(EngagementException e) {
                async.resume(e);
            }

            @Override
            public void overloaded(Duration retryAfter) {
                async.resume(overload(retryAfter));
            }

            @Override
            public void failed(RuntimeException e) {
                async.resume(e);
            }
        });
    }

    private static ConsumerWire.EngagementAnswer engagementAnswer(ConsumerRequests.Envelope body, Instant started,
                                                                  Admission.Admitted admitted) {
        return ConsumerWire.EngagementAnswer.of(ConsumerWire.Envelope.of(body, started), admitted);
    }

    @POST
    @Path("getMessages")
    public void getMessages(@PathParam("fqSiteName") String siteName, ConsumerRequests.GetMessages body,
                            @Context SecurityContext caller, @Context HttpServletRequest request,
                            @Suspended AsyncResponse async) {
        Instant started = clock.instant();
        ConsumerWire.validate(body);
        if (body.lastSequenceNumber() != null && body.lastSequenceNumber() < 0) {
            throw ApiException.badRequest("INVALID_FIELD", "Field 'lastSequenceNumber' must not be negative.");
        }
        ConsumerSession s = Callers.of(caller, ConsumerCaller.class).session();
        AtomicReference<LongPolls.Handle> handle = new AtomicReference<>();
        Disconnects.cancelOnDisconnect(request, handle);
        handle.set(polls.poll(s.sessionId(), () -> Feeds.endUser(journal, bus, s.engagementId(), s.participantId()),
                body.lastSequenceNumber(), new LongPolls.Reply<>() {
                    @Override
                    public void deliver(List<Event> events) {
                        async.resume(messagesAnswer(body, started, s.engagementId(), events));
                    }

                    @Override
                    public void empty() {
                        async.resume(messagesAnswer(body, started, s.engagementId(), List.of()));
                    }

                    @Override
                    public void overloaded(Duration retryAfter) {
                        async.resume(overload(retryAfter));
                    }

                    @Override
                    public void failed(RuntimeException e) {
                        async.resume(e);
                    }
                }));
    }

    private ConsumerWire.MessagesAnswer messagesAnswer(ConsumerRequests.Envelope body, Instant started,
                                                       long engagementId, List<Event> events) {
        Map<Long, Participant> participants = events.isEmpty() ? Map.of()
                : engagements.participants(engagementId).stream()
                        .collect(Collectors.toMap(Participant::id, Function.identity()));
        return ConsumerWire.MessagesAnswer.of(ConsumerWire.Envelope.of(body, started), events, participants);
    }

    @POST
    @Path("postMessage")
    public ConsumerWire.PostMessageAnswer postMessage(@PathParam("fqSiteName") String siteName,
                                                      ConsumerRequests.PostMessage body,
                                                      @Context SecurityContext caller) {
        Instant started = clock.instant();
        ConsumerWire.validate(body);
        ConsumerSession s = Callers.of(caller, ConsumerCaller.class).session();
        Posted posted = conversation.post(s.engagementId(), s.participantId(),
                new PostCommand(body.body(), Boolean.TRUE.equals(body.richText()),
                        Boolean.TRUE.equals(body.offTheRecord()), body.messageId(), body.messageDataMap(), Visibility.ALL));
        return ConsumerWire.PostMessageAnswer.of(ConsumerWire.Envelope.of(body, started), s, posted);
    }

    @POST
    @Path("activity")
    public ConsumerWire.ActivityAnswer activity(@PathParam("fqSiteName") String siteName,
                                                ConsumerRequests.Activity body, @Context SecurityContext caller) {
        Instant started = clock.instant();
        ConsumerWire.validate(body);
        if (body.mode() == null) {
            throw ApiException.badRequest("INVALID_FIELD", "Field 'mode' is required (LISTENING or RESPONDING).");
        }
        ConsumerSession s = Callers.of(caller, ConsumerCaller.class).session();
        conversation.setActivity(s.engagementId(), s.participantId(), ActivityMode.valueOf(body.mode().name()),
                body.sneakPreviewText(), Boolean.TRUE.equals(body.sneakPreviewFocus()));
        return ConsumerWire.ActivityAnswer.of(ConsumerWire.Envelope.of(body, started), s);
    }

    @POST
    @Path("concludeEngagement")
    public ConsumerWire.ConcludeAnswer concludeEngagement(@PathParam("fqSiteName") String siteName,
                                                          ConsumerRequests.Conclude body,
                                                          @Context SecurityContext caller) {
        Instant started = clock.instant();
        ConsumerWire.validate(body);
        ConsumerSession s = Callers.of(caller, ConsumerCaller.class).session();
        conversation.conclude(s.engagementId(), s.participantId(), ConcludeReason.END_USER_CONCLUDED);
        return ConsumerWire.ConcludeAnswer.of(ConsumerWire.Envelope.of(body, started), s);
    }

    @GET
    @Path("getQueueStats")
    public ConsumerWire.QueueStatsAnswer getQueueStats(@PathParam("fqSiteName") String siteName,
                                                       @QueryParam("request") @Encoded String requestJson,
                                                       @Context SecurityContext caller) {
        return queueStats(siteName, JsonInput.readQuery(requestJson, "request", ConsumerRequests.QueueStats.class), caller);
    }

    /** The same as the GET: one public client sends the request as a POST body. */
    @POST
    @Path("getQueueStats")
    public ConsumerWire.QueueStatsAnswer postQueueStats(@PathParam("fqSiteName") String siteName,
                                                        ConsumerRequests.QueueStats body,
                                                        @Context SecurityContext caller) {
        return queueStats(siteName, body, caller);
    }

    private ConsumerWire.QueueStatsAnswer queueStats(String siteName, ConsumerRequests.QueueStats body,
                                                     SecurityContext caller) {
        Instant started = clock.instant();
        ConsumerWire.validate(body);
        Site site = site(siteName);
        Long queueId = body.queueId() != null ? body.queueId() : site.defaultQueueId();
        Queue queue = queueId == null ? null : queues.ofSite(site.id()).get(queueId);
        if (queue == null) {
            throw ApiException.notFound("QUEUE_UNKNOWN", "Site " + siteName + " has no queue " + queueId + ".");
        }
        QueueStatistics.Stats stats = Callers.of(caller, Visitor.class).complianceDenied()
                ? QueueStatistics.unavailable(queue) : statistics.of(queue);
        return ConsumerWire.QueueStatsAnswer.of(ConsumerWire.Envelope.of(body, started), stats,
                body.chatProactiveAvailableType());
    }

    @GET
    @Path("getEngagementQueue")
    public ConsumerWire.EngagementQueueAnswer getEngagementQueue(@PathParam("fqSiteName") String siteName,
                                                                 @QueryParam("request") @Encoded String requestJson,
                                                                 @Context SecurityContext caller) {
        return engagementQueue(siteName, JsonInput.readQuery(requestJson, "request", ConsumerRequests.EngagementQueue.class), caller);
    }

    /** The same as the GET, for clients that send the request as a POST body. */
    @POST
    @Path("getEngagementQueue")
    public ConsumerWire.EngagementQueueAnswer postEngagementQueue(@PathParam("fqSiteName") String siteName,
                                                                  ConsumerRequests.EngagementQueue body,
                                                                  @Context SecurityContext caller) {
        return engagementQueue(siteName, body, caller);
    }

    private ConsumerWire.EngagementQueueAnswer engagementQueue(String siteName, ConsumerRequests.EngagementQueue body,
                                                               SecurityContext caller) {
        Instant started = clock.instant();
        ConsumerWire.validate(body);
        Site site = site(siteName);
        SessionInfo info = new SessionInfo(null, null, null, null, null, body.organizationId(), body.queueId(),
                body.productId(), body.categoryId(), body.interfaceId(), body.interfaceName(), null, null,
                customFields(body.customFields()), Map.of());
        Router.Decision decision;
        try {
            decision = admissions.route(site, info);
        } catch (EngagementException e) {
            return ConsumerWire.EngagementQueueAnswer.refused(ConsumerWire.Envelope.of(body, started), e);
        }
        QueueStatistics.Stats stats = Callers.of(caller, Visitor.class).complianceDenied()
                ? QueueStatistics.unavailable(decision.queue()) : statistics.of(decision.queue());
        return ConsumerWire.EngagementQueueAnswer.routed(ConsumerWire.Envelope.of(body, started), decision, stats);
    }

    private static List<SessionInfo.CustomField> customFields(List<ConsumerRequests.CustomField> fields) {
        if (fields == null) {
            return List.of();
        }
        List<SessionInfo.CustomField> out = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            ConsumerRequests.CustomField f = fields.get(i);
            if (f == null) {
                continue;
            }
            if (f.value() != null && !isFieldType(f.type())) {
                throw ApiException.badRequest("INVALID_FIELD", "Field 'customFields[" + i + "].type' must be one of "
                        + List.of(ConsumerRequests.FieldType.values()) + " when a value is given.");
            }
            out.add(new SessionInfo.CustomField(f.name(), f.type(), f.value()));
        }
        return out;
    }

    private static boolean isFieldType(String type) {
        if (type == null) {
            return false;
        }
        for (ConsumerRequests.FieldType t : ConsumerRequests.FieldType.values()) {
            if (t.name().equalsIgnoreCase(type.trim())) {
                return true;
            }
        }
        return false;
    }

    private Site site(String name) {
        return sites.byName(name).orElseThrow(() -> ApiException.notFound("SITE_UNKNOWN", "No site " + name + "."));
    }

    private static ApiException overload(Duration retryAfter) {
        return new ApiException(503, "OVERLOADED", "Parley holds as many requests as it may; retry shortly.",
                Map.of("Retry-After", Long.toString(retryAfter.toSeconds())));
    }
}
