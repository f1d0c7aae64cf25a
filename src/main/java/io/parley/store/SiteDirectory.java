package io.parley.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sites, read from the database and kept for a few seconds: every request needs its site
 * (filters and resources alike), and sites change rarely. A change made through Parley calls
 * {@link #invalidate()}; one made by another node shows within the refresh interval.
 */
public final class SiteDirectory {

    private final Database db;
    private final Refreshing<Snapshot> snapshot;

    private record Snapshot(Map<String, Site> byName, Map<Long, Site> byId) {
    }

    public SiteDirectory(Database db, Clock clock, Duration refresh) {
        this.db = db;
        this.snapshot = new Refreshing<>(this::load, clock, refresh);
    }

    public Optional<Site> byName(String name) {
        return Optional.ofNullable(snapshot.get().byName().get(name));
    }

    public Optional<Site> byId(long id) {
        return Optional.ofNullable(snapshot.get().byId().get(id));
    }

    public List<Site> all() {
        return List.copyOf(snapshot.get().byId().values());
    }

    /** Forgets the cached sites; the next lookup reads them again. */
    public void invalidate() {
        snapshot.invalidate();
    }

    private Snapshot load() {
        return db.read(c -> {
            Map<Long, List<String>> origins = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT site_id, origin FROM site_origin");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    origins.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            Map<String, Site> byName = new HashMap<>();
            Map<Long, Site> byId = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, pool, default_queue_id, denied_countries, unknown_country_policy, public_domain"
                            + " FROM site");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    long dq = rs.getLong(4);
                    Long defaultQueue = rs.wasNull() ? null : dq;
                    String denied = rs.getString(5);
                    Site site = new Site(id, rs.getString(2), rs.getString(3), defaultQueue,
                            List.copyOf(origins.getOrDefault(id, List.of())),
                            denied == null ? null : Arrays.stream(denied.split(",")).map(String::trim)
                                    .filter(x -> !x.isEmpty()).toList(),
                            rs.getString(6), rs.getString(7));
                    byName.put(site.name(), site);
                    byId.put(id, site);
                }
            }
            return new Snapshot(Map.copyOf(byName), Map.copyOf(byId));
        });
    }
}
