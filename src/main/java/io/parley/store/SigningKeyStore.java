package io.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code signing_key} table: the keys Parley signs its tokens with, shared by every node
 * that uses the same database.
 */
public class SigningKeyStore {

    /**
     * A row of {@code signing_key}.
     *
     * @param kid        the key id tokens carry in their header
     * @param algorithm  the JWS algorithm the key signs with, e.g. {@code RS256}
     * @param privateKey the private key, PKCS#8 in PEM form
     * @param publicJwk  the public key as a JWK (JSON), as published
     * @param createdAt  when the key was made
     * @param retiredAt  when it stopped signing (null: active); it verifies for a token lifetime longer
     */
    public record Row(String kid, String algorithm, String privateKey, String publicJwk, Instant createdAt,
                      Instant retiredAt) {

        /** Never prints the private key. */
        @Override
        public String toString() {
            return "SigningKeyStore.Row[kid=" + kid + ", algorithm=" + algorithm + ", createdAt=" + createdAt
                    + ", retiredAt=" + retiredAt + "]";
        }
    }

    private final Database db;

    public SigningKeyStore(Database db) {
        this.db = db;
    }

    /** The active keys and those retired after {@code retiredAfter}, oldest first. */
    public List<Row> usable(Instant retiredAfter) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT kid, algorithm, private_key, public_jwk, created_at, retired_at FROM signing_key"
                            + " WHERE retired_at IS NULL OR retired_at > ? ORDER BY created_at, kid")) {
                Jdbc.setTime(ps, 1, retiredAfter);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Row> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(new Row(rs.getString("kid"), rs.getString("algorithm"), rs.getString("private_key"),
                                rs.getString("public_jwk"), Jdbc.time(rs, "created_at"), Jdbc.time(rs, "retired_at")));
                    }
                    return rows;
                }
            }
        });
    }

    /**
     * Stores {@code row} as the active key of its algorithm, unless one exists: the database keeps one
     * active key per algorithm, so of nodes that start together on an empty database exactly one
     * inserts, and the others load its key.
     *
     * @return false when another active key of the algorithm is already stored
     */
    public boolean insertActive(Row row) {
        try {
            db.read(c -> insert(c, row));
            return true;
        } catch (ActiveKeyTaken e) {
            return false;
        }
    }

    /**
     * Retires every active key of {@code row}'s algorithm and stores {@code row} as the active one, in
     * one transaction: the retired keys stop signing and keep verifying the tokens they signed.
     *
     * @return false when another node's rotation stored its key first (nothing changed here)
     */
    public boolean rotateTo(Row row, Instant now) {
        try {
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE signing_key SET retired_at = ?, active_algorithm = NULL WHERE retired_at IS NULL")) {
                    Jdbc.setTime(ps, 1, now);
                    ps.executeUpdate();
                }
                return insert(c, row);
            });
            return true;
        } catch (ActiveKeyTaken e) {
            return false;
        }
    }

    private static int insert(Connection c, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO signing_key (kid, algorithm, private_key, public_jwk, created_at, retired_at,"
                        + " active_algorithm) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, row.kid());
            ps.setString(2, row.algorithm());
            ps.setString(3, row.privateKey());
            ps.setString(4, row.publicJwk());
            Jdbc.setTime(ps, 5, row.createdAt());
            Jdbc.setTime(ps, 6, row.retiredAt());
            ps.setString(7, row.retiredAt() == null ? row.algorithm() : null);
            return ps.executeUpdate();
        } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) {
                // Thrown, not returned: inside a transaction the failed statement must roll it back.
                throw new ActiveKeyTaken();
            }
            throw e;
        }
    }

    /** Another active key of the algorithm exists (the one-active-key constraint refused the insert). */
    private static final class ActiveKeyTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ActiveKeyTaken() {
            super(null, null, false, false);
        }
    }
}
