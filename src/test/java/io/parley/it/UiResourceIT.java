package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How the pages are served: their content types, security headers and caching, without any
 * credential; unknown files and traversal attempts get no file; export compliance still applies.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class UiResourceIT {

    static final TestDatabase DB = TestDatabase.create("UiResourceIT");
    private static final List<String> PAGES = List.of("/ui/", "/ui/chat", "/ui/agent", "/ui/admin");
    private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

    @Deployment(testable = false)
    static WebArchive deployment() {
        // Loopback stands for a trusted proxy, so a test can say which country a caller is in.
        return ParleyDeployment.war(DB, Map.of(
                "compliance.trustedProxies", "127.0.0.1/32",
                "compliance.countryHeader", "CF-IPCountry"));
    }

    @ArquillianResource
    URL base;

    Http http;
    RawHttp raw;

    @BeforeEach
    void setUp() {
        http = new Http(base);
        raw = new RawHttp(base);
    }

    @Test
    void pagesAreHtmlWithAStrictPolicyAndNeedNoCredentials() {
        for (String page : PAGES) {
            Http.Reply r = http.get(page);
            assertEquals(200, r.status(), page);
            assertEquals("text/html;charset=utf-8", r.header("Content-Type").replace(" ", "").toLowerCase(), page);
            String csp = r.header("Content-Security-Policy");
            assertNotNull(csp, page);
            assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'")
                    && csp.contains("connect-src 'self'"), csp);
            assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
            assertEquals("nosniff", r.header("X-Content-Type-Options"), page);
            assertTrue(r.header("Cache-Control").contains("no-cache"), page);
            assertNotNull(r.header("ETag"), page);
            assertTrue(r.body().startsWith("<!DOCTYPE html>"), page);
        }
    }

    @Test
    void everyFileThePagesNameIsServedWithItsTypeAndNothingComesFromElsewhere() {
        Map<String, String> types = Map.of("css", "text/css", "js", "text/javascript", "svg", "image/svg+xml");
        List<String> files = new ArrayList<>();
        for (String page : PAGES) {
            String html = http.get(page).body();
            // The policy forbids inline script and style: the pages must not need them.
            assertFalse(html.contains("<script>") || html.contains(" style=") || html.contains(" onclick="), page);
            Matcher m = REFERENCE.matcher(html);
            while (m.find()) {
                String ref = m.group(1);
                assertFalse(ref.contains("//") || ref.startsWith("/"), page + " names " + ref + ": only relative URLs work under a context path");
                if (ref.startsWith("assets/")) {
                    files.add(ref);
                }
            }
        }
        assertTrue(files.containsAll(List.of("assets/parley.css", "assets/parley.js", "assets/chat.js",
                "assets/agent.js", "assets/admin.js", "assets/parley.svg")), files.toString());
        for (String file : files) {
            Http.Reply r = http.get("/ui/" + file);
            assertEquals(200, r.status(), file);
            String ext = file.substring(file.lastIndexOf('.') + 1);
            assertTrue(r.header("Content-Type").startsWith(types.get(ext)), file + ": " + r.header("Content-Type"));
            assertEquals("nosniff", r.header("X-Content-Type-Options"), file);
            // No CDN, no web font, no third-party call: only the SVG namespace may name another host.
            String withoutNamespace = r.body().replace("http://www.w3.org/2000/svg", "");
            assertFalse(withoutNamespace.contains("http://") || withoutNamespace.contains("https://"), file);
        }
    }

    @Test
    void anUnchangedFileAnswers304() {
        Http.Reply first = http.get("/ui/assets/parley.js");
        Http.Reply again = http.get("/ui/assets/parley.js", "If-None-Match", first.header("ETag"));
        assertEquals(304, again.status());
        assertEquals("", again.body());
        assertEquals(200, http.get("/ui/assets/parley.js", "If-None-Match", "\"stale\"").status());
    }

    @Test
    void uiWithoutTheSlashRedirectsToTheIndex() {
        Http.Reply r = http.get("/ui");
        assertEquals(308, r.status());
        assertTrue(r.header("Location").endsWith("/ui/"), r.header("Location"));
    }

    @Test
    void unknownPagesAndFilesAre404InTheErrorBody() {
        for (String path : List.of("/ui/assets/nope.js", "/ui/assets/chat.html", "/ui/assets/", "/ui/nope",
                "/ui/chat/extra", "/ui/assets/PARLEY.JS")) {
            Http.Reply r = http.get(path);
            assertEquals(404, r.status(), path);
            assertEquals("NOT_FOUND", r.json().get("code").asText(), path);
        }
    }

    @Test
    void traversalNeverReachesAFile() {
        for (String path : List.of("/ui/assets/../../WEB-INF/web.xml", "/ui/assets/..%2f..%2fWEB-INF%2fweb.xml",
                "/ui/assets/%2e%2e/%2e%2e/WEB-INF/web.xml", "/ui/assets/..%5c..%5cWEB-INF%5cweb.xml",
                "/ui/assets/..;/..;/WEB-INF/web.xml", "/ui/assets/%2e%2e%2f%2e%2e%2fio/parley/demo-seed.json",
                "/ui/../WEB-INF/classes/io/parley/demo-seed.json")) {
            Http.Reply r = raw.send("127.0.0.1", "GET", path, null);
            assertTrue(r.status() == 400 || r.status() == 404, path + " -> " + r.status());
            assertFalse(r.body().contains("<web-app") || r.body().contains("demo-api-pass"), path);
        }
    }

    @Test
    void pagesAnswerGetAndHeadOnly() {
        Http.Reply head = http.send("HEAD", "/ui/chat", null, Duration.ofSeconds(10));
        assertEquals(200, head.status());
        assertEquals("", head.body());
        Http.Reply r = http.post("/ui/chat", "{}");
        assertEquals(501, r.status());
        assertEquals("METHOD_NOT_SUPPORTED", r.json().get("code").asText());
    }

    @Test
    void exportComplianceAppliesToThePagesToo() {
        Http.Reply denied = http.get("/ui/chat", "CF-IPCountry", "KP");
        assertEquals(403, denied.status());
        assertEquals("EXPORT_COMPLIANCE_DENIED", denied.json().get("code").asText());
        assertEquals(200, http.get("/ui/chat", "CF-IPCountry", "DE").status());
    }
}
