package io.parley.store;

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
 * What administrators change: sites and their origins, queues, routing rules, accounts and their
 * queues, the denied-party list, and the audit log of every change. Every method works on the
 * caller's connection, inside the caller's transaction.
 */
public final class AdminStore {

    /**
     * A site as stored. {@code deniedCountries} is the comma-separated list, or null for the server's;
     * {@code publicDomain} null: the server's.
     */
    public record SiteRow(long id, String name, String pool, Long defaultQueueId, String deniedCountries,
                          String unknownCountryPolicy, String publicDomain, Instant createdAt) {
    }

    /** A routing rule with its id. */
    public record RuleRow(long id, TenantStore.RuleRow rule) {
    }

    /** An account as administrators see it (never its password hash). */
    public record AccountRow(long id, Long siteId, String username, String role, String displayName, String greeting,
                             Integer maxSessions, Instant createdAt) {
    }

    /** A row of the denied-party list; {@code siteId} null applies to every site. */
    public record DeniedPartyRow(long id, Long siteId, String kind, String value, Instant createdAt) {
    }

    /** A row of the audit log. */
    public record AuditRow(long id, Instant at, String actor, String action, String targetType, String targetId,
                           String details) {
    }

    private static final String SITE_COLUMNS =
            "id, name, pool, default_queue_id, denied_countries, unknown_country_policy, public_domain, created_at";
    private static final String ACCOUNT_COLUMNS = "id, site_id, username, role, display_name, greeting, max_sessions, created_at";

    // ------------------------------------------------------------------ sites

    public List<SiteRow> sites(Connection c) throws SQLException {
        return list(c, "SELECT " + SITE_COLUMNS + " FROM site ORDER BY id", ps -> { }, AdminStore::site);
    }

    public Optional<SiteRow> site(Connection c, long id) throws SQLException {
        return one(c, "SELECT " + SITE_COLUMNS + " FROM site WHERE id = ?", ps -> ps.setLong(1, id), AdminStore::site);
    }

    public boolean siteNameTaken(Connection c, String name, long exceptId) throws SQLException {
        return exists(c, "SELECT 1 FROM site WHERE name = ? AND id <> ?", ps -> {
            ps.setString(1, name);
            ps.setLong(2, exceptId);
        });
    }

    public void updateSite(Connection c, SiteRow s) throws SQLException {
        update(c, "UPDATE site SET name = ?, pool = ?, default_queue_id = ?, denied_countries = ?,"
                + " unknown_country_policy = ?, public_domain = ? WHERE id = ?", ps -> {
            ps.setString(1, s.name());
            ps.setString(2, s.pool());
            Jdbc.setLong(ps, 3, s.defaultQueueId());
            ps.setString(4, s.deniedCountries());
            ps.setString(5, s.unknownCountryPolicy());
            ps.setString(6, s.publicDomain());
            ps.setLong(7, s.id());
        });
    }

    public List<String> origins(Connection c, long siteId) throws SQLException {
        return list(c, "SELECT origin FROM site_origin WHERE site_id = ? ORDER BY origin", ps -> ps.setLong(1, siteId),
                rs -> rs.getString(1));
    }

    public void replaceOrigins(Connection c, long siteId, List<String> origins) throws SQLException {
        update(c, "DELETE FROM site_origin WHERE site_id = ?", ps -> ps.setLong(1, siteId));
        for (String o : origins) {
            update(c, "INSERT INTO site_origin (site_id, origin) VALUES (?, ?)", ps -> {
                ps.setLong(1, siteId);
                ps.setString(2, o);
            });
        }
    }

    /** Engagements of the site that are waiting or in progress. */
    public long liveEngagementsOfSite(Connection c, long siteId) throws SQLException {
        return count(c, "SELECT COUNT(*) FROM engagement WHERE site_id = ? AND state <> 'CONCLUDED'", ps -> ps.setLong(1, siteId));
    }

    /** Deletes the site and, by cascade, everything that belongs to it. */
    public boolean deleteSite(Connection c, long id) throws SQLException {
        // The site's chats go first (their participants, events, offers and properties with them): they
        // refer to the site's chat sessions and accounts, which the site's own cascade would otherwise
        // meet still referenced. The cascade handles the rest of what the site owns.
        update(c, "DELETE FROM engagement WHERE site_id = ?", ps -> ps.setLong(1, id));
        return update(c, "DELETE FROM site WHERE id = ?", ps -> ps.setLong(1, id)) > 0;
    }

