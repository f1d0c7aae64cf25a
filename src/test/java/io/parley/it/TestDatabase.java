package io.parley.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.h2.tools.Server;

/**
 * An H2 database served over TCP from the test JVM: the deployed Parley uses it through its
 * JDBC URL, and the test reads it directly to check what was (and was not) stored. Over TCP
 * it works the same whether Parley runs in this JVM or in a container of its own.
 */
public final class TestDatabase {

    private static Server server;

    private final String url;
    private Server own;
    private int ownPort;

    private TestDatabase(String url) {
        this.url = url;
    }

    /** A database on a server of its own, which the test may stop and start again (a database outage). */
    public static TestDatabase createOnOwnServer(String owner) {
        try {
            Server s = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
            TestDatabase db = new TestDatabase("jdbc:h2:tcp://localhost:" + s.getPort() + "/mem:" + owner + "-"
                    + UUID.randomUUID().toString().substring(0, 8) + ";DB_CLOSE_DELAY=-1");
            db.own = s;
            db.ownPort = s.getPort();
            return db;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot start an H2 test server", e);
        }
    }

    /** Stops this database's own server: connections break, new ones are refused; the data stays in memory. */
    public void stopServer() {
        own.stop();
    }

    /** Starts this database's own server again, on the same port. */
    public void startServer() {
        try {
            own = Server.createTcpServer("-tcpPort", Integer.toString(ownPort), "-ifNotExists").start();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot restart the H2 test server", e);
        }
    }

    /** A fresh, empty in-memory database named after {@code owner}. */
    public static synchronized TestDatabase create(String owner) {
        if (server == null) {
            try {
                server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot start the H2 test server", e);
            }
        }
        String name = owner + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new TestDatabase("jdbc:h2:tcp://localhost:" + server.getPort() + "/mem:" + name + ";DB_CLOSE_DELAY=-1");
    }

    public String url() {
        return url;
    }

    public Connection connect() throws SQLException {
        // DriverManager hands a caller only drivers of the caller's own class loader: the WAR's H2
        // driver does not count (and leaves with the WAR), so the test's copy must be registered.
        org.h2.Driver.load();
        return DriverManager.getConnection(url, "sa", "");
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
                        row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
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
