package io.parley;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.auth.PasswordHasher;
import io.parley.config.ConfigException;
import io.parley.config.PublicAddress;
import io.parley.store.Database;
import io.parley.store.TenantStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;

/**
 * Loads tenant data (sites, queues, rules, API users, agents, administrators) from a JSON seed
 * file at start. It only adds what is missing: a site that already exists is left as it is, so
 * changes made later through Parley survive a restart. The demo site is such a seed.
 */
final class TenantSeed {

    private static final System.Logger LOG = System.getLogger(TenantSeed.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    record Seed(List<SiteSeed> sites, List<AccountSeed> admins) {
    }

    record SiteSeed(String name, String pool, Long defaultQueue, String publicDomain, List<String> origins,
                    List<QueueSeed> queues, List<RuleSeed> rules, List<AccountSeed> apiUsers, List<AccountSeed> agents) {
    }

    record QueueSeed(long id, String name, Integer maxWaiting, Integer timeoutSeconds, Long escalationQueue,
                     String hoursZone, String hours, Integer defaultWaitSeconds) {
    }

    record RuleSeed(String name, int priority, Match match, String action, Long queue) {
    }

    record Match(Long queueId, Long productId, Long categoryId, Long interfaceId, Field customField) {
    }

    record Field(String name, String value) {
    }

    record AccountSeed(String username, String password, String name, String greeting, Integer maxSessions,
                       List<Long> queues) {
    }

    private final Database db;
    private final TenantStore tenants;
    private final PasswordHasher hasher;
    private final Clock clock;

    TenantSeed(Database db, TenantStore tenants, PasswordHasher hasher, Clock clock) {
        this.db = db;
        this.tenants = tenants;
        this.hasher = hasher;
        this.clock = clock;
    }

    void apply(InputStream json, String name) {
        Seed seed;
        try {
            seed = JSON.readValue(json, Seed.class);
        } catch (IOException e) {
            throw new ConfigException("The seed file " + name + " is not valid: " + e.getMessage(), e);
        }
        for (SiteSeed site : nonNull(seed.sites())) {
            applySite(site);
        }
        db.inTransaction(c -> {
            db.lockForStartup(c);
            for (AccountSeed admin : nonNull(seed.admins())) {
                if (!tenants.accountExists(c, admin.username())) {
                    tenants.insertAccount(c, account(null, admin, "ADMIN"), clock.instant());
                }
            }
            return null;
        });
    }

    private void applySite(SiteSeed s) {
        if (s.name() == null || s.pool() == null) {
            throw new ConfigException("seed", "has a site without name or pool");
        }
        String publicDomain = publicDomain(s);
        boolean created = db.inTransaction(c -> {
            // Nodes that start at once must not both create the site: the second one waits, then finds it.
            db.lockForStartup(c);
            if (tenants.siteId(c, s.name()).isPresent()) {
                return false;
            }
            long siteId = tenants.insertSite(c, s.name(), s.pool(), s.defaultQueue(), publicDomain, clock.instant());
            for (String origin : nonNull(s.origins())) {
                tenants.insertOrigin(c, siteId, origin);
            }
            for (QueueSeed q : nonNull(s.queues())) {
                if (tenants.queueExists(c, q.id())) {
                    throw new ConfigException("seed", "gives queue id " + q.id() + " to site " + s.name()
                            + ", but another site has it already");
                }
                tenants.insertQueue(c, new TenantStore.QueueRow(q.id(), siteId, q.name(), q.maxWaiting(),
                        q.timeoutSeconds(), q.escalationQueue(), q.hoursZone(), q.hours(),
                        q.defaultWaitSeconds() == null ? 60 : q.defaultWaitSeconds()), clock.instant());
            }
            for (RuleSeed r : nonNull(s.rules())) {
                Match m = r.match() == null ? new Match(null, null, null, null, null) : r.match();
                tenants.insertRule(c, new TenantStore.RuleRow(siteId, r.priority(), r.name(), m.queueId(),
                        m.productId(), m.categoryId(), m.interfaceId(),
                        m.customField() == null ? null : m.customField().name(),
                        m.customField() == null ? null : m.customField().value(),
                        r.action(), r.queue()));
            }
            for (AccountSeed a : nonNull(s.apiUsers())) {
                tenants.insertAccount(c, account(siteId, a, "API"), clock.instant());
            }
            for (AccountSeed a : nonNull(s.agents())) {
                long id = tenants.insertAccount(c, account(siteId, a, "AGENT"), clock.instant());
                tenants.insertAgentQueues(c, id, nonNull(a.queues()));
            }
            return true;
        });
        LOG.log(System.Logger.Level.INFO, created ? "Site {0} created from the seed"
                : "Site {0} exists; its seed is not applied again", s.name());
    }

    /** The site's public domain, normalised as the admin API stores it, or null for the server's. */
    private static String publicDomain(SiteSeed s) {
        if (s.publicDomain() == null || s.publicDomain().isBlank()) {
            return null;
        }
        try {
            return PublicAddress.parse(s.publicDomain()).toString();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("seed", "gives site " + s.name() + " the publicDomain '" + s.publicDomain()
                    + "', which is not host[:port][/path]: " + e.getMessage());
        }
    }

    private TenantStore.AccountRow account(Long siteId, AccountSeed a, String role) {
        if (a.username() == null || a.password() == null) {
            throw new ConfigException("seed", "has an account without username or password");
        }
        return new TenantStore.AccountRow(0, siteId, a.username(), hasher.hash(a.password().toCharArray()), role,
                a.name() == null ? a.username() : a.name(), a.greeting(), a.maxSessions());
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
