package io.parley.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.h2.tools.Server;

/**
 * A database served from the test JVM over TCP: the deployed Parley uses it through its JDBC
 * URL, and the test reads it directly to check what was (and was not) stored. Over TCP it works
 * the same whether Parley runs in this JVM, in a container or in a JVM of its own.
 *
 * <p>The engine is H2 unless the run says {@code -Dparley.it.db=postgres}: then every test
 * database is a database of a real PostgreSQL started inside the test JVM.
 */
public final class TestDatabase {

    /** The engines the tests can run on. */
    public enum Engine { H2, POSTGRES }

    private static Server sharedH2;
    private static EmbeddedPostgres sharedPostgres;

    private final Engine engine;
    private final String url;
    private OwnServer own;

    private TestDatabase(Engine engine, String url) {
        this.engine = engine;
        this.url = url;
    }

    /** The engine of this test run. */
    public static Engine runEngine() {
        return "postgres".equalsIgnoreCase(System.getProperty("parley.it.db", "h2")) ? Engine.POSTGRES : Engine.H2;
    }

    /** A fresh, empty database named after {@code owner}, on this run's engine. */
    public static TestDatabase create(String owner) {
        return create(runEngine(), owner);
    }

    /** A fresh, empty database named after {@code owner}, on a shared server of {@code engine}. */
    public static synchronized TestDatabase create(Engine engine, String owner) {
        String name = owner.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        if (engine == Engine.H2) {
            if (sharedH2 == null) {
                sharedH2 = startH2(0);
            }
            return new TestDatabase(engine, h2Url(sharedH2.getPort(), name));
        }
        if (sharedPostgres == null) {
            sharedPostgres = startPostgres(null, 0);
        }
        return new TestDatabase(engine, createPostgresDatabase(sharedPostgres, name));
    }

    /** A database on a server of its own, which the test may stop and start again (a database outage). */
    public static TestDatabase createOnOwnServer(String owner) {
        return createOnOwnServer(runEngine(), owner);
    }

    public static TestDatabase createOnOwnServer(Engine engine, String owner) {
        String name = owner.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        if (engine == Engine.H2) {
            Server s = startH2(0);
            TestDatabase db = new TestDatabase(engine, h2Url(s.getPort(), name + "_" + UUID.randomUUID().toString().substring(0, 8)));
            db.own = new OwnServer(s, null, null, s.getPort());
            return db;
        }
        try {
            Path dir = Files.createTempDirectory("parley-pg-" + name);
            EmbeddedPostgres pg = startPostgres(dir, 0);
            TestDatabase db = new TestDatabase(engine, createPostgresDatabase(pg, name));
            db.own = new OwnServer(null, pg, dir, pg.getPort());
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops this database's own server: connections break, new ones are refused; the data stays. */
    public synchronized void stopServer() {
        if (own.h2 != null) {
            own.h2.stop();
        } else {
            try {
                own.postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Starts this database's own server again, on the same port with the same data. */
    public synchronized void startServer() {
        if (engine == Engine.H2) {
            own = new OwnServer(startH2(own.port), null, null, own.port);
        } else {
            own = new OwnServer(null, startPostgres(own.dataDir, own.port), own.dataDir, own.port);
        }
    }

    private record OwnServer(Server h2, EmbeddedPostgres postgres, Path dataDir, int port) {
    }

    private static Server startH2(int port) {
        try {
            return Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot start an H2 test server", e);
        }
    }

    private static String h2Url(int port, String name) {
        return "jdbc:h2:tcp://localhost:" + port + "/mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    /** A PostgreSQL server; with a data directory it keeps its data across a stop and a start. */
    private static EmbeddedPostgres startPostgres(Path dataDir, int port) {
        try {
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    // Several Parley nodes and their pools share one server in the cluster tests.
                    .setServerConfig("max_connections", "400");
            if (dataDir != null) {
                b.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            if (port != 0) {
                b.setPort(port);
            }
            return b.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start an embedded PostgreSQL", e);
        }
    }

    private static String createPostgresDatabase(EmbeddedPostgres pg, String name) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the test database " + name, e);
        }
        return pg.getJdbcUrl("postgres", name);
    }

    public Engine engine() {
        return engine;
    }

    public String url() {
        return url;
    }

    /** The user Parley connects as: H2's default, or the embedded PostgreSQL's superuser. */
    public String user() {
        return engine == Engine.H2 ? "sa" : "postgres";
    }

    public String password() {
        return engine == Engine.H2 ? "" : "postgres";
    }

    /** The settings that point a Parley node at this database. */
    public Map<String, String> settings() {
        return Map.of("db.url", url, "db.user", user(), "db.password", password());
    }

    public Connection connect() throws SQLException {
        // The test's own driver, not DriverManager: DriverManager hands a caller only the drivers
        // of the caller's class loader, and the WAR's copy leaves with the WAR.
        Properties p = new Properties();
        p.setProperty("user", user());
        p.setProperty("password", password());
        Connection c = engine == Engine.H2 ? org.h2.Driver.load().connect(url, p) : new org.postgresql.Driver().connect(url, p);
        if (c == null) {
            throw new SQLException("No driver accepts " + url);
        }
        return c;
    }

    /** Rows of a query, column names in lower case. */
    public List<Map<String, Object>> query(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        // Times read the same on both engines (PostgreSQL hands out java.sql.Timestamp).
                        if (v instanceof java.sql.Timestamp) {
                            v = rs.getObject(i, OffsetDateTime.class);
                        }
                        row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), v);
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The single number a counting query returns. */
    public long count(String sql, Object... params) {
        Object v = query(sql, params).get(0).values().iterator().next();
        return ((Number) v).longValue();
    }

    /** A new, empty, always-open queue of the demo site, so a test's positions and capacity are its own. */
    public synchronized long addQueue(String name) {
        long id = count("SELECT COALESCE(MAX(id), 0) + 100 FROM chat_queue");
        execute("INSERT INTO chat_queue (id, site_id, name, default_wait_seconds, created_at)"
                + " VALUES (" + id + ", (SELECT id FROM site WHERE name = 'demo'), '" + name.replace("'", "''")
                + "', 60, CURRENT_TIMESTAMP)");
        return id;
    }

    public void execute(String sql) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
