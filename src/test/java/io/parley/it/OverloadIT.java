package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URL;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The node's cap on held requests: beyond it, 503 with Retry-After, never a pile-up. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OverloadIT {

    static final TestDatabase DB = TestDatabase.create("OverloadIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of("poll.hold", "5", "poll.maxHeld", "2", "overload.retryAfter", "7"));
    }

    @ArquillianResource
    URL base;

    @Test
    void pollsBeyondTheNodesCapGet503WithRetryAfter() throws Exception {
        Http http = new Http(base);
        Consumer a = new Consumer(http).join();
        Consumer b = new Consumer(http).join();
        Consumer c = new Consumer(http).join();
        a.poll();
        b.poll();
        c.poll();
        CompletableFuture<Http.Reply> heldA = a.pollAsync("{}");
        CompletableFuture<Http.Reply> heldB = b.pollAsync("{}");
        Thread.sleep(500);
        assertFalse(heldA.isDone());

        Http.Reply refused = c.poll();
        assertEquals(503, refused.status(), refused.body());
        assertEquals("7", refused.header("Retry-After"));
        assertEquals("OVERLOADED", refused.json().get("code").asText());
        assertEquals(0, refused.json().get("systemMessages").size());

        assertEquals(200, heldA.get(10, TimeUnit.SECONDS).status());
        assertEquals(200, heldB.get(10, TimeUnit.SECONDS).status());
        assertEquals(200, c.poll().status(), "places free again once the holds end");
    }
}
