package io.parley.store;

import io.parley.config.Settings;
import io.parley.config.ConfigException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Where Parley keeps its state.
 *
 * @param url               JDBC URL; the default is an H2 file database under {@code ./data}
 * @param user              database user
 * @param password          database password
 * @param poolSize          connections in Parley's own pool
 * @param connectTimeout    how long a request waits for a connection before the database counts as unreachable (503)
 * @param jndiName          a container DataSource to use instead of Parley's own pool, e.g. {@code java:comp/env/jdbc/parley}
 * @param startupWait       how long Parley waits at start for a database that does not answer yet
 * @param groupCommit       whether a chat's frequent writes share commits; empty: on H2 (where each commit
 *                          writes a chunk of the file), off on PostgreSQL (which flushes the WAL of commits
 *                          that arrive together in one write by itself)
 */
public record DatabaseSettings(String url, String user, String password, int poolSize,
                               Duration connectTimeout, String jndiName, Duration startupWait,
                               Optional<Boolean> groupCommit) {

    public static final String DEFAULT_URL = "jdbc:h2:file:./data/parley;DB_CLOSE_ON_EXIT=FALSE";

    public static DatabaseSettings from(Settings s) {
        return new DatabaseSettings(
                s.string("db.url", DEFAULT_URL),
                s.string("db.user", "sa"),
                s.string("db.password", ""),
                s.integer("db.poolSize", 32, 1, 500),
                s.millis("db.connectTimeoutMillis", 3000, 250, 60_000),
                s.string("db.jndi", ""),
                s.seconds("db.startupWaitSeconds", 30, 0, 600),
                groupCommit(s.string("db.groupCommit", "auto")));
    }

    private static Optional<Boolean> groupCommit(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto", "" -> Optional.empty();
            case "true", "on" -> Optional.of(true);
            case "false", "off" -> Optional.of(false);
            default -> throw new ConfigException("db.groupCommit", "must be auto, true or false, not '" + value + "'");
        };
    }

    /** The password never reaches a log line. */
    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", poolSize=" + poolSize
                + (jndiName.isEmpty() ? "" : ", jndi=" + jndiName) + "]";
    }
}
