package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The AuthFilter on the consumer API: unknown sites, the SessionId rule, and the calls that need
 * no credential. Until the engagement side wires its sessions in, no SessionId is known.
 */
@Tag("containers")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsumerAuthIT {

    static final TestDatabase DB = TestDatabase.create("ConsumerAuthIT");
    static final String CONSUMER = "/engagement/api/consumer/demo/v1/";
    static final String API_USER = "Basic " + Base64.getEncoder()
            .encodeToString("demo-api:demo-api-pass".getBytes(StandardCharsets.UTF_8));

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of());
    }

    @ArquillianResource
    URL base;

    private Http http() {
        return new Http(base);
    }

    @BeforeEach
    void freshProbe() {
        assertEquals(200, http().send("DELETE", "/test-support/probe", null, Duration.ofSeconds(5)).status());
    }

    private long probe(String path) {
        JsonNode counts = http().get("/test-support/probe").json();
        return counts.has(path) ? counts.get(path).asLong() : 0;
    }

    private static void assertErrorBody(Http.Reply r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        JsonNode body = r.json();
        assertEquals(code, body.get("code").asText());
        assertTrue(body.get("errorMessages").isArray() && body.get("errorMessages").size() > 0, r.body());
        assertTrue(body.get("systemMessages").isArray(), r.body());
        assertEquals(0, body.get("systemMessages").size());
    }

    private String channelToken() {
        return http().post("/services/rest/crossChannelServices/latest/establishSessions", "{}", "Authorization", API_USER)
                .json().get("channelToken").asText();
    }

    @Test
    void unknownSiteGets404AndNoResourceRuns() {
        for (String op : List.of("requestEngagement", "getMessages", "postMessage")) {
            String path = "/engagement/api/consumer/no-such-site/v1/" + op;
            assertErrorBody(http().post(path + "?pool=1:1", "{}", "Authorization", "Bearer " + channelToken()),
                    404, "SITE_UNKNOWN");
            assertEquals(0, probe(path));
        }
        String stats = "/engagement/api/consumer/no-such-site/v1/getQueueStats";
        assertErrorBody(http().get(stats), 404, "SITE_UNKNOWN");
        assertEquals(0, probe(stats));
    }

    @Test
    void getMessagesWithoutSessionIdGets403() {
        assertErrorBody(http().post(CONSUMER + "getMessages?pool=1:1", "{}"), 403, "SESSION_UNKNOWN");
        assertEquals(0, probe(CONSUMER + "getMessages"));
    }

    @Test
    void literalUndefinedSessionIdGets403() {
        assertErrorBody(http().post(CONSUMER + "getMessages?pool=1:1", "{}", "SessionId", "undefined"),
                403, "SESSION_UNKNOWN");
        assertEquals(0, probe(CONSUMER + "getMessages"));
    }

    @Test
    void unknownSessionIdInAnyLetterCaseGets403() {
        assertErrorBody(http().post(CONSUMER + "postMessage?pool=1:1", "{\"body\": \"hi\"}",
                "sessionid", "192hyto5qomm8r8rpzzmuzsa6"), 403, "SESSION_UNKNOWN");
        assertErrorBody(http().post(CONSUMER + "activity?pool=1:1", "{}", "SESSIONID", "170c233dfi4gy1vkwyw6yxdq1a"),
                403, "SESSION_UNKNOWN");
        assertEquals(0, probe(CONSUMER + "postMessage"));
        assertEquals(0, probe(CONSUMER + "activity"));
    }

    @Test
    void validBearerTokenDoesNotStandInForASessionAndGets403() {
        Http.Reply r = http().post(CONSUMER + "concludeEngagement?pool=1:1", "{}", "Authorization", "Bearer " + channelToken());
        assertErrorBody(r, 403, "SESSION_UNKNOWN");
        assertEquals(0, probe(CONSUMER + "concludeEngagement"));
    }

    @Test
    void getQueueStatsNeedsNoCredentialAndIgnoresBadOnes() {
        Http.Reply r = http().get(CONSUMER + "getQueueStats?pool=1:1", "Authorization", "Bearer garbage",
                "SessionId", "undefined");
        assertNotEquals(401, r.status(), r.body());
        assertNotEquals(403, r.status(), r.body());
        assertEquals(1, probe(CONSUMER + "getQueueStats"));
    }

    @Test
    void getEngagementQueueNeedsNoCredential() {
        Http.Reply r = http().get(CONSUMER + "getEngagementQueue?pool=1:1", "Authorization", "Basic Zm9vOmJhcg==");
        assertNotEquals(401, r.status(), r.body());
        assertNotEquals(403, r.status(), r.body());
        assertEquals(1, probe(CONSUMER + "getEngagementQueue"));
    }
}
