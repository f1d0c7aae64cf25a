package io.parley.store;

import io.parley.config.Settings;
import java.time.Duration;

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
 */
public record DatabaseSettings(String url, String user, String password, int poolSize,
                               Duration connectTimeout, String jndiName, Duration startupWait) {

    public static final String DEFAULT_URL = "jdbc:h2:file:./data/parley;DB_CLOSE_ON_EXIT=FALSE";

    public static DatabaseSettings from(Settings s) {
        return new DatabaseSettings(
                s.string("db.url", DEFAULT_URL),
                s.string("db.user", "sa"),
                s.string("db.password", ""),
                s.integer("db.poolSize", 32, 1, 500),
                s.millis("db.connectTimeoutMillis", 3000, 250, 60_000),
                s.string("db.jndi", ""),
                s.seconds("db.startupWaitSeconds", 30, 0, 600));
    }

    /** The password never reaches a log line. */
    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", poolSize=" + poolSize
                + (jndiName.isEmpty() ? "" : ", jndi=" + jndiName) + "]";
    }
}
