package io.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ApiPathTest {

    @Test
    void pathsAreClassifiedForTheFilters() {
        assertEquals(new ApiPath(ApiPath.Kind.CONSUMER, "demo", "getMessages"),
                ApiPath.parse("/engagement/api/consumer/demo/v1/getMessages"));
        assertEquals(new ApiPath(ApiPath.Kind.AGENT, "demo", "logoff"), ApiPath.parse("/engagement/api/agent/demo/v1/logoff"));
        assertEquals(new ApiPath(ApiPath.Kind.BOOTSTRAP, null, "serviceSettings"),
                ApiPath.parse("/services/rest/crossChannelServices/latest/serviceSettings/1"));
        assertEquals(new ApiPath(ApiPath.Kind.ADMIN, null, "login"), ApiPath.parse("/admin/api/v1/login"));
        assertEquals(new ApiPath(ApiPath.Kind.ADMIN, null, "sites"), ApiPath.parse("/admin/api/v1/sites/3/queues"));
        assertEquals(new ApiPath(ApiPath.Kind.ADMIN, null, ""), ApiPath.parse("/admin/api/v1"));
        assertEquals(ApiPath.Kind.UNKNOWN, ApiPath.parse("/admin/api/v2/sites").kind());
        assertEquals(ApiPath.Kind.UI, ApiPath.parse("/ui").kind());
        assertEquals(ApiPath.Kind.UI, ApiPath.parse("/ui/").kind());
        assertEquals(ApiPath.Kind.UI, ApiPath.parse("/ui/assets/chat.js").kind());
        assertEquals(ApiPath.Kind.UNKNOWN, ApiPath.parse("/uix").kind());
        assertEquals(new ApiPath(ApiPath.Kind.PUBLIC, null, "health/ready"), ApiPath.parse("/health/ready"));
        assertEquals(new ApiPath(ApiPath.Kind.PUBLIC, null, "metrics"), ApiPath.parse("/metrics"));
        assertEquals(new ApiPath(ApiPath.Kind.PUBLIC, null, ".well-known/jwks.json"), ApiPath.parse("/.well-known/jwks.json"));
        assertEquals(ApiPath.Kind.UNKNOWN, ApiPath.parse("/health").kind());
        assertEquals(ApiPath.Kind.UNKNOWN, ApiPath.parse("/metrics/all").kind());
        assertEquals(ApiPath.Kind.UNKNOWN, ApiPath.parse("/").kind());
        assertEquals(ApiPath.Kind.UNKNOWN, ApiPath.parse("/test-support/held").kind());
    }

    @Test
    void aRequestsPathIsParsedOnceAndParsedAgainOnlyWhenItChanges() {
        AtomicReference<String> pathInfo = new AtomicReference<>("/engagement/api/consumer/demo/v1/getMessages");
        Map<String, Object> attributes = new HashMap<>();
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getServletPath" -> "";
                    case "getPathInfo" -> pathInfo.get();
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ApiPath first = ApiPath.of(request);
        assertEquals(new ApiPath(ApiPath.Kind.CONSUMER, "demo", "getMessages"), first);
        assertSame(first, ApiPath.of(request), "the second filter gets the first one's answer");
        pathInfo.set("/admin/api/v1/sites");
        assertEquals(new ApiPath(ApiPath.Kind.ADMIN, null, "sites"), ApiPath.of(request));
    }
}
