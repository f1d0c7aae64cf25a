package io.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Engagements, their participants and their events.
 *
 * <p>Locking order, to stay free of deadlocks: a transaction that changes a queue's membership
 * locks the queue row first ({@link #lockQueue}), then engagement rows. Sequence numbers come
 * from {@link #nextSeq}, which bumps {@code last_seq} under the engagement's row lock, so they
 * are gap-free however many writers post at once.
 */
public final class EngagementStore {

    /** A row of {@code engagement}. */
    public record EngagementRow(long id, long siteId, String chatSessionId, String consumerSession, long queueId,
                                String state, int queuePriority, Instant createdAt, Instant queuedAt,
                                Instant acceptedAt, Instant concludedAt, String concludeReason, long lastSeq,
                                Integer lastPosition, Integer lastExpectedWait) {
    }

    /** A row of {@code participant}. */
    public record ParticipantRow(long id, long engagementId, String kind, String role, Long accountId, String name,
                                 String greeting, Instant joinedAt, Instant leftAt, String leaveReason,
                                 long deliveredSeq, String agentSessionId, Instant releasedAt) {
    }

    /** A row of {@code engagement_event}; {@code payload} is JSON. */
    public record EventRow(long engagementId, long seq, String type, Instant createdAt, Long actorId,
                           String visibility, boolean offRecord, String messageId, String payload) {
    }

    private static final String ENGAGEMENT_COLUMNS = "id, site_id, chat_session_id, consumer_session, queue_id, state,"
            + " queue_priority, created_at, queued_at, accepted_at, concluded_at, conclude_reason, last_seq,"
            + " last_position, last_expected_wait";
    private static final String PARTICIPANT_COLUMNS = "id, engagement_id, kind, role, account_id, name, greeting,"
            + " joined_at, left_at, leave_reason, delivered_seq, agent_session_id, released_at";
    private static final String EVENT_COLUMNS = "engagement_id, seq, type, created_at, actor_id, visibility, off_record,"
            + " message_id, payload";

    private final Database db;

    public EngagementStore(Database db) {
        this.db = db;
    }

    public Database database() {
        return db;
    }

    // ---- engagements

    public long insertEngagement(Connection c, long siteId, String chatSessionId, String consumerSession, long queueId,
                                 Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO engagement (site_id, chat_session_id, consumer_session, queue_id, state, created_at, queued_at)"
                        + " VALUES (?, ?, ?, ?, 'QUEUED', ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, siteId);
            ps.setString(2, chatSessionId);
            ps.setString(3, consumerSession);
            ps.setLong(4, queueId);
            Jdbc.setTime(ps, 5, now);
            Jdbc.setTime(ps, 6, now);
            ps.executeUpdate();
            return Jdbc.generatedId(ps);
        }
    }

    public Optional<EngagementRow> find(long id) {
        return db.read(c -> find(c, id, false));
    }

    /** Reads the engagement and holds its row lock until the transaction ends. */
    public Optional<EngagementRow> lock(Connection c, long id) throws SQLException {
        return find(c, id, true);
    }

    private Optional<EngagementRow> find(Connection c, long id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ENGAGEMENT_COLUMNS + " FROM engagement WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(engagement(rs)) : Optional.empty();
            }
        }
    }

    public Optional<EngagementRow> findByChatSession(String chatSessionId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + ENGAGEMENT_COLUMNS + " FROM engagement WHERE chat_session_id = ?")) {
                ps.setString(1, chatSessionId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(engagement(rs)) : Optional.empty();
                }
            }
        });
    }

    public Optional<EngagementRow> findByConsumerSession(String consumerSession) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + ENGAGEMENT_COLUMNS + " FROM engagement WHERE consumer_session = ?")) {
                ps.setString(1, consumerSession);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(engagement(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Moves the engagement to ACTIVE if it is still QUEUED; false when it was not. */
    public boolean activate(Connection c, long id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE engagement SET state = 'ACTIVE', accepted_at = ?, last_position = NULL, last_expected_wait = NULL"
                        + " WHERE id = ? AND state = 'QUEUED'")) {
            Jdbc.setTime(ps, 1, now);
            ps.setLong(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Concludes the engagement unless it is concluded already; false when it was. */
    public boolean conclude(Connection c, long id, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE engagement SET state = 'CONCLUDED', concluded_at = ?, conclude_reason = ?,"
                        + " last_position = NULL, last_expected_wait = NULL WHERE id = ? AND state <> 'CONCLUDED'")) {
            Jdbc.setTime(ps, 1, now);
            ps.setString(2, reason);
            ps.setLong(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    // ---- participants

    public long insertParticipant(Connection c, long engagementId, String kind, String role, Long accountId,
                                  String name, String greeting, Instant now) throws SQLException {
        return insertParticipant(c, engagementId, kind, role, accountId, null, name, greeting, now);
    }

    public long insertParticipant(Connection c, long engagementId, String kind, String role, Long accountId,
                                  String agentSessionId, String name, String greeting, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO participant (engagement_id, kind, role, account_id, agent_session_id, name, greeting, joined_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, engagementId);
            ps.setString(2, kind);
            ps.setString(3, role);
            Jdbc.setLong(ps, 4, accountId);
            ps.setString(5, agentSessionId);
            ps.setString(6, name);
            ps.setString(7, greeting);
            Jdbc.setTime(ps, 8, now);
            ps.executeUpdate();
            return Jdbc.generatedId(ps);
        }
    }

    /** Frees an agent's slot after wrap-up: the participant no longer counts against its capacity. */
    public boolean release(Connection c, long participantId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE participant SET released_at = ?, left_at = COALESCE(left_at, ?) WHERE id = ? AND released_at IS NULL")) {
            Jdbc.setTime(ps, 1, now);
            Jdbc.setTime(ps, 2, now);
            ps.setLong(3, participantId);
            return ps.executeUpdate() == 1;
        }
    }

    public void setRole(Connection c, long participantId, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE participant SET role = ? WHERE id = ?")) {
            ps.setString(1, role);
            ps.setLong(2, participantId);
            ps.executeUpdate();
        }
    }

    /** After a logon override: the account's chats are served through its new session. */
    public void rebindAgentSession(Connection c, long accountId, String sessionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE participant SET agent_session_id = ? WHERE account_id = ? AND released_at IS NULL")) {
            ps.setString(1, sessionId);
            ps.setLong(2, accountId);
            ps.executeUpdate();
        }
    }

    /** The engagements an account takes part in and has not released, oldest first. */
    public List<Long> heldBy(Connection c, long accountId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT engagement_id FROM participant"
                + " WHERE account_id = ? AND released_at IS NULL ORDER BY engagement_id")) {
            ps.setLong(1, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Long> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
                return out;
            }
        }
    }

    /** Puts an active engagement back in a queue (reroute, transfer to a queue, the agent logged off). */
    public boolean requeue(Connection c, long engagementId, long queueId, int priority, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE engagement SET state = 'QUEUED', queue_id = ?,"
                + " queue_priority = ?, queued_at = ?, accepted_at = NULL, last_position = NULL, last_expected_wait = NULL"
                + " WHERE id = ? AND state = 'ACTIVE'")) {
            ps.setLong(1, queueId);
            ps.setInt(2, priority);
            Jdbc.setTime(ps, 3, now);
            ps.setLong(4, engagementId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Sets a property of the engagement ({@code scope} ENGAGEMENT or USER, or FIELD for custom fields). */
    public void setProperty(Connection c, long engagementId, String scope, String name, String value, Instant now)
            throws SQLException {
        try (PreparedStatement del = c.prepareStatement(
                "DELETE FROM engagement_property WHERE engagement_id = ? AND scope = ? AND prop_name = ?")) {
            del.setLong(1, engagementId);
            del.setString(2, scope);
            del.setString(3, name);
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO engagement_property (engagement_id, scope, prop_name,"
                + " prop_value, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, engagementId);
            ps.setString(2, scope);
            ps.setString(3, name);
            ps.setString(4, value);
            Jdbc.setTime(ps, 5, now);
            ps.executeUpdate();
        }
    }

    public List<ParticipantRow> participants(long engagementId) {
        return db.read(c -> participants(c, engagementId));
    }

    public List<ParticipantRow> participants(Connection c, long engagementId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + PARTICIPANT_COLUMNS + " FROM participant WHERE engagement_id = ? ORDER BY id")) {
            ps.setLong(1, engagementId);
            try (ResultSet rs = ps.executeQuery()) {
                List<ParticipantRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(participant(rs));
                }
                return out;
            }
        }
    }

    public Optional<Long> engagementOfParticipant(long participantId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT engagement_id FROM participant WHERE id = ?")) {
                ps.setLong(1, participantId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                }
            }
        });
    }

    /** Marks a participant as gone; false when it had left already. */
    public boolean leave(Connection c, long participantId, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE participant SET left_at = ?, leave_reason = ? WHERE id = ? AND left_at IS NULL")) {
            Jdbc.setTime(ps, 1, now);
            ps.setString(2, reason);
            ps.setLong(3, participantId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Moves a participant's delivery cursor forward, never back. */
    public void advanceDelivered(long participantId, long seq) {
        db.inGroupTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE participant SET delivered_seq = ? WHERE id = ? AND delivered_seq < ?")) {
                ps.setLong(1, seq);
                ps.setLong(2, participantId);
                ps.setLong(3, seq);
                return ps.executeUpdate();
            }
        });
    }

    // ---- events

    /** The next sequence number of the engagement; holds its row lock until the transaction ends. */
    public long nextSeq(Connection c, long engagementId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE engagement SET last_seq = last_seq + 1 WHERE id = ?")) {
            ps.setLong(1, engagementId);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("No engagement " + engagementId);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM engagement WHERE id = ?")) {
            ps.setLong(1, engagementId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void insertEvent(Connection c, EventRow e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO engagement_event (" + EVENT_COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, e.engagementId());
            ps.setLong(2, e.seq());
            ps.setString(3, e.type());
            Jdbc.setTime(ps, 4, e.createdAt());
            Jdbc.setLong(ps, 5, e.actorId());
            ps.setString(6, e.visibility());
            ps.setBoolean(7, e.offRecord());
            ps.setString(8, e.messageId());
            ps.setString(9, e.payload());
            ps.executeUpdate();
        }
    }

    /** Events after {@code afterSeq}, oldest first, at most {@code limit}. */
    public List<EventRow> eventsAfter(long engagementId, long afterSeq, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM engagement_event"
                    + " WHERE engagement_id = ? AND seq > ? ORDER BY seq FETCH FIRST " + limit + " ROWS ONLY")) {
                ps.setLong(1, engagementId);
                ps.setLong(2, afterSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    List<EventRow> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(event(rs));
                    }
                    return out;
                }
            }
        });
    }

    /** One event of an engagement. */
    public Optional<EventRow> event(long engagementId, long seq) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM engagement_event"
                    + " WHERE engagement_id = ? AND seq = ?")) {
                ps.setLong(1, engagementId);
                ps.setLong(2, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(event(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The message a participant posted with this client message id, if any. */
    public Optional<EventRow> eventByMessageId(Connection c, long engagementId, long actorId, String messageId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM engagement_event"
                + " WHERE engagement_id = ? AND actor_id = ? AND message_id = ?")) {
            ps.setLong(1, engagementId);
            ps.setLong(2, actorId);
            ps.setString(3, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(event(rs)) : Optional.empty();
            }
        }
    }

    /** Notes that the engagement holds off-the-record messages to erase once it has ended. */
    public void markOffRecordPending(Connection c, long engagementId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE engagement SET off_record_pending = TRUE WHERE id = ? AND off_record_pending = FALSE")) {
            ps.setLong(1, engagementId);
            ps.executeUpdate();
        }
    }

    /**
     * Erases the bodies of off-the-record messages of engagements concluded before {@code cutoff}:
     * they were delivered during the chat and are kept nowhere afterwards.
     *
     * @return how many engagements were cleaned
     */
    public int eraseOffRecord(Instant cutoff, String erasedPayload) {
        return db.inTransaction(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM engagement WHERE off_record_pending = TRUE"
                    + " AND state = 'CONCLUDED' AND concluded_at < ? FETCH FIRST 500 ROWS ONLY")) {
                Jdbc.setTime(ps, 1, cutoff);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            try (PreparedStatement erase = c.prepareStatement(
                    "UPDATE engagement_event SET payload = ? WHERE engagement_id = ? AND off_record = TRUE");
                 PreparedStatement done = c.prepareStatement(
                         "UPDATE engagement SET off_record_pending = FALSE WHERE id = ?")) {
                for (long id : ids) {
                    erase.setString(1, erasedPayload);
                    erase.setLong(2, id);
                    erase.executeUpdate();
                    done.setLong(1, id);
                    done.executeUpdate();
                }
            }
            return ids.size();
        });
    }

    /** An engagement as its consumer session sees it: the row, the end user's participant id and delivery cursor. */
    public record ConsumerRow(EngagementRow engagement, long participantId, long deliveredSeq) {
    }

    public Optional<ConsumerRow> findConsumer(String consumerSession) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT e.id, e.site_id, e.chat_session_id, e.consumer_session,"
                    + " e.queue_id, e.state, e.queue_priority, e.created_at, e.queued_at, e.accepted_at, e.concluded_at,"
                    + " e.conclude_reason, e.last_seq, e.last_position, e.last_expected_wait,"
                    + " p.id AS participant_id, p.delivered_seq"
                    + " FROM engagement e JOIN participant p ON p.engagement_id = e.id AND p.kind = 'END_USER'"
                    + " WHERE e.consumer_session = ?")) {
                ps.setString(1, consumerSession);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new ConsumerRow(engagement(rs), rs.getLong("participant_id"), rs.getLong("delivered_seq")))
                            : Optional.empty();
                }
            }
        });
    }

    // ---- queues

    /** Takes the queue's row lock: membership changes of one queue happen one at a time. */
    public void lockQueue(Connection c, long queueId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM chat_queue WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, queueId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }
    }

    /**
     * Takes the queue's row lock if nobody holds it: false when another transaction (on this node
     * or another) has it, so a dispatcher moves on instead of queueing up behind one that is
     * already making the queue's offers.
     */
    public boolean tryLockQueue(Connection c, long queueId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM chat_queue WHERE id = ? FOR UPDATE SKIP LOCKED")) {
            ps.setLong(1, queueId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public int countQueued(Connection c, long queueId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM engagement WHERE queue_id = ? AND state = 'QUEUED'")) {
            ps.setLong(1, queueId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** A waiting engagement and the wait information it was last sent. */
    public record QueuedRow(long id, Integer lastPosition, Integer lastExpectedWait, Instant queuedAt) {
    }

    /** The engagements waiting in a queue, first in line first. */
    public List<QueuedRow> queued(Connection c, long queueId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, last_position, last_expected_wait, queued_at FROM engagement"
                        + " WHERE queue_id = ? AND state = 'QUEUED' ORDER BY queue_priority, queued_at, id")) {
            ps.setLong(1, queueId);
            try (ResultSet rs = ps.executeQuery()) {
                List<QueuedRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new QueuedRow(rs.getLong("id"), Jdbc.nullableInt(rs, "last_position"),
                            Jdbc.nullableInt(rs, "last_expected_wait"), Jdbc.time(rs, "queued_at")));
                }
                return out;
            }
        }
    }

    public void setWaitInfo(Connection c, long engagementId, int position, int expectedWait) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE engagement SET last_position = ?, last_expected_wait = ? WHERE id = ?")) {
            ps.setInt(1, position);
            ps.setInt(2, expectedWait);
            ps.setLong(3, engagementId);
            ps.executeUpdate();
        }
    }

    /** When recent engagements of a queue were queued and taken by an agent, newest first. */
    public record Departure(Instant queuedAt, Instant acceptedAt) {
    }

    public List<Departure> departuresSince(Connection c, long queueId, Instant since, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT queued_at, accepted_at FROM engagement"
                + " WHERE queue_id = ? AND accepted_at >= ? ORDER BY accepted_at DESC FETCH FIRST " + limit + " ROWS ONLY")) {
            ps.setLong(1, queueId);
            Jdbc.setTime(ps, 2, since);
            try (ResultSet rs = ps.executeQuery()) {
                List<Departure> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Departure(Jdbc.time(rs, "queued_at"), Jdbc.time(rs, "accepted_at")));
                }
                return out;
            }
        }
    }

    /** Waiting engagements of a queue queued before {@code cutoff}. */
    public List<Long> queuedBefore(long queueId, Instant cutoff) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM engagement WHERE queue_id = ? AND state = 'QUEUED' AND queued_at < ? ORDER BY id")) {
                ps.setLong(1, queueId);
                Jdbc.setTime(ps, 2, cutoff);
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

    // ---- mapping

    private static EngagementRow engagement(ResultSet rs) throws SQLException {
        return new EngagementRow(rs.getLong("id"), rs.getLong("site_id"), rs.getString("chat_session_id"),
                rs.getString("consumer_session"), rs.getLong("queue_id"), rs.getString("state"),
                rs.getInt("queue_priority"), Jdbc.time(rs, "created_at"), Jdbc.time(rs, "queued_at"),
                Jdbc.time(rs, "accepted_at"), Jdbc.time(rs, "concluded_at"), rs.getString("conclude_reason"),
                rs.getLong("last_seq"), Jdbc.nullableInt(rs, "last_position"), Jdbc.nullableInt(rs, "last_expected_wait"));
    }

    private static ParticipantRow participant(ResultSet rs) throws SQLException {
        return new ParticipantRow(rs.getLong("id"), rs.getLong("engagement_id"), rs.getString("kind"),
                rs.getString("role"), Jdbc.nullableLong(rs, "account_id"), rs.getString("name"),
                rs.getString("greeting"), Jdbc.time(rs, "joined_at"), Jdbc.time(rs, "left_at"),
                rs.getString("leave_reason"), rs.getLong("delivered_seq"), rs.getString("agent_session_id"),
                Jdbc.time(rs, "released_at"));
    }

    private static EventRow event(ResultSet rs) throws SQLException {
        return new EventRow(rs.getLong("engagement_id"), rs.getLong("seq"), rs.getString("type"),
                Jdbc.time(rs, "created_at"), Jdbc.nullableLong(rs, "actor_id"), rs.getString("visibility"),
                rs.getBoolean("off_record"), rs.getString("message_id"), rs.getString("payload"));
    }
}
