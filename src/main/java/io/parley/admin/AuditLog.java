package io.parley.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.parley.store.AdminStore;
import io.parley.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The audit log: who changed what, and when. The admin changes write their entry on their own
 * connection, so that the entry and the change commit together or not at all.
 */
public final class AuditLog {

    /** An audit entry; {@code details} is what the change set (a JSON object). */
    public record AuditEntry(long id, Instant at, String actor, String action, String targetType, String targetId,
                             Object details) {
    }

    /** Audit details are the views as the API shows them, times included (ISO-8601). */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());

    private final Database db;
    private final AdminStore store;
    private final Clock clock;

    public AuditLog(Database db, AdminStore store, Clock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    /** The audit log, newest first: at most {@code limit} entries older than {@code beforeId} (when given). */
    public List<AuditEntry> entries(Long beforeId, int limit) {
        int n = Math.max(1, Math.min(limit, 500));
        return db.inTransaction(c -> store.auditLog(c, beforeId, n).stream()
                .map(a -> new AuditEntry(a.id(), a.at(), a.actor(), a.action(), a.targetType(), a.targetId(),
                        parsed(a.details())))
                .toList());
    }

    /** Records a change made elsewhere (a signing-key rotation) in the audit log. */
    public void audit(String actor, String action, String targetType, String targetId, Object details) {
        db.inTransaction(c -> {
            store.audit(c, clock.instant(), actor, action, targetType, targetId, json(details));
            return null;
        });
    }

    /** Records a change in the caller's transaction. */
    void audit(Connection c, String actor, String action, String targetType, long targetId, Object details)
            throws SQLException {
        store.audit(c, clock.instant(), actor, action, targetType, Long.toString(targetId), json(details));
    }

    private static Object parsed(String details) {
        try {
            return details == null ? Map.of() : JSON.readValue(details, Object.class);
        } catch (JsonProcessingException e) {
            return details;
        }
    }

    private static String json(Object details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            LOG.log(System.Logger.Level.WARNING, "Audit details of type {0} cannot be written: {1}",
                    details.getClass().getName(), e.getMessage());
            return "{}";
        }
    }
}
