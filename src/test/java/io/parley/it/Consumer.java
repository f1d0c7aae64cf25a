package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A chat consumer speaking the consumer API over HTTP, as a widget would, against the demo site. */
public final class Consumer {

    public static final String SITE = "demo";
    public static final String API = "/engagement/api/consumer/" + SITE + "/v1/";

    private final Http http;
    public String token;
    public String sessionId;
    public long engagementId;
    public long clientId;

    public Consumer(Http http) {
        this.http = http;
    }

    /** The same end user, talking to another node (of a cluster, or the same server restarted). */
    public Consumer via(Http other) {
        Consumer c = new Consumer(other);
        c.token = token;
        c.sessionId = sessionId;
        c.engagementId = engagementId;
        c.clientId = clientId;
        return c;
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Bootstraps a session (establishSessions with the demo API user) and keeps the token. */
    public Consumer bootstrap(String sessionInformationJson) {
        Http.Reply r = http.post("/services/rest/crossChannelServices/latest/establishSessions",
                "{\"sessionInformation\":" + sessionInformationJson + "}",
                "Authorization", basic("demo-api", "demo-api-pass"), "Content-Type", "application/json");
        assertEquals(200, r.status(), r.body());
        token = r.json().get("channelToken").asText();
        return this;
    }

    public Consumer bootstrap() {
        return bootstrap("{\"firstName\":\"Ann\",\"lastName\":\"Lee\",\"emailAddress\":\"ann@example.com\"}");
    }

    public Http.Reply requestEngagement() {
        return requestEngagementAsync().join();
    }

    public CompletableFuture<Http.Reply> requestEngagementAsync() {
        return http.sendAsync("POST", API + "requestEngagement?pool=1:1", "{}", Duration.ofSeconds(40),
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
    }

    /** Bootstraps and enters the queue; fails the test unless admitted. */
    public Consumer join() {
        if (token == null) {
            bootstrap();
        }
        Http.Reply r = requestEngagement();
        assertEquals(200, r.status(), r.body());
        take(r.json());
        return this;
    }

    public void take(JsonNode answer) {
        sessionId = answer.get("sessionId").asText();
        engagementId = answer.get("engagementId").asLong();
        clientId = answer.get("clientId").asLong();
    }

    public Http.Reply call(String operation, String body) {
        return http.post(API + operation + "?pool=1:1", body, "SessionId", sessionId, "Content-Type", "application/json");
    }

    public CompletableFuture<Http.Reply> pollAsync(String body) {
        return http.sendAsync("POST", API + "getMessages?pool=1:1", body, Duration.ofSeconds(40),
                "SessionId", sessionId, "Content-Type", "application/json");
    }

    public Http.Reply poll() {
        return pollAsync("{}").join();
    }

    public Http.Reply post(String text) {
        return call("postMessage", "{\"body\":" + Http.JSON.valueToTree(text) + "}");
    }

    /** Polls until a system message named {@code messageName} arrives; returns every message seen on the way. */
    public List<JsonNode> pollUntil(String messageName) {
        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Http.Reply r = poll();
            assertEquals(200, r.status(), r.body());
            for (JsonNode m : r.json().get("systemMessages")) {
                seen.add(m);
                if (messageName.equals(m.get("messageName").asText())) {
                    return seen;
                }
            }
        }
        throw new AssertionError("No " + messageName + " within 30 s; saw " + seen);
    }

    public static JsonNode last(List<JsonNode> messages) {
        return messages.get(messages.size() - 1);
    }
}
