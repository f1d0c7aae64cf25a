package io.parley.api.bootstrap;

import io.parley.api.error.ApiException;
import io.parley.auth.AccountPrincipal;
import io.parley.auth.AuthFilter;
import io.parley.auth.TokenService;
import io.parley.engagement.ChatSession;
import io.parley.engagement.ChatSessions;
import io.parley.engagement.SessionInfo;
import io.parley.store.Site;
import io.parley.store.SiteDirectory;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;

/**
 * What both consumer bootstrap calls ({@code establishSessions}, {@code chatAuthenticate}) do:
 * open a chat session for the caller's site and issue the token bound to it (its {@code jti} is
 * the chat session id), and tell the client where the chat server is.
 */
public final class ConsumerBootstrap {

    /**
     * A chat session opened and its token.
     *
     * @param token  the signed JWT
     * @param site   the site it is for
     * @param domain where the client reaches the chat server ({@link PublicDomain})
     */
    record Issued(String token, Site site, String domain) {
    }

    private final ChatSessions chatSessions;
    private final TokenService tokens;
    private final SiteDirectory sites;
    private final PublicDomain domains;

    public ConsumerBootstrap(ChatSessions chatSessions, TokenService tokens, SiteDirectory sites, PublicDomain domains) {
        this.chatSessions = chatSessions;
        this.tokens = tokens;
        this.sites = sites;
        this.domains = domains;
    }

    /**
     * Opens a chat session for a consumer of the caller's site, once it is known where the client is
     * to be sent (a refusal leaves no session behind).
     *
     * @param authUserName the consumer's user name (chatAuthenticate), or null for an anonymous consumer;
     *                     it is the token's subject, else the chat session id is
     */
    Issued issue(AccountPrincipal caller, HttpServletRequest request, String authUserName, SessionInfo info) {
        Site site = sites.byId(caller.siteId())
                .orElseThrow(() -> new IllegalStateException("The site of account " + caller.username() + " vanished"));
        String domain = domains.of(site, request);
        ChatSession session = chatSessions.open(site.id(), authUserName, info, tokens.tokenTtl());
        String subject = authUserName != null ? authUserName : session.id();
        return new Issued(tokens.issue(site.name(), session.id(), subject, tokens.tokenTtl()), site, domain);
    }

}
