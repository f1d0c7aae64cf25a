package io.parley.admin;

import static io.parley.admin.AdminChecks.invalid;
import static io.parley.admin.AdminChecks.notFound;
import static io.parley.admin.AdminChecks.required;
import static io.parley.admin.AdminChecks.siteRow;
import static io.parley.admin.AdminChecks.text;

import io.parley.store.AdminStore;
import io.parley.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The denied-party list that export compliance checks customers against. Every change is
 * validated and written with its audit entry in one transaction.
 */
public final class DeniedPartyAdmin {

    /** A denied party; {@code siteId} null applies to every site. {@code kind}: EMAIL, DOMAIN or ORGANIZATION. */
    public record DeniedPartyInput(Long siteId, String kind, String value) {
    }

    public record DeniedPartyView(long id, Long siteId, String kind, String value, Instant createdAt) {
    }

    private final Database db;
    private final AdminStore store;
    private final AuditLog auditLog;
    private final AdminHooks hooks;
    private final Clock clock;

    public DeniedPartyAdmin(Database db, AdminStore store, AuditLog auditLog, AdminHooks hooks, Clock clock) {
        this.db = db;
        this.store = store;
        this.auditLog = auditLog;
        this.hooks = hooks;
        this.clock = clock;
    }

    public List<DeniedPartyView> deniedParties() {
        return db.inTransaction(c -> store.deniedParties(c).stream()
                .map(d -> new DeniedPartyView(d.id(), d.siteId(), d.kind(), d.value(), d.createdAt())).toList());
    }

    public DeniedPartyView createDeniedParty(String actor, DeniedPartyInput in) {
        required(in, "the denied party");
        String kind = in.kind() == null ? "" : in.kind().strip().toUpperCase(Locale.ROOT);
        if (!Set.of("EMAIL", "DOMAIN", "ORGANIZATION").contains(kind)) {
            throw invalid("kind", "EMAIL, DOMAIN or ORGANIZATION");
        }
        String value = text(in.value(), "value", 500);
        if (kind.equals("EMAIL") && !value.contains("@")) {
            throw invalid("value", "an e-mail address");
        }
        DeniedPartyView created = db.inTransaction(c -> {
            if (in.siteId() != null) {
                siteRow(store, c, in.siteId());
            }
            Instant now = clock.instant();
            long id = store.insertDeniedParty(c, in.siteId(), kind, value, now);
            DeniedPartyView view = new DeniedPartyView(id, in.siteId(), kind, value, now);
            auditLog.audit(c, actor, "CREATE", "DENIED_PARTY", id, view);
            return view;
        });
        hooks.deniedPartiesChanged();
        return created;
    }

    public void deleteDeniedParty(String actor, long id) {
        db.inTransaction(c -> {
            if (!store.deleteDeniedParty(c, id)) {
                throw notFound("DENIED_PARTY_UNKNOWN", "There is no denied-party entry " + id + ".");
            }
            auditLog.audit(c, actor, "DELETE", "DENIED_PARTY", id, Map.of());
            return null;
        });
        hooks.deniedPartiesChanged();
    }
}
