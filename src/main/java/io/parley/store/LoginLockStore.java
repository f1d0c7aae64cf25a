package io.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code login_lock} table: accounts and client addresses locked after too many failed
 * logins, as administrators see them. The lock itself is the throttle's bucket; a row records it.
 */
public final class LoginLockStore {

    /**
     * A recorded lock.
     *
     * @param id          the lock's id in the admin API
     * @param kind        {@code ACCOUNT} or {@code ADDRESS}
     * @param subject     the user name tried, or the client address
     * @param bucket      the throttle bucket the lock belongs to
     * @param lockedAt    when it was (last) locked
     * @param lockedUntil when the next attempt is allowed
     */
    public record Row(long id, String kind, String subject, String bucket, Instant lockedAt, Instant lockedUntil) {
    }

    private static final String COLUMNS = "id, kind, subject, bucket, locked_at, locked_until";

    private final Database db;

    public LoginLockStore(Database db) {
        this.db = db;
    }

    /** Records that {@code subject} is locked until {@code until}, replacing an earlier lock of it. */
    public void record(String kind, String subject, String bucket, Instant at, Instant until) {
        db.read(c -> {
            if (update(c, kind, subject, bucket, at, until) == 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO login_lock (kind, subject, bucket, locked_at, locked_until) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, kind);
                    ps.setString(2, subject);
                    ps.setString(3, bucket);
                    Jdbc.setTime(ps, 4, at);
                    Jdbc.setTime(ps, 5, until);
                    return ps.executeUpdate();
                } catch (SQLException e) {
                    // Another node recorded the same lock a moment earlier.
                    if (Jdbc.isUniqueViolation(e)) {
                        return update(c, kind, subject, bucket, at, until);
                    }
                    throw e;
                }
            }
            return 1;
        });
    }

    private static int update(Connection c, String kind, String subject, String bucket, Instant at, Instant until)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE login_lock SET bucket = ?, locked_at = ?, locked_until = ? WHERE kind = ? AND subject = ?")) {
            ps.setString(1, bucket);
            Jdbc.setTime(ps, 2, at);
            Jdbc.setTime(ps, 3, until);
            ps.setString(4, kind);
            ps.setString(5, subject);
            return ps.executeUpdate();
        }
    }

    /** The locks in force at {@code now}, newest first. */
    public List<Row> active(Instant now) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM login_lock WHERE locked_until > ? ORDER BY locked_at DESC, id DESC")) {
                Jdbc.setTime(ps, 1, now);
                return rows(ps);
            }
        });
    }

    public Optional<Row> find(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM login_lock WHERE id = ?")) {
                ps.setLong(1, id);
                return rows(ps).stream().findFirst();
            }
        });
    }

    public boolean delete(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM login_lock WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Forgets locks that ended before {@code before}. */
    public int deleteEnded(Instant before) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM login_lock WHERE locked_until < ?")) {
                Jdbc.setTime(ps, 1, before);
                return ps.executeUpdate();
            }
        });
    }

    private static List<Row> rows(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<Row> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Row(rs.getLong("id"), rs.getString("kind"), rs.getString("subject"), rs.getString("bucket"),
                        Jdbc.time(rs, "locked_at"), Jdbc.time(rs, "locked_until")));
            }
            return out;
        }
    }
}
