package io.parley.compliance;

import io.parley.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.config.ConfigException;
import io.parley.store.Database;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeniedPartyListTest {

    @TempDir
    Path dir;

    private JdbcDataSource ds;
    private Database db;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

    @BeforeEach
    void database() {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:denied-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        db = Database.wrap(ds);
    }

    @Test
    void importingTheSameFileTwiceAddsItsRowsOnce() throws URISyntaxException, SQLException {
        Path file = Path.of(getClass().getResource("/compliance/denied-parties.csv").toURI());
        assertEquals(4, DeniedPartyList.importFile(file, db, clock));
        assertEquals(0, DeniedPartyList.importFile(file, db, clock));
        assertEquals(4, count("SELECT COUNT(*) FROM denied_party WHERE site_id IS NULL"));
    }

    @Test
    void importedRowsDenyOnEverySite() throws URISyntaxException {
        DeniedPartyList.importFile(Path.of(getClass().getResource("/compliance/denied-parties.csv").toURI()), db, clock);
        DeniedPartyList list = new DeniedPartyList(db, clock, Duration.ofSeconds(5));
        assertEquals("DENIED_EMAIL", rule(list, "blocked.person@example.com", null, null));
        assertEquals("DENIED_DOMAIN", rule(list, "x@eu.sanctioned.example", null, 42L));
        assertEquals("DENIED_ORGANIZATION", rule(list, null, "Embargoed Trading, Ltd.", null));
        assertEquals("-", rule(list, "someone@example.com", "Acme", null));
    }

    @Test
    void rowsAddedLaterTakeEffectAfterTheRefreshIntervalAndNotBefore() throws SQLException {
        DeniedPartyList list = new DeniedPartyList(db, clock, Duration.ofSeconds(5));
        assertEquals("-", rule(list, "late@example.com", null, null));
        execute("INSERT INTO denied_party (site_id, kind, match_value, created_at)"
                + " VALUES (NULL, 'email', 'LATE@example.com', CURRENT_TIMESTAMP)");
        clock.advance(Duration.ofSeconds(4));
        assertEquals("-", rule(list, "late@example.com", null, null), "still the cached list");
        clock.advance(Duration.ofSeconds(2));
        assertEquals("DENIED_EMAIL", rule(list, "late@example.com", null, null));
    }

    @Test
    void siteRowsApplyToTheirSiteOnly() throws SQLException {
        execute("INSERT INTO site (id, name, pool, created_at) VALUES (7, 'seven', '1:1', CURRENT_TIMESTAMP)");
        execute("INSERT INTO denied_party (site_id, kind, match_value, created_at)"
                + " VALUES (7, 'DOMAIN', 'seven.example', CURRENT_TIMESTAMP)");
        execute("INSERT INTO denied_party (site_id, kind, match_value, created_at)"
                + " VALUES (NULL, 'NICKNAME', 'whatever', CURRENT_TIMESTAMP)");
        DeniedPartyList list = new DeniedPartyList(db, clock, Duration.ofSeconds(5));
        assertEquals("DENIED_DOMAIN", rule(list, "a@seven.example", null, 7L));
        assertEquals("-", rule(list, "a@seven.example", null, 8L));
        assertEquals("-", rule(list, "a@seven.example", null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kind,value\nPERSON,Ann\n", "EMAIL\n", "EMAIL,a@b.example,extra\n", "DOMAIN,  \n"})
    void aMalformedFileFailsTheDeployment(String content) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.csv"), content);
        ConfigException e = assertThrows(ConfigException.class, () -> DeniedPartyList.importFile(file, db, clock));
        assertTrue(e.getMessage().contains("line"), e.getMessage());
    }

    @Test
    void commentsBlankLinesAndQuotedCommasAreRead() throws IOException {
        Path file = Files.writeString(dir.resolve("ok.csv"), "# list of 2024-01-01\n\nORGANIZATION,\"A, B and C\"\n");
        assertEquals(1, DeniedPartyList.readFile(file).size());
        assertEquals("a, b and c", DeniedPartyList.readFile(file).get(0).value());
    }

    private static String rule(DeniedPartyList list, String email, String org, Long site) {
        return list.match(new Identity(email, null, null, org, null, null), site).map(d -> d.rule().name()).orElse("-");
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
