package io.parley.auth;

import java.util.Optional;

/** Looks up live agent sessions by their {@code X-JSESSIONID}; the engagement side implements it. */
@FunctionalInterface
public interface AgentSessions {

    Optional<AgentPrincipal> find(String sessionId);
}