    // ------------------------------------------------------------------ queues

    public List<TenantStore.QueueRow> queues(Connection c, long siteId) throws SQLException {
        return list(c, "SELECT id, site_id, name, max_waiting, queue_timeout_seconds, escalation_queue_id, hours_zone,"
                + " hours, default_wait_seconds FROM chat_queue WHERE site_id = ? ORDER BY id", ps -> ps.setLong(1, siteId),
                AdminStore::queue);
    }

    public Optional<TenantStore.QueueRow> queue(Connection c, long id) throws SQLException {
        return one(c, "SELECT id, site_id, name, max_waiting, queue_timeout_seconds, escalation_queue_id, hours_zone,"
                + " hours, default_wait_seconds FROM chat_queue WHERE id = ?", ps -> ps.setLong(1, id), AdminStore::queue);
    }

    /** An id for a new queue: queue ids are the public queueIds clients send, so they are small numbers. */
    public long nextQueueId(Connection c) throws SQLException {
        return count(c, "SELECT COALESCE(MAX(id), 0) + 1 FROM chat_queue", ps -> { });
    }

    public void updateQueue(Connection c, TenantStore.QueueRow q) throws SQLException {
        update(c, "UPDATE chat_queue SET name = ?, max_waiting = ?, queue_timeout_seconds = ?, escalation_queue_id = ?,"
                + " hours_zone = ?, hours = ?, default_wait_seconds = ? WHERE id = ?", ps -> {
            ps.setString(1, q.name());
            Jdbc.setInt(ps, 2, q.maxWaiting());
            Jdbc.setInt(ps, 3, q.timeoutSeconds());
            Jdbc.setLong(ps, 4, q.escalationQueueId());
            ps.setString(5, q.hoursZone());
            ps.setString(6, q.hours());
            ps.setInt(7, q.defaultWaitSeconds());
            ps.setLong(8, q.id());
        });
    }

    /** What still points at the queue, in words; empty when it may be deleted. */
    public List<String> queueReferences(Connection c, long queueId) throws SQLException {
        List<String> refs = new ArrayList<>();
        if (exists(c, "SELECT 1 FROM engagement WHERE queue_id = ? AND state <> 'CONCLUDED'", ps -> ps.setLong(1, queueId))) {
            refs.add("engagements waiting or in progress");
        }
        if (exists(c, "SELECT 1 FROM site WHERE default_queue_id = ?", ps -> ps.setLong(1, queueId))) {
            refs.add("a site's default queue");
        }
        if (exists(c, "SELECT 1 FROM chat_queue WHERE escalation_queue_id = ?", ps -> ps.setLong(1, queueId))) {
            refs.add("another queue's escalation queue");
        }
        if (exists(c, "SELECT 1 FROM routing_rule WHERE target_queue_id = ? OR match_queue_id = ?", ps -> {
            ps.setLong(1, queueId);
            ps.setLong(2, queueId);
        })) {
            refs.add("a routing rule");
        }
        return refs;
    }

    public boolean deleteQueue(Connection c, long id) throws SQLException {
        return update(c, "DELETE FROM chat_queue WHERE id = ?", ps -> ps.setLong(1, id)) > 0;
    }

    // ------------------------------------------------------------------ routing rules

    public List<RuleRow> rules(Connection c, long siteId) throws SQLException {
        return list(c, "SELECT " + RULE_COLUMNS + " FROM routing_rule WHERE site_id = ? ORDER BY priority, id",
                ps -> ps.setLong(1, siteId), AdminStore::rule);
    }

    public Optional<RuleRow> rule(Connection c, long id) throws SQLException {
        return one(c, "SELECT " + RULE_COLUMNS + " FROM routing_rule WHERE id = ?", ps -> ps.setLong(1, id), AdminStore::rule);
    }

    public void updateRule(Connection c, long id, TenantStore.RuleRow r) throws SQLException {
        update(c, "UPDATE routing_rule SET site_id = ?, priority = ?, name = ?, match_queue_id = ?, match_product_id = ?,"
                + " match_category_id = ?, match_interface_id = ?, match_field_name = ?, match_field_value = ?,"
                + " action = ?, target_queue_id = ? WHERE id = ?", ps -> {
            TenantStore.bindRule(ps, r);
            ps.setLong(12, id);
        });
    }

