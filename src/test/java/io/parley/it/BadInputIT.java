package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a client sends wrong is a 400 with the one error body, and nothing is stored. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BadInputIT {

    static final TestDatabase DB = TestDatabase.create("BadInputIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of("poll.hold", "1", "limits.maxBodyBytes", "2048",
                "limits.maxMessageChars", "100"));
    }

    @ArquillianResource
    URL base;

    Http http;
    Consumer ann;

    @BeforeEach
    void setUp() {
        http = new Http(base);
        if (ann == null) {
            ann = new Consumer(http).join();
        }
    }

    private long events() {
        return DB.count("SELECT COUNT(*) FROM engagement_event");
    }

    private void assert400(Http.Reply r, String code) {
        assertEquals(400, r.status(), r.body());
        assertEquals(code, r.json().get("code").asText(), r.body());
        assertEquals(400, r.json().get("status").asInt());
        assertFalse(r.json().get("errorMessages").isEmpty());
        assertEquals(0, r.json().get("systemMessages").size());
        assertFalse(r.body().contains("Exception"), "no internals leak: " + r.body());
    }

    @Test
    void malformedJsonIsRejectedAndNothingStored() {
        long before = events();
        assert400(ann.call("postMessage", "{\"body\": \"unterminated"), "MALFORMED_JSON");
        assert400(ann.call("postMessage", "not json at all"), "BODY_NOT_OBJECT");
        assertEquals(before, events());
    }

    @Test
    void wrongTypesAreRejectedNamingTheField() {
        long before = events();
        Http.Reply objectBody = ann.call("postMessage", "{\"body\":{\"text\":\"hi\"}}");
        assert400(objectBody, "INVALID_FIELD");
        assertEquals(true, objectBody.json().get("message").asText().contains("body"));
        assert400(ann.call("postMessage", "{\"body\":\"hi\",\"offTheRecord\":\"perhaps\"}"), "INVALID_FIELD");
        assert400(ann.call("postMessage", "{\"body\":\"hi\",\"clientTransactionId\":\"abc\"}"), "INVALID_FIELD");
        assert400(ann.call("postMessage", "{\"body\":\"hi\",\"clientTransactionId\":1.5}"), "INVALID_FIELD");
        assert400(ann.call("postMessage", "{\"body\":\"hi\",\"clientRequestTime\":{\"at\":1}}"), "INVALID_FIELD");
        assert400(ann.call("postMessage", "{\"noBody\":true}"), "INVALID_FIELD");
        assert400(ann.call("getMessages", "{\"lastSequenceNumber\":-1}"), "INVALID_FIELD");
        assertEquals(before, events());
    }

    @Test
    void unknownEnumValuesAreRejected() {
        long before = events();
        assert400(ann.call("activity", "{\"mode\":\"DANCING\"}"), "INVALID_FIELD");
        assert400(ann.call("activity", "{}"), "INVALID_FIELD");
        assert400(http.post(Consumer.API + "getQueueStats", "{\"queueId\":1,\"chatProactiveAvailableType\":\"ROBOTS\"}"),
                "INVALID_FIELD");
        assertEquals(before, events());
    }

    @Test
    void bodiesOverTheLimitAreRejected() throws Exception {
        long before = events();
        String big = "{\"body\":\"" + "x".repeat(3000) + "\"}";
        assert400(ann.call("postMessage", big), "BODY_TOO_LARGE");
        assertEquals(400, chunkedPost(big), "also when the client does not declare the length");
        assert400(ann.call("postMessage", "{\"body\":\"" + "y".repeat(101) + "\"}"), "MESSAGE_TOO_LONG");
        assertEquals(before, events());
    }

    /** Posts with chunked transfer encoding (no Content-Length) and returns the status. */
    private int chunkedPost(String body) throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + Consumer.API + "postMessage HTTP/1.1\r\nHost: x\r\nSessionId: " + ann.sessionId
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    @Test
    void aBrokenRequestQueryParameterIsRejected() {
        assert400(http.get(Consumer.API + "getQueueStats?request=" + URLEncoder.encode("{broken", StandardCharsets.UTF_8)),
                "MALFORMED_JSON");
        assert400(http.get(Consumer.API + "getQueueStats"), "INVALID_PARAMETER");
        assert400(http.get(Consumer.API + "getQueueStats?request=" + URLEncoder.encode("{\"queueId\":\"one\"}",
                StandardCharsets.UTF_8)), "INVALID_FIELD");
        assert400(http.get(Consumer.API + "getEngagementQueue?request=" + URLEncoder.encode(
                "{\"customFields\":[{\"name\":\"a\",\"type\":\"COLOUR\",\"value\":\"red\"}]}", StandardCharsets.UTF_8)),
                "INVALID_FIELD");
    }

    @Test
    void aBadRequestEngagementBodyStoresNoEngagementAndDoesNotUseUpTheToken() {
        Consumer bob = new Consumer(http).bootstrap();
        long before = DB.count("SELECT COUNT(*) FROM engagement");
        Http.Reply bad = http.post(Consumer.API + "requestEngagement", "{\"clientTransactionId\":[1]}",
                "Authorization", "Bearer " + bob.token);
        assert400(bad, "INVALID_FIELD");
        assertEquals(before, DB.count("SELECT COUNT(*) FROM engagement"));
        assertEquals(200, bob.requestEngagement().status());
    }
}
