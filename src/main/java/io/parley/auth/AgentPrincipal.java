package io.parley.auth;

/**
 * A live agent session as the AuthFilter checked it: the {@code X-JSESSIONID} and {@code X-AID} an
 * agent client sends on every call after {@code createAutomatedAgentSession}.
 */
public record AgentPrincipal(String sessionId, long accountId, String siteName) {

    /** The request attribute under which the AuthFilter hands the checked agent session to the resource. */
    public static final String ATTRIBUTE = AgentPrincipal.class.getName();
}
