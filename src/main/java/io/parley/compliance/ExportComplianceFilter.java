package io.parley.compliance;

import io.parley.api.ApiPath;
import io.parley.api.error.ApiException;
import io.parley.api.error.ErrorWriter;
import io.parley.store.Site;
import io.parley.store.StoreUnavailableException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Export compliance on the request path, after CORS and before authentication.
 *
 * <p>Every request gets its client address resolved (see {@link ClientAddressResolver}) and passed
 * on by wrapping the request, so that later filters and resources see the client, not the proxy.
 * Consumer, agent, bootstrap, admin and page ({@code /ui}) paths are then screened (unless
 * {@code compliance.enabled=false}):
 * <ol>
 *   <li>the caller's country against the denied-country list and the unknown-country policy (the
 *       site's own, on consumer and agent paths; the server's on bootstrap paths, which name no site);</li>
 *   <li>on {@code establishSessions} and {@code chatAuthenticate}, the identity in the body against the
 *       denied-party list and, when configured, the screening webhook;</li>
 *   <li>on {@code requestEngagement}, the identity bound to the session ({@link SessionIdentities})
 *       against the denied-party list.</li>
 * </ol>
 * A denied caller gets 403 {@value #DENIED_CODE} with a message that does not say which rule
 * matched, and an audit line ({@link ComplianceAudit}); the chain is not called. A webhook that
 * cannot decide in time gives 504 {@value #UNAVAILABLE_CODE}. {@code getQueueStats} is the one
 * exception: it never answers 403, so a denied caller goes on with {@link #DENIED_ATTRIBUTE} set and
 * its resource shows no availability. All work happens before {@code chain.doFilter}.
 */
public final class ExportComplianceFilter implements Filter {

    /**
     * Request attribute set to {@link Boolean#TRUE} on a {@code getQueueStats} call whose caller
     * export compliance denies: the resource must then answer as if no agent were available.
     */
    public static final String DENIED_ATTRIBUTE = "io.parley.compliance.denied";

    /** The error code of a denial (403). */
    public static final String DENIED_CODE = "EXPORT_COMPLIANCE_DENIED";

    /** The error code when the screening webhook gave no decision in time (504). */
    public static final String UNAVAILABLE_CODE = "SCREENING_UNAVAILABLE";

    static final String DENIED_MESSAGE = "This service is not available to this caller.";
    static final String UNAVAILABLE_MESSAGE = "The request could not be screened in time; try again later.";

    private static final System.Logger LOG = System.getLogger(ExportComplianceFilter.class.getName());

    private ExportCompliance compliance;

    /** The filter as the container creates it; {@link #init} finds its collaborators. */
    public ExportComplianceFilter() {
    }

    ExportComplianceFilter(ExportCompliance compliance) {
        this.compliance = compliance;
    }

    /** Takes the {@link ExportCompliance} that Parley published in the servlet context. */
    @Override
    public void init(FilterConfig config) throws ServletException {
        compliance = (ExportCompliance) config.getServletContext().getAttribute(ExportCompliance.class.getName());
        if (compliance == null) {
            throw new ServletException("Parley did not start: no export compliance was published");
        }
    }

    /** Screens the request; continues the chain with the wrapped request unless the caller is turned away. */
    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        ServletRequest next;
        try {
            next = screen(request, response);
        } catch (StoreUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot screen {0}: {1}", request.getRequestURI(), e.getMessage());
            ErrorWriter.write(response, ApiException.unavailable(compliance.retryAfter()));
            return;
        } catch (RuntimeException e) {
            ErrorWriter.writeInternal(response, "ExportComplianceFilter", e);
            return;
        }
        if (next != null) {
            chain.doFilter(next, response);
        }
    }

    /** Decides; returns the request to continue with, or null when the answer has been written. */
    private ServletRequest screen(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Function<String, List<String>> headers = ExportCompliance.headers(request);
        ClientAddress client = compliance.resolve(request.getRemoteAddr(), headers);
        ApiPath path = ApiPath.of(request);
        if (!compliance.enabled() || path.kind() == ApiPath.Kind.PUBLIC || path.kind() == ApiPath.Kind.UNKNOWN) {
            return new ForwardedRequest(request, client, null);
        }
        String country = compliance.countryOf(client, headers);
        Site site = compliance.site(path).orElse(null);
        ComplianceAudit.Caller caller = new ComplianceAudit.Caller(client.address(), country, path.site(),
                request.getMethod(), request.getRequestURI());

        Optional<Denial> denial = compliance.checkCountry(country, site);
        if (denial.isPresent() && path.isConsumer("getQueueStats")) {
            compliance.audit().denied(denial.get(), caller, "no-availability");
            ForwardedRequest masked = new ForwardedRequest(request, client, null);
            masked.setAttribute(DENIED_ATTRIBUTE, Boolean.TRUE);
            return masked;
        }
        if (denial.isPresent()) {
            return deny(response, denial.get(), caller);
        }
        if (path.kind() == ApiPath.Kind.BOOTSTRAP && "POST".equals(request.getMethod())
                && ("establishSessions".equals(path.operation()) || "chatAuthenticate".equals(path.operation()))) {
            return screenBootstrap(request, response, client, country, path, caller);
        }
        ForwardedRequest forwarded = new ForwardedRequest(request, client, null);
        if (path.isConsumer("requestEngagement")) {
            Optional<Identity> identity = compliance.sessionIdentity(forwarded);
            denial = identity.flatMap(i -> compliance.checkParties(i, site == null ? null : site.id()));
            if (denial.isPresent()) {
                return deny(response, denial.get(), caller);
            }
        }
        return forwarded;
    }

    /**
     * Screens the identity a bootstrap call brings in. The body is read (up to the body limit) and
     * handed on for the resource to read again; a body over the limit or not readable as JSON is
     * passed on unscreened, for the resource to refuse with 400.
     */
    private ServletRequest screenBootstrap(HttpServletRequest request, HttpServletResponse response,
                                           ClientAddress client, String country, ApiPath path,
                                           ComplianceAudit.Caller caller) throws IOException {
        int limit = compliance.maxBodyBytes();
        if (request.getContentLengthLong() > limit) {
            return new ForwardedRequest(request, client, null);
        }
        byte[] body = readAtMost(request.getInputStream(), limit + 1);
        ForwardedRequest forwarded = new ForwardedRequest(request, client, body);
        Optional<Identity> identity = body.length > limit ? Optional.empty() : IdentityReader.read(path.operation(), body);
        if (identity.isEmpty()) {
            return forwarded;
        }
        Optional<Denial> denial = compliance.checkParties(identity.get(), null);
        if (denial.isPresent()) {
            return deny(response, denial.get(), caller);
        }
        if (compliance.screens()) {
            try {
                if (!compliance.screeningAllows(new ScreeningClient.Question(client.address(), country, null,
                        path.operation(), ScreeningClient.Person.of(identity.get())))) {
                    return deny(response, new Denial(Denial.Rule.SCREENING_SERVICE, null), caller);
                }
            } catch (ScreeningUnavailableException e) {
                compliance.audit().unscreened(e.getMessage(), caller);
                ErrorWriter.write(response, 504, UNAVAILABLE_CODE, UNAVAILABLE_MESSAGE, null, Map.of());
                return null;
            }
        }
        return forwarded;
    }

    private ServletRequest deny(HttpServletResponse response, Denial denial, ComplianceAudit.Caller caller)
            throws IOException {
        compliance.audit().denied(denial, caller, "403");
        ErrorWriter.write(response, 403, DENIED_CODE, DENIED_MESSAGE, null, Map.of());
        return null;
    }

    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 8192));
        byte[] buf = new byte[8192];
        int total = 0;
        int n;
        while (total < max && (n = in.read(buf, 0, Math.min(buf.length, max - total))) != -1) {
            out.write(buf, 0, n);
            total += n;
        }
        return out.toByteArray();
    }
}
