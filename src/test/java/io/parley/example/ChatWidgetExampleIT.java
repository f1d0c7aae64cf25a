package io.parley.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.testkit.ParleyArchive;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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
 * An example of a team's own Arquillian test against a real Parley, written the way the README's
 * "Parley in your own Arquillian tests" shows: it deploys Parley with the published testkit
 * ({@link ParleyArchive}) and uses nothing else of Parley's. The team's code under test here is a
 * bot ({@link EchoBot}, over the agent API) and the calls its chat widget makes (the consumer API).
 */
@Tag("containers")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ChatWidgetExampleIT {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Parley with the demo site, short polls, and its data in the container's memory. */
    @Deployment(testable = false)
    static WebArchive parley() {
        return ParleyArchive.fromSystemProperty().demo().set("poll.hold", "2").build();
    }

    @ArquillianResource
    URL parley;

    @Test
    void theWidgetsCustomerGetsAnAnswerFromTheTeamsBot() throws Exception {
        Api api = new Api(parley);
        EchoBot bot = EchoBot.logOn(api, "agent1", "demo-agent-pass");
        CompletableFuture<String> served = CompletableFuture.supplyAsync(bot::answerOneCustomer);

        // What the widget does: bootstrap, enter the queue, wait for the agent, ask, read the answer.
        JsonNode session = api.post("/services/rest/crossChannelServices/latest/establishSessions",
                "{\"sessionInformation\":{\"firstName\":\"Ann\",\"question\":\"Where is my parcel?\"}}",
                "Authorization", Api.basic("demo-api", "demo-api-pass"));
        String token = session.get("channelToken").asText();
        String consumer = "/engagement/api/consumer/demo/v1/";
        JsonNode engagement = api.post(consumer + "requestEngagement", "{}", "Authorization", "Bearer " + token);
        String sessionId = engagement.get("sessionId").asText();
        api.pollUntil(consumer + "getMessages", "systemMessages", "RNEngagementParticipantAddedMessage", "SessionId", sessionId);
        api.post(consumer + "postMessage", "{\"body\":\"Where is my parcel?\"}", "SessionId", sessionId);
        JsonNode answer = api.pollUntil(consumer + "getMessages", "systemMessages", "RNEngagementMessagePostedMessage",
                "SessionId", sessionId);

        assertEquals("You said: Where is my parcel?", answer.get("body").asText());
        assertEquals("Where is my parcel?", served.get(30, TimeUnit.SECONDS));
    }

    /** The team's bot: takes chats as they come and echoes the first thing the customer says. */
    static final class EchoBot {

        private static final String AGENT = "/engagement/api/agent/demo/v1/";
        private final Api api;
        private final String[] session;

        private EchoBot(Api api, String[] session) {
            this.api = api;
            this.session = session;
        }

        static EchoBot logOn(Api api, String user, String password) {
            String token = api.post("/services/rest/crossChannelServices/latest/agentTokens", "",
                    "Authorization", Api.basic(user, password)).get("sessionToken").asText();
            JsonNode s = api.post(AGENT + "createAutomatedAgentSession", "{\"messageDataMap\":{\"autoAccept\":\"true\"}}",
                    "Authorization", "Bearer " + token);
            EchoBot bot = new EchoBot(api, new String[] {"X-AID", s.get("accountId").asText(),
                    "X-JSESSIONID", s.get("sessionId").asText()});
            api.post(AGENT + "setActivityStatus", "{\"status\":\"AVAILABLE\",\"subTypeId\":0}", bot.session);
            api.post(AGENT + "requestAssignment", "{\"assignmentRequested\":true,\"maxSessionCount\":1,\"idleSessionCount\":1}",
                    bot.session);
            return bot;
        }

        /** Waits for a customer's message, answers it and returns what the customer said. */
        String answerOneCustomer() {
            JsonNode said = api.pollUntil(AGENT + "getMessages", "getResponseTypes", "ChatEngagementMessageNotification", session);
            api.post(AGENT + "postMessage", "{\"engagementId\":" + said.get("engagementId").asLong() + ",\"body\":"
                    + JSON.valueToTree("You said: " + said.get("body").asText()) + "}", session);
            return said.get("body").asText();
        }
    }

    /** JSON over HTTP, as a widget or a bot speaks to Parley. */
    static final class Api {

        private final String base;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Api(URL parley) {
            String b = parley.toString();
            this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        }

        static String basic(String user, String password) {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        JsonNode post(String path, String body, String... headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            for (int i = 0; i + 1 < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), path + ": " + response.body());
                return JSON.readTree(response.body());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /**
         * Long-polls {@code path} until a message named {@code name} arrives in the answer's {@code list}
         * (consumer: {@code systemMessages} entries with a {@code messageName}; agent: {@code getResponseTypes}
         * entries keyed by their type) and returns it.
         */
        JsonNode pollUntil(String path, String list, String name, String... headers) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (JsonNode m : post(path, "{}", headers).get(list)) {
                    if (name.equals(m.path("messageName").asText())) {
                        return m;
                    }
                    if (m.has(name)) {
                        return m.get(name);
                    }
                }
            }
            throw new AssertionError("No " + name + " from " + path + " within 30 s");
        }
    }
}
