package io.parley.admin;

import io.parley.engagement.EngagementException;
import io.parley.store.AdminStore;
import io.parley.store.TenantStore;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The checks every admin change shares: the wording of its errors (a field that is wrong is
 * {@link EngagementException.Kind#INVALID} and named), and the site and queues a change refers to.
 */
final class AdminChecks {

    private AdminChecks() {
    }

    static void required(Object in, String what) {
        if (in == null) {
            throw new EngagementException(EngagementException.Kind.INVALID, "BAD_REQUEST", "A body describing " + what
                    + " is required.");
        }
    }

    static String text(String value, String field, int max) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw invalid(field, "required");
        }
        if (v.length() > max) {
            throw invalid(field, "at most " + max + " characters");
        }
        return v;
    }

    static Integer range(Integer value, String field, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw invalid(field, "from " + min + " to " + max + ", or null");
        }
        return value;
    }

    static EngagementException invalid(String field, String why) {
        return new EngagementException(EngagementException.Kind.INVALID, "INVALID_FIELD", "Field '" + field + "': " + why + ".");
    }

    static EngagementException notFound(String code, String message) {
        return new EngagementException(EngagementException.Kind.NOT_FOUND, code, message);
    }

    static EngagementException conflict(String code, String message) {
        return new EngagementException(EngagementException.Kind.CONFLICT, code, message);
    }

    /** The site {@code id}, or not found. */
    static AdminStore.SiteRow siteRow(AdminStore store, Connection c, long id) throws SQLException {
        return store.site(c, id).orElseThrow(() -> notFound("SITE_UNKNOWN", "There is no site " + id + "."));
    }

    /** The queue {@code queueId} that {@code field} names, which must be one of the site's own. */
    static TenantStore.QueueRow queueOfSite(AdminStore store, Connection c, long queueId, long siteId, String field)
            throws SQLException {
        TenantStore.QueueRow q = store.queue(c, queueId).orElse(null);
        if (q == null || q.siteId() != siteId) {
            throw invalid(field, "queue " + queueId + " is not a queue of this site");
        }
        return q;
    }
}
