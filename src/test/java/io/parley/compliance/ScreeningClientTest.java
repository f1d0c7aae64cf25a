package io.parley.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScreeningClientTest {

    private static final ScreeningClient.Question QUESTION = new ScreeningClient.Question("203.0.113.9", "US", null,
            "establishSessions", ScreeningClient.Person.of(new Identity("ann@example.com", "Ann", "Lee", "Acme", "42", null)));

    private HttpServer server;
    private ExecutorService executor;
    private final AtomicReference<String> received = new AtomicReference<>();
    private volatile int status;
    private volatile String answer;
    private volatile long delayMillis;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/screen", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        received.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        try {
            Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private ScreeningClient client(Duration timeout) {
        return new ScreeningClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/screen"), timeout);
    }

    @Test
    void allowPassesAndTheQuestionCarriesAddressCountryOperationAndIdentity() throws Exception {
        status = 200;
        answer = "{\"decision\":\"ALLOW\",\"reference\":\"r-1\"}";
        assertTrue(client(Duration.ofSeconds(2)).allows(QUESTION));
        JsonNode q = new ObjectMapper().readTree(received.get());
        assertEquals("203.0.113.9", q.get("address").asText());
        assertEquals("US", q.get("country").asText());
        assertTrue(q.get("site").isNull());
        assertEquals("establishSessions", q.get("operation").asText());
        assertEquals("ann@example.com", q.get("identity").get("email").asText());
        assertEquals("Ann", q.get("identity").get("firstName").asText());
        assertEquals("Lee", q.get("identity").get("lastName").asText());
        assertEquals("Acme", q.get("identity").get("organization").asText());
    }

    @Test
    void denyDenies() throws Exception {
        status = 200;
        answer = "{\"decision\":\"DENY\"}";
        assertFalse(client(Duration.ofSeconds(2)).allows(QUESTION));
    }

    @ParameterizedTest(name = "HTTP {0} {1}")
    @CsvSource(delimiter = '|', value = {
            "500 | {\"decision\":\"ALLOW\"}",
            "503 | ''",
            "404 | {\"decision\":\"ALLOW\"}",
            "302 | ''",
            "200 | not json",
            "200 | {}",
            "200 | {\"decision\":\"MAYBE\"}",
            "200 | {\"decision\":true}",
            "200 | []",
            "200 | ''",
    })
    void anythingButAnAllowOrDenyAnswerMakesTheServiceUnavailable(int code, String body) {
        status = code;
        answer = body;
        assertThrows(ScreeningUnavailableException.class, () -> client(Duration.ofSeconds(2)).allows(QUESTION));
    }

    @Test
    void noAnswerWithinTheTimeoutMakesTheServiceUnavailable() {
        status = 200;
        answer = "{\"decision\":\"ALLOW\"}";
        delayMillis = 60_000;
        long start = System.nanoTime();
        assertThrows(ScreeningUnavailableException.class, () -> client(Duration.ofMillis(300)).allows(QUESTION));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis < 30_000, "gave up by its own timeout, after " + tookMillis + " ms, not the server's minute");
    }

    @Test
    void aRefusedConnectionMakesTheServiceUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ScreeningClient client = new ScreeningClient(URI.create("http://127.0.0.1:" + closedPort + "/"), Duration.ofSeconds(1));
        assertThrows(ScreeningUnavailableException.class, () -> client.allows(QUESTION));
    }
}
