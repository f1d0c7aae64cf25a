package io.parley.it;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * An H2 driver every deployment in the test JVM can use. {@code DriverManager} hands a caller only
 * drivers of its own class loader, and the deployed WAR never registers its own H2 driver (Parley's
 * store does not load the driver class; the JVM's service-loader scan happens once, in whichever
 * deployment comes first, and that deployment's driver is deregistered when it stops). So the
 * second deployment in one JVM, and the test thread itself, find no driver. This class lives on the
 * test class path only, outside the WAR, so every web application class loader delegates to the same
 * class and {@code DriverManager} allows it everywhere. Delete it once the store loads its driver.
 */
public final class TestJdbcDriver implements Driver {

    private static boolean registered;

    private final Driver h2 = new org.h2.Driver();

    /** Registers the driver once per JVM; call it before the first deployment. */
    public static synchronized void register() {
        if (!registered) {
            try {
                DriverManager.registerDriver(new TestJdbcDriver());
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot register the test JDBC driver", e);
            }
            registered = true;
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        return acceptsURL(url) ? h2.connect(url, info) : null;
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith("jdbc:h2:");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return h2.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return h2.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return h2.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
