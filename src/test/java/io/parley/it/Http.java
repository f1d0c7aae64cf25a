package io.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A small HTTP client for tests: real requests, short timeouts, JSON answers. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(40);

    private final URI base;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public Http(URL base) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    }

    public URI base() {
        return base;
    }

    /** An answer: status, headers and body. */
    public record Reply(int status, Map<String, List<String>> headers, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (status " + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Reply get(String path, String... headers) {
        return send("GET", path, null, DEFAULT_TIMEOUT, headers);
    }

    public Reply post(String path, String body, String... headers) {
        return send("POST", path, body, DEFAULT_TIMEOUT, headers);
    }

    public Reply send(String method, String path, String body, Duration timeout, String... headers) {
        return join(sendAsync(method, path, body, timeout, headers));
    }

    /** A body of raw bytes, for what no Java string can hold (broken UTF-8). */
    public Reply sendBytes(String method, String path, byte[] body, String... headers) {
        return join(sendAsync(method, path, HttpRequest.BodyPublishers.ofByteArray(body), DEFAULT_TIMEOUT, headers));
    }

    private static Reply join(CompletableFuture<Reply> reply) {
        try {
            return reply.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw e;
        }
    }

    public CompletableFuture<Reply> postAsync(String path, String body, String... headers) {
        return sendAsync("POST", path, body, DEFAULT_TIMEOUT, headers);
    }

    public CompletableFuture<Reply> sendAsync(String method, String path, String body, Duration timeout,
                                              String... headers) {
        return sendAsync(method, path, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body), timeout, headers);
    }

    private CompletableFuture<Reply> sendAsync(String method, String path, HttpRequest.BodyPublisher body,
                                               Duration timeout, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(base.getPath() + path))
                .timeout(timeout)
                .method(method, body);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Reply(r.statusCode(), r.headers().map(), r.body()));
    }
}
