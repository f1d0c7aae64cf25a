package io.parley.engagement;

import io.parley.testing.MutableClock;
import io.parley.store.AgentStore;
import io.parley.store.ChatSessionStore;
import io.parley.store.Database;
import io.parley.store.EngagementStore;
import io.parley.store.QueueStore;
import io.parley.store.Site;
import io.parley.store.SiteDirectory;
import io.parley.store.TenantStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A real engagement service on a fresh in-memory H2 database with one site ({@code demo}):
 * queue 1 General (default), queue 2 Billing, and agents {@code ada} and {@code ben}.
 */
final class Fixture {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    final Database db;
    final TenantStore tenants;
    final SiteDirectory sites;
    final Queues queues;
    final ChatSessions chatSessions;
    final EngagementStore store;
    final EngagementModule domain;
    final Engagements engagements;
    final Admissions admissions;
    final Conversation conversation;
    final WaitInformation waits;
    final Journal journal;
    final AgentStore agentSessions;
    final Site site;
    final long ada;
    final long ben;

    Fixture(EngagementSignals signals) {
        this(signals, Map.of());
    }

    /** @param queueTweaks SQL SET clauses per queue id, e.g. {@code 1 -> "max_waiting = 1"} */
    Fixture(EngagementSignals signals, Map<Long, String> queueTweaks) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        ds.setUser("sa");
        // As in a deployment on H2: a chat's frequent writes share commits.
        db = Database.wrap(ds).withGroupCommit();
        tenants = new TenantStore(db);
        long[] agents = db.inTransaction(c -> {
            long siteId = tenants.insertSite(c, "demo", "1:1", 1L, clock.instant());
            tenants.insertQueue(c, new TenantStore.QueueRow(1, siteId, "General", null, null, 2L, null, null, 60), clock.instant());
            tenants.insertQueue(c, new TenantStore.QueueRow(2, siteId, "Billing", null, null, null, null, null, 90), clock.instant());
            long a = tenants.insertAccount(c, new TenantStore.AccountRow(0, siteId, "ada", "x", "AGENT", "Ada",
                    "Hi, I'm Ada.", 3), clock.instant());
            long b = tenants.insertAccount(c, new TenantStore.AccountRow(0, siteId, "ben", "x", "AGENT", "Ben", null, 3),
                    clock.instant());
            tenants.insertAgentQueues(c, a, List.of(1L, 2L));
            tenants.insertAgentQueues(c, b, List.of(1L));
            for (Map.Entry<Long, String> t : queueTweaks.entrySet()) {
                try (var ps = c.prepareStatement("UPDATE chat_queue SET " + t.getValue() + " WHERE id = ?")) {
                    ps.setLong(1, t.getKey());
                    ps.executeUpdate();
                }
            }
            return new long[] {a, b};
        });
        ada = agents[0];
        ben = agents[1];
        sites = new SiteDirectory(db, clock, Duration.ZERO);
        queues = new Queues(new QueueStore(db), clock, Duration.ZERO);
        chatSessions = new ChatSessions(new ChatSessionStore(db), clock);
        store = new EngagementStore(db);
        agentSessions = new AgentStore(db);
        domain = EngagementModule.wire(new EngagementModule.Parts(db, queues, chatSessions, sites, tenants, signals,
                        new OpenSessions(OpenSessions.MAX_AGE), clock),
                new EngagementModule.Limits(1000, Duration.ofSeconds(60),
                        new AgentSettings(Duration.ofSeconds(20), Duration.ofSeconds(60))));
        engagements = domain.engagements();
        admissions = domain.admissions();
        conversation = domain.conversation();
        waits = domain.waits();
        journal = domain.journal();
        site = sites.byName("demo").orElseThrow();
    }

    /** A chat session with this session information, as a bootstrap call would open it. */
    String chatSession(SessionInfo info) {
        return chatSessions.open(site.id(), null, info, Duration.ofMinutes(30)).id();
    }

    /** A consumer in the queue the default routing picks. */
    Admission.Admitted admit() {
        return (Admission.Admitted) admissions.requestEngagement(chatSession(SessionInfo.empty()), site);
    }

    static SessionInfo info(Long queueId, Long productId, List<SessionInfo.CustomField> fields) {
        return new SessionInfo("Ann", "Lee", "ann@example.com", null, null, null, queueId, productId, null, null, null,
                null, "Where is my order?", fields, Map.of());
    }
}
