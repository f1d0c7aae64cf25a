package io.parley.auth;

import io.parley.api.ApiPath;
import io.parley.api.error.ApiException;
import io.parley.api.error.ErrorWriter;
import io.parley.store.SiteDirectory;
import io.parley.store.StoreUnavailableException;
import io.parley.throttle.Throttle;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import io.parley.compliance.ExportComplianceFilter;
import io.parley.engagement.ConsumerSession;
import java.io.IOException;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Authentication of every request for Parley's resources, after CORS and export compliance and
 * before Jersey: a request reaches a resource only if this filter recognised its path and checked
 * what the path needs ({@link #requirement}, the one table), and it then carries the checked
 * {@link Caller} as its user principal. A path the table does not know is answered 404 here.
 *
 * <ul>
 *   <li>bootstrap calls: Basic credentials of an account with the call's role (API user for
 *       {@code establishSessions} and {@code chatAuthenticate}, agent for {@code agentTokens} and
 *       {@code serviceSettings}); else 401 with {@code WWW-Authenticate}.</li>
 *   <li>consumer and agent calls of an unknown site: 404.</li>
 *   <li>{@code requestEngagement}: a Bearer JWT for the path's site; else 403.</li>
 *   <li>every other consumer call: a {@code SessionId} of a usable session of the path's site; else 403.</li>
 *   <li>the pages under {@code /ui}, {@code getQueueStats} and {@code getEngagementQueue}: a share of the
 *       client address's request budget; else 429 (the pages' API calls are checked on their own paths).</li>
 *   <li>{@code createAutomatedAgentSession}: a Bearer agent token (from {@code agentTokens}) for the
 *       path's site; every other agent call: {@code X-JSESSIONID} of a live agent session of the site
 *       and the {@code X-AID} of its account; else 403.</li>
 *   <li>the admin {@code login}: an administrator's Basic credentials; every other admin call the
 *       Bearer token a login issued; else 401 / 403.</li>
 *   <li>health, metrics and the signing keys: nothing.</li>
 * </ul>
 * Each operation looks only at the credential it needs: clients send both on every call.
 *
 * <p>Every password login is throttled ({@link Throttle}) before its password is hashed: an account
 * or client address with too many failed logins gets 429 {@code TOO_MANY_ATTEMPTS} with
 * {@code Retry-After}, whatever the password. Opening chat sessions spends the API user's budget.
 *
 * <p>All decisions are made before the chain is called. A denial writes Parley's JSON error body
 * and never calls the chain, so no resource runs.
 */
public final class AuthFilter implements Filter {

    /**
     * What the filter works with; {@code Parley} publishes it as the servlet-context attribute
     * {@link #ATTRIBUTE}.
     *
     * @param sites            the sites, to refuse unknown ones
     * @param basic            checks Basic credentials
     * @param tokens           verifies Bearer tokens
     * @param consumerSessions finds consumer sessions by {@code SessionId}
     * @param agentSessions    finds agent sessions by {@code X-JSESSIONID}
     * @param throttle         limits password logins and the budgets of calls without credentials
     * @param retryAfter       when a client should try again after the database was unreachable
     */
    public record Collaborators(SiteDirectory sites, BasicAuthenticator basic, TokenService tokens,
                                ConsumerSessions consumerSessions, AgentSessions agentSessions, Throttle throttle,
                                Duration retryAfter) {

        /** The servlet-context attribute under which the collaborators are published. */
        public static final String ATTRIBUTE = Collaborators.class.getName();
    }

    /** The challenge of every 401: Basic credentials, UTF-8 encoded. */
    public static final String WWW_AUTHENTICATE = "Basic realm=\"Parley\", charset=\"UTF-8\"";
    /** Session ids Parley hands out are 26 characters; anything far longer is not looked up. */
    private static final int MAX_SESSION_ID_LENGTH = 128;

    private static final System.Logger LOG = System.getLogger(AuthFilter.class.getName());

    private Collaborators with;

