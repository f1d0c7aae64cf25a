package io.parley.admin;

import static io.parley.admin.AdminChecks.conflict;
import static io.parley.admin.AdminChecks.invalid;
import static io.parley.admin.AdminChecks.queueOfSite;
import static io.parley.admin.AdminChecks.required;
import static io.parley.admin.AdminChecks.siteRow;
import static io.parley.admin.AdminChecks.text;

import io.parley.config.PublicAddress;
import io.parley.store.AdminStore;
import io.parley.store.Database;
import io.parley.store.TenantStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sites, with their CORS origins and compliance overrides. Every change is validated, written with
 * its audit entry in one transaction, and takes effect without a restart ({@link AdminHooks}).
 */
public final class SiteAdmin {

    /**
     * What a site is made of. {@code deniedCountries} null: the server's list applies; {@code publicDomain}
     * ({@code host[:port][/path]}) null: the server's public domain tells the site's clients where Parley is.
     */
    public record SiteInput(String name, String pool, Long defaultQueueId, List<String> origins,
                            List<String> deniedCountries, String unknownCountryPolicy, String publicDomain) {
    }

    public record SiteView(long id, String name, String pool, Long defaultQueueId, List<String> origins,
                           List<String> deniedCountries, String unknownCountryPolicy, String publicDomain,
                           Instant createdAt) {
    }

