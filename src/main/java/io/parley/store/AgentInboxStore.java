package io.parley.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The inboxes of agent sessions: notices and their engagements' events, in order, and how far polls read. */
public final class AgentInboxStore {

    private final Database db;
    private final String nextSeq;

    public AgentInboxStore(Database db) {
        this.db = db;
        this.nextSeq = Jdbc.increment(db.dialect(), "agent_session", "last_seq", "id");
    }

    /** A row of {@code agent_event}. */
    public record EventRow(String agentSessionId, long seq, String type, Long engagementId, Long engagementSeq,
                           Instant createdAt, String payload) {
    }

    /** The session's next inbox sequence number; holds its row lock until the transaction ends. */
    public long nextSeq(Tx tx, String sessionId) {
        return tx.run(c -> Jdbc.increment(c, nextSeq, sessionId, "agent session"));
    }

    public void insertEvent(Tx tx, EventRow e) {
        tx.exec(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_event (agent_session_id, seq, type,"
                    + " engagement_id, engagement_seq, created_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, e.agentSessionId());
                ps.setLong(2, e.seq());
                ps.setString(3, e.type());
                Jdbc.setLong(ps, 4, e.engagementId());
                Jdbc.setLong(ps, 5, e.engagementSeq());
                Jdbc.setTime(ps, 6, e.createdAt());
                ps.setString(7, e.payload());
                ps.executeUpdate();
            }
        });
    }

    /** Inbox rows after {@code afterSeq}, oldest first. */
    public List<EventRow> eventsAfter(String sessionId, long afterSeq, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT agent_session_id, seq, type, engagement_id,"
                    + " engagement_seq, created_at, payload FROM agent_event WHERE agent_session_id = ? AND seq > ?"
                    + " ORDER BY seq FETCH FIRST " + limit + " ROWS ONLY")) {
                ps.setString(1, sessionId);
                ps.setLong(2, afterSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    List<EventRow> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new EventRow(rs.getString(1), rs.getLong(2), rs.getString(3),
                                Jdbc.nullableLong(rs, "engagement_id"), Jdbc.nullableLong(rs, "engagement_seq"),
                                Jdbc.time(rs, "created_at"), rs.getString(7)));
                    }
                    return out;
                }
            }
        });
    }

    /** Moves the session's delivery cursor forward, never back. */
    public void advanceDelivered(String sessionId, long seq) {
        db.inGroupTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE agent_session SET delivered_seq = ? WHERE id = ? AND delivered_seq < ?")) {
                ps.setLong(1, seq);
                ps.setString(2, sessionId);
                ps.setLong(3, seq);
                return ps.executeUpdate();
            }
        });
    }
}
