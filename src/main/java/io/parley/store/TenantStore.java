package io.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Writes and reads tenant data: sites, their origins, queues, routing rules and accounts. */
public final class TenantStore {

    /** A queue as stored. */
    public record QueueRow(long id, long siteId, String name, Integer maxWaiting, Integer timeoutSeconds,
                           Long escalationQueueId, String hoursZone, String hours, int defaultWaitSeconds) {
    }

    /** A routing rule as stored; null conditions do not constrain. */
    public record RuleRow(long siteId, int priority, String name, Long matchQueueId, Long matchProductId,
                          Long matchCategoryId, Long matchInterfaceId, String matchFieldName, String matchFieldValue,
                          String action, Long targetQueueId) {
    }

    /** An account as stored. */
    public record AccountRow(long id, Long siteId, String username, String passwordHash, String role,
                             String displayName, String greeting, Integer maxSessions) {
    }

    private final Database db;

    public TenantStore(Database db) {
        this.db = db;
    }

    public Optional<Long> siteId(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM site WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    public long insertSite(Connection c, String name, String pool, Long defaultQueueId, Instant now) throws SQLException {
        return insertSite(c, name, pool, defaultQueueId, null, now);
    }

    /** A new site; {@code publicDomain} null: the server's public domain serves it. */
    public long insertSite(Connection c, String name, String pool, Long defaultQueueId, String publicDomain, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO site (name, pool, default_queue_id, public_domain, created_at) VALUES (?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, name);
            ps.setString(2, pool);
            Jdbc.setLong(ps, 3, defaultQueueId);
            ps.setString(4, publicDomain);
            Jdbc.setTime(ps, 5, now);
            ps.executeUpdate();
            return Jdbc.generatedId(ps);
        }
    }

    public void insertOrigin(Connection c, long siteId, String origin) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO site_origin (site_id, origin) VALUES (?, ?)")) {
            ps.setLong(1, siteId);
            ps.setString(2, origin);
            ps.executeUpdate();
        }
    }

    public boolean queueExists(Connection c, long queueId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM chat_queue WHERE id = ?")) {
            ps.setLong(1, queueId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public void insertQueue(Connection c, QueueRow q, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO chat_queue (id, site_id, name, max_waiting, queue_timeout_seconds, escalation_queue_id,"
                        + " hours_zone, hours, default_wait_seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, q.id());
            ps.setLong(2, q.siteId());
            ps.setString(3, q.name());
            Jdbc.setInt(ps, 4, q.maxWaiting());
            Jdbc.setInt(ps, 5, q.timeoutSeconds());
            Jdbc.setLong(ps, 6, q.escalationQueueId());
            ps.setString(7, q.hoursZone());
            ps.setString(8, q.hours());
            ps.setInt(9, q.defaultWaitSeconds());
            Jdbc.setTime(ps, 10, now);
            ps.executeUpdate();
        }
    }

    public long insertRule(Connection c, RuleRow r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO routing_rule (site_id, priority, name, match_queue_id, match_product_id, match_category_id,"
                        + " match_interface_id, match_field_name, match_field_value, action, target_queue_id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            bindRule(ps, r);
            ps.executeUpdate();
            return Jdbc.generatedId(ps);
        }
    }

    /** Binds a rule's columns as parameters 1 to 11, in the order of {@link #insertRule}. */
    static void bindRule(PreparedStatement ps, RuleRow r) throws SQLException {
        ps.setLong(1, r.siteId());
        ps.setInt(2, r.priority());
        ps.setString(3, r.name());
        Jdbc.setLong(ps, 4, r.matchQueueId());
        Jdbc.setLong(ps, 5, r.matchProductId());
        Jdbc.setLong(ps, 6, r.matchCategoryId());
        Jdbc.setLong(ps, 7, r.matchInterfaceId());
        ps.setString(8, r.matchFieldName());
        ps.setString(9, r.matchFieldValue());
        ps.setString(10, r.action());
        Jdbc.setLong(ps, 11, r.targetQueueId());
    }

    public boolean accountExists(Connection c, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM account WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public long insertAccount(Connection c, AccountRow a, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO account (site_id, username, password_hash, role, display_name, greeting, max_sessions, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            Jdbc.setLong(ps, 1, a.siteId());
            ps.setString(2, a.username());
            ps.setString(3, a.passwordHash());
            ps.setString(4, a.role());
            ps.setString(5, a.displayName());
            ps.setString(6, a.greeting());
            Jdbc.setInt(ps, 7, a.maxSessions());
            Jdbc.setTime(ps, 8, now);
            ps.executeUpdate();
            return Jdbc.generatedId(ps);
        }
    }

    public void insertAgentQueues(Connection c, long accountId, List<Long> queueIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_queue (account_id, queue_id) VALUES (?, ?)")) {
            for (Long q : queueIds) {
                ps.setLong(1, accountId);
                ps.setLong(2, q);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The account with this user name, if any. */
    public Optional<AccountRow> account(String username) {
        return accountWhere("username = ?", username);
    }

    /** The account with this id, if any. */
    public Optional<AccountRow> account(long id) {
        return accountWhere("id = ?", id);
    }

    /** The account with this id, read on the caller's connection (inside its transaction). */
    /** The account, read inside the domain's transaction. */
    public Optional<AccountRow> account(Tx tx, long id) {
        return tx.run(c -> account(c, id));
    }

    public Optional<AccountRow> account(Connection c, long id) throws SQLException {
        return accountWhere(c, "id = ?", id);
    }

    private Optional<AccountRow> accountWhere(String condition, Object value) {
        return db.read(c -> accountWhere(c, condition, value));
    }

    private Optional<AccountRow> accountWhere(Connection c, String condition, Object value) throws SQLException {
        {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, site_id, username, password_hash, role, display_name, greeting, max_sessions"
                            + " FROM account WHERE deleted_at IS NULL AND " + condition)) {
                ps.setObject(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new AccountRow(rs.getLong("id"), Jdbc.nullableLong(rs, "site_id"),
                            rs.getString("username"), rs.getString("password_hash"), rs.getString("role"),
                            rs.getString("display_name"), rs.getString("greeting"), Jdbc.nullableInt(rs, "max_sessions")));
                }
            }
        }
    }
}
