package io.parley.it.support;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the requests that got through all of Parley's filters, by path: a request that a
 * filter denied never reaches here, so a count of zero proves the resource did not run.
 */
public final class ProbeFilter implements Filter {

    static final Map<String, AtomicLong> PASSED = new ConcurrentHashMap<>();

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!path.startsWith("/test-support/")) {
            PASSED.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
        }
        chain.doFilter(req, res);
    }
}
