package io.parley.api.agent;

import io.parley.api.Callers;
import io.parley.api.Disconnects;
import io.parley.api.JsonInput;
import io.parley.api.agent.AgentAnswers.AcknowledgementAnswer;
import io.parley.api.agent.AgentAnswers.ActivityStatusAnswer;
import io.parley.api.agent.AgentAnswers.ConcludeAnswer;
import io.parley.api.agent.AgentAnswers.CreateSessionAnswer;
import io.parley.api.agent.AgentAnswers.DirectoryAnswer;
import io.parley.api.agent.AgentAnswers.GetMessagesAnswer;
import io.parley.api.agent.AgentAnswers.InteractionStatusAnswer;
import io.parley.api.agent.AgentAnswers.LogoffAnswer;
import io.parley.api.agent.AgentAnswers.ModifyPropertiesAnswer;
import io.parley.api.agent.AgentAnswers.PostMessageAnswer;
import io.parley.api.agent.AgentAnswers.ReleaseAnswer;
import io.parley.api.agent.AgentAnswers.RequestAssignmentAnswer;
import io.parley.api.agent.AgentAnswers.RerouteAvailabilityAnswer;
import io.parley.api.agent.AgentAnswers.RerouteEngagementAnswer;
import io.parley.api.agent.AgentAnswers.SetPropertyAnswer;
import io.parley.api.dto.AgentRequests;
import io.parley.api.error.ApiException;
import io.parley.auth.AgentPrincipal;
import io.parley.auth.VerifiedToken;
import io.parley.continuation.EventBus;
import io.parley.continuation.Feeds;
import io.parley.continuation.LongPolls;
import io.parley.engagement.ActivityMode;
import io.parley.engagement.AgentMessage;
import io.parley.engagement.AgentPresence;
import io.parley.engagement.AgentSession;
import io.parley.engagement.AssignmentType;
import io.parley.engagement.Assignments;
import io.parley.engagement.EngagementModule;
import io.parley.engagement.EngagementProperties;
import io.parley.engagement.Engagements;
import io.parley.engagement.Journal;
import io.parley.engagement.Participant;
import io.parley.engagement.PostCommand;
import io.parley.engagement.Posted;
import io.parley.engagement.QueueStatistics;
import io.parley.engagement.SessionInfo;
import io.parley.engagement.Visibility;
import io.parley.engagement.WaitInformation;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent API, {@code /engagement/api/agent/{fqSiteName}/v1/...}: thin translations between the
 * wire format and the agent service. The AuthFilter has checked the agent token of
 * {@code createAutomatedAgentSession}, and {@code X-AID} + {@code X-JSESSIONID} of every other call.
 */
