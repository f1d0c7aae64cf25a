package io.parley.testkit;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Parley as a ShrinkWrap archive, for a team's own Arquillian tests of its chat widget or bot:
 * Parley's released WAR, unchanged, with the test's settings added as {@code WEB-INF/parley.properties}.
 *
 * <pre>{@code
 * @Deployment(testable = false)
 * static WebArchive parley() {
 *     return ParleyArchive.fromSystemProperty().demo().set("poll.hold", "2").build();
 * }
 * }</pre>
 *
 * <p>Unless the test names a database ({@link #database}), Parley keeps its data in an H2 database in
 * the memory of the container, one per archive, gone when the archive is undeployed. With
 * {@link #demo()} the deployment carries the README's demo site and credentials (accepted from
 * loopback addresses only). Any key of the README's configuration table can be {@link #set}.
 */
public final class ParleyArchive {

    /** The system property naming Parley's WAR file, e.g. where the build copied the dependency. */
    public static final String WAR_PROPERTY = "parley.war";

    private final File war;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private String name = "ROOT.war";

    private ParleyArchive(File war) {
        if (!war.isFile()) {
            throw new IllegalArgumentException("No Parley WAR at " + war.getAbsolutePath());
        }
        this.war = war;
    }

    /** Parley from the given WAR file. */
    public static ParleyArchive fromWar(File war) {
        return new ParleyArchive(war);
    }

    /** Parley from the WAR that the system property {@value #WAR_PROPERTY} names. */
    public static ParleyArchive fromSystemProperty() {
        String path = System.getProperty(WAR_PROPERTY);
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("Set -D" + WAR_PROPERTY + " to Parley's WAR file (e.g. in the failsafe"
                    + " plugin's systemPropertyVariables)");
        }
        return fromWar(new File(path));
    }

    /** Loads the demo site (site {@code demo}, its queues, API user, agents and administrator). */
    public ParleyArchive demo() {
        return set("demo", "true");
    }

    /** A setting, as in Parley's configuration file; later calls win. */
    public ParleyArchive set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** Several settings at once; later calls win. */
    public ParleyArchive set(Map<String, String> values) {
        settings.putAll(values);
        return this;
    }

    /** The database Parley keeps its state in, reachable from the container (H2 or PostgreSQL). */
    public ParleyArchive database(String jdbcUrl, String user, String password) {
        return set("db.url", jdbcUrl).set("db.user", user).set("db.password", password);
    }

    /** The archive's name: {@code ROOT.war} (the default) deploys at the root, where chat clients expect Parley. */
    public ParleyArchive named(String archiveName) {
        this.name = archiveName;
        return this;
    }

    /** The archive to return from an Arquillian {@code @Deployment} method. */
    public WebArchive build() {
        Properties p = new Properties();
        if (!settings.containsKey("db.url")) {
            p.setProperty("db.url", "jdbc:h2:mem:parley-" + UUID.randomUUID());
        }
        settings.forEach(p::setProperty);
        StringWriter text = new StringWriter();
        try {
            p.store(text, "Settings of a Parley test deployment");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ShrinkWrap.create(WebArchive.class, name)
                .merge(ShrinkWrap.createFromZipFile(WebArchive.class, war))
                .addAsWebInfResource(new StringAsset(text.toString()), "parley.properties");
    }
}
