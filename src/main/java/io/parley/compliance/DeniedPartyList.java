package io.parley.compliance;

import io.parley.config.ConfigException;
import io.parley.store.Database;
import io.parley.store.Refreshing;
import io.parley.store.Jdbc;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code denied_party} table, read into memory and read again when it is older than the refresh
 * interval: a bootstrap call or {@code requestEngagement} never costs a query of its own, and a
 * row added on another node takes effect within the interval.
 */
final class DeniedPartyList {

    private static final System.Logger LOG = System.getLogger(DeniedPartyList.class.getName());

    private final Database db;
    private final Refreshing<DeniedParties> parties;
    private final Set<String> warnedKinds = ConcurrentHashMap.newKeySet();

    DeniedPartyList(Database db, Clock clock, Duration refresh) {
        this.db = db;
        this.parties = new Refreshing<>(this::load, clock, refresh);
    }

    /** The next match reads the list again (an administrator changed it). */
    void invalidate() {
        parties.invalidate();
    }

    /** The first row {@code identity} matches on site {@code siteId} (null: rows of every site only). */
    Optional<Denial> match(Identity identity, Long siteId) {
        return parties.get().match(identity, siteId);
    }

    private DeniedParties load() {
        return db.read(c -> {
            List<DeniedParties.Entry> entries = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT site_id, kind, match_value FROM denied_party");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long site = rs.getLong(1);
                    Long siteId = rs.wasNull() ? null : site;
                    String kindName = rs.getString(2) == null ? "" : rs.getString(2).trim().toUpperCase(Locale.ROOT);
                    DeniedParties.Kind kind = kind(kindName);
                    String value = kind == null ? null : DeniedParties.normalise(kind, rs.getString(3));
                    if (value != null) {
                        entries.add(new DeniedParties.Entry(siteId, kind, value));
                    }
                }
            }
            return new DeniedParties(entries);
        });
    }

    private DeniedParties.Kind kind(String name) {
        try {
            return DeniedParties.Kind.valueOf(name);
        } catch (IllegalArgumentException e) {
            if (warnedKinds.add(name)) {
                LOG.log(System.Logger.Level.WARNING, "denied_party has rows of kind ''{0}'', which is not EMAIL,"
                        + " DOMAIN or ORGANIZATION; they are ignored", name);
            }
            return null;
        }
    }

    /**
     * Adds the rows of a {@code kind,value} CSV file to the list as rows of every site, unless the
     * list has them already: importing the same file again changes nothing. Rows are only added,
     * never removed.
     *
     * @return how many rows were added
     * @throws ConfigException when the file cannot be read or has a malformed line
     */
    static int importFile(Path file, Database db, Clock clock) {
        List<DeniedParties.Entry> entries = readFile(file);
        Instant now = clock.instant();
        int added = db.inTransaction(c -> {
            int n = 0;
            for (DeniedParties.Entry e : entries) {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM denied_party"
                        + " WHERE site_id IS NULL AND kind = ? AND LOWER(match_value) = ?")) {
                    ps.setString(1, e.kind().name());
                    ps.setString(2, e.value());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO denied_party (site_id, kind, match_value, created_at) VALUES (NULL, ?, ?, ?)")) {
                    ps.setString(1, e.kind().name());
                    ps.setString(2, e.value());
                    Jdbc.setTime(ps, 3, now);
                    ps.executeUpdate();
                }
                n++;
            }
            return n;
        });
        LOG.log(System.Logger.Level.INFO, "Denied parties: {0} of {1} rows of {2} were new", added, entries.size(), file);
        return added;
    }

    /** The rows of a {@code kind,value} file; a header line, blank lines and {@code #} comments are skipped. */
    static List<DeniedParties.Entry> readFile(Path file) {
        String key = "compliance.deniedPartiesFile";
        List<DeniedParties.Entry> out = new ArrayList<>();
        try {
            Csv.forEach(file, (lineNo, f) -> {
                if (out.isEmpty() && f.get(0).equalsIgnoreCase("kind")) {
                    return;
                }
                DeniedParties.Kind kind;
                try {
                    kind = DeniedParties.Kind.valueOf(f.get(0).toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key, "names " + file + ", whose line " + lineNo + " has the kind '"
                            + f.get(0) + "'; it must be EMAIL, DOMAIN or ORGANIZATION");
                }
                String value = f.size() == 2 ? DeniedParties.normalise(kind, f.get(1)) : null;
                if (value == null) {
                    throw new ConfigException(key, "names " + file + ", whose line " + lineNo
                            + " is not 'kind,value' (quote values that contain commas)");
                }
                out.add(new DeniedParties.Entry(null, kind, value));
            });
        } catch (IOException e) {
            throw new ConfigException("Setting '" + key + "' names a file that cannot be read: " + file, e);
        }
        return out;
    }
}
