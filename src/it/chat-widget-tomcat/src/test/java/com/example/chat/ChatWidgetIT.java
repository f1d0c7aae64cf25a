package com.example.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testkit.ParleyArchive;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A chat widget's calls against a real Parley: bootstrap, engage, long poll, post, conclude. An agent
 * bot, logged on through the agent API, takes the chat. Only the JDK's HTTP client, no JSON library.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ChatWidgetIT {

    private static final String CONSUMER = "/engagement/api/consumer/demo/v1/";
    private static final String AGENT = "/engagement/api/agent/demo/v1/";

    /** Parley with its demo site, short polls, and its data in the container's memory. */
    @Deployment(testable = false)
    static WebArchive parley() {
        return ParleyArchive.fromSystemProperty().demo().set("poll.hold", "2").build();
    }

    @ArquillianResource
    URL parley;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theCustomerReachesAnAgentAndEndsTheChat() {
        // An agent bot that accepts every chat offered to it.
        String agentToken = field(post("/services/rest/crossChannelServices/latest/agentTokens", "",
                "Authorization", basic("agent1", "demo-agent-pass")), "sessionToken");
        String logon = post(AGENT + "createAutomatedAgentSession", "{\"messageDataMap\":{\"autoAccept\":\"true\"}}",
                "Authorization", "Bearer " + agentToken);
        String[] agent = {"X-AID", field(logon, "accountId"), "X-JSESSIONID", field(logon, "sessionId")};
        post(AGENT + "setActivityStatus", "{\"status\":\"AVAILABLE\",\"subTypeId\":0}", agent);
        post(AGENT + "requestAssignment", "{\"assignmentRequested\":true,\"maxSessionCount\":1,\"idleSessionCount\":1}", agent);

        // The widget: bootstrap, enter the queue, wait for the agent, ask, end the chat.
        String token = field(post("/services/rest/crossChannelServices/latest/establishSessions",
                "{\"sessionInformation\":{\"firstName\":\"Ann\",\"question\":\"Where is my parcel?\"}}",
                "Authorization", basic("demo-api", "demo-api-pass")), "channelToken");
        String sessionId = field(post(CONSUMER + "requestEngagement", "{}", "Authorization", "Bearer " + token), "sessionId");
        pollUntil(CONSUMER + "getMessages", "RNEngagementParticipantAddedMessage", "SessionId", sessionId);
        post(CONSUMER + "postMessage", "{\"body\":\"Where is my parcel?\"}", "SessionId", sessionId);

        String said = pollUntil(AGENT + "getMessages", "ChatEngagementMessageNotification", agent);
        assertEquals("Where is my parcel?", field(said, "body"));

        post(CONSUMER + "concludeEngagement", "{}", "SessionId", sessionId);
        pollUntil(AGENT + "getMessages", "ChatEngagementConcludedNotification", agent);
    }

    /** POSTs a JSON body with the given header name/value pairs; the answer must be 200. */
    private String post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(parley.toString()).resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), path + ": " + answer.body());
            return answer.body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(path + " did not answer", e);
        }
    }

    /** Long-polls until an answer carries the named message, and returns that answer. */
    private String pollUntil(String path, String messageName, String... headers) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String answer = post(path, "{}", headers);
            int at = answer.indexOf(messageName);
            if (at >= 0) {
                return answer.substring(at);
            }
        }
        throw new AssertionError("No " + messageName + " from " + path + " within 30 s");
    }

    /** The first value of a string or number field in a JSON text. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?\\d+))").matcher(json);
        assertTrue(m.find(), "no " + name + " in " + json);
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
