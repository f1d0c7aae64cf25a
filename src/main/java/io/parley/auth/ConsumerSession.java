package io.parley.auth;

/**
 * A consumer session as the AuthFilter sees it: the {@code SessionId} a client sends on every
 * consumer call after {@code requestEngagement}. {@code usable} is false once the session has
 * ended for good (concluded, closing messages delivered or the grace period over).
 */
public record ConsumerSession(String sessionId, String siteName, long engagementId, long participantId, boolean usable)
        implements Caller {

    /** The participant, not the session id: that one is a credential. */
    @Override
    public String getName() {
        return "consumer " + participantId + " of engagement " + engagementId;
    }
}