    @Override
    public void init(FilterConfig config) throws ServletException {
        with = (Collaborators) config.getServletContext().getAttribute(Collaborators.ATTRIBUTE);
        if (with == null) {
            throw new ServletException("Parley did not start: no authentication collaborators were published");
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        Caller caller;
        try {
            caller = check(ApiPath.of(request), request);
        } catch (ApiException e) {
            ErrorWriter.write(response, e);
            return;
        } catch (StoreUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot authenticate a request: {0}", e.getMessage());
            ErrorWriter.write(response, ApiException.unavailable(with.retryAfter()));
            return;
        } catch (RuntimeException e) {
            ErrorWriter.writeInternal(response, "AuthFilter", e);
            return;
        }
        chain.doFilter(new CallerRequest(request, caller), response);
    }

    /** What a request must show before it reaches a resource. */
    public enum Requirement {
        /** Nothing: health, metrics, the signing keys. */
        NONE,
        /** A share of the client address's request budget: the pages, queue statistics, pre-routing. */
        REQUEST_BUDGET,
        /** Basic credentials of an API user (establishSessions, chatAuthenticate). */
        API_USER,
        /** Basic credentials of an agent (agentTokens, serviceSettings). */
        AGENT_ACCOUNT,
        /** A Bearer chat token for the path's site (requestEngagement). */
        CHAT_TOKEN,
        /** The SessionId of a usable consumer session of the path's site. */
        CONSUMER_SESSION,
        /** A Bearer agent token for the path's site (createAutomatedAgentSession). */
        AGENT_TOKEN,
        /** X-JSESSIONID and X-AID of a live agent session of the path's site. */
        AGENT_SESSION,
        /** Basic credentials of an administrator (the admin login). */
        ADMINISTRATOR,
        /** The Bearer token of an administrator's login. */
        ADMIN_TOKEN,
        /** Nothing Parley serves: 404, and no resource runs. */
        DENIED
    }

    /** The one table of what each path needs; a path this does not recognise is denied. */
    public static Requirement requirement(ApiPath path) {
        return switch (path.kind()) {
            case PUBLIC -> Requirement.NONE;
            // The pages carry no credential; every API call they make is checked on its own path.
            case UI -> Requirement.REQUEST_BUDGET;
            case BOOTSTRAP -> switch (path.operation()) {
                case "establishSessions", "chatAuthenticate" -> Requirement.API_USER;
                case "agentTokens", "serviceSettings" -> Requirement.AGENT_ACCOUNT;
                default -> Requirement.DENIED;
            };
            case CONSUMER -> path.isSessionlessConsumerCall() ? Requirement.REQUEST_BUDGET
                    : path.isConsumer("requestEngagement") ? Requirement.CHAT_TOKEN : Requirement.CONSUMER_SESSION;
            case AGENT -> "createAutomatedAgentSession".equals(path.operation()) ? Requirement.AGENT_TOKEN
                    : Requirement.AGENT_SESSION;
            case ADMIN -> "login".equals(path.operation()) ? Requirement.ADMINISTRATOR : Requirement.ADMIN_TOKEN;
            case UNKNOWN -> Requirement.DENIED;
        };
    }

    /** Checks what the path needs and answers who the caller is; a denial is thrown. */
    private Caller check(ApiPath path, HttpServletRequest request) {
        Requirement needed = requirement(path);
        if (path.site() != null && with.sites().byName(path.site()).isEmpty()) {
            throw ApiException.notFound("SITE_UNKNOWN", "There is no such site.");
        }
        return switch (needed) {
            case NONE -> new Visitor(false);
            case REQUEST_BUDGET -> {
                spendBudget(path.kind() == ApiPath.Kind.UI ? "ui" : path.operation(), request);
                yield new Visitor(Boolean.TRUE.equals(request.getAttribute(ExportComplianceFilter.DENIED_ATTRIBUTE)));
            }
            case API_USER -> basicAccount(path.operation(), AccountPrincipal.Role.API, request);
            case AGENT_ACCOUNT -> basicAccount(path.operation(), AccountPrincipal.Role.AGENT, request);
            case CHAT_TOKEN -> bearer(path, request, path.site());
            case AGENT_TOKEN -> bearer(path, request, TokenService.agentAudience(path.site()));
            case CONSUMER_SESSION -> consumerSession(path, request);
            case AGENT_SESSION -> agentSession(path, request);
            case ADMINISTRATOR -> administratorLogin(request);
            case ADMIN_TOKEN -> administrator(path, request);
            case DENIED -> throw ApiException.notFound("NOT_FOUND", "No such resource.");
        };
    }

    /** The calls anyone may make without credentials spend the client address's request budget. */
    private void spendBudget(String endpoint, HttpServletRequest request) {
        Optional<Throttle.Throttled> spent = with.throttle().request(endpoint, request.getRemoteAddr());
        if (spent.isPresent()) {
            throw tooMany(spent.get());
        }
    }

    private static ApiException tooMany(Throttle.Throttled t) {
        String message = switch (t.reason()) {
            case ACCOUNT -> "Too many failed logins for this account; try again later.";
            case ADDRESS -> "Too many failed logins from this address; try again later.";
            case REQUESTS -> "Too many requests from this address; try again later.";
            case SESSIONS -> "This API user has opened too many chat sessions; try again later.";
        };
        return ApiException.tooManyAttempts(message, t.retryAfter());
    }

    /**
     * Checks the Basic credentials of a request, throttled: when the account or the client address
     * has failed too often, the answer is 429 and no password is hashed.
     */
    private BasicAuthenticator.Result authenticateBasic(String endpoint, HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        String address = request.getRemoteAddr();
        Optional<String> username = BasicAuthenticator.username(authorization);
        if (username.isEmpty()) {
            // Missing or malformed: refused without hashing anything.
            return with.basic().authenticate(authorization, address);
        }
        Throttle.LoginDecision decision = with.throttle().login(endpoint, username.get(), address);
        if (decision instanceof Throttle.Refused refused) {
            // DEBUG: a flood of refused guesses must not flood the log too (the metric counts them).
            LOG.log(System.Logger.Level.DEBUG, "Login on {0} from {1} throttled: {2}", endpoint, address,
                    refused.throttled().reason());
            throw tooMany(refused.throttled());
        }
        Throttle.LoginAttempt attempt = ((Throttle.Admitted) decision).attempt();
        BasicAuthenticator.Result result = with.basic().authenticate(authorization, address);
        if (result instanceof BasicAuthenticator.Authenticated) {
            attempt.succeeded();
        } else {
            attempt.failed();
        }
        return result;
    }

    /** A bootstrap call: Basic credentials of an account of a site with the role the call needs. */
    private AccountPrincipal basicAccount(String operation, AccountPrincipal.Role needed, HttpServletRequest request) {
        BasicAuthenticator.Result result = authenticateBasic(operation, request);
        if (result instanceof BasicAuthenticator.Refused refused) {
            boolean routine = refused.refusal() == BasicAuthenticator.Refusal.MISSING;
            LOG.log(routine ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                    "Basic credentials refused on {0} from {1}: {2}", operation, request.getRemoteAddr(), refused.refusal());
            throw unauthorized(refused.refusal());
        }
        AccountPrincipal principal = ((BasicAuthenticator.Authenticated) result).principal();
        if (principal.role() != needed || principal.siteName() == null) {
            LOG.log(System.Logger.Level.INFO, "Account {0} ({1}) may not call {2}", principal.username(),
                    principal.role(), operation);
            throw unauthorized(BasicAuthenticator.Refusal.UNKNOWN_ACCOUNT);
        }
        if (needed == AccountPrincipal.Role.API) {
            Optional<Throttle.Throttled> spent = with.throttle().session(operation, principal.accountId());
            if (spent.isPresent()) {
                throw tooMany(spent.get());
            }
        }
        return principal;
    }

    private static ApiException unauthorized(BasicAuthenticator.Refusal refusal) {
        Map<String, String> challenge = Map.of("WWW-Authenticate", WWW_AUTHENTICATE);
        return switch (refusal) {
            case MISSING -> new ApiException(401, "CREDENTIALS_REQUIRED",
                    "This call needs Basic credentials.", challenge);
            case DEMO_CREDENTIALS_REMOTE -> new ApiException(401, "DEMO_CREDENTIALS_LOCAL_ONLY",
                    "The demo credentials are accepted from this machine only.", challenge);
            default -> new ApiException(401, "CREDENTIALS_INVALID",
                    "The credentials are not valid for this call.", challenge);
        };
    }

    /** Every agent call but logging on: the X-JSESSIONID of a live session of the site and the X-AID of its account. */
    private AgentPrincipal agentSession(ApiPath path, HttpServletRequest request) {
        String sessionId = strip(request.getHeader("X-JSESSIONID"));
        String accountId = strip(request.getHeader("X-AID"));
        Optional<AgentPrincipal> agent = Optional.empty();
        if (!sessionId.isEmpty() && sessionId.length() <= MAX_SESSION_ID_LENGTH) {
            agent = with.agentSessions().find(sessionId);
        }
        if (agent.isEmpty() || !path.site().equals(agent.get().siteName())
                || !Long.toString(agent.get().accountId()).equals(accountId)) {
            LOG.log(System.Logger.Level.DEBUG, "No live agent session for {0} of site {1}", path.operation(), path.site());
            throw ApiException.forbidden("ACCESS_DENIED",
                    "The agent session (X-AID, X-JSESSIONID) is unknown, of another site, or ended.");
        }
        return agent.get();
    }

    /** The admin login: an administrator's Basic credentials. */
    private AccountPrincipal administratorLogin(HttpServletRequest request) {
        BasicAuthenticator.Result result = authenticateBasic("login", request);
        if (result instanceof BasicAuthenticator.Refused refused) {
            LOG.log(System.Logger.Level.INFO, "Admin login refused from {0}: {1}", request.getRemoteAddr(),
                    refused.refusal());
            throw unauthorized(refused.refusal());
        }
        AccountPrincipal principal = ((BasicAuthenticator.Authenticated) result).principal();
        if (principal.role() != AccountPrincipal.Role.ADMIN) {
            LOG.log(System.Logger.Level.INFO, "Account {0} ({1}) is no administrator", principal.username(),
                    principal.role());
            throw unauthorized(BasicAuthenticator.Refusal.UNKNOWN_ACCOUNT);
        }
        return principal;
    }

    /** Every other admin call: the Bearer token a login issued, of an administrator that still exists. */
    private AccountPrincipal administrator(ApiPath path, HttpServletRequest request) {
        VerifiedToken token = bearer(path, request, TokenService.ADMIN_AUDIENCE);
        Optional<AccountPrincipal> admin = with.basic().account(token.subject())
                .filter(a -> a.role() == AccountPrincipal.Role.ADMIN);
        if (admin.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "Admin token of {0}, who is no administrator (any more)", token.subject());
            throw ApiException.forbidden("ACCESS_DENIED", "This call is for administrators.");
        }
        return admin.get();
    }

