package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A stand-in agent acting through the engagement service (the test-support servlet), for
 * consumer tests that need someone on the other side.
 */
public final class Agent {

    private final Http http;
    private final long accountId;
    public long participantId;

    public Agent(Http http, TestDatabase db, String username) {
        this.http = http;
        this.accountId = db.count("SELECT id FROM account WHERE username = ?", username);
    }

    private Http.Reply call(String op, String json) {
        return http.post("/test-support/agent/" + op, json, "Content-Type", "application/json");
    }

    public Agent accept(long engagementId) {
        Http.Reply r = call("accept", "{\"engagementId\":" + engagementId + ",\"accountId\":" + accountId + "}");
        assertEquals(200, r.status(), r.body());
        participantId = r.json().get("participantId").asLong();
        return this;
    }

    public Http.Reply tryAccept(long engagementId) {
        return call("accept", "{\"engagementId\":" + engagementId + ",\"accountId\":" + accountId + "}");
    }

    public long say(long engagementId, String text) {
        return say(engagementId, text, false, false);
    }

    public long say(long engagementId, String text, boolean offRecord, boolean whisper) {
        Http.Reply r = call("post", "{\"engagementId\":" + engagementId + ",\"participantId\":" + participantId
                + ",\"body\":" + Http.JSON.valueToTree(text) + ",\"offRecord\":" + offRecord + ",\"whisper\":" + whisper + "}");
        assertEquals(200, r.status(), r.body());
        return r.json().get("sequenceNumber").asLong();
    }

    public void typing(long engagementId) {
        assertEquals(200, call("activity", "{\"engagementId\":" + engagementId + ",\"participantId\":" + participantId
                + ",\"mode\":\"RESPONDING\"}").status());
    }

    public void conclude(long engagementId) {
        assertEquals(200, call("conclude", "{\"engagementId\":" + engagementId + ",\"participantId\":" + participantId
                + "}").status());
    }
}
