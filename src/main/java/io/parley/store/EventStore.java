package io.parley.store;

import io.parley.engagement.EventType;
import io.parley.engagement.Visibility;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The events of engagements, in order. Sequence numbers come from {@link #nextSeq}, which bumps the
 * engagement's {@code last_seq} under its row lock, so they are gap-free however many write at once.
 */
public final class EventStore {

    private final Database db;
    private final String nextSeq;

    public EventStore(Database db) {
        this.db = db;
        this.nextSeq = Jdbc.increment(db.dialect(), "engagement", "last_seq", "id");
    }

    /** A row of {@code engagement_event}; {@code payload} is JSON. */
    public record EventRow(long engagementId, long seq, EventType type, Instant createdAt, Long participantId,
                           Visibility visibility, boolean offRecord, String messageId, String payload) {
    }

    private static final String EVENT_COLUMNS = "engagement_id, seq, type, created_at, participant_id, visibility, off_record,"
            + " message_id, payload";


    /** The next sequence number of the engagement; holds its row lock until the transaction ends. */
    public long nextSeq(Tx tx, long engagementId) {
        return tx.run(c -> Jdbc.increment(c, nextSeq, engagementId, "engagement"));
    }

    public void insertEvent(Tx tx, EventRow e) {
        tx.exec(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO engagement_event (" + EVENT_COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, e.engagementId());
                ps.setLong(2, e.seq());
                ps.setString(3, e.type().name());
                Jdbc.setTime(ps, 4, e.createdAt());
                Jdbc.setLong(ps, 5, e.participantId());
                ps.setString(6, e.visibility().name());
                ps.setBoolean(7, e.offRecord());
                ps.setString(8, e.messageId());
                ps.setString(9, e.payload());
                ps.executeUpdate();
            }
        });
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
    public Optional<EventRow> eventByMessageId(Tx tx, long engagementId, long participantId, String messageId) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM engagement_event"
                    + " WHERE engagement_id = ? AND participant_id = ? AND message_id = ?")) {
                ps.setLong(1, engagementId);
                ps.setLong(2, participantId);
                ps.setString(3, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(event(rs)) : Optional.empty();
                }
            }
        });
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

    private static EventRow event(ResultSet rs) throws SQLException {
        return new EventRow(rs.getLong("engagement_id"), rs.getLong("seq"), EventType.valueOf(rs.getString("type")),
                Jdbc.time(rs, "created_at"), Jdbc.nullableLong(rs, "participant_id"),
                Visibility.valueOf(rs.getString("visibility")),
                rs.getBoolean("off_record"), rs.getString("message_id"), rs.getString("payload"));
    }
}
