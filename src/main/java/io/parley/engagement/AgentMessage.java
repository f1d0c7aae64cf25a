package io.parley.engagement;

import java.time.Instant;

/**
 * One item of an agent session's inbox, in order: either an event of an engagement the agent
 * takes part in ({@code event}), or a notice to the agent itself ({@code notice}).
 *
 * @param seq the session's channel sequence number (gap-free; a logon override starts a new channel)
 */
public record AgentMessage(long seq, Instant createdAt, Long engagementId, Event event, AgentNotice notice) {
}
