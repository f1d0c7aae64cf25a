package io.parley.auth;

/**
 * An account whose Basic credentials the AuthFilter checked: who called a bootstrap call.
 *
 * @param accountId the account's id
 * @param username  its user name
 * @param role      what it may do
 * @param siteId    the site it belongs to (null for administrators)
 * @param siteName  that site's fqSiteName (null for administrators)
 */
public record AccountPrincipal(long accountId, String username, Role role, Long siteId, String siteName)
        implements Caller {

    @Override
    public String getName() {
        return username;
    }

    /** The kinds of account. */
    public enum Role {
        /** An API user: {@code establishSessions} and {@code chatAuthenticate}. */
        API,
        /** An agent: {@code agentTokens}, {@code serviceSettings} and the agent API. */
        AGENT,
        /** An administrator of the whole server. */
        ADMIN
    }
}
