package io.parley.engagement;

import io.parley.store.AgentStore.SessionRow;

/** A live agent session. */
public record AgentSession(String id, long accountId, long siteId, String username, String name, String status,
                           int maxSessions, boolean autoAccept, boolean away) {

    /** Whose session it is: what the API checks a call against, and what never changes while the session lives. */
    public record Identity(String id, long accountId, long siteId) {
    }

    static AgentSession of(SessionRow s) {
        return new AgentSession(s.id(), s.accountId(), s.siteId(), s.username(), s.displayName(), s.status(),
                s.maxSessions(), s.autoAccept(), s.away());
    }
}
