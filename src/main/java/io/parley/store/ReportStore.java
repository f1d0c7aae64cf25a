package io.parley.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the admin side reads about engagements: live queue figures, the day's counts, search. */
public final class ReportStore {

    /** The engagements waiting in a queue and since when the oldest waits. */
    public record Waiting(long queueId, int count, Instant oldestQueuedAt) {
    }

    /** A queue's engagements since a moment: created, abandoned (left while waiting), timed out. */
    public record Counts(long queueId, long created, long abandoned, long timedOut) {
    }

    /** An engagement concluded since a moment after an agent took it. */
    public record Handled(long queueId, Instant acceptedAt, Instant concludedAt) {
    }

    /**
     * What the engagement search filters on; null fields do not filter. {@code customer} matches
     * within the stored session information (name, e-mail, organization), case-insensitively.
     */
    public record Query(Long siteId, Long queueId, String state, Instant from, Instant to, String customer,
                        int limit, int offset) {
    }

    /** A search hit, with the session information as stored (JSON). */
    public record Found(long id, long siteId, long queueId, String state, Instant createdAt, Instant acceptedAt,
                        Instant concludedAt, String concludeReason, String sessionInfo) {
    }

    private static final String FOUND_SELECT = "SELECT e.id, e.site_id, e.queue_id, e.state, e.created_at,"
            + " e.accepted_at, e.concluded_at, e.conclude_reason, cs.session_info FROM engagement e"
            + " JOIN chat_session cs ON cs.id = e.chat_session_id";

    private final Database db;

    public ReportStore(Database db) {
        this.db = db;
    }

    public Map<Long, Waiting> waiting() {
        return db.read(c -> {
            Map<Long, Waiting> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT queue_id, COUNT(*), MIN(queued_at) FROM engagement"
                    + " WHERE state = 'QUEUED' GROUP BY queue_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), new Waiting(rs.getLong(1), rs.getInt(2),
                            rs.getObject(3, java.time.OffsetDateTime.class).toInstant()));
                }
            }
            return out;
        });
    }

    public Map<Long, Counts> countsSince(Instant since) {
        return db.read(c -> {
            Map<Long, Counts> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT queue_id, COUNT(*),"
                    + " SUM(CASE WHEN state = 'CONCLUDED' AND accepted_at IS NULL AND conclude_reason = 'END_USER_CONCLUDED'"
                    + "   THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN conclude_reason = 'QUEUE_TIMEOUT' THEN 1 ELSE 0 END)"
                    + " FROM engagement WHERE created_at >= ? GROUP BY queue_id")) {
                Jdbc.setTime(ps, 1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                    }
                }
            }
            return out;
        });
    }

    public List<Handled> handledSince(Instant since) {
        return db.read(c -> {
            List<Handled> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT queue_id, accepted_at, concluded_at FROM engagement"
                    + " WHERE state = 'CONCLUDED' AND accepted_at IS NOT NULL AND concluded_at >= ?")) {
                Jdbc.setTime(ps, 1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Handled(rs.getLong(1), Jdbc.time(rs, "accepted_at"), Jdbc.time(rs, "concluded_at")));
                    }
                }
            }
            return out;
        });
    }

    /** Engagements matching the query, newest first. */
    public List<Found> search(Query q) {
        StringBuilder sql = new StringBuilder(FOUND_SELECT + " WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (q.siteId() != null) {
            sql.append(" AND e.site_id = ?");
            params.add(q.siteId());
        }
        if (q.queueId() != null) {
            sql.append(" AND e.queue_id = ?");
            params.add(q.queueId());
        }
        if (q.state() != null) {
            sql.append(" AND e.state = ?");
            params.add(q.state());
        }
        if (q.from() != null) {
            sql.append(" AND e.created_at >= ?");
            params.add(Jdbc.utc(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND e.created_at < ?");
            params.add(Jdbc.utc(q.to()));
        }
        if (q.customer() != null) {
            sql.append(" AND LOWER(cs.session_info) LIKE ? ESCAPE '!'");
            params.add("%" + q.customer().toLowerCase(java.util.Locale.ROOT)
                    .replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        sql.append(" ORDER BY e.created_at DESC, e.id DESC OFFSET ").append(q.offset())
                .append(" ROWS FETCH FIRST ").append(q.limit()).append(" ROWS ONLY");
        return db.read(c -> {
            List<Found> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(found(rs));
                    }
                }
            }
            return out;
        });
    }

    /** The names of the agents who took part in each engagement, in the order they joined. */
    public Map<Long, List<String>> agentNames(Collection<Long> engagementIds) {
        Map<Long, List<String>> out = new HashMap<>();
        if (engagementIds.isEmpty()) {
            return out;
        }
        String in = String.join(", ", java.util.Collections.nCopies(engagementIds.size(), "?"));
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT engagement_id, name FROM participant WHERE kind = 'AGENT'"
                    + " AND engagement_id IN (" + in + ") ORDER BY joined_at, id")) {
                int i = 1;
                for (long id : engagementIds) {
                    ps.setLong(i++, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> names = out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>());
                        if (!names.contains(rs.getString(2))) {
                            names.add(rs.getString(2));
                        }
                    }
                }
            }
            return out;
        });
    }

    /** One engagement as the search would list it. */
    public Optional<Found> find(long engagementId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(FOUND_SELECT + " WHERE e.id = ?")) {
                ps.setLong(1, engagementId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(found(rs)) : Optional.<Found>empty();
                }
            }
        });
    }

    private static Found found(ResultSet rs) throws SQLException {
        return new Found(rs.getLong("id"), rs.getLong("site_id"), rs.getLong("queue_id"), rs.getString("state"),
                Jdbc.time(rs, "created_at"), Jdbc.time(rs, "accepted_at"), Jdbc.time(rs, "concluded_at"),
                rs.getString("conclude_reason"), rs.getString("session_info"));
    }
}