    public boolean deleteRule(Connection c, long id) throws SQLException {
        return update(c, "DELETE FROM routing_rule WHERE id = ?", ps -> ps.setLong(1, id)) > 0;
    }

    private static final String RULE_COLUMNS = "id, site_id, priority, name, match_queue_id, match_product_id,"
            + " match_category_id, match_interface_id, match_field_name, match_field_value, action, target_queue_id";

    // ------------------------------------------------------------------ accounts

    /** The live (not deleted) accounts of a site with a role. */
    public List<AccountRow> accounts(Connection c, long siteId, String role) throws SQLException {
        return list(c, "SELECT " + ACCOUNT_COLUMNS + " FROM account WHERE site_id = ? AND role = ? AND deleted_at IS NULL"
                + " ORDER BY id", ps -> {
            ps.setLong(1, siteId);
            ps.setString(2, role);
        }, AdminStore::account);
    }

    public Optional<AccountRow> account(Connection c, long id) throws SQLException {
        return one(c, "SELECT " + ACCOUNT_COLUMNS + " FROM account WHERE id = ? AND deleted_at IS NULL",
                ps -> ps.setLong(1, id), AdminStore::account);
    }

    public boolean usernameTaken(Connection c, String username) throws SQLException {
        return exists(c, "SELECT 1 FROM account WHERE username = ?", ps -> ps.setString(1, username));
    }

    public void updateAccount(Connection c, long id, String displayName, String greeting, Integer maxSessions)
            throws SQLException {
        update(c, "UPDATE account SET display_name = ?, greeting = ?, max_sessions = ? WHERE id = ?", ps -> {
            ps.setString(1, displayName);
            ps.setString(2, greeting);
            Jdbc.setInt(ps, 3, maxSessions);
            ps.setLong(4, id);
        });
    }

    public void setPassword(Connection c, long id, String passwordHash) throws SQLException {
        update(c, "UPDATE account SET password_hash = ? WHERE id = ?", ps -> {
            ps.setString(1, passwordHash);
            ps.setLong(2, id);
        });
    }

    public List<Long> agentQueues(Connection c, long accountId) throws SQLException {
        return list(c, "SELECT queue_id FROM agent_queue WHERE account_id = ? ORDER BY queue_id",
                ps -> ps.setLong(1, accountId), rs -> rs.getLong(1));
    }

    public void replaceAgentQueues(Connection c, long accountId, List<Long> queueIds) throws SQLException {
        update(c, "DELETE FROM agent_queue WHERE account_id = ?", ps -> ps.setLong(1, accountId));
        for (long q : queueIds) {
            update(c, "INSERT INTO agent_queue (account_id, queue_id) VALUES (?, ?)", ps -> {
                ps.setLong(1, accountId);
                ps.setLong(2, q);
            });
        }
    }

    /** Whether the account has an agent session that has not ended. */
    public boolean loggedOn(Connection c, long accountId) throws SQLException {
        return exists(c, "SELECT 1 FROM agent_session WHERE account_id = ? AND ended_at IS NULL", ps -> ps.setLong(1, accountId));
    }

    /**
     * Deletes an account: it can no longer log in and serves no queue, its row stays for the chats
     * that name it, and its user name is freed.
     */
    public void deleteAccount(Connection c, long id, Instant now) throws SQLException {
        update(c, "DELETE FROM agent_queue WHERE account_id = ?", ps -> ps.setLong(1, id));
        update(c, "UPDATE account SET deleted_at = ?, password_hash = '!', username = CONCAT('~deleted-', CAST(id AS VARCHAR(20)))"
                + " WHERE id = ?", ps -> {
            Jdbc.setTime(ps, 1, now);
            ps.setLong(2, id);
        });
    }

    // ------------------------------------------------------------------ denied parties

    public List<DeniedPartyRow> deniedParties(Connection c) throws SQLException {
        return list(c, "SELECT id, site_id, kind, match_value, created_at FROM denied_party ORDER BY id", ps -> { },
                rs -> new DeniedPartyRow(rs.getLong("id"), Jdbc.nullableLong(rs, "site_id"), rs.getString("kind"),
                        rs.getString("match_value"), Jdbc.time(rs, "created_at")));
    }

