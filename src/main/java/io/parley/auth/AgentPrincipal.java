package io.parley.auth;

/**
 * A live agent session as the AuthFilter checked it: the {@code X-JSESSIONID} and {@code X-AID} an
 * agent client sends on every call after {@code createAutomatedAgentSession}.
 */
public record AgentPrincipal(String sessionId, long accountId, String siteName) implements Caller {

    /** The account, not the session id: that one is a credential. */
    @Override
    public String getName() {
        return "agent account " + accountId;
    }
}
