package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** An administrator's side of the admin API: logs in once, then calls with the token. */
public final class AdminClient {

    public static final String API = "/admin/api/v1/";

    private final Http http;
    public final String token;

    public AdminClient(Http http) {
        this.http = http;
        Http.Reply r = http.post(API + "login", "", "Authorization", Consumer.basic("admin", "demo-admin-pass"));
        assertEquals(200, r.status(), r.body());
        this.token = r.json().get("token").asText();
    }

    public Http.Reply get(String path) {
        return send("GET", path, null);
    }

    public Http.Reply post(String path, String json) {
        return send("POST", path, json);
    }

    public Http.Reply put(String path, String json) {
        return send("PUT", path, json);
    }

    public Http.Reply delete(String path) {
        return send("DELETE", path, null);
    }

    public Http.Reply send(String method, String path, String json) {
        return json == null
                ? http.send(method, API + path, null, Duration.ofSeconds(30), "Authorization", "Bearer " + token)
                : http.send(method, API + path, json, Duration.ofSeconds(30), "Authorization", "Bearer " + token,
                        "Content-Type", "application/json");
    }

    /** A call that must succeed; its JSON answer. */
    public JsonNode ok(String method, String path, String json) {
        Http.Reply r = send(method, path, json);
        assertEquals(200, r.status(), method + " " + path + ": " + r.body());
        return r.json();
    }
}
