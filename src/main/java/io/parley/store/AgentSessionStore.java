package io.parley.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;

/** Agent sessions: who is logged in, available and with free capacity, per queue. */
public final class AgentSessionStore {

    /** How many agents of a queue are connected, available, and available with a free slot. */
    public record Availability(int connected, int available, int availableWithCapacity) {
        public static final Availability NONE = new Availability(0, 0, 0);
    }

    private final Database db;

    public AgentSessionStore(Database db) {
        this.db = db;
    }

    public void insert(String id, long accountId, long siteId, String status, boolean assignmentRequested,
                       int maxSessions, Instant now) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_session (id, account_id, site_id, status,"
                    + " assignment_requested, max_sessions, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setLong(2, accountId);
                ps.setLong(3, siteId);
                ps.setString(4, status);
                ps.setBoolean(5, assignmentRequested);
                ps.setInt(6, maxSessions);
                Jdbc.setTime(ps, 7, now);
                Jdbc.setTime(ps, 8, now);
                return ps.executeUpdate();
            }
        });
    }

    public void end(String id, Instant now) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE agent_session SET ended_at = ? WHERE id = ? AND ended_at IS NULL")) {
                Jdbc.setTime(ps, 1, now);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
    }

    public Availability availability(long queueId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT s.status, s.assignment_requested, s.max_sessions,"
                    + " (SELECT COUNT(*) FROM participant p JOIN engagement e ON e.id = p.engagement_id"
                    + "   WHERE p.account_id = s.account_id AND p.left_at IS NULL AND e.state = 'ACTIVE') AS busy"
                    + " FROM agent_session s JOIN agent_queue aq ON aq.account_id = s.account_id"
                    + " WHERE aq.queue_id = ? AND s.ended_at IS NULL")) {
                ps.setLong(1, queueId);
                try (ResultSet rs = ps.executeQuery()) {
                    int connected = 0;
                    int available = 0;
                    int withCapacity = 0;
                    while (rs.next()) {
                        connected++;
                        if ("AVAILABLE".equals(rs.getString("status"))) {
                            available++;
                            if (rs.getBoolean("assignment_requested") && rs.getInt("busy") < rs.getInt("max_sessions")) {
                                withCapacity++;
                            }
                        }
                    }
                    return new Availability(connected, available, withCapacity);
                }
            }
        });
    }
}
