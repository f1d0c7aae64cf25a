package io.parley;

import io.parley.api.CorsPolicy;
import io.parley.auth.PasswordHasher;
import io.parley.compliance.ComplianceSettings;
import io.parley.compliance.ExportCompliance;
import io.parley.compliance.SessionIdentities;
import io.parley.config.ServerSettings;
import io.parley.config.Settings;
import io.parley.store.Database;
import io.parley.store.DatabaseSettings;
import io.parley.store.SiteDirectory;
import io.parley.store.TenantStore;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Parley's object graph, built once per deployment by {@link ParleyContextListener}: every
 * service is constructed here, explicitly, and handed what it needs. The filters and the Jersey
 * application take their collaborators from the servlet context, where {@link #publish} puts them.
 */
public final class Parley implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Parley.class.getName());

    private final ServerSettings server;
    private final Clock clock;
    private final Database db;
    private final SiteDirectory sites;
    private final TenantStore tenants;
    private final PasswordHasher passwords;
    private final CorsPolicy cors;
    private final ExportCompliance compliance;

    private Parley(Settings settings) {
        this.clock = Clock.systemUTC();
        this.server = ServerSettings.from(settings);
        DatabaseSettings dbSettings = DatabaseSettings.from(settings);
        ComplianceSettings complianceSettings = ComplianceSettings.from(settings);
        settings.requireAllFileKeysKnown();

        this.db = Database.open(dbSettings);
        try {
            this.sites = new SiteDirectory(db, clock, Duration.ofSeconds(5));
            this.tenants = new TenantStore(db);
            this.passwords = new PasswordHasher(PasswordHasher.DEFAULT_ITERATIONS);
            this.cors = new CorsPolicy(server.corsOrigins(), sites);
            seed();
            SessionIdentities sessionIdentities = request -> Optional.empty();
            this.compliance = ExportCompliance.start(complianceSettings, db, sites, clock, server.maxBodyBytes(),
                    sessionIdentities);
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
    }

    /** Builds and starts Parley; on any failure everything already opened is closed again. */
    public static Parley start(Settings settings) {
        return new Parley(settings);
    }

    private void seed() {
        TenantSeed seeder = new TenantSeed(db, tenants, passwords, clock);
        if (server.demo()) {
            try (InputStream in = Parley.class.getResourceAsStream("demo-seed.json")) {
                seeder.apply(in, "the demo seed");
            } catch (IOException e) {
                throw new IllegalStateException("The demo seed cannot be read", e);
            }
        }
        if (!server.seedFile().isEmpty()) {
            Path file = Path.of(server.seedFile());
            try (InputStream in = Files.newInputStream(file)) {
                seeder.apply(in, file.toString());
            } catch (IOException e) {
                throw new io.parley.config.ConfigException("seed", "names a file that cannot be read: " + file);
            }
        }
    }

    /** Makes the collaborators of the filters and of the Jersey application available to them. */
    void publish(ServletContext context) {
        context.setAttribute(Parley.class.getName(), this);
        context.setAttribute(CorsPolicy.class.getName(), cors);
        context.setAttribute(ExportCompliance.class.getName(), compliance);
    }

    /** The graph published in {@code context}. */
    static Parley from(ServletContext context) {
        Parley p = (Parley) context.getAttribute(Parley.class.getName());
        if (p == null) {
            throw new IllegalStateException("Parley did not start; see the log for the cause");
        }
        return p;
    }

    ServerSettings server() {
        return server;
    }

    SiteDirectory sites() {
        return sites;
    }

    @Override
    public void close() {
        compliance.close();
        db.close();
        deregisterDrivers();
        LOG.log(System.Logger.Level.INFO, "Parley stopped");
    }

    /** JDBC drivers loaded from the WAR must leave the JVM-wide registry with it, or the WAR's class loader leaks on redeploy. */
    private static void deregisterDrivers() {
        ClassLoader mine = Parley.class.getClassLoader();
        for (java.sql.Driver d : java.util.Collections.list(java.sql.DriverManager.getDrivers())) {
            if (d.getClass().getClassLoader() == mine) {
                try {
                    java.sql.DriverManager.deregisterDriver(d);
                } catch (java.sql.SQLException e) {
                    LOG.log(System.Logger.Level.DEBUG, "Could not deregister " + d, e);
                }
            }
        }
    }
}
