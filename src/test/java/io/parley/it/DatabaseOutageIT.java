package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The database goes away: calls answer 503 with Retry-After (no 500, no hang), and carry on when it is back. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DatabaseOutageIT {

    static final TestDatabase DB = TestDatabase.createOnOwnServer("DatabaseOutageIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of("poll.hold", "1", "db.connectTimeoutMillis", "1000",
                "overload.retryAfter", "4"));
    }

    @ArquillianResource
    URL base;

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anUnreachableDatabaseAnswers503UntilItIsBack() {
        Http http = new Http(base);
        Consumer ann = new Consumer(http).join();
        assertEquals(200, ann.post("before the outage").status());

        DB.stopServer();
        try {
            for (String op : List.of("postMessage", "getMessages")) {
                long start = System.nanoTime();
                Http.Reply r = ann.call(op, "{\"body\":\"during the outage\"}");
                assertEquals(503, r.status(), op + ": " + r.body());
                assertNotNull(r.header("Retry-After"), op);
                assertEquals(0, r.json().get("systemMessages").size());
                assertFalse(r.json().get("errorMessages").isEmpty());
                assertFalse(r.body().contains("Exception"));
                assertEquals(true, (System.nanoTime() - start) / 1_000_000 < 10_000, op + " answered promptly");
            }
        } finally {
            DB.startServer();
        }

        Http.Reply after = ann.post("after the outage");
        for (int i = 0; i < 40 && after.status() != 200; i++) {
            assertEquals(503, after.status(), "until the pool has reconnected: " + after.body());
            sleep(250);
            after = ann.post("after the outage");
        }
        assertEquals(200, after.status(), after.body());
        List<String> bodies = new ArrayList<>();
        for (Map<String, Object> row : DB.query("SELECT payload FROM engagement_event WHERE engagement_id = ?"
                + " AND type = 'MESSAGE_POSTED' ORDER BY seq", ann.engagementId)) {
            JsonNode p = Http.JSON.valueToTree(row.get("payload"));
            bodies.add(p.asText());
        }
        assertEquals(2, bodies.size(), "nothing lost, nothing stored twice: " + bodies);
    }
}