    public long insertDeniedParty(Connection c, Long siteId, String kind, String value, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO denied_party (site_id, kind, match_value, created_at)"
                + " VALUES (?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            Jdbc.setLong(ps, 1, siteId);
            ps.setString(2, kind);
            ps.setString(3, value);
            Jdbc.setTime(ps, 4, now);
            ps.executeUpdate();
            return Jdbc.generatedId(ps);
        }
    }

    public boolean deleteDeniedParty(Connection c, long id) throws SQLException {
        return update(c, "DELETE FROM denied_party WHERE id = ?", ps -> ps.setLong(1, id)) > 0;
    }

    // ------------------------------------------------------------------ audit

    public void audit(Connection c, Instant at, String actor, String action, String targetType, String targetId,
                      String details) throws SQLException {
        update(c, "INSERT INTO audit_log (at, actor, action, target_type, target_id, details) VALUES (?, ?, ?, ?, ?, ?)", ps -> {
            Jdbc.setTime(ps, 1, at);
            ps.setString(2, actor);
            ps.setString(3, action);
            ps.setString(4, targetType);
            ps.setString(5, targetId);
            ps.setString(6, details);
        });
    }

    /** The newest entries first, older than {@code beforeId} when it is given. */
    public List<AuditRow> auditLog(Connection c, Long beforeId, int limit) throws SQLException {
        return list(c, "SELECT id, at, actor, action, target_type, target_id, details FROM audit_log"
                + (beforeId == null ? "" : " WHERE id < ?") + " ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY", ps -> {
            if (beforeId != null) {
                ps.setLong(1, beforeId);
            }
        }, rs -> new AuditRow(rs.getLong("id"), Jdbc.time(rs, "at"), rs.getString("actor"), rs.getString("action"),
                rs.getString("target_type"), rs.getString("target_id"), rs.getString("details")));
    }

    // ------------------------------------------------------------------ helpers

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> list(Connection c, String sql, Binder binder, Reader<T> reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
                return out;
            }
        }
    }

    private static <T> Optional<T> one(Connection c, String sql, Binder binder, Reader<T> reader) throws SQLException {
        List<T> rows = list(c, sql, binder, reader);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static boolean exists(Connection c, String sql, Binder binder) throws SQLException {
        return !list(c, sql, binder, rs -> true).isEmpty();
    }

    private static long count(Connection c, String sql, Binder binder) throws SQLException {
        return list(c, sql, binder, rs -> rs.getLong(1)).get(0);
    }

    private static int update(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    private static SiteRow site(ResultSet rs) throws SQLException {
        return new SiteRow(rs.getLong("id"), rs.getString("name"), rs.getString("pool"),
                Jdbc.nullableLong(rs, "default_queue_id"), rs.getString("denied_countries"),
                rs.getString("unknown_country_policy"), rs.getString("public_domain"), Jdbc.time(rs, "created_at"));
    }

    private static TenantStore.QueueRow queue(ResultSet rs) throws SQLException {
        return new TenantStore.QueueRow(rs.getLong("id"), rs.getLong("site_id"), rs.getString("name"),
                Jdbc.nullableInt(rs, "max_waiting"), Jdbc.nullableInt(rs, "queue_timeout_seconds"),
                Jdbc.nullableLong(rs, "escalation_queue_id"), rs.getString("hours_zone"), rs.getString("hours"),
                rs.getInt("default_wait_seconds"));
    }

    private static RuleRow rule(ResultSet rs) throws SQLException {
        return new RuleRow(rs.getLong("id"), new TenantStore.RuleRow(rs.getLong("site_id"), rs.getInt("priority"),
                rs.getString("name"), Jdbc.nullableLong(rs, "match_queue_id"), Jdbc.nullableLong(rs, "match_product_id"),
                Jdbc.nullableLong(rs, "match_category_id"), Jdbc.nullableLong(rs, "match_interface_id"),
                rs.getString("match_field_name"), rs.getString("match_field_value"), rs.getString("action"),
                Jdbc.nullableLong(rs, "target_queue_id")));
    }

    private static AccountRow account(ResultSet rs) throws SQLException {
        return new AccountRow(rs.getLong("id"), Jdbc.nullableLong(rs, "site_id"), rs.getString("username"),
                rs.getString("role"), rs.getString("display_name"), rs.getString("greeting"),
                Jdbc.nullableInt(rs, "max_sessions"), Jdbc.time(rs, "created_at"));
    }
}
