package io.parley.bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Builds the bytes of the HTTP/1.1 requests the load client writes to raw sockets. */
final class RawRequests {

    private final String host;

    RawRequests(InetSocketAddress server) {
        this.host = server.getHostString() + ":" + server.getPort();
    }

    /** A JSON POST; {@code headers} are name/value pairs. */
    byte[] postJson(String path, String json, String... headers) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256)
                .append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Accept: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }
}
