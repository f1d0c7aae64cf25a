package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Polls held for the whole default hold (25 s), on whatever container the run deploys to. The
 * standalone Tomcat of the containers profile has a connection and an async timeout of 20 s, shorter
 * than the hold: the poll still lasts the full hold and ends with Parley's empty answer, because
 * Parley switches the container's async timeout off and ends every poll on its own clock.
 */
@Tag("containers")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LongPollHoldIT {

    static final TestDatabase DB = TestDatabase.create("LongPollHoldIT");
    /** The default of poll.hold, which this deployment leaves alone. */
    static final long HOLD_MILLIS = 25_000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of());
    }

    @ArquillianResource
    URL base;

    private record Timed(Http.Reply reply, long millis) {
    }

    private static CompletableFuture<Timed> timed(CompletableFuture<Http.Reply> call) {
        long start = System.nanoTime();
        return call.thenApply(r -> new Timed(r, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    }

    @Test
    void consumerAndAgentPollsAreHeldForTheFullHoldThenAnsweredEmpty() {
        Http http = new Http(base);
        Consumer ann = new Consumer(http).join();
        new Agent(http, DB, "agent1").accept(ann.engagementId);
        ann.pollUntil("RNEngagementParticipantAddedMessage");
        AgentClient ben = new AgentClient(http, "agent2").logon(false);
        ben.drain();

        CompletableFuture<Timed> consumerPoll = timed(ann.pollAsync("{}"));
        CompletableFuture<Timed> agentPoll = timed(ben.pollAsync());

        Timed consumer = consumerPoll.join();
        assertEquals(200, consumer.reply().status(), consumer.reply().body());
        assertEquals(0, consumer.reply().json().get("systemMessages").size(), consumer.reply().body());
        assertEquals(0, consumer.reply().json().get("errorMessages").size(), consumer.reply().body());
        assertTrue(consumer.millis() >= HOLD_MILLIS - 100, "the consumer's poll was held " + consumer.millis() + " ms");

        Timed agent = agentPoll.join();
        assertEquals(200, agent.reply().status(), agent.reply().body());
        JsonNode messages = agent.reply().json().get("getResponseTypes");
        assertEquals(1, messages.size(), agent.reply().body());
        assertEquals("ChatGetTimeout", AgentClient.type(messages.get(0)));
        assertTrue(agent.millis() >= HOLD_MILLIS - 100, "the agent's poll was held " + agent.millis() + " ms");
    }
}