    private static final Pattern SITE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9:._-]{1,100}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:([0-9]{1,5}|\\*))?");

    private final Database db;
    private final AdminStore store;
    private final TenantStore tenants;
    private final AuditLog auditLog;
    private final AdminHooks hooks;
    private final Clock clock;

    public SiteAdmin(Database db, AdminStore store, TenantStore tenants, AuditLog auditLog, AdminHooks hooks,
                     Clock clock) {
        this.db = db;
        this.store = store;
        this.tenants = tenants;
        this.auditLog = auditLog;
        this.hooks = hooks;
        this.clock = clock;
    }

    public List<SiteView> sites() {
        return db.inTransaction(c -> {
            List<SiteView> out = new ArrayList<>();
            for (AdminStore.SiteRow s : store.sites(c)) {
                out.add(view(c, s));
            }
            return out;
        });
    }

    public SiteView site(long id) {
        return db.inTransaction(c -> view(c, siteRow(store, c, id)));
    }

    public SiteView createSite(String actor, SiteInput in) {
        SiteInput v = validSite(in);
        if (v.defaultQueueId() != null) {
            throw invalid("defaultQueueId", "a new site has no queues yet; set its default queue once it has one");
        }
        SiteView created = db.inTransaction(c -> {
            if (store.siteNameTaken(c, v.name(), -1)) {
                throw conflict("SITE_EXISTS", "A site named '" + v.name() + "' exists already.");
            }
            Instant now = clock.instant();
            long id = tenants.insertSite(c, v.name(), v.pool(), null, now);
            store.updateSite(c, new AdminStore.SiteRow(id, v.name(), v.pool(), null, countries(v.deniedCountries()),
                    v.unknownCountryPolicy(), v.publicDomain(), now));
            store.replaceOrigins(c, id, v.origins());
            SiteView view = view(c, siteRow(store, c, id));
            auditLog.audit(c, actor, "CREATE", "SITE", id, view);
            return view;
        });
        hooks.tenantsChanged();
        return created;
    }

    public SiteView updateSite(String actor, long id, SiteInput in) {
        SiteInput v = validSite(in);
        SiteView updated = db.inTransaction(c -> {
            AdminStore.SiteRow before = siteRow(store, c, id);
            if (store.siteNameTaken(c, v.name(), id)) {
                throw conflict("SITE_EXISTS", "A site named '" + v.name() + "' exists already.");
            }
            if (v.defaultQueueId() != null) {
                queueOfSite(store, c, v.defaultQueueId(), id, "defaultQueueId");
            }
            store.updateSite(c, new AdminStore.SiteRow(id, v.name(), v.pool(), v.defaultQueueId(),
                    countries(v.deniedCountries()), v.unknownCountryPolicy(), v.publicDomain(), before.createdAt()));
            store.replaceOrigins(c, id, v.origins());
            SiteView view = view(c, siteRow(store, c, id));
            auditLog.audit(c, actor, "UPDATE", "SITE", id, view);
            return view;
        });
        hooks.tenantsChanged();
        return updated;
    }

    /** Deletes a site and everything it owns; refused while any of its engagements waits or is in progress. */
    public void deleteSite(String actor, long id) {
        db.inTransaction(c -> {
            AdminStore.SiteRow s = siteRow(store, c, id);
            if (store.liveEngagementsOfSite(c, id) > 0) {
                throw conflict("SITE_IN_USE", "The site has engagements waiting or in progress.");
            }
            store.deleteSite(c, id);
            auditLog.audit(c, actor, "DELETE", "SITE", id, Map.of("name", s.name()));
            return null;
        });
        hooks.tenantsChanged();
        hooks.deniedPartiesChanged();
    }

    private SiteView view(Connection c, AdminStore.SiteRow s) throws SQLException {
        return new SiteView(s.id(), s.name(), s.pool(), s.defaultQueueId(), store.origins(c, s.id()),
                s.deniedCountries() == null ? null : List.of(s.deniedCountries().split(",")), s.unknownCountryPolicy(),
                s.publicDomain(), s.createdAt());
    }

    private static SiteInput validSite(SiteInput in) {
        required(in, "the site");
        String name = text(in.name(), "name", 100);
        if (!SITE_NAME.matcher(name).matches()) {
            throw invalid("name", "letters, digits, '.', '_' and '-' only (it is part of every URL)");
        }
        String pool = text(in.pool(), "pool", 100);
        if (!POOL.matcher(pool).matches()) {
            throw invalid("pool", "letters, digits, ':', '.', '_' and '-' only, such as 1:1");
        }
        List<String> origins = new ArrayList<>();
        for (String o : in.origins() == null ? List.<String>of() : in.origins()) {
            String origin = o == null ? "" : o.strip();
            if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
                throw invalid("origins", "'" + o + "' is not an origin such as https://shop.example,"
                        + " http://localhost:* or *");
            }
            if (!origins.contains(origin)) {
                origins.add(origin);
            }
        }
        List<String> countries = null;
        if (in.deniedCountries() != null) {
            Set<String> set = new LinkedHashSet<>();
            for (String country : in.deniedCountries()) {
                String code = country == null ? "" : country.strip().toUpperCase(Locale.ROOT);
                if (!COUNTRY.matcher(code).matches()) {
                    throw invalid("deniedCountries", "'" + country + "' is not an ISO 3166 two-letter code");
                }
                set.add(code);
            }
            countries = List.copyOf(set);
        }
        String policy = in.unknownCountryPolicy() == null ? null : in.unknownCountryPolicy().strip().toUpperCase(Locale.ROOT);
        if (policy != null && !policy.equals("ALLOW") && !policy.equals("DENY")) {
            throw invalid("unknownCountryPolicy", "ALLOW, DENY, or null for the server's policy");
        }
        return new SiteInput(name, pool, in.defaultQueueId(), origins, countries, policy, publicDomain(in.publicDomain()));
    }

    /** A site's public domain as stored: normalised ({@link PublicAddress}), or null for the server's. */
    private static String publicDomain(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return PublicAddress.parse(value).toString();
        } catch (IllegalArgumentException e) {
            throw invalid("publicDomain", "host[:port][/path] such as chat.example.com or shop.example:8443/chat,"
                    + " or null for the server's (" + e.getMessage() + ")");
        }
    }

    private static String countries(List<String> codes) {
        return codes == null ? null : String.join(",", codes);
    }
}
