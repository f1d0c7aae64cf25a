package io.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The few JDBC conversions every store needs: nullable numbers, UTC timestamps and generated keys. */
public final class Jdbc {

    private Jdbc() {
    }

    public static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    public static void setTime(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, utc(t));
        }
    }

    public static Instant time(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    public static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    public static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** The key the database generated for the row a statement (prepared with RETURN_GENERATED_KEYS) inserted. */
    public static long generatedId(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("No generated key");
            }
            return keys.getLong(1);
        }
    }

    /**
     * One statement that adds 1 to {@code column} of the row whose {@code key} is the parameter and
     * answers the new value (a query): the row stays locked to the transaction, and the counter costs
     * one round trip, not an update and a read.
     */
    static String increment(Database.Dialect dialect, String table, String column, String key) {
        String update = "UPDATE " + table + " SET " + column + " = " + column + " + 1 WHERE " + key + " = ?";
        return switch (dialect) {
            case H2 -> "SELECT " + column + " FROM FINAL TABLE (" + update + ")";
            case POSTGRESQL -> update + " RETURNING " + column;
        };
    }

    /** Runs an {@link #increment} statement and answers the new value. */
    static long increment(Connection c, String sql, Object key, String what) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("No " + what + " " + key);
                }
                return rs.getLong(1);
            }
        }
    }

    /** SQL state of a unique-constraint violation, the same in H2 and PostgreSQL. */
    static final String UNIQUE_VIOLATION = "23505";

    /** Whether {@code e} is a unique-constraint violation. */
    public static boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }
}
