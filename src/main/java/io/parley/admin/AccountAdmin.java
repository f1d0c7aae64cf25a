package io.parley.admin;

import static io.parley.admin.AdminChecks.conflict;
import static io.parley.admin.AdminChecks.invalid;
import static io.parley.admin.AdminChecks.notFound;
import static io.parley.admin.AdminChecks.queueOfSite;
import static io.parley.admin.AdminChecks.range;
import static io.parley.admin.AdminChecks.required;
import static io.parley.admin.AdminChecks.siteRow;
import static io.parley.admin.AdminChecks.text;

import io.parley.store.AdminStore;
import io.parley.store.Database;
import io.parley.store.TenantStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The accounts of a site: agents (with the queues they serve) and API users, and their passwords.
 * Every change is validated and written with its audit entry in one transaction.
 */
public final class AccountAdmin {

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

    static final int MIN_PASSWORD_LENGTH = 8;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}");

    private final Database db;
    private final AdminStore store;
    private final TenantStore tenants;
    private final AuditLog auditLog;
    private final AdminHooks hooks;
    private final Clock clock;

    public AccountAdmin(Database db, AdminStore store, TenantStore tenants, AuditLog auditLog, AdminHooks hooks,
                        Clock clock) {
        this.db = db;
        this.store = store;
        this.tenants = tenants;
        this.auditLog = auditLog;
        this.hooks = hooks;
        this.clock = clock;
    }

    public List<AgentView> agents(long siteId) {
        return db.inTransaction(c -> {
            siteRow(store, c, siteId);
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
            siteRow(store, c, siteId);
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
            siteRow(store, c, siteId);
            return store.accounts(c, siteId, "API").stream().map(AccountAdmin::apiUserView).toList();
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
            siteRow(store, c, siteId);
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
            queueOfSite(store, c, q, siteId, "queues");
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
}
