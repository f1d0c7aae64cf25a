package io.parley.api.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.parley.api.WireId;
import io.parley.api.WireTime;
import io.parley.api.dto.AgentRequests;
import io.parley.api.error.ErrorBody.ChatSystemError;
import io.parley.engagement.AgentPresence;
import io.parley.engagement.AgentSession;
import io.parley.engagement.Assignments;
import io.parley.engagement.Participant;
import io.parley.engagement.ParticipantKind;
import io.parley.engagement.Posted;
import io.parley.engagement.Queue;
import io.parley.engagement.Role;
import io.parley.engagement.Visibility;
import io.parley.store.Site;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The agent API's answers, one record per operation: mostly {@code {"<resultName>": result,
 * "chatSystemError": null}}, the error being null on every answer that is not an error body. The
 * components' order is the order clients see; the static factories are the one place each shape
 * is built from the domain.
 */
final class AgentAnswers {

    private AgentAnswers() {
    }

    /** createAutomatedAgentSession: the session and account stand beside the result as well. */
    record CreateSessionAnswer(String sessionId, @WireId long accountId, Result chatLogonResult,
                               ChatSystemError chatSystemError) {

        record Result(String sessionId, @WireId long accountId, String agentName, String siteName, String pool,
                      boolean logonOverride, boolean autoAccept) {
        }

        static CreateSessionAnswer of(AgentSession s, Site site, boolean logonOverride, boolean autoAccept) {
            return new CreateSessionAnswer(s.id(), s.accountId(), new Result(s.id(), s.accountId(), s.name(),
                    site.name(), site.pool(), logonOverride, autoAccept), null);
        }
    }

    record LogoffAnswer(Result chatLogoffResult, ChatSystemError chatSystemError) {

        record Result(String sessionId, boolean loggedOff) {
        }

        static LogoffAnswer of(String sessionId) {
            return new LogoffAnswer(new Result(sessionId, true), null);
        }
    }

    record ActivityStatusAnswer(Result chatSetActivityStatusResult, ChatSystemError chatSystemError) {

        record Result(AgentRequests.Status status, int subTypeId) {
        }

        static ActivityStatusAnswer of(AgentRequests.Status status, int subTypeId) {
            return new ActivityStatusAnswer(new Result(status, subTypeId), null);
        }
    }

    record RequestAssignmentAnswer(Result chatRequestAssignmentResult, ChatSystemError chatSystemError) {

        /** {@code maxSessionCount} is the capacity granted, which may be less than asked. */
        record Result(boolean assignmentRequested, int maxSessionCount, int idleSessionCount) {
        }

        static RequestAssignmentAnswer of(boolean assignmentRequested, int maxSessionCount, int idleSessionCount) {
            return new RequestAssignmentAnswer(new Result(assignmentRequested, maxSessionCount, idleSessionCount),
                    null);
        }
    }

    /** assignmentAcknowledgement: an accepted offer lists the participants; any other action says if it declined. */
    record AcknowledgementAnswer(Result chatAssignmentAcknowledgementResult, ChatSystemError chatSystemError) {

        sealed interface Result {
        }

        record Accepted(@WireId long engagementId, @WireId long clientId, AgentRequests.AssignmentType assignmentType,
                        List<ChatClientInfo> clientList) implements Result {
        }

        record Answered(@WireId long engagementId, boolean declined) implements Result {
        }

        static AcknowledgementAnswer accepted(long engagementId, Assignments.Acknowledged a,
                                              AgentRequests.AssignmentType type) {
            return new AcknowledgementAnswer(new Accepted(engagementId, a.participantId(), type,
                    a.participants().stream().map(ChatClientInfo::of).toList()), null);
        }

        static AcknowledgementAnswer answered(long engagementId, boolean declined) {
            return new AcknowledgementAnswer(new Answered(engagementId, declined), null);
        }
    }

    /** A participant as the agent API shows it; clientType is whether it is the end user or an agent. */
    record ChatClientInfo(@WireId long clientId, @WireId long engagementId, String name, Role role,
                          ParticipantKind clientType, @WireId Long accountId, boolean connected) {

        static ChatClientInfo of(Participant p) {
            return new ChatClientInfo(p.id(), p.engagementId(), p.name(), p.role(), p.kind(), p.accountId(), !p.left());
        }
    }

    /** getMessages: exactly one ChatGetTimeout when there is nothing. */
    record GetMessagesAnswer(List<AgentSystemMessage> getResponseTypes, ChatSystemError chatSystemError) {

        static GetMessagesAnswer of(List<AgentSystemMessage> messages, Instant now) {
            return new GetMessagesAnswer(
                    messages.isEmpty() ? List.of(new AgentSystemMessage.ChatGetTimeout(now)) : messages, null);
        }
    }

    record PostMessageAnswer(Result chatPostMessageResult, ChatSystemError chatSystemError) {

        record Result(@WireId long engagementId, String messageId, @WireId long sequenceNumber,
                      @WireTime Instant createdTime, Visibility visibility) {
        }

        static PostMessageAnswer of(long engagementId, Posted posted, Visibility visibility) {
            return new PostMessageAnswer(new Result(engagementId, posted.messageId(), posted.seq(), posted.createdAt(),
                    visibility), null);
        }
    }

