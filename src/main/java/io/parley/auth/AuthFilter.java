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
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Authentication of every request, after CORS and export compliance and before Jersey.
 *
 * <p>Which credential a request needs follows from its path ({@link ApiPath}):
 * <ul>
 *   <li>bootstrap calls: Basic credentials of an account with the call's role (API user for
 *       {@code establishSessions} and {@code chatAuthenticate}, agent for {@code agentTokens} and
 *       {@code serviceSettings}); else 401 with {@code WWW-Authenticate}. The account goes to the
 *       resource as {@link AccountPrincipal#ATTRIBUTE}.</li>
 *   <li>consumer calls of an unknown site: 404.</li>
 *   <li>{@code requestEngagement}: a Bearer JWT for the path's site; else 403. The token goes to
 *       the resource as {@link VerifiedToken#ATTRIBUTE}.</li>
 *   <li>{@code getQueueStats} and {@code getEngagementQueue}: nothing.</li>
 *   <li>every other consumer call: a {@code SessionId} of a usable session of the path's site; else
 *       403. The session goes to the resource as {@link ConsumerSession#ATTRIBUTE}.</li>
 *   <li>the pages under {@code /ui}: nothing (the API calls they make need their own credentials).</li>
 *   <li>the pages, {@code getQueueStats} and {@code getEngagementQueue}: a share of the client address's
 *       request budget; else 429.</li>
 *   <li>{@code createAutomatedAgentSession}: a Bearer agent token (from {@code agentTokens}) for the
 *       path's site; every other agent call: {@code X-JSESSIONID} of a live agent session of the site
 *       and the {@code X-AID} of its account; else 403. The session goes to the resource as
 *       {@link AgentPrincipal#ATTRIBUTE}.</li>
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
        Optional<ApiException> denial;
        try {
            denial = check(ApiPath.of(request), request);
        } catch (ApiException e) {
            denial = Optional.of(e);
        } catch (StoreUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot authenticate a request: {0}", e.getMessage());
            ErrorWriter.write(response, ApiException.unavailable(with.retryAfter()));
            return;
        } catch (RuntimeException e) {
            ErrorWriter.writeInternal(response, "AuthFilter", e);
            return;
        }
        if (denial.isPresent()) {
            ErrorWriter.write(response, denial.get());
            return;
        }
        chain.doFilter(request, response);
    }

    /** Checks the credential the path needs; on success its outcome is stored as a request attribute. */
    private Optional<ApiException> check(ApiPath path, HttpServletRequest request) {
        return switch (path.kind()) {
            case BOOTSTRAP -> checkBasic(path.operation(), request);
            case CONSUMER -> checkConsumer(path, request);
            case AGENT -> checkAgent(path, request);
            case ADMIN -> checkAdmin(path, request);
            // The pages carry no credential; every API call they make is checked on its own path.
            case UI -> spendBudget("ui", request);
            case OTHER -> Optional.empty();
        };
    }

    /** The calls anyone may make without credentials spend the client address's request budget. */
    private Optional<ApiException> spendBudget(String endpoint, HttpServletRequest request) {
        return with.throttle().request(endpoint, request.getRemoteAddr()).map(AuthFilter::tooMany);
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

    private Optional<ApiException> checkBasic(String operation, HttpServletRequest request) {
        AccountPrincipal.Role needed = switch (operation) {
            case "establishSessions", "chatAuthenticate" -> AccountPrincipal.Role.API;
            case "agentTokens", "serviceSettings" -> AccountPrincipal.Role.AGENT;
            default -> null;
        };
        if (needed == null) {
            return Optional.of(unauthorized(BasicAuthenticator.Refusal.UNKNOWN_ACCOUNT));
        }
        BasicAuthenticator.Result result = authenticateBasic(operation, request);
        if (result instanceof BasicAuthenticator.Refused refused) {
            boolean routine = refused.refusal() == BasicAuthenticator.Refusal.MISSING;
            LOG.log(routine ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                    "Basic credentials refused on {0} from {1}: {2}", operation, request.getRemoteAddr(), refused.refusal());
            return Optional.of(unauthorized(refused.refusal()));
        }
        AccountPrincipal principal = ((BasicAuthenticator.Authenticated) result).principal();
        if (principal.role() != needed || principal.siteName() == null) {
            LOG.log(System.Logger.Level.INFO, "Account {0} ({1}) may not call {2}", principal.username(),
                    principal.role(), operation);
            return Optional.of(unauthorized(BasicAuthenticator.Refusal.UNKNOWN_ACCOUNT));
        }
        if (needed == AccountPrincipal.Role.API) {
            Optional<ApiException> spent = with.throttle().session(operation, principal.accountId()).map(AuthFilter::tooMany);
            if (spent.isPresent()) {
                return spent;
            }
        }
        request.setAttribute(AccountPrincipal.ATTRIBUTE, principal);
        return Optional.empty();
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

    private Optional<ApiException> checkConsumer(ApiPath path, HttpServletRequest request) {
        if (with.sites().byName(path.site()).isEmpty()) {
            return Optional.of(ApiException.notFound("SITE_UNKNOWN", "There is no such site."));
        }
        if (path.isSessionlessConsumerCall()) {
            return spendBudget(path.operation(), request);
        }
        if (path.isConsumer("requestEngagement")) {
            return checkBearer(path, request);
        }
        return checkSession(path, request);
    }

    /**
     * Agent calls: {@code createAutomatedAgentSession} needs an agent token (from agentTokens) for
     * the site; every other call the {@code X-JSESSIONID} of a live session of the site and the
     * {@code X-AID} of its account.
     */
    private Optional<ApiException> checkAgent(ApiPath path, HttpServletRequest request) {
        if (with.sites().byName(path.site()).isEmpty()) {
            return Optional.of(ApiException.notFound("SITE_UNKNOWN", "There is no such site."));
        }
        if ("createAutomatedAgentSession".equals(path.operation())) {
            return checkBearer(path, request, TokenService.agentAudience(path.site()));
        }
        String sessionId = strip(request.getHeader("X-JSESSIONID"));
        String accountId = strip(request.getHeader("X-AID"));
        Optional<AgentPrincipal> agent = Optional.empty();
        if (!sessionId.isEmpty() && sessionId.length() <= MAX_SESSION_ID_LENGTH) {
            agent = with.agentSessions().find(sessionId);
        }
        if (agent.isEmpty() || !path.site().equals(agent.get().siteName())
                || !Long.toString(agent.get().accountId()).equals(accountId)) {
            LOG.log(System.Logger.Level.DEBUG, "No live agent session for {0} of site {1}", path.operation(), path.site());
            return Optional.of(ApiException.forbidden("ACCESS_DENIED",
                    "The agent session (X-AID, X-JSESSIONID) is unknown, of another site, or ended."));
        }
        request.setAttribute(AgentPrincipal.ATTRIBUTE, agent.get());
        return Optional.empty();
    }

    /**
     * Admin calls: {@code login} needs an administrator's Basic credentials; every other call the
     * Bearer token the login issued, of an administrator that still exists. The administrator goes
     * to the resource as {@link AccountPrincipal#ATTRIBUTE}.
     */
    private Optional<ApiException> checkAdmin(ApiPath path, HttpServletRequest request) {
        if ("login".equals(path.operation())) {
            BasicAuthenticator.Result result = authenticateBasic("login", request);
            if (result instanceof BasicAuthenticator.Refused refused) {
                LOG.log(System.Logger.Level.INFO, "Admin login refused from {0}: {1}", request.getRemoteAddr(),
                        refused.refusal());
                return Optional.of(unauthorized(refused.refusal()));
            }
            AccountPrincipal principal = ((BasicAuthenticator.Authenticated) result).principal();
            if (principal.role() != AccountPrincipal.Role.ADMIN) {
                LOG.log(System.Logger.Level.INFO, "Account {0} ({1}) is no administrator", principal.username(),
                        principal.role());
                return Optional.of(unauthorized(BasicAuthenticator.Refusal.UNKNOWN_ACCOUNT));
            }
            request.setAttribute(AccountPrincipal.ATTRIBUTE, principal);
            return Optional.empty();
        }
        Optional<ApiException> denied = checkBearer(path, request, TokenService.ADMIN_AUDIENCE);
        if (denied.isPresent()) {
            return denied;
        }
        VerifiedToken token = (VerifiedToken) request.getAttribute(VerifiedToken.ATTRIBUTE);
        Optional<AccountPrincipal> admin = with.basic().account(token.subject())
                .filter(a -> a.role() == AccountPrincipal.Role.ADMIN);
        if (admin.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "Admin token of {0}, who is no administrator (any more)", token.subject());
            return Optional.of(ApiException.forbidden("ACCESS_DENIED", "This call is for administrators."));
        }
        request.setAttribute(AccountPrincipal.ATTRIBUTE, admin.get());
        return Optional.empty();
    }

    private static String strip(String header) {
        return header == null ? "" : header.strip();
    }

    private Optional<ApiException> checkBearer(ApiPath path, HttpServletRequest request) {
        return checkBearer(path, request, path.site());
    }


    private Optional<ApiException> checkBearer(ApiPath path, HttpServletRequest request, String audience) {
        String token = TokenService.bearer(request.getHeader("Authorization")).orElse(null);
        if (token == null) {
            LOG.log(System.Logger.Level.DEBUG, "No Bearer token on {0}", path.operation());
            return Optional.of(tokenInvalid(false));
        }
        TokenCheck check = with.tokens().verify(token, audience);
        if (check instanceof VerifiedToken verified) {
            request.setAttribute(VerifiedToken.ATTRIBUTE, verified);
            return Optional.empty();
        }
        TokenRejection.Reason reason = ((TokenRejection) check).reason();
        boolean routine = reason == TokenRejection.Reason.EXPIRED || reason == TokenRejection.Reason.NOT_YET_VALID;
        // The reason, never the token: a token in a log is a credential in a log.
        LOG.log(routine ? System.Logger.Level.DEBUG : System.Logger.Level.INFO, "Token refused on {0} of site {1}: {2}",
                path.operation(), path.site(), reason);
        return Optional.of(tokenInvalid(reason == TokenRejection.Reason.EXPIRED));
    }

    private static ApiException tokenInvalid(boolean expired) {
        return ApiException.forbidden("TOKEN_INVALID", expired ? "The token has expired." : "The token is not valid.");
    }

    private Optional<ApiException> checkSession(ApiPath path, HttpServletRequest request) {
        String id = request.getHeader("SessionId");
        id = id == null ? "" : id.strip();
        Optional<ConsumerSession> session = Optional.empty();
        if (!id.isEmpty() && !id.equals("undefined") && id.length() <= MAX_SESSION_ID_LENGTH) {
            session = with.consumerSessions().find(id);
        }
        if (session.isEmpty() || !path.site().equals(session.get().siteName()) || !session.get().usable()) {
            LOG.log(System.Logger.Level.DEBUG, "No usable session for {0} of site {1}", path.operation(), path.site());
            return Optional.of(ApiException.forbidden("SESSION_UNKNOWN", "The session is unknown or has ended."));
        }
        request.setAttribute(ConsumerSession.ATTRIBUTE, session.get());
        return Optional.empty();
    }
}
