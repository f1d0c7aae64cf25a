package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Parley node on a JVM of its own, started as users start it: the launcher jar. Without
 * settings it runs demo mode on an H2 file database under its data directory; with settings it
 * runs on the configuration file they make (a cluster node on PostgreSQL, say).
 */
public final class ParleyProcess implements AutoCloseable {

    private final String name;
    private final Path dir;
    private final Path log;
    private final int port;
    private final Process process;

    private ParleyProcess(String name, Path dir, Path log, int port, Process process) {
        this.name = name;
        this.dir = dir;
        this.log = log;
        this.port = port;
        this.process = process;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a node in {@code dir} (its data and its log); {@code settings} null means demo mode. */
    public static ParleyProcess start(String name, Path dir, int port, Map<String, String> settings) {
        try {
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>(List.of("java", "-Xmx384m", "-Dparley.strictTransactions=true", "-jar", "target/parley-launcher.jar",
                    "--port", Integer.toString(port), "--data", dir.resolve("data").toString()));
            if (settings != null) {
                Path config = dir.resolve("parley.properties");
                Files.writeString(config, settings.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                        .collect(Collectors.joining("\n", "", "\n")));
                command.addAll(List.of("--config", config.toString()));
            }
            Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ParleyProcess(name, dir, log, port, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the node answers HTTP; fails with its log if it died or took too long. */
    public Http awaitUp() {
        Http http = http();
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            assertTrue(process.isAlive(), () -> "node " + name + " died: " + log());
            try {
                if (http.get("/.well-known/jwks.json").status() == 200) {
                    return http;
                }
            } catch (RuntimeException notYet) {
                sleep(300);
            }
        }
        throw new AssertionError("node " + name + " did not come up: " + log());
    }

    public Http http() {
        try {
            return new Http(new URL("http://localhost:" + port + "/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no clean close; whatever was in flight is cut off. */
    public void kill() {
        process.destroyForcibly();
        waitFor(30);
    }

    /** A termination signal: Parley answers its held requests and closes cleanly. */
    public boolean stop() {
        process.destroy();
        return waitFor(30);
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive() && !stop()) {
            kill();
        }
    }
}
