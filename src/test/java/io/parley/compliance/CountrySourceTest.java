package io.parley.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code compliance.countryDatabase} reads from a directory, and how changes on disk reach the
 * database in use. {@link CountrySource#check()} is called by hand here, as the scheduled check calls
 * it; each rewrite changes the file's size, so the change is seen even within one tick of the file
 * system's clock.
 */
class CountrySourceTest {

    @TempDir
    Path dir;

    private LogCapture log;

    @BeforeEach
    void listen() {
        log = LogCapture.listen(CountrySource.class.getName(), Level.WARNING);
    }

    @AfterEach
    void stopListening() {
        log.close();
    }

    @Test
    void aDirectoryContributesItsCountryFilesButNotLocationsHiddenFilesOrNumberTwins() throws IOException {
        for (String name : List.of("geo-whois-asn-country-ipv4.csv", "geo-whois-asn-country-ipv4-num.csv",
                "only-num.csv", "GeoLite2-Country-Blocks-IPv4.csv", "GeoLite2-Country-Locations-en.csv",
                "GeoLite2-Country-Locations-de.csv", ".partial.csv", "countries.MMDB", "README.md", "package.json")) {
            Files.writeString(dir.resolve(name), "");
        }
        Files.createDirectory(dir.resolve("nested.csv"));

        List<String> read = CountrySource.Snapshot.of(List.of(dir)).files().stream()
                .map(p -> p.getFileName().toString()).toList();

        assertEquals(List.of("GeoLite2-Country-Blocks-IPv4.csv", "countries.MMDB", "geo-whois-asn-country-ipv4.csv",
                "only-num.csv"), read);
    }

    @Test
    void aChangedFileIsReadOnceItHasHeldStillForOneCheck() throws IOException {
        Path csv = Files.writeString(dir.resolve("countries.csv"), "10.0.0.0/8,DE\n");
        try (CountrySource source = CountrySource.open(List.of(csv))) {
            assertEquals("DE", source.countryOf(ip("10.1.2.3")));
            source.check();
            assertEquals("DE", source.countryOf(ip("10.1.2.3")), "nothing changed");

            Files.writeString(csv, "10.0.0.0/8,FR\n10.5.0.0/16,IR\n");
            source.check();
            assertEquals("DE", source.countryOf(ip("10.1.2.3")), "a file that just changed may still be being written");
            source.check();
            assertEquals("FR", source.countryOf(ip("10.1.2.3")));
            assertEquals("IR", source.countryOf(ip("10.5.0.1")));
        }
        assertEquals(List.of(), log.messages());
    }

    @Test
    void aFileThatCannotBeReadKeepsThePreviousDatabaseAndIsNamedWithItsLine() throws IOException {
        Path csv = Files.writeString(dir.resolve("countries.csv"), "10.0.0.0/8,DE\n");
        try (CountrySource source = CountrySource.open(List.of(csv))) {
            Files.writeString(csv, "10.0.0.0/8,FR\n10.5.0.0/16,Iran\n");
            source.check();
            source.check();
            assertEquals("DE", source.countryOf(ip("10.1.2.3")));
            assertEquals(1, log.messages().size(), log.messages().toString());
            assertTrue(log.messages().get(0).contains(csv.toString()) && log.messages().get(0).contains("line 2"), log.messages().get(0));

            source.check();
            assertEquals(1, log.messages().size(), "the same broken file is not read (and reported) again");

            Files.writeString(csv, "10.0.0.0/8,FR\n10.5.0.0/16,IR\n");
            source.check();
            source.check();
            assertEquals("FR", source.countryOf(ip("10.1.2.3")));
            assertEquals("IR", source.countryOf(ip("10.5.0.1")));
        }
    }

    @Test
    void filesAddedToOrRemovedFromADirectoryChangeTheDatabase() throws IOException {
        Files.writeString(dir.resolve("a.csv"), "10.0.0.0/8,DE\n");
        try (CountrySource source = CountrySource.open(List.of(dir))) {
            Path added = new MmdbWriter(6, "country").add("11.0.0.0/8", Map.of("country_code", "KP"))
                    .write(dir.resolve("b.mmdb"));
            source.check();
            source.check();
            assertEquals("KP", source.countryOf(ip("11.0.0.1")));
            assertEquals("DE", source.countryOf(ip("10.0.0.1")));

            Files.delete(added);
            source.check();
            source.check();
            assertNull(source.countryOf(ip("11.0.0.1")));
            assertEquals("DE", source.countryOf(ip("10.0.0.1")));
        }
    }

    @Test
    void aDirectoryThatDisappearsKeepsThePreviousDatabase() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("country"));
        Path csv = Files.writeString(sub.resolve("a.csv"), "10.0.0.0/8,DE\n");
        try (CountrySource source = CountrySource.open(List.of(sub))) {
            Files.delete(csv);
            Files.delete(sub);
            source.check();
            source.check();
            assertEquals("DE", source.countryOf(ip("10.0.0.1")));
            assertEquals(1, log.messages().size(), log.messages().toString());
            assertTrue(log.messages().get(0).contains(sub.toString()), log.messages().get(0));
        }
    }

    @Test
    void anEmptyDirectoryIsAnEmptyDatabaseUntilFilesAppear() throws IOException {
        try (CountrySource source = CountrySource.open(List.of(dir))) {
            assertTrue(source.isEmpty());
            Files.writeString(dir.resolve("a.csv"), "10.0.0.0/8,DE\n");
            source.check();
            source.check();
            assertEquals("DE", source.countryOf(ip("10.0.0.1")));
        }
    }

    @Test
    void aBrokenFileAtStartFailsTheDeployment() throws IOException {
        Files.writeString(dir.resolve("a.csv"), "10.0.0.0/8,DE\n10.0.0.0/33,FR\n");
        ConfigException e = assertThrows(ConfigException.class, () -> CountrySource.open(List.of(dir)));
        assertTrue(e.getMessage().contains("a.csv") && e.getMessage().contains("line 2"), e.getMessage());
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }
}
