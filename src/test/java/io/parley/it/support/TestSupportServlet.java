package io.parley.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only endpoints under {@code /test-support/}: the probe's counts
 * ({@code GET /test-support/probe}, {@code DELETE /test-support/probe} to reset).
 */
public class TestSupportServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if ("/probe".equals(req.getPathInfo())) {
            Map<String, Long> counts = new TreeMap<>();
            ProbeFilter.PASSED.forEach((k, v) -> counts.put(k, v.get()));
            write(res, 200, counts);
            return;
        }
        write(res, 404, Map.of("error", "no such test-support path"));
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if ("/probe".equals(req.getPathInfo())) {
            ProbeFilter.PASSED.values().forEach(a -> a.set(0));
            ProbeFilter.PASSED.clear();
            write(res, 200, Map.of("reset", true));
            return;
        }
        write(res, 404, Map.of("error", "no such test-support path"));
    }

    static void write(HttpServletResponse res, int status, Object body) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json;charset=UTF-8");
        JSON.writeValue(res.getOutputStream(), body);
    }

    static long count(String path) {
        AtomicLong a = ProbeFilter.PASSED.get(path);
        return a == null ? 0 : a.get();
    }
}