    record InteractionStatusAnswer(Result chatSetInteractionStatusResult, ChatSystemError chatSystemError) {

        record Result(@WireId long engagementId, AgentRequests.Mode mode) {
        }

        static InteractionStatusAnswer of(long engagementId, AgentRequests.Mode mode) {
            return new InteractionStatusAnswer(new Result(engagementId, mode), null);
        }
    }

    /** {@code propertiesResultMap}: whether each property was set, by name. */
    record SetPropertyAnswer(Result chatSetEngagementPropertyResult, ChatSystemError chatSystemError) {

        record Result(@WireId long engagementId, Map<String, Boolean> propertiesResultMap) {
        }

        static SetPropertyAnswer of(long engagementId, Map<String, Boolean> set) {
            return new SetPropertyAnswer(new Result(engagementId, set), null);
        }
    }

    /** modifyProperties: here the properties' results stand beside the result, not in it. */
    record ModifyPropertiesAnswer(Map<String, Boolean> propertiesResultMap, Result chatModifyPropertiesResult,
                                  ChatSystemError chatSystemError) {

        record Result(@WireId long engagementId) {
        }

        static ModifyPropertiesAnswer of(long engagementId, Map<String, Boolean> set) {
            return new ModifyPropertiesAnswer(set, new Result(engagementId), null);
        }
    }

    /** rerouteAvailability: the escalation queue and how busy it is, or that there is none. */
    record RerouteAvailabilityAnswer(Result chatRerouteAvailabilityResult, ChatSystemError chatSystemError) {

        sealed interface Result {
        }

        record Escalation(@WireId long engagementId, @WireId long queueId, String queueName, boolean available,
                          int availableAgentSessions, int engagementsInQueue, int expectedWaitSeconds)
                implements Result {
        }

        record NoEscalationQueue(@WireId long engagementId, @WireId Long queueId, boolean available)
                implements Result {
        }

        static RerouteAvailabilityAnswer of(long engagementId, AgentPresence.RerouteTarget t) {
            return new RerouteAvailabilityAnswer(new Escalation(engagementId, t.queue().id(), t.queue().name(),
                    t.availableAgents() > 0, t.availableAgents(), t.waiting(), t.expectedWaitSeconds()), null);
        }

        static RerouteAvailabilityAnswer none(long engagementId) {
            return new RerouteAvailabilityAnswer(new NoEscalationQueue(engagementId, null, false), null);
        }
    }

    /** rerouteEngagement: the caller's clientId stands beside the result; a reroute without an agent is QUEUE. */
    record RerouteEngagementAnswer(@WireId long clientId, Result chatRerouteEngagementResult,
                                   ChatSystemError chatSystemError) {

        record Result(@WireId long engagementId, @WireId Long queueId, @WireId Long agentId, String assignmentType) {
        }

        static RerouteEngagementAnswer of(Participant me, long engagementId, Long queueId, Long agentId,
                                          AgentRequests.AssignmentType type) {
            return new RerouteEngagementAnswer(me.id(), new Result(engagementId, queueId, agentId,
                    agentId == null ? "QUEUE" : type.name()), null);
        }
    }

    /** retrieveAgentsAndQueues: a list not asked for is left out, not null. */
    record DirectoryAnswer(Result chatRetrieveAgentsAndQueuesResult, ChatSystemError chatSystemError) {

        record Result(@JsonInclude(JsonInclude.Include.NON_NULL) List<AgentInfo> agents,
                      @JsonInclude(JsonInclude.Include.NON_NULL) List<QueueInfo> queues) {
        }

        /** An agent marked away shows as AWAY whatever its status. */
        record AgentInfo(@WireId long accountId, String name, String status, int activeChats, int maxChats) {

            static AgentInfo of(AgentSession a, int activeChats) {
                return new AgentInfo(a.accountId(), a.name(), a.away() ? "AWAY" : a.status(), activeChats,
                        a.maxSessions());
            }
        }

        record QueueInfo(@WireId long queueId, String name, @WireId Long escalationQueueId, int engagementsInQueue) {

            static QueueInfo of(Queue q, int engagementsInQueue) {
                return new QueueInfo(q.id(), q.name(), q.escalationQueueId(), engagementsInQueue);
            }
        }

        static DirectoryAnswer of(List<AgentInfo> agents, List<QueueInfo> queues) {
            return new DirectoryAnswer(new Result(agents, queues), null);
        }
    }

    record ConcludeAnswer(Result chatConcludeEngagementResult, ChatSystemError chatSystemError) {

        record Result(@WireId long engagementId, boolean concluded) {
        }

        static ConcludeAnswer of(long engagementId) {
            return new ConcludeAnswer(new Result(engagementId, true), null);
        }
    }

    record ReleaseAnswer(Result chatReleaseEngagementResult, ChatSystemError chatSystemError) {

        record Result(@WireId long engagementId, boolean released) {
        }

        static ReleaseAnswer of(long engagementId) {
            return new ReleaseAnswer(new Result(engagementId, true), null);
        }
    }
}
