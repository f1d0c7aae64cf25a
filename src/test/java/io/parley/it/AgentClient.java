package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An agent console or bot speaking the agent API over HTTP, against the demo site. */
public final class AgentClient {

    public static final String API = "/engagement/api/agent/demo/v1/";
    public static final String PASSWORD = "demo-agent-pass";

    private final Http http;
    private final String username;
    public String sessionId;
    public long accountId;
    /** Messages a poll delivered that no wait consumed yet. */
    private final List<JsonNode> unread = new ArrayList<>();

    public AgentClient(Http http, String username) {
        this.http = http;
        this.username = username;
    }

    /** The same agent session, talking to another node (of a cluster, or the same server restarted). */
    public AgentClient via(Http other) {
        AgentClient a = new AgentClient(other, username);
        a.sessionId = sessionId;
        a.accountId = accountId;
        return a;
    }

    public String token() {
        Http.Reply r = http.post("/services/rest/crossChannelServices/latest/agentTokens", "",
                "Authorization", Consumer.basic(username, PASSWORD));
        assertEquals(200, r.status(), r.body());
        return r.json().get("sessionToken").asText();
    }

    /** Logs on (a bot when {@code autoAccept}). */
    public AgentClient logon(boolean autoAccept) {
        Http.Reply r = http.post(API + "createAutomatedAgentSession",
                autoAccept ? "{\"messageDataMap\":{\"autoAccept\":\"true\"}}" : "{}", "Authorization", "Bearer " + token());
        assertEquals(200, r.status(), r.body());
        sessionId = r.json().get("sessionId").asText();
        accountId = r.json().get("accountId").asLong();
        return this;
    }

    /** Logs on, becomes available and asks for up to {@code capacity} chats. */
    public AgentClient ready(int capacity, boolean autoAccept) {
        logon(autoAccept);
        assertEquals(200, call("setActivityStatus", "{\"status\":\"AVAILABLE\",\"subTypeId\":0}").status());
        Http.Reply r = call("requestAssignment", "{\"assignmentRequested\":true,\"maxSessionCount\":" + capacity
                + ",\"idleSessionCount\":" + capacity + "}");
        assertEquals(200, r.status(), r.body());
        return this;
    }

    public Http.Reply call(String operation, String body) {
        return http.post(API + operation + "?pool=1:1", body, "X-AID", Long.toString(accountId),
                "X-JSESSIONID", sessionId, "Content-Type", "application/json");
    }

    public CompletableFuture<Http.Reply> pollAsync() {
        return http.sendAsync("POST", API + "getMessages?pool=1:1", "{}", Duration.ofSeconds(40),
                "X-AID", Long.toString(accountId), "X-JSESSIONID", sessionId);
    }

    /** One poll: the messages as {@code {type, body}} pairs, unwrapped. */
    public List<JsonNode> poll() {
        Http.Reply r = pollAsync().join();
        assertEquals(200, r.status(), r.body());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode entry : r.json().get("getResponseTypes")) {
            out.add(entry);
        }
        return out;
    }

    /** The type name of a getResponseTypes entry. */
    public static String type(JsonNode entry) {
        return entry.fieldNames().next();
    }

    /** Polls until a message of {@code type} (for {@code engagementId}, when not null) arrives; returns its body. */
    public JsonNode await(String type, Long engagementId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < unread.size(); i++) {
                JsonNode entry = unread.get(i);
                JsonNode body = entry.get(type(entry));
                if (type.equals(type(entry))
                        && (engagementId == null || body.path("engagementId").asLong() == engagementId)) {
                    unread.remove(i);
                    return body;
                }
            }
            unread.addAll(poll());
        }
        throw new AssertionError("No " + type + " for agent " + username + " within 30 s; unread " + unread);
    }

    /** Everything received and not yet consumed, after one more poll. */
    public List<JsonNode> drain() {
        unread.addAll(poll());
        List<JsonNode> out = new ArrayList<>(unread);
        unread.clear();
        return out;
    }

    public Http.Reply accept(long engagementId) {
        return acknowledge(engagementId, "ACCEPT", "LEAD", "MANUAL");
    }

    public Http.Reply acknowledge(long engagementId, String action, String assignmentType, String actionType) {
        return call("assignmentAcknowledgement", "{\"action\":\"" + action + "\",\"actionType\":\"" + actionType
                + "\",\"assignmentType\":\"" + assignmentType + "\",\"engagementId\":" + engagementId + "}");
    }

    public Http.Reply say(long engagementId, String text) {
        return call("postMessage", "{\"engagementId\":" + engagementId + ",\"body\":" + Http.JSON.valueToTree(text)
                + ",\"messageType\":\"TEXT\"}");
    }

    public Http.Reply whisper(long engagementId, String text) {
        return call("postMessage", "{\"destinationType\":\"ENGAGEMENT\",\"destinationId\":" + engagementId
                + ",\"visibility\":\"AGENTS\",\"body\":" + Http.JSON.valueToTree(text) + "}");
    }

    public Http.Reply conclude(long engagementId) {
        return call("concludeChat", "{\"engagementId\":" + engagementId + "}");
    }

    public Http.Reply release(long engagementId) {
        return call("releaseChat", "{\"engagementId\":" + engagementId + "}");
    }
}
