package io.parley.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import io.parley.api.error.ApiException;
import io.parley.api.error.ErrorWriter;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Makes a request mean one thing to the container, to Parley's filters and to Jersey, before any
 * of them looks at it. The container maps a request by its normalised path, Jersey by the path as
 * sent: a path with {@code .} or {@code ..} segments, empty segments or {@code ;} parameters could
 * pass the filters as one path and reach a resource as another, so it is refused (400). A
 * {@code Content-Type} that does not parse (say {@code garbage}) reads as JSON, as every other
 * type does ({@link RequestBodyPolicy}); left as it came, Jersey would refuse it with an empty 400.
 */
public final class CanonicalRequestFilter implements Filter {

    private static final System.Logger LOG = System.getLogger(CanonicalRequestFilter.class.getName());

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        if (!isCanonical(http.getRequestURI())) {
            ErrorWriter.write((HttpServletResponse) response, ApiException.badRequest("BAD_REQUEST",
                    "The path must not contain '.' or '..' segments, empty segments or ';' parameters."));
            return;
        }
        String type = http.getContentType();
        if (type == null || parses(type)) {
            chain.doFilter(request, response);
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "Reading a body labelled with the unparseable Content-Type {0} as JSON", type);
        chain.doFilter(new AsJson(http), response);
    }

    /** The path as sent (still percent-encoded; Tomcat refuses encoded slashes and dots itself). */
    static boolean isCanonical(String uri) {
        if (uri.indexOf(';') >= 0 || uri.contains("//")) {
            return false;
        }
        for (String segment : uri.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static boolean parses(String type) {
        try {
            MediaType.valueOf(type);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The request, labelled {@code application/json}. */
    private static final class AsJson extends HttpServletRequestWrapper {

        AsJson(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getContentType() {
            return MediaType.APPLICATION_JSON;
        }

        @Override
        public String getHeader(String name) {
            return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? MediaType.APPLICATION_JSON : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
                    ? Collections.enumeration(java.util.List.of(MediaType.APPLICATION_JSON)) : super.getHeaders(name);
        }
    }
}
