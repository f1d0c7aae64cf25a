package io.parley.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** The {@code chat_session} table: session information bound to a token's jti by a bootstrap call. */
public final class ChatSessionStore {

    /** A row of {@code chat_session}; {@code sessionInfo} is JSON. */
    public record Row(String id, long siteId, String authUserName, String sessionInfo, Instant createdAt, Instant expiresAt) {
    }

    private final Database db;

    public ChatSessionStore(Database db) {
        this.db = db;
    }

    public void insert(Row row) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO chat_session (id, site_id, auth_user_name, session_info, created_at, expires_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, row.id());
                ps.setLong(2, row.siteId());
                ps.setString(3, row.authUserName());
                ps.setString(4, row.sessionInfo());
                Jdbc.setTime(ps, 5, row.createdAt());
                Jdbc.setTime(ps, 6, row.expiresAt());
                return ps.executeUpdate();
            }
        });
    }

    public Optional<Row> find(String id) {
        return db.query(tx -> find(tx, id));
    }

    /** The row, read on the caller's connection (inside its transaction). */
    public Optional<Row> find(Tx tx, String id) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, site_id, auth_user_name, session_info, created_at, expires_at FROM chat_session WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Row(rs.getString("id"), rs.getLong("site_id"), rs.getString("auth_user_name"),
                            rs.getString("session_info"), Jdbc.time(rs, "created_at"), Jdbc.time(rs, "expires_at")));
                }
            }
        });
    }
}