@Path("/engagement/api/agent/{fqSiteName}/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class AgentResource {

    private final AgentPresence agents;
    private final Assignments assignments;
    private final EngagementProperties properties;
    private final Engagements engagements;
    private final WaitInformation waits;
    private final Journal journal;
    private final QueueStatistics statistics;
    private final LongPolls<AgentMessage> polls;
    private final EventBus bus;
    private final SiteDirectory sites;
    private final Clock clock;

    public AgentResource(EngagementModule domain, LongPolls<AgentMessage> polls, EventBus bus, SiteDirectory sites,
                         Clock clock) {
        this.agents = domain.agents();
        this.assignments = domain.assignments();
        this.properties = domain.properties();
        this.engagements = domain.engagements();
        this.waits = domain.waits();
        this.journal = domain.journal();
        this.statistics = domain.statistics();
        this.polls = polls;
        this.bus = bus;
        this.sites = sites;
        this.clock = clock;
    }

    @POST
    @Path("createAutomatedAgentSession")
    public CreateSessionAnswer createSession(@PathParam("fqSiteName") String siteName,
                                             AgentRequests.CreateSession body, @Context SecurityContext caller) {
        VerifiedToken verified = Callers.of(caller, VerifiedToken.class);
        long accountId = Long.parseLong(verified.subject());
        boolean autoAccept = body.messageDataMap() != null
                && "true".equalsIgnoreCase(body.messageDataMap().get("autoAccept"));
        boolean override = Boolean.TRUE.equals(body.logonOverride());
        AgentSession s = agents.logon(accountId, override, autoAccept);
        return CreateSessionAnswer.of(s, sites.byId(s.siteId()).orElseThrow(), override, autoAccept);
    }

    @POST
    @Path("logoff")
    public LogoffAnswer logoff(AgentRequests.Logoff body, @Context SecurityContext caller) {
        String session = session(caller);
        required(body.forceLogoff(), "forceLogoff");
        agents.logoff(session, body.forceLogoff());
        return LogoffAnswer.of(session);
    }

    @POST
    @Path("setActivityStatus")
    public ActivityStatusAnswer setActivityStatus(AgentRequests.ActivityStatus body, @Context SecurityContext caller) {
        String session = touched(caller);
        required(body.status(), "status");
        required(body.subTypeId(), "subTypeId");
        agents.setStatus(session, body.status().name(), body.subTypeId());
        return ActivityStatusAnswer.of(body.status(), body.subTypeId());
    }

    @POST
    @Path("requestAssignment")
    public RequestAssignmentAnswer requestAssignment(AgentRequests.RequestAssignment body,
                                                     @Context SecurityContext caller) {
        String session = touched(caller);
        required(body.assignmentRequested(), "assignmentRequested");
        required(body.idleSessionCount(), "idleSessionCount");
        required(body.maxSessionCount(), "maxSessionCount");
        if (body.maxSessionCount() < 0 || body.maxSessionCount() > 1000 || body.idleSessionCount() < 0) {
            throw invalid("Fields 'maxSessionCount' (0-1000) and 'idleSessionCount' must not be negative.");
        }
        int capacity = agents.requestAssignment(session, body.assignmentRequested(), body.maxSessionCount());
        return RequestAssignmentAnswer.of(body.assignmentRequested(), capacity, body.idleSessionCount());
    }

    @POST
    @Path("assignmentAcknowledgement")
    public AcknowledgementAnswer assignmentAcknowledgement(AgentRequests.Acknowledgement body,
                                                           @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        required(body.action(), "action");
        AgentRequests.AssignmentType type = body.assignmentType() == null
                || body.assignmentType() == AgentRequests.AssignmentType.NONE
                ? AgentRequests.AssignmentType.LEAD : body.assignmentType();
        switch (body.action()) {
            case ACCEPT -> {
                Assignments.Acknowledged a = assignments.accept(session, engagementId, AssignmentType.valueOf(type.name()),
                        body.actionType() == AgentRequests.ActionType.AUTO);
                return AcknowledgementAnswer.accepted(engagementId, a, type);
            }
            case DECLINE, UNAVAILABLE -> {
                assignments.decline(session, engagementId, body.action() == AgentRequests.Action.UNAVAILABLE);
                return AcknowledgementAnswer.answered(engagementId, true);
            }
            case AVAILABLE -> {
                agents.setStatus(session, "AVAILABLE", 0);
                return AcknowledgementAnswer.answered(engagementId, false);
            }
            default -> throw invalid("Field 'action' must be ACCEPT, DECLINE, UNAVAILABLE or AVAILABLE.");
        }
    }

    @POST
    @Path("getMessages")
    public void getMessages(AgentRequests.GetMessages body, @Context SecurityContext caller,
                            @Context HttpServletRequest request,
                            @Suspended AsyncResponse async) {
        String session = touched(caller);
        if (body.lastSequenceNumber() != null && body.lastSequenceNumber() < 0) {
            throw invalid("Field 'lastSequenceNumber' must not be negative.");
        }
        AtomicReference<LongPolls.Handle> handle = new AtomicReference<>();
        Disconnects.cancelOnDisconnect(request, handle);
        handle.set(polls.poll(session, () -> Feeds.agent(journal, bus, session), body.lastSequenceNumber(),
                new LongPolls.Reply<>() {
                    @Override
                    public void deliver(List<AgentMessage> items) {
                        async.resume(GetMessagesAnswer.of(render(items), clock.instant()));
                    }

                    @Override
                    public void empty() {
                        async.resume(GetMessagesAnswer.of(List.of(), clock.instant()));
                    }

                    @Override
                    public void overloaded(Duration retryAfter) {
                        async.resume(new ApiException(503, "OVERLOADED",
                                "Parley holds as many requests as it may; retry shortly.",
                                Map.of("Retry-After", Long.toString(retryAfter.toSeconds()))));
                    }

                    @Override
                    public void failed(RuntimeException e) {
                        async.resume(e);
                    }
                }));
    }

    private List<AgentSystemMessage> render(List<AgentMessage> items) {
        Map<Long, Map<Long, Participant>> byEngagement = new HashMap<>();
        List<AgentSystemMessage> out = new ArrayList<>();
        for (AgentMessage item : items) {
            Map<Long, Participant> participants = item.engagementId() == null ? Map.of()
                    : byEngagement.computeIfAbsent(item.engagementId(), id -> {
                        Map<Long, Participant> map = new HashMap<>();
                        engagements.participants(id).forEach(p -> map.put(p.id(), p));
                        return map;
                    });
            out.add(AgentWire.message(item, participants));
        }
        return out;
    }

    @POST
    @Path("postMessage")
    public PostMessageAnswer postMessage(AgentRequests.PostMessage body, @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = target(body);
        Visibility visibility = body.visibility() == AgentRequests.MessageVisibility.AGENTS
                || body.destinationType() == AgentRequests.DestinationType.AGENT ? Visibility.AGENTS : Visibility.ALL;
        Posted posted = assignments.post(session, engagementId, new PostCommand(
                body.body(), Boolean.TRUE.equals(body.richText()), Boolean.TRUE.equals(body.offTheRecord()),
                body.messageId(), body.messageDataMap(), visibility));
        return PostMessageAnswer.of(engagementId, posted, visibility);
    }

    /** The engagement a message is for: {@code engagementId}, or the destination (an engagement, or its end user). */
    private long target(AgentRequests.PostMessage body) {
        if (body.engagementId() != null) {
            return body.engagementId();
        }
        if (body.destinationId() == null) {
            throw invalid("Field 'destinationId' (or 'engagementId') is required.");
        }
        if (body.destinationType() == AgentRequests.DestinationType.END_USER) {
            return engagements.engagementOfParticipant(body.destinationId())
                    .orElseThrow(() -> new ApiException(404, "ENGAGEMENT_ID_UNKNOWN",
                            "No end user " + body.destinationId() + "."));
        }
        return body.destinationId();
    }

    @POST
    @Path("setInteractionStatus")
    public InteractionStatusAnswer setInteractionStatus(AgentRequests.InteractionStatus body,
                                                        @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        required(body.mode(), "mode");
        assignments.setInteraction(session, engagementId, ActivityMode.valueOf(body.mode().name()), body.sneakPreview(),
                Boolean.TRUE.equals(body.sneakPreviewFocus()));
        return InteractionStatusAnswer.of(engagementId, body.mode());
    }

    @POST
    @Path("setEngagementProperty")
    public SetPropertyAnswer setEngagementProperty(AgentRequests.SetProperty body,
                                                   @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        required(body.name(), "name");
        Map<String, String> one = new HashMap<>();
        one.put(body.name(), body.value());
        Map<String, Boolean> set = properties.set(session, engagementId,
                body.type() == null ? null : body.type().name(), one, List.of());
        return SetPropertyAnswer.of(engagementId, set);
    }

    @POST
    @Path("modifyProperties")
    public ModifyPropertiesAnswer modifyProperties(AgentRequests.ModifyProperties body,
                                                   @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        List<SessionInfo.CustomField> fields = body.customFields() == null ? List.of()
                : body.customFields().stream().filter(Objects::nonNull)
                        .map(f -> new SessionInfo.CustomField(f.name(), f.type(), f.value())).toList();
        Map<String, Boolean> set = properties.set(session, engagementId,
                body.type() == null ? null : body.type().name(),
                body.propertiesMap() == null ? Map.of() : body.propertiesMap(), fields);
        return ModifyPropertiesAnswer.of(engagementId, set);
    }

    @GET
    @Path("rerouteAvailability")
    public RerouteAvailabilityAnswer rerouteAvailability(@QueryParam("request") @Encoded String requestJson,
                                                         @QueryParam("engagementId") Long engagementId,
                                                         @Context SecurityContext caller) {
        Long id = engagementId;
        if (id == null && requestJson != null) {
            id = JsonInput.readQuery(requestJson, "request", AgentRequests.EngagementOnly.class).engagementId();
        }
        return rerouteAvailability(engagementId(id), caller);
    }

    /** The same as the GET: the reference's own example sends it as a POST with a JSON body. */
    @POST
    @Path("rerouteAvailability")
    public RerouteAvailabilityAnswer postRerouteAvailability(AgentRequests.EngagementOnly body,
                                                             @Context SecurityContext caller) {
        return rerouteAvailability(engagementId(body.engagementId()), caller);
    }

    private RerouteAvailabilityAnswer rerouteAvailability(long engagementId, SecurityContext caller) {
        String session = touched(caller);
        return agents.rerouteTarget(session, engagementId, statistics)
                .map(t -> RerouteAvailabilityAnswer.of(engagementId, t))
                .orElseGet(() -> RerouteAvailabilityAnswer.none(engagementId));
    }

    @POST
    @Path("rerouteEngagement")
    public RerouteEngagementAnswer rerouteEngagement(AgentRequests.Reroute body, @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        Participant me = assignments.participant(session, engagementId);
        AgentRequests.AssignmentType type = body.assignmentType() == null ? AgentRequests.AssignmentType.TRANSFER
                : body.assignmentType();
        if (type != AgentRequests.AssignmentType.TRANSFER && type != AgentRequests.AssignmentType.CONFERENCE) {
            throw invalid("Field 'assignmentType' must be TRANSFER or CONFERENCE.");
        }
        assignments.reroute(session, engagementId, body.queueId(), body.agentId(), AssignmentType.valueOf(type.name()));
        return RerouteEngagementAnswer.of(me, engagementId, body.queueId(), body.agentId(), type);
    }

    @POST
    @Path("retrieveAgentsAndQueues")
    public DirectoryAnswer retrieveAgentsAndQueues(AgentRequests.RetrieveAgentsAndQueues body,
                                                   @Context SecurityContext caller) {
        String session = touched(caller);
        boolean withAgents = body.includeAgentInformation() == null || body.includeAgentInformation();
        boolean withQueues = body.includeQueueInformation() == null || body.includeQueueInformation();
        if (Boolean.TRUE.equals(body.includeAgentInformation()) && body.type() == null) {
            throw invalid("Fields 'id' and 'type' are required with includeAgentInformation.");
        }
        AgentRequests.DirectoryType type = body.type() == null ? AgentRequests.DirectoryType.SITE : body.type();
        if (type != AgentRequests.DirectoryType.SITE && body.id() == null) {
            throw invalid("Field 'id' is required with type " + type + ".");
        }
        AgentPresence.Directory d = agents.directory(session);
        // A list not asked for stays null: left out of the answer.
        List<DirectoryAnswer.AgentInfo> agentList = !withAgents ? null : d.agents().stream()
                .filter(a -> type != AgentRequests.DirectoryType.AGENT || a.accountId() == body.id())
                .filter(a -> type != AgentRequests.DirectoryType.QUEUE || agents.serves(a.accountId(), body.id()))
                .map(a -> DirectoryAnswer.AgentInfo.of(a, agents.load(a.id())))
                .toList();
        List<DirectoryAnswer.QueueInfo> queueList = !withQueues ? null : d.queues().stream()
                .map(q -> DirectoryAnswer.QueueInfo.of(q, waits.waiting(q.id())))
                .toList();
        return DirectoryAnswer.of(agentList, queueList);
    }

    @POST
    @Path("concludeChat")
    public ConcludeAnswer concludeChat(AgentRequests.EngagementOnly body, @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        assignments.conclude(session, engagementId);
        return ConcludeAnswer.of(engagementId);
    }

    @POST
    @Path("releaseChat")
    public ReleaseAnswer releaseChat(AgentRequests.EngagementOnly body, @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        assignments.release(session, engagementId);
        return ReleaseAnswer.of(engagementId);
    }

    // ------------------------------------------------------------------ helpers

    private static String session(SecurityContext caller) {
        return Callers.of(caller, AgentPrincipal.class).sessionId();
    }

    /** The session of the call, noted as present (an agent marked away comes back). */
    private String touched(SecurityContext caller) {
        String session = session(caller);
        agents.touch(session);
        return session;
    }

    private static long engagementId(Long id) {
        if (id == null) {
            throw invalid("Field 'engagementId' is required.");
        }
        return id;
    }

    private static void required(Object value, String field) {
        if (value == null) {
            throw invalid("Field '" + field + "' is required.");
        }
    }

    private static ApiException invalid(String message) {
        return ApiException.badRequest("INVALID_FIELD", message);
    }
}
