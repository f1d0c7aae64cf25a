package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rows of the status table not provoked elsewhere: unknown site, path and engagement resources
 * (404), unsupported methods (501 with Allow), and a forced internal failure (500 whose errorId
 * is in the container's log). 200/201/204/400/401/403/408/409/503/504 are provoked by the ITs of their features.
 */
@Tag("containers")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StatusCodesIT {

    static final TestDatabase DB = TestDatabase.create("StatusCodesIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of("poll.hold", "1", "tenants.cacheSeconds", "0"));
    }

    @ArquillianResource
    URL base;

    private static void assertError(Http.Reply r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        assertEquals(status, r.json().get("status").asInt());
        assertEquals(code, r.json().get("code").asText());
        assertFalse(r.json().get("errorMessages").isEmpty());
        assertEquals(0, r.json().get("systemMessages").size());
    }

    @Test
    void unknownSitesPathsAndQueuesGet404() {
        Http http = new Http(base);
        assertError(http.get("/engagement/api/consumer/nosuchsite/v1/getQueueStats?request=%7B%7D"), 404, "SITE_UNKNOWN");
        Consumer ann = new Consumer(http).join();
        assertError(http.post("/engagement/api/consumer/demo/v1/noSuchOperation", "{}", "SessionId", ann.sessionId),
                404, "NOT_FOUND");
        assertError(http.get("/engagement/api/consumer/demo/v2/getQueueStats"), 404, "NOT_FOUND");
    }

    @Test
    void aSessionOfAnotherSiteGets403AndNeverReachesTheResource() {
        Http http = new Http(base);
        DB.execute("INSERT INTO site (name, pool, created_at) SELECT 'other', '2:1', CURRENT_TIMESTAMP"
                + " WHERE NOT EXISTS (SELECT 1 FROM site WHERE name = 'other')");
        Consumer ann = new Consumer(http).join();
        http.send("DELETE", "/test-support/probe", null, Duration.ofSeconds(5));
        String path = "/engagement/api/consumer/other/v1/getMessages";
        Http.Reply r = http.post(path, "{}", "SessionId", ann.sessionId);
        assertError(r, 403, "SESSION_UNKNOWN");
        assertFalse(http.get("/test-support/probe").json().has(path), "the resource never ran");
        assertEquals(200, ann.call("activity", "{\"mode\":\"LISTENING\"}").status(), "on its own site it works");
    }

    @Test
    void aMethodADocumentedPathDoesNotSupportGets501WithAllow() {
        Http http = new Http(base);
        Consumer ann = new Consumer(http).join();
        Http.Reply get = http.get(Consumer.API + "postMessage", "SessionId", ann.sessionId);
        assertError(get, 501, "METHOD_NOT_SUPPORTED");
        assertTrue(get.header("Allow").contains("POST"), get.header("Allow"));
        Http.Reply put = http.send("PUT", Consumer.API + "getQueueStats", "{}", Duration.ofSeconds(5));
        assertError(put, 501, "METHOD_NOT_SUPPORTED");
        assertTrue(put.header("Allow").contains("GET") && put.header("Allow").contains("POST"), put.header("Allow"));
    }

    @Test
    void anInternalFailureGets500WithAnErrorIdThatIsLogged() {
        Http http = new Http(base);
        Consumer ann = new Consumer(http).join();
        ServerLog log = ServerLog.watch();
        DB.execute("ALTER TABLE engagement_event RENAME TO engagement_event_away");
        try {
            Http.Reply r = ann.post("this cannot be stored");
            assertError(r, 500, "INTERNAL_ERROR");
            String errorId = r.json().get("errorId").asText();
            assertFalse(errorId.isEmpty());
            assertFalse(r.body().contains("SQL") || r.body().contains("Exception"), "no internals: " + r.body());
            assertFalse(log.await(errorId).isEmpty(), "the errorId is in the container's log");
        } finally {
            DB.execute("ALTER TABLE engagement_event_away RENAME TO engagement_event");
            log.close();
        }
        assertEquals(200, ann.post("stored again").status());
    }
}
