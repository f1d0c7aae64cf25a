package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's run command as users run it: the launcher jar on its own JVM in demo mode. It
 * stops cleanly on a termination signal (a held poll is answered, the database closed) and,
 * started again on the same data directory, keeps every engagement and message.
 */
class LauncherIT {

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process start(int port, Path data, Path log) throws IOException {
        return new ProcessBuilder("java", "-jar", "target/parley-launcher.jar", "--port", Integer.toString(port),
                "--data", data.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static Http awaitUp(int port, Process p, Path log) throws Exception {
        Http http = new Http(new URL("http://localhost:" + port + "/"));
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            assertTrue(p.isAlive(), () -> "the launcher died: " + read(log));
            try {
                if (http.get("/.well-known/jwks.json").status() == 200) {
                    return http;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(300);
            }
        }
        throw new AssertionError("the launcher did not come up: " + read(log));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void demoModeStopsCleanlyAndKeepsEverythingAcrossARestart() throws Exception {
        Path data = Files.createTempDirectory("parley-launcher-it");
        Path log1 = data.resolve("first.log");
        int port = freePort();
        Process first = start(port, data.resolve("data"), log1);
        Consumer ann;
        try {
            Http http = awaitUp(port, first, log1);
            assertTrue(read(log1).contains("demo-api / demo-api-pass"), "the demo credentials are printed");
            ann = new Consumer(http).join();
            assertEquals(200, ann.post("before the restart").status());
            ann.poll();
            CompletableFuture<Http.Reply> held = ann.pollAsync("{}");
            Thread.sleep(500);

            first.destroy();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the launcher stops on SIGTERM");
            Http.Reply answered = held.get(5, TimeUnit.SECONDS);
            assertEquals(200, answered.status(), "a held poll is answered, not dropped");
            assertEquals(0, answered.json().get("systemMessages").size());
            assertTrue(read(log1).contains("Parley stopped"), read(log1));
            assertFalse(read(log1).contains("SEVERE"), read(log1));
        } finally {
            first.destroyForcibly();
        }

        Path log2 = data.resolve("second.log");
        Process second = start(port, data.resolve("data"), log2);
        try {
            Http http = awaitUp(port, second, log2);
            Http.Reply replay = http.send("POST", Consumer.API + "getMessages", "{\"lastSequenceNumber\":0}",
                    Duration.ofSeconds(40), "SessionId", ann.sessionId);
            assertEquals(200, replay.status(), replay.body());
            boolean kept = false;
            for (JsonNode m : replay.json().get("systemMessages")) {
                kept |= "RNEngagementWaitInformationChangedMessage".equals(m.get("messageName").asText());
            }
            assertTrue(kept, "the engagement and its events survived: " + replay.body());
            Consumer again = new Consumer(http);
            again.sessionId = ann.sessionId;
            Http.Reply post = again.post("after the restart");
            assertEquals(200, post.status(), post.body());
            assertEquals(3, post.json().get("sequenceNumber").asLong(), "sequence numbers carry on");
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
    }
}
