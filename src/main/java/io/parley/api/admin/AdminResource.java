package io.parley.api.admin;

import io.parley.api.Callers;
import io.parley.admin.AccountAdmin;
import io.parley.admin.AdminReports;
import io.parley.admin.AuditLog;
import io.parley.admin.DeniedPartyAdmin;
import io.parley.admin.QueueAdmin;
import io.parley.admin.RuleAdmin;
import io.parley.admin.SiteAdmin;
import io.parley.api.error.ApiException;
import io.parley.auth.AccountPrincipal;
import io.parley.auth.SigningKeys;
import io.parley.auth.TokenService;
import io.parley.engagement.SecureIds;
import io.parley.throttle.Throttle;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The admin API, {@code /admin/api/v1}: administrators only (the AuthFilter checks the login's
 * Basic credentials, and the admin token on every other call, before this runs). Lists answer
 * {@code {"items": [...]}}; creates and updates answer the object as stored; deletes answer 204.
 */
@Path("/admin/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminResource {

    /** The admin login's answer: the token for every other admin call. */
    public record Login(String token, String tokenType, long expiresIn, String username) {
    }

    /** A password reset's body. */
    public record PasswordBody(String password) {
    }

    public record Items<T>(List<T> items) {
    }

    private final SiteAdmin siteAdmin;
    private final QueueAdmin queueAdmin;
    private final RuleAdmin ruleAdmin;
    private final AccountAdmin accountAdmin;
    private final DeniedPartyAdmin deniedPartyAdmin;
    private final AuditLog auditLog;
    private final AdminReports reports;
    private final TokenService tokens;
    private final SigningKeys signingKeys;
    private final Throttle throttle;

    public AdminResource(SiteAdmin siteAdmin, QueueAdmin queueAdmin, RuleAdmin ruleAdmin, AccountAdmin accountAdmin,
                         DeniedPartyAdmin deniedPartyAdmin, AuditLog auditLog, AdminReports reports, TokenService tokens,
                         SigningKeys signingKeys, Throttle throttle) {
        this.siteAdmin = siteAdmin;
        this.queueAdmin = queueAdmin;
        this.ruleAdmin = ruleAdmin;
        this.accountAdmin = accountAdmin;
        this.deniedPartyAdmin = deniedPartyAdmin;
        this.auditLog = auditLog;
        this.reports = reports;
        this.tokens = tokens;
        this.signingKeys = signingKeys;
        this.throttle = throttle;
    }

    @POST
    @Path("login")
    public Login login(@Context SecurityContext caller) {
        AccountPrincipal a = actor(caller);
        return new Login(tokens.issue(TokenService.ADMIN_AUDIENCE, SecureIds.next(), a.username(), tokens.tokenTtl()),
                "Bearer", tokens.tokenTtl().toSeconds(), a.username());
    }

    // ------------------------------------------------------------------ sites

    @GET
    @Path("sites")
    public Items<SiteAdmin.SiteView> sites() {
        return new Items<>(siteAdmin.sites());
    }

    @POST
    @Path("sites")
    public SiteAdmin.SiteView createSite(SiteAdmin.SiteInput body, @Context SecurityContext caller) {
        return siteAdmin.createSite(who(caller), body);
    }

    @GET
    @Path("sites/{id}")
    public SiteAdmin.SiteView site(@PathParam("id") String id) {
        return siteAdmin.site(id(id));
    }

    @PUT
    @Path("sites/{id}")
    public SiteAdmin.SiteView updateSite(@PathParam("id") String id, SiteAdmin.SiteInput body,
                                         @Context SecurityContext caller) {
        return siteAdmin.updateSite(who(caller), id(id), body);
    }

    @DELETE
    @Path("sites/{id}")
    public Response deleteSite(@PathParam("id") String id, @Context SecurityContext caller) {
        siteAdmin.deleteSite(who(caller), id(id));
        return Response.noContent().build();
    }

    // ------------------------------------------------------------------ queues

    @GET
    @Path("sites/{id}/queues")
    public Items<QueueAdmin.QueueView> queues(@PathParam("id") String siteId) {
        return new Items<>(queueAdmin.queues(id(siteId)));
    }

    @POST
    @Path("sites/{id}/queues")
    public QueueAdmin.QueueView createQueue(@PathParam("id") String siteId, QueueAdmin.QueueInput body,
                                            @Context SecurityContext caller) {
        return queueAdmin.createQueue(who(caller), id(siteId), body);
    }

    @GET
    @Path("queues/{id}")
    public QueueAdmin.QueueView queue(@PathParam("id") String id) {
        return queueAdmin.queue(id(id));
    }

    @PUT
    @Path("queues/{id}")
    public QueueAdmin.QueueView updateQueue(@PathParam("id") String id, QueueAdmin.QueueInput body,
                                            @Context SecurityContext caller) {
        return queueAdmin.updateQueue(who(caller), id(id), body);
    }

    @DELETE
    @Path("queues/{id}")
    public Response deleteQueue(@PathParam("id") String id, @Context SecurityContext caller) {
        queueAdmin.deleteQueue(who(caller), id(id));
        return Response.noContent().build();
    }

    // ------------------------------------------------------------------ routing rules

    @GET
    @Path("sites/{id}/rules")
    public Items<RuleAdmin.RuleView> rules(@PathParam("id") String siteId) {
        return new Items<>(ruleAdmin.rules(id(siteId)));
    }

    @POST
    @Path("sites/{id}/rules")
    public RuleAdmin.RuleView createRule(@PathParam("id") String siteId, RuleAdmin.RuleInput body,
                                         @Context SecurityContext caller) {
        return ruleAdmin.createRule(who(caller), id(siteId), body);
    }

    @GET
    @Path("rules/{id}")
    public RuleAdmin.RuleView rule(@PathParam("id") String id) {
        return ruleAdmin.rule(id(id));
    }

    @PUT
    @Path("rules/{id}")
    public RuleAdmin.RuleView updateRule(@PathParam("id") String id, RuleAdmin.RuleInput body,
                                         @Context SecurityContext caller) {
        return ruleAdmin.updateRule(who(caller), id(id), body);
    }

    @DELETE
    @Path("rules/{id}")
    public Response deleteRule(@PathParam("id") String id, @Context SecurityContext caller) {
        ruleAdmin.deleteRule(who(caller), id(id));
        return Response.noContent().build();
    }

    // ------------------------------------------------------------------ agents

    @GET
    @Path("sites/{id}/agents")
    public Items<AccountAdmin.AgentView> agents(@PathParam("id") String siteId) {
        return new Items<>(accountAdmin.agents(id(siteId)));
    }

    @POST
    @Path("sites/{id}/agents")
    public AccountAdmin.AgentView createAgent(@PathParam("id") String siteId, AccountAdmin.AgentInput body,
                                              @Context SecurityContext caller) {
        return accountAdmin.createAgent(who(caller), id(siteId), body);
    }

    @GET
    @Path("agents/{id}")
    public AccountAdmin.AgentView agent(@PathParam("id") String id) {
        return accountAdmin.agent(id(id));
    }

    @PUT
    @Path("agents/{id}")
    public AccountAdmin.AgentView updateAgent(@PathParam("id") String id, AccountAdmin.AgentInput body,
                                              @Context SecurityContext caller) {
        return accountAdmin.updateAgent(who(caller), id(id), body);
    }

    @DELETE
    @Path("agents/{id}")
    public Response deleteAgent(@PathParam("id") String id, @Context SecurityContext caller) {
        accountAdmin.deleteAgent(who(caller), id(id));
        return Response.noContent().build();
    }

    @POST
    @Path("agents/{id}/password")
    public Response resetAgentPassword(@PathParam("id") String id, PasswordBody body, @Context SecurityContext caller) {
        accountAdmin.agent(id(id));
        accountAdmin.resetPassword(who(caller), id(id), body == null ? null : body.password());
        return Response.noContent().build();
    }

    // ------------------------------------------------------------------ API users

    @GET
    @Path("sites/{id}/apiUsers")
    public Items<AccountAdmin.ApiUserView> apiUsers(@PathParam("id") String siteId) {
        return new Items<>(accountAdmin.apiUsers(id(siteId)));
    }

    @POST
    @Path("sites/{id}/apiUsers")
    public AccountAdmin.ApiUserView createApiUser(@PathParam("id") String siteId, AccountAdmin.ApiUserInput body,
                                                  @Context SecurityContext caller) {
        return accountAdmin.createApiUser(who(caller), id(siteId), body);
    }

    @GET
    @Path("apiUsers/{id}")
    public AccountAdmin.ApiUserView apiUser(@PathParam("id") String id) {
        return accountAdmin.apiUser(id(id));
    }

    @DELETE
    @Path("apiUsers/{id}")
    public Response deleteApiUser(@PathParam("id") String id, @Context SecurityContext caller) {
        accountAdmin.deleteApiUser(who(caller), id(id));
        return Response.noContent().build();
    }

    @POST
    @Path("apiUsers/{id}/password")
    public Response resetApiUserPassword(@PathParam("id") String id, PasswordBody body,
                                         @Context SecurityContext caller) {
        accountAdmin.apiUser(id(id));
        accountAdmin.resetPassword(who(caller), id(id), body == null ? null : body.password());
        return Response.noContent().build();
    }

    // ------------------------------------------------------------------ compliance

    @GET
    @Path("deniedParties")
    public Items<DeniedPartyAdmin.DeniedPartyView> deniedParties() {
        return new Items<>(deniedPartyAdmin.deniedParties());
    }

    @POST
    @Path("deniedParties")
    public DeniedPartyAdmin.DeniedPartyView createDeniedParty(DeniedPartyAdmin.DeniedPartyInput body,
                                                              @Context SecurityContext caller) {
        return deniedPartyAdmin.createDeniedParty(who(caller), body);
    }

    @DELETE
    @Path("deniedParties/{id}")
    public Response deleteDeniedParty(@PathParam("id") String id, @Context SecurityContext caller) {
        deniedPartyAdmin.deleteDeniedParty(who(caller), id(id));
        return Response.noContent().build();
    }

    // ------------------------------------------------------------------ signing keys

    @GET
    @Path("signingKeys")
    public Items<SigningKeys.KeyInfo> signingKeys() {
        return new Items<>(signingKeys.keys());
    }

    /** A new signing key; the old ones keep verifying the tokens they signed until those expire. */
    @POST
    @Path("signingKeys/rotate")
    public Items<SigningKeys.KeyInfo> rotate(@Context SecurityContext caller) {
        String kid = signingKeys.rotate();
        auditLog.audit(who(caller), "ROTATE", "SIGNING_KEY", kid, Map.of("signingKey", kid));
        return new Items<>(signingKeys.keys());
    }

    // ------------------------------------------------------------------ login locks

    /** Accounts and client addresses locked after too many failed logins, newest first. */
    @GET
    @Path("loginLocks")
    public Items<Throttle.Lock> loginLocks() {
        return new Items<>(throttle.locks());
    }

    /** Clears a lock: the account or address may log in again at once. */
    @DELETE
    @Path("loginLocks/{id}")
    public Response unlock(@PathParam("id") String id, @Context SecurityContext caller) {
        Throttle.Lock cleared = throttle.unlock(id(id))
                .orElseThrow(() -> ApiException.notFound("NOT_FOUND", "There is no such lock in force."));
        auditLog.audit(who(caller), "UNLOCK", "LOGIN_" + cleared.kind().name(), cleared.subject(),
                Map.of("lockedUntil", cleared.lockedUntil().toString()));
        return Response.noContent().build();
    }

    // ------------------------------------------------------------------ statistics, search, transcripts

    @GET
    @Path("statistics")
    public Items<AdminReports.QueueFigures> statistics(@QueryParam("siteId") String siteId) {
        return new Items<>(reports.statistics(siteId == null || siteId.isBlank() ? null : id(siteId)));
    }

    @GET
    @Path("engagements")
    public Items<AdminReports.EngagementSummary> engagements(@QueryParam("siteId") String siteId,
                                                             @QueryParam("queueId") String queueId,
                                                             @QueryParam("state") String state,
                                                             @QueryParam("from") String from,
                                                             @QueryParam("to") String to,
                                                             @QueryParam("customer") String customer,
                                                             @QueryParam("limit") String limit,
                                                             @QueryParam("offset") String offset) {
        return new Items<>(reports.search(optionalId(siteId, "siteId"), optionalId(queueId, "queueId"), state,
                time(from, "from"), time(to, "to"), customer, number(limit, "limit", 50), number(offset, "offset", 0)));
    }

    @GET
    @Path("engagements/{id}/transcript")
    public AdminReports.Transcript transcript(@PathParam("id") String id) {
        return reports.transcript(id(id));
    }

    /** The transcript as CSV, each cell safe to open in a spreadsheet. */
    @GET
    @Path("engagements/{id}/transcript.csv")
    @Produces("text/csv")
    public Response transcriptCsv(@PathParam("id") String id) {
        long engagementId = id(id);
        return Response.ok(TranscriptCsv.write(reports.transcript(engagementId)), "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"engagement-" + engagementId + ".csv\"")
                .build();
    }

    // ------------------------------------------------------------------ audit

    @GET
    @Path("audit")
    public Items<AuditLog.AuditEntry> audit(@QueryParam("before") String before, @QueryParam("limit") String limit) {
        return new Items<>(auditLog.entries(optionalId(before, "before"), number(limit, "limit", 100)));
    }

    // ------------------------------------------------------------------ helpers

    private static AccountPrincipal actor(SecurityContext caller) {
        return Callers.of(caller, AccountPrincipal.class);
    }

    private static String who(SecurityContext caller) {
        return actor(caller).username();
    }

    private static long id(String value) {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.notFound("NOT_FOUND", "There is no such resource.");
    }

    private static Long optionalId(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("INVALID_FIELD", "Parameter '" + name + "' must be a number.");
        }
    }

    private static int number(String value, String name, int otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("INVALID_FIELD", "Parameter '" + name + "' must be a whole number.");
        }
    }

    private static Instant time(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("INVALID_FIELD", "Parameter '" + name
                    + "' must be an ISO-8601 instant such as 2026-11-26T00:00:00Z.");
        }
    }
}
