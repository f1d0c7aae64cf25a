package io.parley.admin;

import static io.parley.admin.AdminChecks.conflict;
import static io.parley.admin.AdminChecks.invalid;
import static io.parley.admin.AdminChecks.notFound;
import static io.parley.admin.AdminChecks.range;
import static io.parley.admin.AdminChecks.required;
import static io.parley.admin.AdminChecks.text;

import io.parley.config.PublicAddress;
import io.parley.engagement.BusinessHours;
import io.parley.engagement.EngagementException;
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
 * What administrators change: sites (with their CORS origins and compliance overrides), queues,
 * routing rules, agents, API users and the denied-party list. Every change is validated (a clear
 * {@link EngagementException.Kind#INVALID} naming the field), written with its audit entry in one
 * transaction, and takes effect without a restart: the caches of this node are dropped at once,
 * other nodes' within their refresh interval ({@code tenants.cacheSeconds}).
 */
public final class AdminService {

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

    /** A queue; {@code id} may be given on creation (it is the public queueId), else the next free one is taken. */
    public record QueueInput(Long id, String name, Integer maxWaiting, Integer timeoutSeconds, Long escalationQueueId,
                             String hoursZone, String hours, Integer defaultWaitSeconds) {
    }

    public record QueueView(long id, long siteId, String name, Integer maxWaiting, Integer timeoutSeconds,
                            Long escalationQueueId, String hoursZone, String hours, int defaultWaitSeconds) {
    }

    /** A routing rule: null conditions do not constrain; {@code action} ROUTE (to {@code targetQueueId}) or REJECT. */
    public record RuleInput(Integer priority, String name, Long matchQueueId, Long matchProductId, Long matchCategoryId,
                            Long matchInterfaceId, String matchFieldName, String matchFieldValue, String action,
                            Long targetQueueId) {
    }

    public record RuleView(long id, long siteId, int priority, String name, Long matchQueueId, Long matchProductId,
                           Long matchCategoryId, Long matchInterfaceId, String matchFieldName, String matchFieldValue,
                           String action, Long targetQueueId) {
    }

    /** An agent; {@code username} and {@code password} count on creation only (see {@link #resetPassword}). */
    public record AgentInput(String username, String password, String name, String greeting, Integer maxSessions,
                             List<Long> queues) {
    }

    public record AgentView(long id, long siteId, String username, String name, String greeting, Integer maxSessions,
                            List<Long> queues, Instant createdAt) {
    }

    public record ApiUserInput(String username, String password) {
    }

    public record ApiUserView(long id, long siteId, String username, Instant createdAt) {
    }

    /** A denied party; {@code siteId} null applies to every site. {@code kind}: EMAIL, DOMAIN or ORGANIZATION. */
    public record DeniedPartyInput(Long siteId, String kind, String value) {
    }

    public record DeniedPartyView(long id, Long siteId, String kind, String value, Instant createdAt) {
    }

    /** What the admin side needs from elsewhere: hashing passwords and dropping caches. */
    public interface Hooks {
        String hashPassword(char[] password);

        /** Sites, queues or rules changed. */
        void tenantsChanged();

        /** The denied-party list changed. */
        void deniedPartiesChanged();
    }

    static final int MIN_PASSWORD_LENGTH = 8;
    private static final Pattern SITE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9:._-]{1,100}");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:([0-9]{1,5}|\\*))?");

    private final Database db;
    private final AdminStore store;
    private final TenantStore tenants;
    private final AuditLog auditLog;
    private final Hooks hooks;
    private final Clock clock;

    public AdminService(Database db, AdminStore store, TenantStore tenants, AuditLog auditLog, Hooks hooks, Clock clock) {
        this.db = db;
        this.store = store;
        this.tenants = tenants;
        this.auditLog = auditLog;
        this.hooks = hooks;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ sites

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
        return db.inTransaction(c -> view(c, siteRow(c, id)));
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
            SiteView view = view(c, siteRow(c, id));
            auditLog.audit(c, actor, "CREATE", "SITE", id, view);
            return view;
        });
        hooks.tenantsChanged();
        return created;
    }

    public SiteView updateSite(String actor, long id, SiteInput in) {
        SiteInput v = validSite(in);
        SiteView updated = db.inTransaction(c -> {
            AdminStore.SiteRow before = siteRow(c, id);
            if (store.siteNameTaken(c, v.name(), id)) {
                throw conflict("SITE_EXISTS", "A site named '" + v.name() + "' exists already.");
            }
            if (v.defaultQueueId() != null) {
                queueOfSite(c, v.defaultQueueId(), id, "defaultQueueId");
            }
            store.updateSite(c, new AdminStore.SiteRow(id, v.name(), v.pool(), v.defaultQueueId(),
                    countries(v.deniedCountries()), v.unknownCountryPolicy(), v.publicDomain(), before.createdAt()));
            store.replaceOrigins(c, id, v.origins());
            SiteView view = view(c, siteRow(c, id));
            auditLog.audit(c, actor, "UPDATE", "SITE", id, view);
            return view;
        });
        hooks.tenantsChanged();
        return updated;
    }

    /** Deletes a site and everything it owns; refused while any of its engagements waits or is in progress. */
    public void deleteSite(String actor, long id) {
        db.inTransaction(c -> {
            AdminStore.SiteRow s = siteRow(c, id);
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

    private AdminStore.SiteRow siteRow(Connection c, long id) throws SQLException {
        return AdminChecks.siteRow(store, c, id);
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

    // ------------------------------------------------------------------ queues

    public List<QueueView> queues(long siteId) {
        return db.inTransaction(c -> {
            siteRow(c, siteId);
            return store.queues(c, siteId).stream().map(AdminService::view).toList();
        });
    }

    public QueueView queue(long id) {
        return db.inTransaction(c -> view(queueRow(c, id)));
    }

    public QueueView createQueue(String actor, long siteId, QueueInput in) {
        QueueInput v = validQueue(in);
        QueueView created = db.inTransaction(c -> {
            siteRow(c, siteId);
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

    private TenantStore.QueueRow queueOfSite(Connection c, long queueId, long siteId, String field) throws SQLException {
        return AdminChecks.queueOfSite(store, c, queueId, siteId, field);
    }

    private void checkEscalation(Connection c, Long escalation, long queueId, long siteId) throws SQLException {
        if (escalation == null) {
            return;
        }
        if (escalation == queueId) {
            throw invalid("escalationQueueId", "a queue cannot escalate to itself");
        }
        queueOfSite(c, escalation, siteId, "escalationQueueId");
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

    // ------------------------------------------------------------------ routing rules

    public List<RuleView> rules(long siteId) {
        return db.inTransaction(c -> {
            siteRow(c, siteId);
            return store.rules(c, siteId).stream().map(AdminService::view).toList();
        });
    }

    public RuleView rule(long id) {
        return db.inTransaction(c -> view(ruleRow(c, id)));
    }

    public RuleView createRule(String actor, long siteId, RuleInput in) {
        RuleInput v = validRule(in);
        RuleView created = db.inTransaction(c -> {
            siteRow(c, siteId);
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
            queueOfSite(c, v.matchQueueId(), siteId, "matchQueueId");
        }
        if (v.targetQueueId() != null) {
            queueOfSite(c, v.targetQueueId(), siteId, "targetQueueId");
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

    // ------------------------------------------------------------------ agents and API users

    public List<AgentView> agents(long siteId) {
        return db.inTransaction(c -> {
            siteRow(c, siteId);
            List<AgentView> out = new ArrayList<>();
            for (AdminStore.AccountRow a : store.accounts(c, siteId, "AGENT")) {
                out.add(agentView(c, a));
            }
            return out;
        });
    }

    public AgentView agent(long id) {
        return db.inTransaction(c -> agentView(c, accountRow(c, id, "AGENT")));
    }

    public AgentView createAgent(String actor, long siteId, AgentInput in) {
        required(in, "the agent");
        String username = username(in.username());
        char[] password = password(in.password());
        AgentInput v = validAgent(in);
        String hash = hooks.hashPassword(password);
        AgentView created = db.inTransaction(c -> {
            siteRow(c, siteId);
            List<Long> queues = queuesOfSite(c, v.queues(), siteId);
            if (store.usernameTaken(c, username)) {
                throw conflict("USERNAME_TAKEN", "The user name '" + username + "' is taken.");
            }
            long id = tenants.insertAccount(c, new TenantStore.AccountRow(0, siteId, username, hash, "AGENT", v.name(),
                    v.greeting(), v.maxSessions()), clock.instant());
            store.replaceAgentQueues(c, id, queues);
            AgentView view = agentView(c, accountRow(c, id, "AGENT"));
            auditLog.audit(c, actor, "CREATE", "AGENT", id, view);
            return view;
        });
        hooks.tenantsChanged();
        return created;
    }

    /** Changes an agent's name, greeting, capacity and queues; its user name and password stay. */
    public AgentView updateAgent(String actor, long id, AgentInput in) {
        required(in, "the agent");
        AgentInput v = validAgent(in);
        AgentView updated = db.inTransaction(c -> {
            AdminStore.AccountRow before = accountRow(c, id, "AGENT");
            if (in.username() != null && !in.username().strip().equals(before.username())) {
                throw invalid("username", "a user name cannot change; create a new agent instead");
            }
            if (in.password() != null) {
                throw invalid("password", "set through the password reset, not here");
            }
            List<Long> queues = queuesOfSite(c, v.queues(), before.siteId());
            store.updateAccount(c, id, v.name(), v.greeting(), v.maxSessions());
            store.replaceAgentQueues(c, id, queues);
            AgentView view = agentView(c, accountRow(c, id, "AGENT"));
            auditLog.audit(c, actor, "UPDATE", "AGENT", id, view);
            return view;
        });
        hooks.tenantsChanged();
        return updated;
    }

    /** Deletes an agent who is not logged on; the chats it took part in keep its name. */
    public void deleteAgent(String actor, long id) {
        deleteAccount(actor, id, "AGENT");
    }

    public List<ApiUserView> apiUsers(long siteId) {
        return db.inTransaction(c -> {
            siteRow(c, siteId);
            return store.accounts(c, siteId, "API").stream().map(AdminService::apiUserView).toList();
        });
    }

    public ApiUserView apiUser(long id) {
        return db.inTransaction(c -> apiUserView(accountRow(c, id, "API")));
    }

    public ApiUserView createApiUser(String actor, long siteId, ApiUserInput in) {
        required(in, "the API user");
        String username = username(in.username());
        String hash = hooks.hashPassword(password(in.password()));
        return db.inTransaction(c -> {
            siteRow(c, siteId);
            if (store.usernameTaken(c, username)) {
                throw conflict("USERNAME_TAKEN", "The user name '" + username + "' is taken.");
            }
            long id = tenants.insertAccount(c, new TenantStore.AccountRow(0, siteId, username, hash, "API", username,
                    null, null), clock.instant());
            ApiUserView view = apiUserView(accountRow(c, id, "API"));
            auditLog.audit(c, actor, "CREATE", "API_USER", id, view);
            return view;
        });
    }

    public void deleteApiUser(String actor, long id) {
        deleteAccount(actor, id, "API");
    }

    /** Sets a new password for an agent or an API user; its tokens already issued stay valid until they expire. */
    public void resetPassword(String actor, long id, String newPassword) {
        String hash = hooks.hashPassword(password(newPassword));
        db.inTransaction(c -> {
            AdminStore.AccountRow a = store.account(c, id).filter(x -> !"ADMIN".equals(x.role()))
                    .orElseThrow(() -> notFound("ACCOUNT_UNKNOWN", "There is no agent or API user " + id + "."));
            store.setPassword(c, id, hash);
            auditLog.audit(c, actor, "RESET_PASSWORD", "AGENT".equals(a.role()) ? "AGENT" : "API_USER", id,
                    Map.of("username", a.username()));
            return null;
        });
    }

    private void deleteAccount(String actor, long id, String role) {
        db.inTransaction(c -> {
            AdminStore.AccountRow a = accountRow(c, id, role);
            if (store.loggedOn(c, id)) {
                throw conflict("AGENT_LOGGED_ON", "The agent is logged on; it must log off (or be logged off) first.");
            }
            store.deleteAccount(c, id, clock.instant());
            auditLog.audit(c, actor, "DELETE", "AGENT".equals(role) ? "AGENT" : "API_USER", id, Map.of("username", a.username()));
            return null;
        });
        hooks.tenantsChanged();
    }

    private AdminStore.AccountRow accountRow(Connection c, long id, String role) throws SQLException {
        return store.account(c, id).filter(a -> role.equals(a.role()))
                .orElseThrow(() -> notFound("AGENT".equals(role) ? "AGENT_UNKNOWN" : "API_USER_UNKNOWN",
                        "There is no " + ("AGENT".equals(role) ? "agent " : "API user ") + id + "."));
    }

    private AgentView agentView(Connection c, AdminStore.AccountRow a) throws SQLException {
        return new AgentView(a.id(), a.siteId(), a.username(), a.displayName(), a.greeting(), a.maxSessions(),
                store.agentQueues(c, a.id()), a.createdAt());
    }

    private static ApiUserView apiUserView(AdminStore.AccountRow a) {
        return new ApiUserView(a.id(), a.siteId(), a.username(), a.createdAt());
    }

    private List<Long> queuesOfSite(Connection c, List<Long> queues, long siteId) throws SQLException {
        List<Long> out = new ArrayList<>();
        for (Long q : queues == null ? List.<Long>of() : queues) {
            if (q == null) {
                throw invalid("queues", "a queue id is null");
            }
            queueOfSite(c, q, siteId, "queues");
            if (!out.contains(q)) {
                out.add(q);
            }
        }
        return out;
    }

    private static AgentInput validAgent(AgentInput in) {
        String name = text(in.name(), "name", 200);
        String greeting = in.greeting() == null ? null : in.greeting().strip();
        if (greeting != null && greeting.length() > 2000) {
            throw invalid("greeting", "at most 2000 characters");
        }
        Integer max = range(in.maxSessions(), "maxSessions", 1, 1000);
        return new AgentInput(in.username(), null, name, greeting, max, in.queues());
    }

    private static String username(String username) {
        String u = text(username, "username", 100);
        if (!USERNAME.matcher(u).matches()) {
            throw invalid("username", "letters, digits and . _ @ + - only");
        }
        return u;
    }

    private static char[] password(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw invalid("password", "at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > 1000) {
            throw invalid("password", "at most 1000 characters");
        }
        return password.toCharArray();
    }

    // ------------------------------------------------------------------ denied parties

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
                siteRow(c, in.siteId());
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
