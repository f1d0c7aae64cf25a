package io.parley.it;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket bound to a chosen local address, so that a test can call from
 * {@code 127.0.0.2} or {@code 127.0.0.3} (every 127.x address is loopback on Linux) and Parley
 * sees that address as the peer. {@code java.net.http} cannot bind a local address. One request
 * per connection ({@code Connection: close}); answers with {@code Content-Length} or chunked bodies.
 */
public final class RawHttp {

    private static final int TIMEOUT_MILLIS = 15_000;

    private final URL base;

    public RawHttp(URL base) {
        this.base = base;
    }

    /**
     * Sends one request from {@code localAddress}.
     *
     * @param headers name/value pairs
     */
    public Http.Reply send(String localAddress, String method, String path, String body, String... headers) {
        return exchange(base.getHost() + ':' + base.getPort(), localAddress, method, path,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /**
     * Sends one request with a body of raw bytes (which may be no valid UTF-8); the request line
     * and headers go out as ISO-8859-1, exactly as given. {@code Content-Type} is JSON unless a
     * header says otherwise.
     */
    public Http.Reply sendBytes(String localAddress, String method, String path, byte[] content, String... headers) {
        return exchange(base.getHost() + ':' + base.getPort(), localAddress, method, path, content, headers);
    }

    /**
     * Sends one request from {@code localAddress} that names {@code host} in its {@code Host} header
     * (still connecting to the deployment under test).
     *
     * @param headers name/value pairs
     */
    public Http.Reply sendTo(String host, String localAddress, String method, String path, String body,
                             String... headers) {
        return exchange(host, localAddress, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                headers);
    }

    private Http.Reply exchange(String host, String localAddress, String method, String path, byte[] content,
                                String... headers) {
        String prefix = base.getPath().endsWith("/") ? base.getPath().substring(0, base.getPath().length() - 1) : base.getPath();
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(prefix).append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n")
                .append("Connection: close\r\n");
        boolean typed = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (content != null) {
            head.append(typed ? "" : "Content-Type: application/json\r\n")
                    .append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (content != null) {
                out.write(content);
            }
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Request from " + localAddress + " to " + path + " failed", e);
        }
    }

    private static Http.Reply parse(byte[] raw) throws IOException {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) {
            throw new IOException("No complete answer: " + new String(raw, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        boolean chunked = headers.entrySet().stream().anyMatch(e -> e.getKey().equalsIgnoreCase("Transfer-Encoding")
                && e.getValue().get(0).equalsIgnoreCase("chunked"));
        return new Http.Reply(status, headers, new String(chunked ? dechunk(body) : body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(body);
        while (true) {
            StringBuilder size = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    size.append((char) c);
                }
            }
            String hex = size.toString().split(";")[0].trim();
            int n = hex.isEmpty() ? 0 : Integer.parseInt(hex, 16);
            if (n == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(n));
            in.skip(2);
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
