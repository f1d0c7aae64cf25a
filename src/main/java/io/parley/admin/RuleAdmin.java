package io.parley.admin;

import static io.parley.admin.AdminChecks.invalid;
import static io.parley.admin.AdminChecks.notFound;
import static io.parley.admin.AdminChecks.queueOfSite;
import static io.parley.admin.AdminChecks.required;
import static io.parley.admin.AdminChecks.siteRow;
import static io.parley.admin.AdminChecks.text;

import io.parley.store.AdminStore;
import io.parley.store.Database;
import io.parley.store.TenantStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The routing rules of a site. Every change is validated, written with its audit entry in one
 * transaction, and takes effect without a restart ({@link AdminHooks}).
 */
public final class RuleAdmin {

    /** A routing rule: null conditions do not constrain; {@code action} ROUTE (to {@code targetQueueId}) or REJECT. */
    public record RuleInput(Integer priority, String name, Long matchQueueId, Long matchProductId, Long matchCategoryId,
                            Long matchInterfaceId, String matchFieldName, String matchFieldValue, String action,
                            Long targetQueueId) {
    }

    public record RuleView(long id, long siteId, int priority, String name, Long matchQueueId, Long matchProductId,
                           Long matchCategoryId, Long matchInterfaceId, String matchFieldName, String matchFieldValue,
                           String action, Long targetQueueId) {
    }

    private final Database db;
    private final AdminStore store;
    private final TenantStore tenants;
    private final AuditLog auditLog;
    private final AdminHooks hooks;

    public RuleAdmin(Database db, AdminStore store, TenantStore tenants, AuditLog auditLog, AdminHooks hooks) {
        this.db = db;
        this.store = store;
        this.tenants = tenants;
        this.auditLog = auditLog;
        this.hooks = hooks;
    }

    public List<RuleView> rules(long siteId) {
        return db.inTransaction(c -> {
            siteRow(store, c, siteId);
            return store.rules(c, siteId).stream().map(RuleAdmin::view).toList();
        });
    }

    public RuleView rule(long id) {
        return db.inTransaction(c -> view(ruleRow(c, id)));
    }

    public RuleView createRule(String actor, long siteId, RuleInput in) {
        RuleInput v = validRule(in);
        RuleView created = db.inTransaction(c -> {
            siteRow(store, c, siteId);
            TenantStore.RuleRow row = checkedRule(c, siteId, v);
            long id = tenants.insertRule(c, row);
            RuleView view = view(new AdminStore.RuleRow(id, row));
            auditLog.audit(c, actor, "CREATE", "RULE", id, view);
            return view;
        });
        hooks.tenantsChanged();
        return created;
    }

    public RuleView updateRule(String actor, long id, RuleInput in) {
        RuleInput v = validRule(in);
        RuleView updated = db.inTransaction(c -> {
            AdminStore.RuleRow before = ruleRow(c, id);
            TenantStore.RuleRow row = checkedRule(c, before.rule().siteId(), v);
            store.updateRule(c, id, row);
            RuleView view = view(new AdminStore.RuleRow(id, row));
            auditLog.audit(c, actor, "UPDATE", "RULE", id, view);
            return view;
        });
        hooks.tenantsChanged();
        return updated;
    }

    public void deleteRule(String actor, long id) {
        db.inTransaction(c -> {
            AdminStore.RuleRow r = ruleRow(c, id);
            store.deleteRule(c, id);
            auditLog.audit(c, actor, "DELETE", "RULE", id, Map.of("name", r.rule().name(), "siteId", r.rule().siteId()));
            return null;
        });
        hooks.tenantsChanged();
    }

    private AdminStore.RuleRow ruleRow(Connection c, long id) throws SQLException {
        return store.rule(c, id).orElseThrow(() -> notFound("RULE_UNKNOWN", "There is no routing rule " + id + "."));
    }

    private TenantStore.RuleRow checkedRule(Connection c, long siteId, RuleInput v) throws SQLException {
        if (v.matchQueueId() != null) {
            queueOfSite(store, c, v.matchQueueId(), siteId, "matchQueueId");
        }
        if (v.targetQueueId() != null) {
            queueOfSite(store, c, v.targetQueueId(), siteId, "targetQueueId");
        }
        return new TenantStore.RuleRow(siteId, v.priority(), v.name(), v.matchQueueId(), v.matchProductId(),
                v.matchCategoryId(), v.matchInterfaceId(), v.matchFieldName(), v.matchFieldValue(), v.action(),
                v.targetQueueId());
    }

    private static RuleInput validRule(RuleInput in) {
        required(in, "the rule");
        String name = text(in.name(), "name", 200);
        if (in.priority() == null) {
            throw invalid("priority", "required (rules are tried lowest first)");
        }
        String action = in.action() == null ? "" : in.action().strip().toUpperCase(Locale.ROOT);
        if (!action.equals("ROUTE") && !action.equals("REJECT")) {
            throw invalid("action", "ROUTE or REJECT");
        }
        if (action.equals("ROUTE") && in.targetQueueId() == null) {
            throw invalid("targetQueueId", "required when the action is ROUTE");
        }
        if (action.equals("REJECT") && in.targetQueueId() != null) {
            throw invalid("targetQueueId", "a REJECT rule routes nowhere");
        }
        String field = in.matchFieldName() == null || in.matchFieldName().isBlank() ? null : in.matchFieldName().strip();
        if ((field == null) != (in.matchFieldValue() == null)) {
            throw invalid("matchFieldValue", "a custom-field condition needs both matchFieldName and matchFieldValue");
        }
        if (field != null && field.length() > 200) {
            throw invalid("matchFieldName", "at most 200 characters");
        }
        if (in.matchFieldValue() != null && in.matchFieldValue().length() > 1000) {
            throw invalid("matchFieldValue", "at most 1000 characters");
        }
        return new RuleInput(in.priority(), name, in.matchQueueId(), in.matchProductId(), in.matchCategoryId(),
                in.matchInterfaceId(), field, in.matchFieldValue(), action, in.targetQueueId());
    }

    private static RuleView view(AdminStore.RuleRow r) {
        TenantStore.RuleRow x = r.rule();
        return new RuleView(r.id(), x.siteId(), x.priority(), x.name(), x.matchQueueId(), x.matchProductId(),
                x.matchCategoryId(), x.matchInterfaceId(), x.matchFieldName(), x.matchFieldValue(), x.action(),
                x.targetQueueId());
    }
}