    private static String strip(String header) {
        return header == null ? "" : header.strip();
    }

    private VerifiedToken bearer(ApiPath path, HttpServletRequest request, String audience) {
        String token = TokenService.bearer(request.getHeader("Authorization")).orElse(null);
        if (token == null) {
            LOG.log(System.Logger.Level.DEBUG, "No Bearer token on {0}", path.operation());
            throw tokenInvalid(false);
        }
        TokenCheck check = with.tokens().verify(token, audience);
        if (check instanceof VerifiedToken verified) {
            return verified;
        }
        TokenRejection.Reason reason = ((TokenRejection) check).reason();
        boolean routine = reason == TokenRejection.Reason.EXPIRED || reason == TokenRejection.Reason.NOT_YET_VALID;
        // The reason, never the token: a token in a log is a credential in a log.
        LOG.log(routine ? System.Logger.Level.DEBUG : System.Logger.Level.INFO, "Token refused on {0} of site {1}: {2}",
                path.operation(), path.site(), reason);
        throw tokenInvalid(reason == TokenRejection.Reason.EXPIRED);
    }

    private static ApiException tokenInvalid(boolean expired) {
        return ApiException.forbidden("TOKEN_INVALID", expired ? "The token has expired." : "The token is not valid.");
    }

    /** Every consumer call after requestEngagement: the SessionId of a usable session of the site. */
    private ConsumerCaller consumerSession(ApiPath path, HttpServletRequest request) {
        String id = strip(request.getHeader("SessionId"));
        Optional<ConsumerSession> session = Optional.empty();
        if (!id.isEmpty() && !id.equals("undefined") && id.length() <= MAX_SESSION_ID_LENGTH) {
            session = with.consumerSessions().find(id);
        }
        if (session.isEmpty() || !path.site().equals(session.get().siteName()) || !session.get().usable()) {
            LOG.log(System.Logger.Level.DEBUG, "No usable session for {0} of site {1}", path.operation(), path.site());
            throw ApiException.forbidden("SESSION_UNKNOWN", "The session is unknown or has ended.");
        }
        return new ConsumerCaller(session.get());
    }

    /** The request as the resources see it: its user principal is the checked caller. */
    private static final class CallerRequest extends HttpServletRequestWrapper {

        private final Caller caller;

        CallerRequest(HttpServletRequest request, Caller caller) {
            super(request);
            this.caller = caller;
        }

        @Override
        public Principal getUserPrincipal() {
            return caller;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }
    }
}
