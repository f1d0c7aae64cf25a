package io.parley.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code signing_key} table: the keys Parley signs its tokens with, shared by every node
 * that uses the same database.
 */
public final class SigningKeyStore {

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

    public void insert(Row row) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO signing_key (kid, algorithm, private_key, public_jwk, created_at, retired_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, row.kid());
                ps.setString(2, row.algorithm());
                ps.setString(3, row.privateKey());
                ps.setString(4, row.publicJwk());
                Jdbc.setTime(ps, 5, row.createdAt());
                Jdbc.setTime(ps, 6, row.retiredAt());
                return ps.executeUpdate();
            }
        });
    }

    /** Retires every active key but {@code keep}: they verify the tokens they signed, and sign no more. */
    public int retireAllBut(String keep, Instant now) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE signing_key SET retired_at = ? WHERE retired_at IS NULL AND kid <> ?")) {
                Jdbc.setTime(ps, 1, now);
                ps.setString(2, keep);
                return ps.executeUpdate();
            }
        });
    }
}
