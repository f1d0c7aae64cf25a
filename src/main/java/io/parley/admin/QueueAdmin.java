package io.parley.admin;

import static io.parley.admin.AdminChecks.conflict;
import static io.parley.admin.AdminChecks.invalid;
import static io.parley.admin.AdminChecks.notFound;
import static io.parley.admin.AdminChecks.queueOfSite;
import static io.parley.admin.AdminChecks.range;
import static io.parley.admin.AdminChecks.required;
import static io.parley.admin.AdminChecks.siteRow;
import static io.parley.admin.AdminChecks.text;

import io.parley.engagement.BusinessHours;
import io.parley.store.AdminStore;
import io.parley.store.Database;
import io.parley.store.TenantStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The queues of a site, with their business hours and escalation. Every change is validated,
 * written with its audit entry in one transaction, and takes effect without a restart ({@link AdminHooks}).
 */
public final class QueueAdmin {

    /** A queue; {@code id} may be given on creation (it is the public queueId), else the next free one is taken. */
    public record QueueInput(Long id, String name, Integer maxWaiting, Integer timeoutSeconds, Long escalationQueueId,
                             String hoursZone, String hours, Integer defaultWaitSeconds) {
    }

    public record QueueView(long id, long siteId, String name, Integer maxWaiting, Integer timeoutSeconds,
                            Long escalationQueueId, String hoursZone, String hours, int defaultWaitSeconds) {
    }

    private final Database db;
    private final AdminStore store;
    private final TenantStore tenants;
    private final AuditLog auditLog;
    private final AdminHooks hooks;
    private final Clock clock;

    public QueueAdmin(Database db, AdminStore store, TenantStore tenants, AuditLog auditLog, AdminHooks hooks,
                      Clock clock) {
        this.db = db;
        this.store = store;
        this.tenants = tenants;
        this.auditLog = auditLog;
        this.hooks = hooks;
        this.clock = clock;
    }

    public List<QueueView> queues(long siteId) {
        return db.inTransaction(c -> {
            siteRow(store, c, siteId);
            return store.queues(c, siteId).stream().map(QueueAdmin::view).toList();
        });
    }

    public QueueView queue(long id) {
        return db.inTransaction(c -> view(queueRow(c, id)));
    }

    public QueueView createQueue(String actor, long siteId, QueueInput in) {
        QueueInput v = validQueue(in);
        QueueView created = db.inTransaction(c -> {
            siteRow(store, c, siteId);
            long id = v.id() != null ? v.id() : store.nextQueueId(c);
            if (store.queue(c, id).isPresent()) {
                throw conflict("QUEUE_EXISTS", "Queue id " + id + " is taken.");
            }
            checkEscalation(c, v.escalationQueueId(), id, siteId);
            TenantStore.QueueRow row = row(id, siteId, v);
            tenants.insertQueue(c, row, clock.instant());
            QueueView view = view(row);
            auditLog.audit(c, actor, "CREATE", "QUEUE", id, view);
            return view;
        });
        hooks.tenantsChanged();
        return created;
    }

    public QueueView updateQueue(String actor, long id, QueueInput in) {
        QueueInput v = validQueue(in);
        if (v.id() != null && v.id() != id) {
            throw invalid("id", "a queue's id cannot change (clients send it as queueId)");
        }
        QueueView updated = db.inTransaction(c -> {
            TenantStore.QueueRow before = queueRow(c, id);
            checkEscalation(c, v.escalationQueueId(), id, before.siteId());
            TenantStore.QueueRow row = row(id, before.siteId(), v);
            store.updateQueue(c, row);
            QueueView view = view(row);
            auditLog.audit(c, actor, "UPDATE", "QUEUE", id, view);
            return view;
        });
        hooks.tenantsChanged();
        return updated;
    }

    /** Deletes a queue nothing points at any more (no live engagement, default, escalation or rule). */
    public void deleteQueue(String actor, long id) {
        db.inTransaction(c -> {
            TenantStore.QueueRow q = queueRow(c, id);
            List<String> refs = store.queueReferences(c, id);
            if (!refs.isEmpty()) {
                throw conflict("QUEUE_IN_USE", "The queue is still in use: " + String.join(", ", refs) + ".");
            }
            store.deleteQueue(c, id);
            auditLog.audit(c, actor, "DELETE", "QUEUE", id, Map.of("name", q.name(), "siteId", q.siteId()));
            return null;
        });
        hooks.tenantsChanged();
    }

    private TenantStore.QueueRow queueRow(Connection c, long id) throws SQLException {
        return store.queue(c, id).orElseThrow(() -> notFound("QUEUE_UNKNOWN", "There is no queue " + id + "."));
    }

    private void checkEscalation(Connection c, Long escalation, long queueId, long siteId) throws SQLException {
        if (escalation == null) {
            return;
        }
        if (escalation == queueId) {
            throw invalid("escalationQueueId", "a queue cannot escalate to itself");
        }
        queueOfSite(store, c, escalation, siteId, "escalationQueueId");
    }

    private static QueueInput validQueue(QueueInput in) {
        required(in, "the queue");
        if (in.id() != null && (in.id() < 1 || in.id() > 999_999_999L)) {
            throw invalid("id", "from 1 to 999999999");
        }
        String name = text(in.name(), "name", 200);
        Integer maxWaiting = range(in.maxWaiting(), "maxWaiting", 1, 1_000_000);
        Integer timeout = range(in.timeoutSeconds(), "timeoutSeconds", 10, 7 * 24 * 3600);
        Integer defaultWait = range(in.defaultWaitSeconds(), "defaultWaitSeconds", 1, 24 * 3600);
        String hours = in.hours() == null || in.hours().isBlank() ? null : in.hours().strip();
        String zone = in.hoursZone() == null || in.hoursZone().isBlank() ? null : in.hoursZone().strip();
        try {
            BusinessHours.parse(zone, hours == null ? "MON-SUN 00:00-24:00" : hours);
        } catch (IllegalArgumentException e) {
            throw invalid(hours == null ? "hoursZone" : "hours", e.getMessage());
        }
        return new QueueInput(in.id(), name, maxWaiting, timeout, in.escalationQueueId(), zone, hours,
                defaultWait == null ? 60 : defaultWait);
    }

    private static TenantStore.QueueRow row(long id, long siteId, QueueInput v) {
        return new TenantStore.QueueRow(id, siteId, v.name(), v.maxWaiting(), v.timeoutSeconds(), v.escalationQueueId(),
                v.hoursZone(), v.hours(), v.defaultWaitSeconds());
    }

    private static QueueView view(TenantStore.QueueRow q) {
        return new QueueView(q.id(), q.siteId(), q.name(), q.maxWaiting(), q.timeoutSeconds(), q.escalationQueueId(),
                q.hoursZone(), q.hours(), q.defaultWaitSeconds());
    }
}
