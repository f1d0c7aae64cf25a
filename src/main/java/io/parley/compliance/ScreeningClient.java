package io.parley.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks the screening webhook about a caller. It POSTs
 * <pre>
 * {"address": "203.0.113.9", "country": "US", "site": null, "operation": "establishSessions",
 *  "identity": {"email": ..., "firstName": ..., "lastName": ..., "organization": ...,
 *               "organizationId": ..., "userName": ...}}
 * </pre>
 * and only a 2xx answer {@code {"decision":"ALLOW"}} lets the caller pass; {@code {"decision":"DENY"}}
 * denies. Anything else (no answer within the timeout, a refused connection, another status, a
 * body without a decision) makes the service unavailable: the caller is not let through unscreened.
 */
final class ScreeningClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient client;

    /** What the webhook is told: where the caller is and who they say they are. */
    record Question(String address, String country, String site, String operation, Person identity) {
    }

    /** The identity as the webhook sees it. */
    record Person(String email, String firstName, String lastName, String organization, String organizationId,
                  String userName) {

        static Person of(Identity i) {
            return new Person(i.email(), i.firstName(), i.lastName(), i.organizationName(), i.organizationId(),
                    i.userName());
        }
    }

    ScreeningClient(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        // The client's threads (its selector, created here, and the workers) must not hold the web
        // application's class loader as their context loader, or they pin it after an undeploy.
        ClassLoader outside = ClassLoader.getPlatformClassLoader();
        AtomicInteger workers = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "parley-screening-" + workers.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(outside);
            return t;
        });
        Thread current = Thread.currentThread();
        ClassLoader own = current.getContextClassLoader();
        current.setContextClassLoader(outside);
        try {
            this.client = HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(executor)
                    .build();
        } finally {
            current.setContextClassLoader(own);
        }
    }

    /** Stops the client's worker threads; the JDK's client has no close of its own before Java 21. */
    void close() {
        executor.shutdownNow();
    }

    /**
     * Asks the webhook.
     *
     * @return true when it answered ALLOW, false when it answered DENY
     * @throws ScreeningUnavailableException when it gave neither answer within the timeout
     */
    boolean allows(Question question) throws ScreeningUnavailableException {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(question)))
                    .build();
        } catch (IOException e) {
            throw new ScreeningUnavailableException("the question could not be written", e);
        }
        CompletableFuture<HttpResponse<byte[]>> call = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            // One deadline for the whole exchange, body included: the request's own timeout ends at the headers.
            response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new ScreeningUnavailableException("no answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new ScreeningUnavailableException("the call failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new ScreeningUnavailableException("interrupted while waiting for the answer", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new ScreeningUnavailableException("it answered HTTP " + response.statusCode(), null);
        }
        String decision;
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode d = body == null ? null : body.get("decision");
            decision = d != null && d.isTextual() ? d.asText() : "";
        } catch (IOException e) {
            throw new ScreeningUnavailableException("its answer is not JSON", e);
        }
        if (decision.equalsIgnoreCase("ALLOW")) {
            return true;
        }
        if (decision.equalsIgnoreCase("DENY")) {
            return false;
        }
        throw new ScreeningUnavailableException("its answer has no decision ALLOW or DENY", null);
    }
}
