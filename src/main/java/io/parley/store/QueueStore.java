package io.parley.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Reads the queues and routing rules of all sites (small tables, cached by the engagement side). */
public final class QueueStore {

    private final Database db;

    public QueueStore(Database db) {
        this.db = db;
    }

    public List<TenantStore.QueueRow> queues() {
        return db.read(c -> {
            List<TenantStore.QueueRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, site_id, name, max_waiting, queue_timeout_seconds, escalation_queue_id, hours_zone, hours,"
                            + " default_wait_seconds FROM chat_queue ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TenantStore.QueueRow(rs.getLong("id"), rs.getLong("site_id"), rs.getString("name"),
                            Jdbc.nullableInt(rs, "max_waiting"), Jdbc.nullableInt(rs, "queue_timeout_seconds"),
                            Jdbc.nullableLong(rs, "escalation_queue_id"), rs.getString("hours_zone"),
                            rs.getString("hours"), rs.getInt("default_wait_seconds")));
                }
            }
            return out;
        });
    }

    /** Rules with their ids, in priority order. */
    public record RuleWithId(long id, TenantStore.RuleRow rule) {
    }

    public List<RuleWithId> rules() {
        return db.read(c -> {
            List<RuleWithId> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, site_id, priority, name, match_queue_id, match_product_id, match_category_id,"
                            + " match_interface_id, match_field_name, match_field_value, action, target_queue_id"
                            + " FROM routing_rule ORDER BY site_id, priority, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RuleWithId(rs.getLong("id"), new TenantStore.RuleRow(rs.getLong("site_id"),
                            rs.getInt("priority"), rs.getString("name"), Jdbc.nullableLong(rs, "match_queue_id"),
                            Jdbc.nullableLong(rs, "match_product_id"), Jdbc.nullableLong(rs, "match_category_id"),
                            Jdbc.nullableLong(rs, "match_interface_id"), rs.getString("match_field_name"),
                            rs.getString("match_field_value"), rs.getString("action"),
                            Jdbc.nullableLong(rs, "target_queue_id"))));
                }
            }
            return out;
        });
    }
}
