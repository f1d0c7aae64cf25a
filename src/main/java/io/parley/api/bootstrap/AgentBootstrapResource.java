package io.parley.api.bootstrap;

import io.parley.api.Callers;
import io.parley.auth.AccountPrincipal;
import io.parley.auth.AccountPrincipal;
import io.parley.auth.TokenService;
import io.parley.engagement.SecureIds;
import io.parley.store.Site;
import io.parley.store.SiteDirectory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.MediaType;

/**
 * The agent's bootstrap calls, with the agent's own Basic credentials (checked by the AuthFilter):
 * {@code agentTokens} issues the token that logs an agent session on, {@code serviceSettings} says
 * where the chat server is.
 */
@Path("/services/rest/crossChannelServices/latest")
@Produces(MediaType.APPLICATION_JSON)
public final class AgentBootstrapResource {

    /** The agent's token, for {@code createAutomatedAgentSession}. */
    public record TokenAnswer(String sessionToken) {
    }

    /** Where the agent API is. */
    public record SettingsAnswer(String siteName, String pool, String domain) {
    }

    private final TokenService tokens;
    private final SiteDirectory sites;
    private final PublicDomain domains;

    public AgentBootstrapResource(TokenService tokens, SiteDirectory sites, PublicDomain domains) {
        this.tokens = tokens;
        this.sites = sites;
        this.domains = domains;
    }

    /** Only an empty body is allowed by the reference; any body is ignored here. */
    @POST
    @Path("agentTokens")
    public TokenAnswer agentTokens(@Context SecurityContext caller) {
        AccountPrincipal agent = Callers.of(caller, AccountPrincipal.class);
        Site site = site(agent);
        return new TokenAnswer(tokens.issue(TokenService.agentAudience(site.name()), SecureIds.next(),
                Long.toString(agent.accountId()), tokens.tokenTtl()));
    }

    @GET
    @Path("serviceSettings/{id}")
    public SettingsAnswer serviceSettings(@Context SecurityContext caller, @Context HttpServletRequest request) {
        Site site = site(Callers.of(caller, AccountPrincipal.class));
        return new SettingsAnswer(site.name(), site.pool(), domains.of(site, request));
    }

    private Site site(AccountPrincipal agent) {
        return sites.byId(agent.siteId())
                .orElseThrow(() -> new IllegalStateException("The site of account " + agent.username() + " vanished"));
    }
}
