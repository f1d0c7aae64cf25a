package io.parley.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Engagements waiting in queues: their order, their last wait information, and the queue row lock
 * that a transaction changing a queue's members takes first, before any engagement row.
 */
public final class WaitingLineStore {

    private final Database db;

    public WaitingLineStore(Database db) {
        this.db = db;
    }

    /** Takes the queue's row lock: membership changes of one queue happen one at a time. */
    public void lockQueue(Tx tx, long queueId) {
        tx.exec(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM chat_queue WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, queueId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
        });
    }

    /**
     * Takes the queue's row lock if nobody holds it: false when another transaction (on this node
     * or another) has it, so a dispatcher moves on instead of queueing up behind one that is
     * already making the queue's offers.
     */
    public boolean tryLockQueue(Tx tx, long queueId) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM chat_queue WHERE id = ? FOR UPDATE SKIP LOCKED")) {
                ps.setLong(1, queueId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    public int countQueued(Tx tx, long queueId) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM engagement WHERE queue_id = ? AND state = 'QUEUED'")) {
                ps.setLong(1, queueId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** A waiting engagement and the wait information it was last sent. */
    public record QueuedRow(long id, Integer lastPosition, Integer lastExpectedWait, Instant queuedAt) {
    }

    /** The engagements waiting in a queue, first in line first. */
    public List<QueuedRow> queued(Tx tx, long queueId) {
        return tx.run(c -> {
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
        });
    }

    public void setWaitInfo(Tx tx, long engagementId, int position, int expectedWait) {
        tx.exec(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE engagement SET last_position = ?, last_expected_wait = ? WHERE id = ?")) {
                ps.setInt(1, position);
                ps.setInt(2, expectedWait);
                ps.setLong(3, engagementId);
                ps.executeUpdate();
            }
        });
    }

    /** When recent engagements of a queue were queued and taken by an agent, newest first. */
    public record Departure(Instant queuedAt, Instant acceptedAt) {
    }

    public List<Departure> departuresSince(Tx tx, long queueId, Instant since, int limit) {
        return tx.run(c -> {
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
        });
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
}
