package io.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.compliance.ServletFakes;
import java.util.Map;
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
                Arguments.of(ApiPath.Kind.PUBLIC, true, YEAR, null, hsts),
                Arguments.of(ApiPath.Kind.UNKNOWN, true, YEAR, null, hsts),
                Arguments.of(ApiPath.Kind.UNKNOWN, true, 600, null, "max-age=600"),
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
        ServletFakes.Response response = new ServletFakes.Response();
        AtomicInteger chain = new AtomicInteger();
        SecurityHeadersFilter filter = new SecurityHeadersFilter(new SecurityHeadersFilter.Policy(YEAR, r -> true));
        filter.doFilter(new ServletFakes.Request("POST", "/engagement/api/consumer/demo/v1/getMessages", "10.0.0.5")
                .proxy(), response.proxy(), (req, res) -> {
                    assertEquals("no-store", response.headers.get("Cache-Control"));
                    chain.incrementAndGet();
                });
        assertEquals(1, chain.get());
        assertEquals("nosniff", response.headers.get("X-Content-Type-Options"));
        assertEquals("max-age=31536000", response.headers.get("Strict-Transport-Security"));
    }

    @Test
    void aFailureIsAnsweredWith500AndNosniffAndTheChainIsNotCalled() throws Exception {
        ServletFakes.Response response = new ServletFakes.Response();
        AtomicInteger chain = new AtomicInteger();
        SecurityHeadersFilter filter = new SecurityHeadersFilter(new SecurityHeadersFilter.Policy(YEAR, r -> {
            throw new IllegalStateException("boom");
        }));
        filter.doFilter(new ServletFakes.Request("GET", "/health/live", "10.0.0.5").proxy(), response.proxy(),
                (req, res) -> chain.incrementAndGet());
        assertEquals(0, chain.get());
        assertEquals(500, response.status);
        assertEquals("nosniff", response.headers.get("X-Content-Type-Options"));
        assertTrue(response.text().contains("INTERNAL_ERROR"), response.text());
        assertFalse(response.text().contains("boom"), "no exception text reaches the client");
    }
}
