package io.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The headers each kind of answer gets, and the filter that sets them before anything else runs. */
class SecurityHeadersFilterTest {

    private static final long YEAR = 31_536_000;

    static Stream<Arguments> answers() {
        String noStore = "no-store";
        String hsts = "max-age=31536000";
        return Stream.of(
                Arguments.of(ApiPath.Kind.CONSUMER, false, YEAR, noStore, null),
                Arguments.of(ApiPath.Kind.AGENT, false, YEAR, noStore, null),
                Arguments.of(ApiPath.Kind.BOOTSTRAP, true, YEAR, noStore, hsts),
                Arguments.of(ApiPath.Kind.ADMIN, true, YEAR, noStore, hsts),
                Arguments.of(ApiPath.Kind.UI, false, YEAR, null, null),
                Arguments.of(ApiPath.Kind.UI, true, YEAR, null, hsts),
                Arguments.of(ApiPath.Kind.OTHER, true, YEAR, null, hsts),
                Arguments.of(ApiPath.Kind.OTHER, true, 600, null, "max-age=600"),
                Arguments.of(ApiPath.Kind.CONSUMER, true, 0, noStore, null));
    }

    @ParameterizedTest(name = "{0}, over TLS {1}, max-age {2}")
    @MethodSource("answers")
    void eachKindOfAnswerGetsItsHeaders(ApiPath.Kind kind, boolean overTls, long maxAge, String cacheControl,
                                        String hsts) {
        Map<String, String> h = SecurityHeadersFilter.headers(kind, overTls, maxAge);
        assertEquals("nosniff", h.get("X-Content-Type-Options"));
        assertEquals(cacheControl, h.get("Cache-Control"));
        assertEquals(hsts, h.get("Strict-Transport-Security"));
    }

    @Test
    void theHeadersAreSetBeforeTheChainRuns() throws Exception {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        AtomicInteger chain = new AtomicInteger();
        SecurityHeadersFilter filter = new SecurityHeadersFilter(new SecurityHeadersFilter.Policy(YEAR, r -> true));
        filter.doFilter(request("/engagement/api/consumer/demo/v1/getMessages"), response(headers, new int[1], null),
                (req, res) -> {
                    assertEquals("no-store", headers.get("Cache-Control"));
                    chain.incrementAndGet();
                });
        assertEquals(1, chain.get());
        assertEquals("nosniff", headers.get("X-Content-Type-Options"));
        assertEquals("max-age=31536000", headers.get("Strict-Transport-Security"));
    }

    @Test
    void aFailureIsAnsweredWith500AndNosniffAndTheChainIsNotCalled() throws Exception {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int[] status = new int[1];
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        AtomicInteger chain = new AtomicInteger();
        SecurityHeadersFilter filter = new SecurityHeadersFilter(new SecurityHeadersFilter.Policy(YEAR, r -> {
            throw new IllegalStateException("boom");
        }));
        filter.doFilter(request("/health/live"), response(headers, status, body), (req, res) -> chain.incrementAndGet());
        assertEquals(0, chain.get());
        assertEquals(500, status[0]);
        assertEquals("nosniff", headers.get("X-Content-Type-Options"));
        assertTrue(body.toString().contains("INTERNAL_ERROR"), body.toString());
        assertFalse(body.toString().contains("boom"), "no exception text reaches the client");
    }

    private static HttpServletRequest request(String path) {
        return (HttpServletRequest) Proxy.newProxyInstance(SecurityHeadersFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> switch (m.getName()) {
                    case "getServletPath", "getRequestURI" -> path;
                    case "getPathInfo" -> null;
                    case "getMethod" -> "GET";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static HttpServletResponse response(Map<String, String> headers, int[] status, ByteArrayOutputStream body) {
        return (HttpServletResponse) Proxy.newProxyInstance(SecurityHeadersFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> {
                    switch (m.getName()) {
                        case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                        case "setStatus" -> status[0] = (Integer) args[0];
                        case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                        case "isCommitted" -> {
                            return false;
                        }
                        case "resetBuffer", "setContentLength", "setCharacterEncoding", "flushBuffer" -> {
                        }
                        case "getOutputStream" -> {
                            return new ServletOutputStream() {
                                @Override
                                public void write(int b) {
                                    body.write(b);
                                }

                                @Override
                                public boolean isReady() {
                                    return true;
                                }

                                @Override
                                public void setWriteListener(WriteListener listener) {
                                    throw new UnsupportedOperationException();
                                }
                            };
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    }
                    return null;
                });
    }
}
