package io.parley.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive a team's test deploys: Parley's WAR as it is, plus the test's settings and nothing else. */
class ParleyArchiveTest {

    @TempDir
    Path dir;

    /** A stand-in for Parley's WAR: what matters is that its entries come through unchanged. */
    private File war() {
        File f = dir.resolve("parley.war").toFile();
        ShrinkWrap.create(WebArchive.class, "parley.war")
                .setWebXML(new StringAsset("<web-app/>"))
                .addAsWebInfResource(new StringAsset("<jboss-web/>"), "jboss-web.xml")
                .as(ZipExporter.class).exportTo(f);
        return f;
    }

    private static Properties settings(WebArchive archive) throws IOException {
        Properties p = new Properties();
        try (InputStream in = archive.get("/WEB-INF/parley.properties").getAsset().openStream()) {
            p.load(in);
        }
        return p;
    }

    @Test
    void theWarComesThroughWithTheTestsSettingsAtTheRoot() throws IOException {
        WebArchive archive = ParleyArchive.fromWar(war()).demo().set("poll.hold", "2")
                .set(Map.of("admission.hold", "3")).build();
        assertEquals("ROOT.war", archive.getName());
        assertNotNull(archive.get("/WEB-INF/web.xml"));
        assertNotNull(archive.get("/WEB-INF/jboss-web.xml"));
        Properties p = settings(archive);
        assertEquals("true", p.getProperty("demo"));
        assertEquals("2", p.getProperty("poll.hold"));
        assertEquals("3", p.getProperty("admission.hold"));
    }

    @Test
    void eachArchiveGetsADatabaseOfItsOwnInMemoryUnlessTheTestNamesOne() throws IOException {
        File war = war();
        String first = settings(ParleyArchive.fromWar(war).build()).getProperty("db.url");
        String second = settings(ParleyArchive.fromWar(war).build()).getProperty("db.url");
        assertTrue(first.startsWith("jdbc:h2:mem:parley-"), first);
        assertNotEquals(first, second, "two archives, two databases");

        Properties named = settings(ParleyArchive.fromWar(war)
                .database("jdbc:postgresql://db:5432/parley", "parley", "secret").build());
        assertEquals("jdbc:postgresql://db:5432/parley", named.getProperty("db.url"));
        assertEquals("parley", named.getProperty("db.user"));
        assertEquals("secret", named.getProperty("db.password"));
    }

    @Test
    void aNamedArchiveDeploysUnderItsOwnContextPath() {
        assertEquals("chat.war", ParleyArchive.fromWar(war()).named("chat.war").build().getName());
    }

    @Test
    void aMissingWarIsNamedInTheFailure() {
        File missing = dir.resolve("nowhere.war").toFile();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParleyArchive.fromWar(missing));
        assertTrue(e.getMessage().contains(missing.getAbsolutePath()), e.getMessage());
    }
}
