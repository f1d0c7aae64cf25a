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

/**
 * CORS for browser chat widgets and agent consoles, per site. A preflight is answered here with
 * 204 (with the allow headers only when the origin is allowed) and goes no further; other
 * requests from an allowed origin get the headers that let the browser read the answer.
 * A disallowed origin is not refused with a status: the browser simply cannot read the answer.
 */
public final class CorsFilter implements Filter {

    private static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
    private static final String ALLOWED_HEADERS =
            "Authorization, Content-Type, SessionId, X-AID, X-JSESSIONID, OSvC-CREST-Application-Context, X-Requested-With";
    private static final String EXPOSED_HEADERS = "Retry-After, WWW-Authenticate, Allow";

    private CorsPolicy policy;

    @Override
    public void init(FilterConfig config) throws ServletException {
        policy = (CorsPolicy) config.getServletContext().getAttribute(CorsPolicy.class.getName());
        if (policy == null) {
            throw new ServletException("Parley did not start: no CORS policy was published");
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String origin = request.getHeader("Origin");
        boolean allowed;
        try {
            allowed = origin != null && policy.allows(ApiPath.of(request).site(), origin);
        } catch (RuntimeException e) {
            ErrorWriter.writeInternal(response, "CorsFilter", e);
            return;
        }
        if ("OPTIONS".equals(request.getMethod()) && origin != null
                && request.getHeader("Access-Control-Request-Method") != null) {
            if (allowed) {
                response.setHeader("Access-Control-Allow-Origin", origin);
                response.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
                response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
                response.setHeader("Access-Control-Max-Age", "600");
            }
            response.setHeader("Vary", "Origin");
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        if (allowed) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
            response.addHeader("Vary", "Origin");
        }
        chain.doFilter(request, response);
    }
}
