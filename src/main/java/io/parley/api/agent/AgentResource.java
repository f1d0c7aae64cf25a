package io.parley.api.agent;

import io.parley.api.Callers;
import io.parley.api.Disconnects;
import io.parley.api.JsonInput;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
    public Map<String, Object> createSession(@PathParam("fqSiteName") String siteName,
                                             AgentRequests.CreateSession body, @Context SecurityContext caller) {
        VerifiedToken verified = Callers.of(caller, VerifiedToken.class);
        long accountId = Long.parseLong(verified.subject());
        boolean autoAccept = body.messageDataMap() != null
                && "true".equalsIgnoreCase(body.messageDataMap().get("autoAccept"));
        boolean override = Boolean.TRUE.equals(body.logonOverride());
        AgentSession s = agents.logon(accountId, override, autoAccept);
        Site site = sites.byId(s.siteId()).orElseThrow();
        Map<String, Object> logon = new LinkedHashMap<>();
        logon.put("sessionId", s.id());
        AgentWire.id(logon, "accountId", s.accountId());
        logon.put("agentName", s.name());
        logon.put("siteName", site.name());
        logon.put("pool", site.pool());
        logon.put("logonOverride", override);
        logon.put("autoAccept", autoAccept);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sessionId", s.id());
        AgentWire.id(m, "accountId", s.accountId());
        m.put("chatLogonResult", logon);
        m.put("chatSystemError", null);
        return m;
    }

    @POST
    @Path("logoff")
    public Map<String, Object> logoff(AgentRequests.Logoff body, @Context SecurityContext caller) {
        String session = session(caller);
        required(body.forceLogoff(), "forceLogoff");
        agents.logoff(session, body.forceLogoff());
        return AgentWire.answer("chatLogoffResult", result("sessionId", session, "loggedOff", true));
    }

    @POST
    @Path("setActivityStatus")
    public Map<String, Object> setActivityStatus(AgentRequests.ActivityStatus body, @Context SecurityContext caller) {
        String session = touched(caller);
        required(body.status(), "status");
        required(body.subTypeId(), "subTypeId");
        agents.setStatus(session, body.status().name(), body.subTypeId());
        return AgentWire.answer("chatSetActivityStatusResult",
                result("status", body.status().name(), "subTypeId", body.subTypeId()));
    }

    @POST
    @Path("requestAssignment")
    public Map<String, Object> requestAssignment(AgentRequests.RequestAssignment body,
                                                 @Context SecurityContext caller) {
        String session = touched(caller);
        required(body.assignmentRequested(), "assignmentRequested");
        required(body.idleSessionCount(), "idleSessionCount");
        required(body.maxSessionCount(), "maxSessionCount");
        if (body.maxSessionCount() < 0 || body.maxSessionCount() > 1000 || body.idleSessionCount() < 0) {
            throw invalid("Fields 'maxSessionCount' (0-1000) and 'idleSessionCount' must not be negative.");
        }
        int capacity = agents.requestAssignment(session, body.assignmentRequested(), body.maxSessionCount());
        return AgentWire.answer("chatRequestAssignmentResult", result("assignmentRequested", body.assignmentRequested(),
                "maxSessionCount", capacity, "idleSessionCount", body.idleSessionCount()));
    }

    @POST
    @Path("assignmentAcknowledgement")
    public Map<String, Object> assignmentAcknowledgement(AgentRequests.Acknowledgement body,
                                                         @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        required(body.action(), "action");
        AgentRequests.AssignmentType type = body.assignmentType() == null
                || body.assignmentType() == AgentRequests.AssignmentType.NONE
                ? AgentRequests.AssignmentType.LEAD : body.assignmentType();
        Map<String, Object> r = new LinkedHashMap<>();
        AgentWire.id(r, "engagementId", engagementId);
        switch (body.action()) {
            case ACCEPT -> {
                Assignments.Acknowledged a = assignments.accept(session, engagementId, AssignmentType.valueOf(type.name()),
                        body.actionType() == AgentRequests.ActionType.AUTO);
                AgentWire.id(r, "clientId", a.participantId());
                r.put("assignmentType", type.name());
                r.put("clientList", a.participants().stream().map(AgentWire::clientInfo).toList());
            }
            case DECLINE, UNAVAILABLE -> {
                assignments.decline(session, engagementId, body.action() == AgentRequests.Action.UNAVAILABLE);
                r.put("declined", true);
            }
            case AVAILABLE -> {
                agents.setStatus(session, "AVAILABLE", 0);
                r.put("declined", false);
            }
            default -> throw invalid("Field 'action' must be ACCEPT, DECLINE, UNAVAILABLE or AVAILABLE.");
        }
        return AgentWire.answer("chatAssignmentAcknowledgementResult", r);
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
                        async.resume(AgentWire.messages(render(items), clock.instant()));
                    }

                    @Override
                    public void empty() {
                        async.resume(AgentWire.messages(List.of(), clock.instant()));
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

    private List<Map<String, Object>> render(List<AgentMessage> items) {
        Map<Long, Map<Long, Participant>> byEngagement = new HashMap<>();
        List<Map<String, Object>> out = new ArrayList<>();
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
    public Map<String, Object> postMessage(AgentRequests.PostMessage body, @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = target(body);
        Visibility visibility = body.visibility() == AgentRequests.MessageVisibility.AGENTS
                || body.destinationType() == AgentRequests.DestinationType.AGENT ? Visibility.AGENTS : Visibility.ALL;
        Posted posted = assignments.post(session, engagementId, new PostCommand(
                body.body(), Boolean.TRUE.equals(body.richText()), Boolean.TRUE.equals(body.offTheRecord()),
                body.messageId(), body.messageDataMap(), visibility));
        Map<String, Object> r = new LinkedHashMap<>();
        AgentWire.id(r, "engagementId", engagementId);
        r.put("messageId", posted.messageId());
        AgentWire.id(r, "sequenceNumber", posted.seq());
        AgentWire.time(r, "createdTime", posted.createdAt());
        r.put("visibility", visibility.name());
        return AgentWire.answer("chatPostMessageResult", r);
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
    public Map<String, Object> setInteractionStatus(AgentRequests.InteractionStatus body,
                                                    @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        required(body.mode(), "mode");
        assignments.setInteraction(session, engagementId, ActivityMode.valueOf(body.mode().name()), body.sneakPreview(),
                Boolean.TRUE.equals(body.sneakPreviewFocus()));
        Map<String, Object> r = new LinkedHashMap<>();
        AgentWire.id(r, "engagementId", engagementId);
        r.put("mode", body.mode().name());
        return AgentWire.answer("chatSetInteractionStatusResult", r);
    }

    @POST
    @Path("setEngagementProperty")
    public Map<String, Object> setEngagementProperty(AgentRequests.SetProperty body,
                                                     @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        required(body.name(), "name");
        Map<String, String> one = new HashMap<>();
        one.put(body.name(), body.value());
        Map<String, Boolean> set = properties.set(session, engagementId,
                body.type() == null ? null : body.type().name(), one, List.of());
        Map<String, Object> r = new LinkedHashMap<>();
        AgentWire.id(r, "engagementId", engagementId);
        r.put("propertiesResultMap", set);
        return AgentWire.answer("chatSetEngagementPropertyResult", r);
    }

    @POST
    @Path("modifyProperties")
    public Map<String, Object> modifyProperties(AgentRequests.ModifyProperties body,
                                                @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        List<SessionInfo.CustomField> fields = body.customFields() == null ? List.of()
                : body.customFields().stream().filter(Objects::nonNull)
                        .map(f -> new SessionInfo.CustomField(f.name(), f.type(), f.value())).toList();
        Map<String, Boolean> set = properties.set(session, engagementId,
                body.type() == null ? null : body.type().name(),
                body.propertiesMap() == null ? Map.of() : body.propertiesMap(), fields);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("propertiesResultMap", set);
        Map<String, Object> r = new LinkedHashMap<>();
        AgentWire.id(r, "engagementId", engagementId);
        m.put("chatModifyPropertiesResult", r);
        m.put("chatSystemError", null);
        return m;
    }

    @GET
    @Path("rerouteAvailability")
    public Map<String, Object> rerouteAvailability(@QueryParam("request") @Encoded String requestJson,
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
    public Map<String, Object> postRerouteAvailability(AgentRequests.EngagementOnly body,
                                                       @Context SecurityContext caller) {
        return rerouteAvailability(engagementId(body.engagementId()), caller);
    }

    private Map<String, Object> rerouteAvailability(long engagementId, SecurityContext caller) {
        String session = touched(caller);
        Map<String, Object> r = new LinkedHashMap<>();
        AgentWire.id(r, "engagementId", engagementId);
        agents.rerouteTarget(session, engagementId, statistics).ifPresentOrElse(t -> {
            AgentWire.id(r, "queueId", t.queue().id());
            r.put("queueName", t.queue().name());
            r.put("available", t.availableAgents() > 0);
            r.put("availableAgentSessions", t.availableAgents());
            r.put("engagementsInQueue", t.waiting());
            r.put("expectedWaitSeconds", t.expectedWaitSeconds());
        }, () -> {
            AgentWire.id(r, "queueId", null);
            r.put("available", false);
        });
        return AgentWire.answer("chatRerouteAvailabilityResult", r);
    }

    @POST
    @Path("rerouteEngagement")
    public Map<String, Object> rerouteEngagement(AgentRequests.Reroute body, @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        Participant me = assignments.participant(session, engagementId);
        AgentRequests.AssignmentType type = body.assignmentType() == null ? AgentRequests.AssignmentType.TRANSFER
                : body.assignmentType();
        if (type != AgentRequests.AssignmentType.TRANSFER && type != AgentRequests.AssignmentType.CONFERENCE) {
            throw invalid("Field 'assignmentType' must be TRANSFER or CONFERENCE.");
        }
        assignments.reroute(session, engagementId, body.queueId(), body.agentId(), AssignmentType.valueOf(type.name()));
        Map<String, Object> r = new LinkedHashMap<>();
        AgentWire.id(r, "engagementId", engagementId);
        AgentWire.id(r, "queueId", body.queueId());
        AgentWire.id(r, "agentId", body.agentId());
        r.put("assignmentType", body.agentId() == null ? "QUEUE" : type.name());
        Map<String, Object> m = new LinkedHashMap<>();
        AgentWire.id(m, "clientId", me.id());
        m.put("chatRerouteEngagementResult", r);
        m.put("chatSystemError", null);
        return m;
    }

    @POST
    @Path("retrieveAgentsAndQueues")
    public Map<String, Object> retrieveAgentsAndQueues(AgentRequests.RetrieveAgentsAndQueues body,
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
        Map<String, Object> r = new LinkedHashMap<>();
        if (withAgents) {
            r.put("agents", d.agents().stream()
                    .filter(a -> type != AgentRequests.DirectoryType.AGENT || a.accountId() == body.id())
                    .filter(a -> type != AgentRequests.DirectoryType.QUEUE || agents.serves(a.accountId(), body.id()))
                    .map(a -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        AgentWire.id(m, "accountId", a.accountId());
                        m.put("name", a.name());
                        m.put("status", a.away() ? "AWAY" : a.status());
                        m.put("activeChats", agents.load(a.id()));
                        m.put("maxChats", a.maxSessions());
                        return m;
                    }).toList());
        }
        if (withQueues) {
            r.put("queues", d.queues().stream().map(q -> {
                Map<String, Object> m = new LinkedHashMap<>();
                AgentWire.id(m, "queueId", q.id());
                m.put("name", q.name());
                AgentWire.id(m, "escalationQueueId", q.escalationQueueId());
                m.put("engagementsInQueue", waits.waiting(q.id()));
                return m;
            }).toList());
        }
        return AgentWire.answer("chatRetrieveAgentsAndQueuesResult", r);
    }

    @POST
    @Path("concludeChat")
    public Map<String, Object> concludeChat(AgentRequests.EngagementOnly body, @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        assignments.conclude(session, engagementId);
        Map<String, Object> r = new LinkedHashMap<>();
        AgentWire.id(r, "engagementId", engagementId);
        r.put("concluded", true);
        return AgentWire.answer("chatConcludeEngagementResult", r);
    }

    @POST
    @Path("releaseChat")
    public Map<String, Object> releaseChat(AgentRequests.EngagementOnly body, @Context SecurityContext caller) {
        String session = touched(caller);
        long engagementId = engagementId(body.engagementId());
        assignments.release(session, engagementId);
        Map<String, Object> r = new LinkedHashMap<>();
        AgentWire.id(r, "engagementId", engagementId);
        r.put("released", true);
        return AgentWire.answer("chatReleaseEngagementResult", r);
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

    private static Map<String, Object> result(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
