package io.parley.auth;

import io.parley.engagement.ConsumerSession;

/**
 * A consumer as the AuthFilter checked it: the usable session of the path's site that the
 * {@code SessionId} a client sends on every consumer call after {@code requestEngagement} names.
 */
public record ConsumerCaller(ConsumerSession session) implements Caller {

    /** The participant, not the session id: that one is a credential. */
    @Override
    public String getName() {
        return "consumer " + session.participantId() + " of engagement " + session.engagementId();
    }
}
