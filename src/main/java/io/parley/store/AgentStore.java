package io.parley.store;

import io.parley.engagement.AssignmentType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Agent sessions, their offers and their inboxes.
 *
 * <p>Locking order (with {@link EngagementStore}'s): queue row, then engagement rows, then agent
 * session rows. An agent session's row lock guards its capacity (offers and accepts are counted
 * under it) and its inbox sequence, which {@link #nextSeq} bumps so it has no gaps.
 */
public final class AgentStore {

    /** A row of {@code agent_session}, with its account's name. */
    public record SessionRow(String id, long accountId, long siteId, String username, String displayName,
                             String status, int subTypeId, boolean assignmentRequested, int maxSessions,
                             boolean autoAccept, boolean away, Instant createdAt, Instant lastSeenAt,
                             Instant idleSince, Instant endedAt, long lastSeq, long deliveredSeq) {
    }

    /** A row of {@code engagement_offer}. */
    public record OfferRow(long id, long engagementId, String agentSessionId, long accountId, AssignmentType assignmentType,
                           String state, Long requestedBy, Instant offeredAt, Instant expiresAt) {
    }

    private static final String SESSION_COLUMNS = "s.id, s.account_id, s.site_id, a.username, a.display_name, s.status,"
            + " s.sub_type_id, s.assignment_requested, s.max_sessions, s.auto_accept, s.away, s.created_at,"
            + " s.last_seen_at, s.idle_since, s.ended_at, s.last_seq, s.delivered_seq";
    private static final String SESSION_FROM = " FROM agent_session s JOIN account a ON a.id = s.account_id";
    private static final String OFFER_COLUMNS = "id, engagement_id, agent_session_id, account_id, assignment_type, state,"
            + " requested_by, offered_at, expires_at";

    /** How stale {@code last_seen_at} may be; well below the shortest away time (a hold plus 5 s). */
    public static final Duration TOUCH_EVERY = Duration.ofSeconds(2);

    private final Database db;

    public AgentStore(Database db) {
        this.db = db;
    }

    // ---- sessions

    public void insertSession(Tx tx, String id, long accountId, long siteId, int maxSessions, boolean autoAccept,
                              Instant now) {
        tx.exec(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_session (id, account_id, site_id, status,"
                    + " assignment_requested, max_sessions, auto_accept, created_at, last_seen_at, idle_since)"
                    + " VALUES (?, ?, ?, 'NONE', FALSE, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setLong(2, accountId);
                ps.setLong(3, siteId);
                ps.setInt(4, maxSessions);
                ps.setBoolean(5, autoAccept);
                Jdbc.setTime(ps, 6, now);
                Jdbc.setTime(ps, 7, now);
                Jdbc.setTime(ps, 8, now);
                ps.executeUpdate();
            }
        });
    }

    public Optional<SessionRow> session(String id) {
        return db.read(c -> session(c, id, false));
    }

    /** Reads the session and holds its row lock until the transaction ends. */
    public Optional<SessionRow> lockSession(Tx tx, String id) {
        return tx.run(c -> {
            return session(c, id, true);
        });
    }

    private Optional<SessionRow> session(Connection c, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SESSION_COLUMNS + SESSION_FROM + " WHERE s.id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(session(rs)) : Optional.empty();
            }
        }
    }

    /** The account's live session, if it is logged on. */
    public Optional<SessionRow> liveSessionOf(Tx tx, long accountId) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SESSION_COLUMNS + SESSION_FROM
                    + " WHERE s.account_id = ? AND s.ended_at IS NULL ORDER BY s.created_at DESC")) {
                ps.setLong(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(session(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The live sessions of a site, by account name. */
    public List<SessionRow> liveSessions(long siteId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SESSION_COLUMNS + SESSION_FROM
                    + " WHERE s.site_id = ? AND s.ended_at IS NULL ORDER BY a.username")) {
                ps.setLong(1, siteId);
                return sessions(ps);
            }
        });
    }

    public void endSession(Tx tx, String id, Instant now) {
        tx.exec(c -> {
            update(c, "UPDATE agent_session SET ended_at = ?, status = 'NONE', assignment_requested = FALSE"
                    + " WHERE id = ? AND ended_at IS NULL", ps -> {
                Jdbc.setTime(ps, 1, now);
                ps.setString(2, id);
            });
        });
    }

    /** Notes a call from the session: it is not away. */
    /**
     * Records that the session called: at most once per {@link #TOUCH_EVERY} (every agent call
     * would otherwise write, and lock, the session's row), and at once when it was marked away.
     */
    public void touch(String id, Instant now) {
        db.read(c -> update(c, "UPDATE agent_session SET last_seen_at = ?, away = FALSE"
                + " WHERE id = ? AND (away OR last_seen_at < ?)", ps -> {
            Jdbc.setTime(ps, 1, now);
            ps.setString(2, id);
            Jdbc.setTime(ps, 3, now.minus(TOUCH_EVERY));
        }));
    }

    public void setStatus(Tx tx, String id, String status, int subTypeId, Instant now) {
        tx.exec(c -> {
            update(c, "UPDATE agent_session SET status = ?, sub_type_id = ?,"
                    + " idle_since = CASE WHEN ? = 'AVAILABLE' AND status <> 'AVAILABLE' THEN ? ELSE idle_since END"
                    + " WHERE id = ?", ps -> {
                ps.setString(1, status);
                ps.setInt(2, subTypeId);
                ps.setString(3, status);
                Jdbc.setTime(ps, 4, now);
                ps.setString(5, id);
            });
        });
    }

    public void setAssignment(Tx tx, String id, boolean requested, int maxSessions) {
        tx.exec(c -> {
            update(c, "UPDATE agent_session SET assignment_requested = ?, max_sessions = ? WHERE id = ?", ps -> {
                ps.setBoolean(1, requested);
                ps.setInt(2, maxSessions);
                ps.setString(3, id);
            });
        });
    }

    public void setAutoAccept(Tx tx, String id, boolean autoAccept) {
        tx.exec(c -> {
            update(c, "UPDATE agent_session SET auto_accept = ? WHERE id = ?", ps -> {
                ps.setBoolean(1, autoAccept);
                ps.setString(2, id);
            });
        });
    }

    /** The agent just took or finished a chat: it is idle from now on, for the idle-longest ordering. */
    public void setIdleSince(Tx tx, String id, Instant now) {
        tx.exec(c -> {
            update(c, "UPDATE agent_session SET idle_since = ? WHERE id = ?", ps -> {
                Jdbc.setTime(ps, 1, now);
                ps.setString(2, id);
            });
        });
    }

    /** Marks away the live sessions not seen since {@code cutoff}; returns them. */
    public List<String> markAway(Instant cutoff) {
        return db.inTransaction(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM agent_session"
                    + " WHERE ended_at IS NULL AND away = FALSE AND last_seen_at < ?")) {
                Jdbc.setTime(ps, 1, cutoff);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            for (String id : ids) {
                update(c, "UPDATE agent_session SET away = TRUE WHERE id = ? AND last_seen_at < ?", ps -> {
                    ps.setString(1, id);
                    Jdbc.setTime(ps, 2, cutoff);
                });
            }
            return ids;
        });
    }

    /**
     * The sessions that may get an offer from the queue now: live, available, asking for chats, not
     * away, members of the queue; the longest idle first.
     */
    public List<SessionRow> eligible(Tx tx, long queueId) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SESSION_COLUMNS + SESSION_FROM
                    + " JOIN agent_queue aq ON aq.account_id = s.account_id"
                    + " WHERE aq.queue_id = ? AND s.ended_at IS NULL AND s.status = 'AVAILABLE'"
                    + " AND s.assignment_requested = TRUE AND s.away = FALSE AND s.max_sessions > 0"
                    + " ORDER BY s.idle_since, s.created_at")) {
                ps.setLong(1, queueId);
                return sessions(ps);
            }
        });
    }

    /** Whether the account may take chats from the queue. */
    public boolean isMember(Tx tx, long accountId, long queueId) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM agent_queue WHERE account_id = ? AND queue_id = ?")) {
                ps.setLong(1, accountId);
                ps.setLong(2, queueId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The chats an account holds (as lead or conferee, not yet released) plus the offers its session has pending. */
    public int load(Tx tx, long accountId, String sessionId) {
        return tx.run(c -> {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM participant WHERE account_id = ?"
                    + " AND released_at IS NULL AND role IN ('LEAD', 'CONFEREE')")) {
                ps.setLong(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n += rs.getInt(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM engagement_offer"
                    + " WHERE agent_session_id = ? AND state = 'PENDING'")) {
                ps.setString(1, sessionId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n += rs.getInt(1);
                }
            }
            return n;
        });
    }

    /** How many agents of a queue are logged on, available, and available with a free slot. */
    /**
     * The logged-on agents of a queue: {@code available} are AVAILABLE and not away, of whom
     * {@code availableWithCapacity} ask for chats and have room; {@code away} stopped calling.
     */
    public record Availability(int connected, int available, int availableWithCapacity, int away) {
        public static final Availability NONE = new Availability(0, 0, 0, 0);
    }

    public Availability availability(long queueId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT s.status, s.away, s.assignment_requested,"
                    + " s.max_sessions, (SELECT COUNT(*) FROM participant p WHERE p.account_id = s.account_id"
                    + "   AND p.released_at IS NULL AND p.role IN ('LEAD', 'CONFEREE')) AS busy"
                    + " FROM agent_session s JOIN agent_queue aq ON aq.account_id = s.account_id"
                    + " WHERE aq.queue_id = ? AND s.ended_at IS NULL")) {
                ps.setLong(1, queueId);
                try (ResultSet rs = ps.executeQuery()) {
                    int connected = 0;
                    int available = 0;
                    int withCapacity = 0;
                    int away = 0;
                    while (rs.next()) {
                        connected++;
                        away += rs.getBoolean("away") ? 1 : 0;
                        if ("AVAILABLE".equals(rs.getString("status")) && !rs.getBoolean("away")) {
                            available++;
                            if (rs.getBoolean("assignment_requested") && rs.getInt("busy") < rs.getInt("max_sessions")) {
                                withCapacity++;
                            }
                        }
                    }
                    return new Availability(connected, available, withCapacity, away);
                }
            }
        });
    }

    // ---- offers

    public long insertOffer(Tx tx, long engagementId, String sessionId, long accountId, AssignmentType assignmentType,
                            Long requestedBy, Instant now, Instant expiresAt) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO engagement_offer (engagement_id, agent_session_id,"
                    + " account_id, assignment_type, state, requested_by, offered_at, expires_at)"
                    + " VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, engagementId);
                ps.setString(2, sessionId);
                ps.setLong(3, accountId);
                ps.setString(4, assignmentType.name());
                Jdbc.setLong(ps, 5, requestedBy);
                Jdbc.setTime(ps, 6, now);
                Jdbc.setTime(ps, 7, expiresAt);
                ps.executeUpdate();
                return Jdbc.generatedId(ps);
            }
        });
    }

    /** The pending offers of an engagement. */
    public List<OfferRow> pendingOffers(Tx tx, long engagementId) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + OFFER_COLUMNS + " FROM engagement_offer"
                    + " WHERE engagement_id = ? AND state = 'PENDING' ORDER BY id")) {
                ps.setLong(1, engagementId);
                return offers(ps);
            }
        });
    }

    /** The pending offers of an agent session. */
    public List<OfferRow> pendingOffersOf(Tx tx, String sessionId) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + OFFER_COLUMNS + " FROM engagement_offer"
                    + " WHERE agent_session_id = ? AND state = 'PENDING' ORDER BY id")) {
                ps.setString(1, sessionId);
                return offers(ps);
            }
        });
    }

    /** Engagements of a queue that wait and have no pending offer to lead them, first in line first. */
    public List<Long> unofferedWaiting(Tx tx, long queueId) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT e.id FROM engagement e WHERE e.queue_id = ?"
                    + " AND e.state = 'QUEUED' AND NOT EXISTS (SELECT 1 FROM engagement_offer o WHERE o.engagement_id = e.id"
                    + " AND o.state = 'PENDING' AND o.assignment_type = 'LEAD')"
                    + " ORDER BY e.queue_priority, e.queued_at, e.id")) {
                ps.setLong(1, queueId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Long> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                    return out;
                }
            }
        });
    }

    /** Accounts that declined or let expire an offer of this engagement: not offered it again. */
    public List<Long> refusedBy(Tx tx, long engagementId) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT account_id FROM engagement_offer"
                    + " WHERE engagement_id = ? AND state IN ('DECLINED', 'EXPIRED')")) {
                ps.setLong(1, engagementId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Long> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                    return out;
                }
            }
        });
    }

    /** Moves a pending offer to {@code state}; false when it was no longer pending. */
    public boolean answerOffer(Tx tx, long offerId, String state, Instant now) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE engagement_offer SET state = ?, answered_at = ?"
                    + " WHERE id = ? AND state = 'PENDING'")) {
                ps.setString(1, state);
                Jdbc.setTime(ps, 2, now);
                ps.setLong(3, offerId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Withdraws every pending offer of an engagement (it was taken, or it ended); returns them. */
    public List<OfferRow> withdrawOffers(Tx tx, long engagementId, Instant now) {
        List<OfferRow> withdrawn = new ArrayList<>();
        for (OfferRow o : pendingOffers(tx, engagementId)) {
            if (answerOffer(tx, o.id(), "WITHDRAWN", now)) {
                withdrawn.add(o);
            }
        }
        return withdrawn;
    }

    /** Pending offers past their expiry. */
    public List<OfferRow> expiredOffers(Instant now) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + OFFER_COLUMNS + " FROM engagement_offer"
                    + " WHERE state = 'PENDING' AND expires_at < ? ORDER BY id")) {
                Jdbc.setTime(ps, 1, now);
                return offers(ps);
            }
        });
    }

    // ---- inbox

    // ---- mapping

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static int update(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    private static List<SessionRow> sessions(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<SessionRow> out = new ArrayList<>();
            while (rs.next()) {
                out.add(session(rs));
            }
            return out;
        }
    }

    private static SessionRow session(ResultSet rs) throws SQLException {
        return new SessionRow(rs.getString("id"), rs.getLong("account_id"), rs.getLong("site_id"),
                rs.getString("username"), rs.getString("display_name"), rs.getString("status"),
                rs.getInt("sub_type_id"), rs.getBoolean("assignment_requested"), rs.getInt("max_sessions"),
                rs.getBoolean("auto_accept"), rs.getBoolean("away"), Jdbc.time(rs, "created_at"),
                Jdbc.time(rs, "last_seen_at"), Jdbc.time(rs, "idle_since"), Jdbc.time(rs, "ended_at"),
                rs.getLong("last_seq"), rs.getLong("delivered_seq"));
    }

    private static List<OfferRow> offers(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<OfferRow> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new OfferRow(rs.getLong("id"), rs.getLong("engagement_id"), rs.getString("agent_session_id"),
                        rs.getLong("account_id"), AssignmentType.valueOf(rs.getString("assignment_type")), rs.getString("state"),
                        Jdbc.nullableLong(rs, "requested_by"), Jdbc.time(rs, "offered_at"), Jdbc.time(rs, "expires_at")));
            }
            return out;
        }
    }
}
