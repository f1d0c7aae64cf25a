package io.parley.store;

import io.parley.engagement.ConcludeReason;
import io.parley.engagement.EngagementState;
import io.parley.engagement.ParticipantKind;
import io.parley.engagement.Role;
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
                                EngagementState state, int queuePriority, Instant createdAt, Instant queuedAt,
                                Instant acceptedAt, Instant concludedAt, ConcludeReason concludeReason, long lastSeq,
                                Integer lastPosition, Integer lastExpectedWait) {
    }

    /** A row of {@code participant}. */
    public record ParticipantRow(long id, long engagementId, ParticipantKind kind, Role role, Long accountId, String name,
                                 String greeting, Instant joinedAt, Instant leftAt, String leaveReason,
                                 long deliveredSeq, String agentSessionId, Instant releasedAt) {
    }

    private static final String ENGAGEMENT_COLUMNS = "id, site_id, chat_session_id, consumer_session, queue_id, state,"
            + " queue_priority, created_at, queued_at, accepted_at, concluded_at, conclude_reason, last_seq,"
            + " last_position, last_expected_wait";
    private static final String PARTICIPANT_COLUMNS = "id, engagement_id, kind, role, account_id, name, greeting,"
            + " joined_at, left_at, leave_reason, delivered_seq, agent_session_id, released_at";

    private final Database db;

    public EngagementStore(Database db) {
        this.db = db;
    }

    // ---- engagements

    public long insertEngagement(Tx tx, long siteId, String chatSessionId, String consumerSession, long queueId,
                                 Instant now) {
        return tx.run(c -> {
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
        });
    }

    public Optional<EngagementRow> find(long id) {
        return db.read(c -> find(c, id, false));
    }

    /** Reads the engagement and holds its row lock until the transaction ends. */
    public Optional<EngagementRow> lock(Tx tx, long id) {
        return tx.run(c -> {
            return find(c, id, true);
        });
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

    /** Moves the engagement to ACTIVE if it is still QUEUED; false when it was not. */
    public boolean activate(Tx tx, long id, Instant now) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE engagement SET state = 'ACTIVE', accepted_at = ?, last_position = NULL, last_expected_wait = NULL"
                            + " WHERE id = ? AND state = 'QUEUED'")) {
                Jdbc.setTime(ps, 1, now);
                ps.setLong(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Concludes the engagement unless it is concluded already; false when it was. */
    public boolean conclude(Tx tx, long id, ConcludeReason reason, Instant now) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE engagement SET state = 'CONCLUDED', concluded_at = ?, conclude_reason = ?,"
                            + " last_position = NULL, last_expected_wait = NULL WHERE id = ? AND state <> 'CONCLUDED'")) {
                Jdbc.setTime(ps, 1, now);
                ps.setString(2, reason.name());
                ps.setLong(3, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    // ---- participants

    public long insertParticipant(Tx tx, long engagementId, ParticipantKind kind, Role role, Long accountId,
                                  String name, String greeting, Instant now) {
        return insertParticipant(tx, engagementId, kind, role, accountId, null, name, greeting, now);
    }

    public long insertParticipant(Tx tx, long engagementId, ParticipantKind kind, Role role, Long accountId,
                                  String agentSessionId, String name, String greeting, Instant now) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO participant (engagement_id, kind, role, account_id, agent_session_id, name, greeting, joined_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, engagementId);
                ps.setString(2, kind.name());
                ps.setString(3, role.name());
                Jdbc.setLong(ps, 4, accountId);
                ps.setString(5, agentSessionId);
                ps.setString(6, name);
                ps.setString(7, greeting);
                Jdbc.setTime(ps, 8, now);
                ps.executeUpdate();
                return Jdbc.generatedId(ps);
            }
        });
    }

    /** Frees an agent's slot after wrap-up: the participant no longer counts against its capacity. */
    public boolean release(Tx tx, long participantId, Instant now) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE participant SET released_at = ?, left_at = COALESCE(left_at, ?) WHERE id = ? AND released_at IS NULL")) {
                Jdbc.setTime(ps, 1, now);
                Jdbc.setTime(ps, 2, now);
                ps.setLong(3, participantId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public void setRole(Tx tx, long participantId, Role role) {
        tx.exec(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE participant SET role = ? WHERE id = ?")) {
                ps.setString(1, role.name());
                ps.setLong(2, participantId);
                ps.executeUpdate();
            }
        });
    }

    /** After a logon override: the account's chats are served through its new session. */
    public void rebindAgentSession(Tx tx, long accountId, String sessionId) {
        tx.exec(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE participant SET agent_session_id = ? WHERE account_id = ? AND released_at IS NULL")) {
                ps.setString(1, sessionId);
                ps.setLong(2, accountId);
                ps.executeUpdate();
            }
        });
    }

    /** The engagements an account takes part in and has not released, oldest first. */
    public List<Long> heldBy(Tx tx, long accountId) {
        return tx.run(c -> {
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
        });
    }

    /** Puts an active engagement back in a queue (reroute, transfer to a queue, the agent logged off). */
    public boolean requeue(Tx tx, long engagementId, long queueId, int priority, Instant now) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE engagement SET state = 'QUEUED', queue_id = ?,"
                    + " queue_priority = ?, queued_at = ?, accepted_at = NULL, last_position = NULL, last_expected_wait = NULL"
                    + " WHERE id = ? AND state = 'ACTIVE'")) {
                ps.setLong(1, queueId);
                ps.setInt(2, priority);
                Jdbc.setTime(ps, 3, now);
                ps.setLong(4, engagementId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Sets a property of the engagement ({@code scope} ENGAGEMENT or USER, or FIELD for custom fields). */
    public void setProperty(Tx tx, long engagementId, String scope, String name, String value, Instant now) {
        tx.exec(c -> {
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
        });
    }

    public List<ParticipantRow> participants(long engagementId) {
        return db.query(tx -> participants(tx, engagementId));
    }

    public List<ParticipantRow> participants(Tx tx, long engagementId) {
        return tx.run(c -> {
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
        });
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
    public boolean leave(Tx tx, long participantId, String reason, Instant now) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE participant SET left_at = ?, leave_reason = ? WHERE id = ? AND left_at IS NULL")) {
                Jdbc.setTime(ps, 1, now);
                ps.setString(2, reason);
                ps.setLong(3, participantId);
                return ps.executeUpdate() == 1;
            }
        });
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

    /** Notes that the engagement holds off-the-record messages to erase once it has ended. */
    public void markOffRecordPending(Tx tx, long engagementId) {
        tx.exec(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE engagement SET off_record_pending = TRUE WHERE id = ? AND off_record_pending = FALSE")) {
                ps.setLong(1, engagementId);
                ps.executeUpdate();
            }
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

    // ---- mapping

    private static EngagementRow engagement(ResultSet rs) throws SQLException {
        return new EngagementRow(rs.getLong("id"), rs.getLong("site_id"), rs.getString("chat_session_id"),
                rs.getString("consumer_session"), rs.getLong("queue_id"), EngagementState.valueOf(rs.getString("state")),
                rs.getInt("queue_priority"), Jdbc.time(rs, "created_at"), Jdbc.time(rs, "queued_at"),
                Jdbc.time(rs, "accepted_at"), Jdbc.time(rs, "concluded_at"), concludeReason(rs.getString("conclude_reason")),
                rs.getLong("last_seq"), Jdbc.nullableInt(rs, "last_position"), Jdbc.nullableInt(rs, "last_expected_wait"));
    }

    private static ParticipantRow participant(ResultSet rs) throws SQLException {
        return new ParticipantRow(rs.getLong("id"), rs.getLong("engagement_id"),
                ParticipantKind.valueOf(rs.getString("kind")), Role.valueOf(rs.getString("role")), Jdbc.nullableLong(rs, "account_id"), rs.getString("name"),
                rs.getString("greeting"), Jdbc.time(rs, "joined_at"), Jdbc.time(rs, "left_at"),
                rs.getString("leave_reason"), rs.getLong("delivered_seq"), rs.getString("agent_session_id"),
                Jdbc.time(rs, "released_at"));
    }


    private static ConcludeReason concludeReason(String name) {
        return name == null ? null : ConcludeReason.valueOf(name);
    }
}
