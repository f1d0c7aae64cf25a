package io.parley.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP response read off a raw socket.
 *
 * @param receivedNanos {@link System#nanoTime()} when its last byte was read
 */
record RawResponse(int status, Map<String, String> headers, byte[] body, long receivedNanos) {

    /** A header by its lower-case name, or null. */
    String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    /** Whether the server closes the connection after this response (e.g. Tomcat's maxKeepAliveRequests). */
    boolean closesConnection() {
        return "close".equalsIgnoreCase(header("connection"));
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
