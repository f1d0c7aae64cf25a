package io.parley.api;

import io.parley.api.error.ErrorWriter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The headers that keep browsers from misusing Parley's answers. It is the first filter of the
 * chain and sets them before anything else runs, so the other filters' denials and the CORS
 * preflights carry them as well as the resources' answers:
 * <ul>
 *   <li>{@code X-Content-Type-Options: nosniff} on every answer, so no browser runs a JSON answer,
 *       an error body or a CSV export as script or HTML;</li>
 *   <li>{@code Cache-Control: no-store} on the consumer, agent, bootstrap and admin APIs, whose answers
 *       carry tokens, session ids, messages and transcripts; the pages, health, metrics and the public
 *       keys keep their own caching;</li>
 *   <li>{@code Strict-Transport-Security} when the client reached Parley over TLS, on the connection
 *       itself or as a trusted proxy says ({@link Policy#overTls}), unless switched off.</li>
 * </ul>
 */
public final class SecurityHeadersFilter implements Filter {

    /**
     * What the filter needs, published in the servlet context by Parley.
     *
     * @param hstsMaxAgeSeconds the {@code max-age} of {@code Strict-Transport-Security}; 0 sends none
     * @param overTls           whether a request came over TLS (the connection's own, or a trusted proxy's word)
     */
    public record Policy(long hstsMaxAgeSeconds, Predicate<HttpServletRequest> overTls) {

        /** The servlet-context attribute under which the policy is published. */
        public static final String ATTRIBUTE = Policy.class.getName();
    }

    static final String NOSNIFF = "nosniff";

    private Policy policy;

    /** The filter as the container creates it; {@link #init} finds its policy. */
    public SecurityHeadersFilter() {
    }

    SecurityHeadersFilter(Policy policy) {
        this.policy = policy;
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        policy = (Policy) config.getServletContext().getAttribute(Policy.ATTRIBUTE);
        if (policy == null) {
            throw new ServletException("Parley did not start: no security-header policy was published");
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        // First of all, so that even the answer to a failure below carries it.
        response.setHeader("X-Content-Type-Options", NOSNIFF);
        try {
            headers(ApiPath.of(request).kind(), policy.overTls().test(request), policy.hstsMaxAgeSeconds())
                    .forEach(response::setHeader);
        } catch (RuntimeException e) {
            ErrorWriter.writeInternal(response, "SecurityHeadersFilter", e);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The headers of an answer on a path of {@code kind}, for a request that came over TLS or not. */
    static Map<String, String> headers(ApiPath.Kind kind, boolean overTls, long hstsMaxAgeSeconds) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Content-Type-Options", NOSNIFF);
        if (kind == ApiPath.Kind.CONSUMER || kind == ApiPath.Kind.AGENT || kind == ApiPath.Kind.BOOTSTRAP
                || kind == ApiPath.Kind.ADMIN) {
            h.put("Cache-Control", "no-store");
        }
        // Browsers ignore the header on plain HTTP; sent there it would only mislead a reader of the answer.
        if (overTls && hstsMaxAgeSeconds > 0) {
            h.put("Strict-Transport-Security", "max-age=" + hstsMaxAgeSeconds);
        }
        return h;
    }
}
