package io.parley.bench;

/**
 * A consumer session made for the benchmark.
 *
 * @param agentParticipantId the stand-in agent's participant id once an agent accepted it, else 0
 */
record BenchSession(String sessionId, long engagementId, long agentParticipantId) {

    BenchSession withAgent(long participantId) {
        return new BenchSession(sessionId, engagementId, participantId);
    }
}
