package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ErrorBodyIT {

    static final TestDatabase DB = TestDatabase.create("ErrorBodyIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of());
    }

    @ArquillianResource
    URL base;

    @Test
    void unknownPathGets404WithTheErrorBody() {
        Http.Reply r = new Http(base).get("/no/such/path");
        assertEquals(404, r.status());
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        JsonNode body = r.json();
        assertEquals(404, body.get("status").asInt());
        assertEquals("NOT_FOUND", body.get("code").asText());
        assertEquals("NOT_FOUND", body.get("errorMessages").get(0).get("code").asText());
        assertEquals(0, body.get("systemMessages").size());
        assertNull(body.get("errorId"));
    }

    @Test
    void corsPreflightGets204WithAllowHeadersForAnAllowedOrigin() {
        Http.Reply r = new Http(base).send("OPTIONS", "/engagement/api/consumer/demo/v1/getMessages", null,
                java.time.Duration.ofSeconds(5), "Origin", "http://localhost:3000", "Access-Control-Request-Method", "POST");
        assertEquals(204, r.status());
        assertEquals("http://localhost:3000", r.header("Access-Control-Allow-Origin"));
        assertTrue(r.header("Access-Control-Allow-Headers").contains("SessionId"));
    }

    @Test
    void corsPreflightFromAnUnknownOriginGets204WithoutAllowHeaders() {
        Http.Reply r = new Http(base).send("OPTIONS", "/engagement/api/consumer/demo/v1/getMessages", null,
                java.time.Duration.ofSeconds(5), "Origin", "https://evil.example", "Access-Control-Request-Method", "POST");
        assertEquals(204, r.status());
        assertNull(r.header("Access-Control-Allow-Origin"));
    }
}
