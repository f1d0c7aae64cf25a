package io.parley.engagement;

import io.parley.store.EngagementStore;
import io.parley.store.UnitOfWork;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Properties agents set on an engagement or its customer, and custom fields. */
public final class EngagementProperties {

    /** Properties agents may set, by scope: what Oracle's API allows, nothing else. */
    static final Map<String, Set<String>> SETTABLE = Map.of(
            "ENGAGEMENT", Set.of("CONTACT_ID", "INCIDENT_ID"),
            "USER", Set.of("FIRST_NAME", "LAST_NAME", "EMAIL", "QUESTION", "PRODUCT_ID", "CATEGORY_ID", "CONTACT_ID"));
    private static final Set<String> NUMERIC = Set.of("CONTACT_ID", "INCIDENT_ID", "PRODUCT_ID", "CATEGORY_ID");

    private final EngagementStore store;
    private final Assignments assignments;
    private final UnitOfWork uow;
    private final Clock clock;

    public EngagementProperties(EngagementStore store, Assignments assignments, UnitOfWork uow, Clock clock) {
        this.store = store;
        this.assignments = assignments;
        this.uow = uow;
        this.clock = clock;
    }

    /**
     * Sets engagement or user properties (allow-listed names only; ids must be numbers) and custom
     * fields (user scope).
     *
     * @return per property name whether it was set
     */
    public Map<String, Boolean> set(String sessionId, long engagementId, String scope, Map<String, String> properties,
                                    List<SessionInfo.CustomField> fields) {
        Participant p = assignments.participant(sessionId, engagementId);
        if (p.role() == Role.MONITOR) {
            throw EngagementException.conflict("MONITOR_CANNOT_MODIFY", "A monitoring supervisor cannot change the engagement.");
        }
        String s = scope == null ? "USER" : scope.toUpperCase(Locale.ROOT);
        Set<String> allowed = SETTABLE.get(s);
        if (allowed == null) {
            throw EngagementException.invalid("Field 'type' must be ENGAGEMENT or USER.");
        }
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String name = e.getKey() == null ? "" : e.getKey().toUpperCase(Locale.ROOT);
            if (!allowed.contains(name)) {
                throw EngagementException.invalid("Property '" + e.getKey() + "' cannot be set with type " + s + ".");
            }
            if (NUMERIC.contains(name) && (e.getValue() == null || !e.getValue().trim().matches("-?\\d{1,18}"))) {
                throw EngagementException.invalid("Property '" + name + "' must be a number.");
            }
            if (e.getValue() != null && e.getValue().length() > 4000) {
                throw EngagementException.invalid("Property '" + name + "' is longer than 4000 characters.");
            }
        }
        if (!fields.isEmpty() && !"USER".equals(s)) {
            throw EngagementException.invalid("Custom fields can only be set with type USER.");
        }
        for (SessionInfo.CustomField f : fields) {
            if (f.name() == null || f.name().isBlank() || f.name().length() > 200) {
                throw EngagementException.invalid("Every custom field needs a name of at most 200 characters.");
            }
        }
        Map<String, Boolean> result = new LinkedHashMap<>();
        uow.transaction(tx -> {
            Instant now = clock.instant();
            for (Map.Entry<String, String> e : properties.entrySet()) {
                String name = e.getKey().toUpperCase(Locale.ROOT);
                store.setProperty(tx, engagementId, s, name, e.getValue() == null ? null : e.getValue().trim(), now);
                result.put(name, true);
            }
            for (SessionInfo.CustomField f : fields) {
                store.setProperty(tx, engagementId, "FIELD", f.name(), f.value(), now);
                result.put(f.name(), true);
            }
            return null;
        });
        return result;
    }
}
