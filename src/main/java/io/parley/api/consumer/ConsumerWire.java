package io.parley.api.consumer;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.parley.api.WireId;
import io.parley.api.WireModule;
import io.parley.api.dto.ConsumerRequests;
import io.parley.api.error.ApiException;
import io.parley.engagement.Admission;
import io.parley.engagement.ConsumerSession;
import io.parley.engagement.EngagementException;
import io.parley.engagement.Event;
import io.parley.engagement.Participant;
import io.parley.engagement.Posted;
import io.parley.engagement.QueueStatistics;
import io.parley.engagement.Router;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The consumer API's wire format: one record per answer, each built from the domain in one place
 * (its {@code of}). Jackson writes the components in declaration order, every answer's
 * {@link Envelope} first; {@link WireId} adds the String twins of 64-bit ids. The system messages
 * are {@link SystemMessage}s.
 */
final class ConsumerWire {

    private ConsumerWire() {
    }

    /** Rejects a {@code clientRequestTime} that is neither a string nor a number. */
    static void validate(ConsumerRequests.Envelope request) {
        JsonNode t = request.clientRequestTime();
        if (t != null && !t.isNull() && !t.isTextual() && !t.isNumber()) {
            throw ApiException.badRequest("INVALID_FIELD", "Field 'clientRequestTime' must be a string or a number.");
        }
    }

    /**
     * The fields every answer starts with: the request's echoes and the service times.
     *
     * @param clientRequestTime echoed as the client sent it, a string or a number
     */
    public record Envelope(JsonNode clientRequestTime, @WireId Long clientTransactionId, String serviceStartTime,
                           String serviceFinishTime) {

        /** The envelope of an answer finished now. */
        static Envelope of(ConsumerRequests.Envelope request, Instant started) {
            JsonNode t = request.clientRequestTime();
            return new Envelope(t == null || t.isNull() ? null : t, request.clientTransactionId(),
                    WireModule.iso(started), WireModule.iso(Instant.now()));
        }
    }

    /** requestEngagement. Parley runs no surveys: none was cancelled or completed. */
    public record EngagementAnswer(@JsonUnwrapped Envelope envelope, @WireId long engagementId, String sessionId,
                                   @WireId long clientId, String resultType, @WireId long cancelledSurveyId,
                                   String cancelledSurveyAuth, @WireId long completedSurveyId,
                                   String completedSurveyAuth) {

        static EngagementAnswer of(Envelope envelope, Admission.Admitted admitted) {
            return new EngagementAnswer(envelope, admitted.engagement().id(), admitted.engagement().consumerSession(),
                    admitted.participantId(), "NONE", 0, "", 0, "");
        }
    }

    /** getMessages. Parley reports no error messages there: failures are HTTP errors. */
    public record MessagesAnswer(@JsonUnwrapped Envelope envelope, List<SystemMessage> systemMessages,
                                 List<Object> errorMessages) {

        /** @param participants the engagement's participants by id, for the authors' names */
        static MessagesAnswer of(Envelope envelope, List<Event> events, Map<Long, Participant> participants) {
            return new MessagesAnswer(envelope, events.stream().map(e -> SystemMessage.of(e, participants)).toList(),
                    List.of());
        }
    }

    /** postMessage. */
    public record PostMessageAnswer(@JsonUnwrapped Envelope envelope, @WireId long clientId,
                                    @WireId long engagementId, String messageId, @WireId long sequenceNumber,
                                    String createdTime) {

        static PostMessageAnswer of(Envelope envelope, ConsumerSession s, Posted posted) {
            return new PostMessageAnswer(envelope, s.participantId(), s.engagementId(), posted.messageId(),
                    posted.seq(), WireModule.iso(posted.createdAt()));
        }
    }

    /** activity. */
    public record ActivityAnswer(@JsonUnwrapped Envelope envelope, @WireId long clientId) {

        static ActivityAnswer of(Envelope envelope, ConsumerSession s) {
            return new ActivityAnswer(envelope, s.participantId());
        }
    }

    /** concludeEngagement. */
    public record ConcludeAnswer(@JsonUnwrapped Envelope envelope, @WireId long clientId, @WireId long engagementId) {

        static ConcludeAnswer of(Envelope envelope, ConsumerSession s) {
            return new ConcludeAnswer(envelope, s.participantId(), s.engagementId());
        }
    }

    /** getQueueStats. */
    public record QueueStatsAnswer(@JsonUnwrapped Envelope envelope, @WireId long queueId,
                                   int availableAgentSessions, int totalAvailableAgents, int engagementsInQueue,
                                   int expectedWaitSeconds, int averageWaitSeconds, boolean queueOpen) {

        /** {@code availableAgentSessions} counts agents with room, or all connected ones when asked for SESSIONS. */
        static QueueStatsAnswer of(Envelope envelope, QueueStatistics.Stats stats,
                                   ConsumerRequests.AvailabilityType availableType) {
            int available = availableType == ConsumerRequests.AvailabilityType.SESSIONS
                    ? stats.agents().connected() : stats.agents().availableWithCapacity();
            return new QueueStatsAnswer(envelope, stats.queueId(), available, stats.agents().available(),
                    stats.waiting(), stats.expectedWaitSeconds(), stats.averageWaitSeconds(), stats.open());
        }
    }

    /** getEngagementQueue: where a chat would be routed, or why it would not be. */
    public record EngagementQueueAnswer(@JsonUnwrapped Envelope envelope, @WireId Long queueId, long chatRouteId,
                                        int availableAgentSessions, int engagementsInQueue, int expectedWaitSeconds,
                                        boolean queueOpen, String routingResult) {

        /** @param stats the figures of the queue decided on */
        static EngagementQueueAnswer routed(Envelope envelope, Router.Decision decision, QueueStatistics.Stats stats) {
            return new EngagementQueueAnswer(envelope, decision.queue().id(),
                    decision.rule() == null ? 0 : decision.rule().id(), stats.agents().availableWithCapacity(),
                    stats.waiting(), stats.expectedWaitSeconds(), stats.open(), "ROUTED");
        }

        /** No queue: the routing result is the refusal's code. */
        static EngagementQueueAnswer refused(Envelope envelope, EngagementException e) {
            return new EngagementQueueAnswer(envelope, null, 0, 0, 0, 0, false, e.code());
        }
    }
}
