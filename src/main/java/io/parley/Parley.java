package io.parley;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.admin.AccountAdmin;
import io.parley.admin.AdminHooks;
import io.parley.admin.AdminReports;
import io.parley.admin.AuditLog;
import io.parley.admin.DeniedPartyAdmin;
import io.parley.admin.QueueAdmin;
import io.parley.admin.RuleAdmin;
import io.parley.admin.SiteAdmin;
import io.parley.api.CorsPolicy;
import io.parley.api.HealthResource;
import io.parley.api.SecurityHeadersFilter;
import io.parley.api.admin.AdminResource;
import io.parley.api.agent.AgentResource;
import io.parley.api.bootstrap.AgentBootstrapResource;
import io.parley.api.bootstrap.PublicDomain;
import io.parley.api.consumer.ConsumerResource;
import io.parley.auth.AgentPrincipal;
import io.parley.auth.AgentSessions;
import io.parley.auth.AuthFilter;
import io.parley.auth.BasicAuthenticator;
import io.parley.auth.ConsumerSessions;
import io.parley.auth.JwtSettings;
import io.parley.auth.PasswordHasher;
import io.parley.auth.SigningKeys;
import io.parley.auth.TokenService;
import io.parley.cluster.ClusterSignals;
import io.parley.cluster.Sweep;
import io.parley.compliance.ComplianceSettings;
import io.parley.compliance.ExportCompliance;
import io.parley.compliance.Identity;
import io.parley.compliance.SessionIdentities;
import io.parley.config.ServerSettings;
import io.parley.config.Settings;
import io.parley.continuation.EventBus;
import io.parley.continuation.HeldSlots;
import io.parley.continuation.HoldSettings;
import io.parley.continuation.LongPolls;
import io.parley.continuation.WaitingRoom;
import io.parley.engagement.AgentMessage;
import io.parley.engagement.AgentSettings;
import io.parley.engagement.ChatSessions;
import io.parley.engagement.EngagementModule;
import io.parley.engagement.OpenSessions;
import io.parley.engagement.EngagementSignals;
import io.parley.engagement.Event;
import io.parley.engagement.Queues;
import io.parley.store.AdminStore;
import io.parley.store.AgentStore;
import io.parley.store.ChatSessionStore;
import io.parley.store.Database;
import io.parley.store.DatabaseSettings;
import io.parley.store.LastSeqs;
import io.parley.store.LoginLockStore;
import io.parley.store.Notifications;
import io.parley.store.QueueStore;
import io.parley.store.ReportStore;
import io.parley.store.SigningKeyStore;
import io.parley.store.Site;
import io.parley.store.SiteDirectory;
import io.parley.store.TenantStore;
import io.parley.throttle.Buckets;
import io.parley.throttle.Throttle;
import io.parley.throttle.ThrottleSettings;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parley's object graph, built once per deployment by {@link ParleyContextListener}: every
 * service is constructed here, explicitly, and handed what it needs. The filters and the Jersey
 * application take their collaborators from the servlet context, where {@link #publish} puts them.
 */
public final class Parley implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Parley.class.getName());

    private final ServerSettings server;
    private final Clock clock;
    private final Database db;
    private final SiteDirectory sites;
    private final TenantStore tenants;
    private final PasswordHasher passwords;
    private final CorsPolicy cors;
    private final HoldSettings holds;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService delivery;
    /** Ends holds, and only that: never blocked by maintenance that waits for the database. */
    private final ScheduledThreadPoolExecutor holdTimer;
    /** Answers ended holds (empty polls, 408s); never touches the database. */
    private final ExecutorService answers;
    private final EventBus bus;
    private final HeldSlots slots;
    private final Queues queues;
    private final ChatSessions chatSessions;
    private final EngagementModule domain;
    private final LongPolls<Event> polls;
    private final LongPolls<AgentMessage> agentPolls;
    private final WaitingRoom waitingRoom;
    private final SigningKeys signingKeys;
    private final TokenService tokens;
    private final BasicAuthenticator basicAuth;
    private final ExportCompliance compliance;
    /** Wake-ups to and from the other nodes; null on H2, which one node owns alone. */
    private final ClusterSignals cluster;
    private final AuditLog auditLog;
    private final SiteAdmin siteAdmin;
    private final QueueAdmin queueAdmin;
    private final RuleAdmin ruleAdmin;
    private final AccountAdmin accountAdmin;
    private final DeniedPartyAdmin deniedPartyAdmin;
    private final AdminReports adminReports;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ParleyMetrics metrics;
    private final Throttle throttle;

    private Parley(Settings settings) {
        this.clock = Clock.systemUTC();
        this.server = ServerSettings.from(settings);
        this.holds = HoldSettings.from(settings);
        AgentSettings agentSettings = new AgentSettings(
                settings.seconds("agents.offerTimeout", 20, 1, 600),
                settings.seconds("agents.awayAfter", 60, (int) holds.pollHold().toSeconds() + 5, 3600));
        DatabaseSettings dbSettings = DatabaseSettings.from(settings);
        JwtSettings jwt = JwtSettings.from(settings);
        ComplianceSettings complianceSettings = ComplianceSettings.from(settings);
        ThrottleSettings throttleSettings = ThrottleSettings.from(settings);
        Duration sweepPeriod = settings.millis("cluster.sweepMillis", 2000, 100, 60_000);
        boolean listen = settings.bool("cluster.listen", true);
        settings.requireAllFileKeysKnown();

        this.db = Database.open(dbSettings);
        this.timer = new ScheduledThreadPoolExecutor(2, threads("parley-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.delivery = Executors.newFixedThreadPool(holds.deliveryThreads(), threads("parley-delivery"));
        this.holdTimer = new ScheduledThreadPoolExecutor(1, threads("parley-hold"));
        this.holdTimer.setRemoveOnCancelPolicy(true);
        this.answers = Executors.newFixedThreadPool(2, threads("parley-answer"));
        ExportCompliance started = null;
        try {
            this.sites = new SiteDirectory(db, clock, server.tenantCache());
            this.tenants = new TenantStore(db);
            this.passwords = new PasswordHasher(PasswordHasher.DEFAULT_ITERATIONS);
            this.cors = new CorsPolicy(server.corsOrigins(), sites);
            seed();
            this.signingKeys = SigningKeys.open(new SigningKeyStore(db), jwt, clock);
            this.tokens = new TokenService(jwt, signingKeys, clock);
            this.basicAuth = new BasicAuthenticator(tenants::account, id -> sites.byId(id).map(Site::name), passwords,
                    server.demoAllowRemote(), clock);

            this.bus = new EventBus(delivery);
            EngagementSignals signals = bus;
            // A node that hears no notices learns of sessions ended elsewhere no later than its sweep would.
            OpenSessions openSessions = new OpenSessions(db.dialect() == Database.Dialect.POSTGRESQL && !listen
                    ? sweepPeriod : OpenSessions.MAX_AGE);
            if (db.dialect() == Database.Dialect.POSTGRESQL) {
                // Other nodes may share this database: their writes must wake this node's polls too.
                Sweep sweep = new Sweep(bus, new LastSeqs(db));
                this.cluster = ClusterSignals.start(bus, new Notifications(db), listen,
                        () -> {
                            openSessions.forgetAll();
                            timer.execute(guarded("cluster sweep", sweep));
                        }, openSessions::ended);
                signals = cluster;
                every(sweepPeriod, "cluster sweep", sweep);
            } else {
                this.cluster = null;
            }
            this.slots = new HeldSlots(holds.maxHeld());
            this.queues = new Queues(new QueueStore(db), clock, server.tenantCache());
            this.chatSessions = new ChatSessions(new ChatSessionStore(db), clock);
            this.domain = EngagementModule.wire(
                    new EngagementModule.Parts(db, queues, chatSessions, sites, tenants, signals, openSessions, clock),
                    new EngagementModule.Limits(server.maxMessageChars(), server.concludedGrace(), agentSettings));
            bus.onRoutingNeeded(domain.dispatcher()::dispatch);
            bus.onQueuesChanged(domain.statistics()::changed);
            this.polls = new LongPolls<>(slots, holdTimer, answers, holds, clock, cluster != null);
            this.agentPolls = new LongPolls<>(slots, holdTimer, answers, holds, clock, cluster != null);
            this.waitingRoom = new WaitingRoom(bus, slots, holdTimer, answers, delivery, holds);
            scheduleMaintenance();
            started = ExportCompliance.start(complianceSettings, db, sites, clock, server.maxBodyBytes(),
                    sessionIdentities(), holds.retryAfter());
            this.compliance = started;
            AdminStore adminStore = new AdminStore();
            this.auditLog = new AuditLog(db, adminStore, clock);
            AdminHooks adminHooks = new AdminHooks() {
                @Override
                public String hashPassword(char[] password) {
                    return passwords.hash(password);
                }

                @Override
                public void tenantsChanged() {
                    sites.invalidate();
                    queues.invalidate();
                }

                @Override
                public void deniedPartiesChanged() {
                    compliance.deniedPartiesChanged();
                }
            };
            this.siteAdmin = new SiteAdmin(db, adminStore, tenants, auditLog, adminHooks, clock);
            this.queueAdmin = new QueueAdmin(db, adminStore, tenants, auditLog, adminHooks, clock);
            this.ruleAdmin = new RuleAdmin(db, adminStore, tenants, auditLog, adminHooks);
            this.accountAdmin = new AccountAdmin(db, adminStore, tenants, auditLog, adminHooks, clock);
            this.deniedPartyAdmin = new DeniedPartyAdmin(db, adminStore, auditLog, adminHooks, clock);
            ReportStore reports = new ReportStore(db);
            this.adminReports = new AdminReports(reports, queues, domain, new AgentStore(db), clock);
            this.metrics = new ParleyMetrics(registry, db, slots, queues, reports);
            // Failed logins and session budgets are counted where every node sees them: PostgreSQL when
            // there may be several nodes; H2 has one node, whose memory is enough.
            this.throttle = new Throttle(throttleSettings,
                    db.dialect() == Database.Dialect.POSTGRESQL ? Buckets.inPostgres(db.dataSource(), clock)
                            : Buckets.inMemory(clock),
                    Buckets.inMemory(clock), new LoginLockStore(db), clock, throttleListener());
            every(Duration.ofMinutes(1), "throttle clean-up", throttle::forgetEnded);
        } catch (RuntimeException | Error e) {
            if (started != null) {
                // Its country-database check runs on a thread of its own.
                started.close();
            }
            stopExecutors();
            closeCluster();
            db.close();
            throw e;
        }
    }

    /** Throttled calls become metrics; locks are written to the audit log too. */
    private Throttle.Listener throttleListener() {
        return new Throttle.Listener() {
            @Override
            public void throttled(String endpoint, Throttle.Reason reason) {
                Counter.builder("parley.throttled").description("Calls refused with 429 by the throttle")
                        .tag("endpoint", endpoint).tag("reason", reason.tag()).register(registry).increment();
            }

            @Override
            public void locked(String endpoint, Throttle.Reason kind, String subject, java.time.Instant until) {
                try {
                    auditLog.audit("parley", "LOCK", "LOGIN_" + kind.name(), subject,
                            java.util.Map.of("lockedUntil", until.toString(), "endpoint", endpoint));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Could not write the lock of {0} to the audit log: {1}", subject,
                            e.getMessage());
                }
            }
        };
    }

    /** Work that runs on a clock: wait information, queue timeouts, held admissions, off-the-record erasure, idle polling state. */
    private void scheduleMaintenance() {
        every(Duration.ofMillis(250), "wait information", domain.waits()::refreshStaleQueues);
        every(Duration.ofSeconds(1), "queue timeouts", domain.conversation()::concludeTimedOut);
        every(Duration.ofSeconds(1), "offer timeouts", domain.dispatcher()::expireOffers);
        every(Duration.ofSeconds(1), "routing", domain.dispatcher()::dispatch);
        every(Duration.ofSeconds(5), "away agents", domain.agents()::markAway);
        every(Duration.ofSeconds(2), "waiting-room retries", waitingRoom::retryAll);
        every(Duration.ofSeconds(5), "off-the-record erasure", domain.conversation()::eraseOffRecord);
        every(SigningKeys.REFRESH, "signing keys", signingKeys::refresh);
        every(Duration.ofMinutes(1), "idle poll channels", () -> {
            polls.evictIdle(Duration.ofMinutes(2));
            agentPolls.evictIdle(Duration.ofMinutes(2));
        });
    }

    private void every(Duration period, String what, Runnable task) {
        timer.scheduleWithFixedDelay(guarded(what, task), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // A failed round (say, the database is briefly down) must not cancel the schedule.
                LOG.log(System.Logger.Level.WARNING, "Maintenance ({0}) failed: {1}", what, e.getMessage());
            }
        };
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void stopExecutors() {
        timer.shutdownNow();
        holdTimer.shutdownNow();
        for (ExecutorService pool : java.util.List.of(delivery, answers)) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
            }
        }
    }

    private void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Builds and starts Parley; on any failure everything already opened is closed again. */
    public static Parley start(Settings settings) {
        return new Parley(settings);
    }

    private void seed() {
        TenantSeed seeder = new TenantSeed(db, tenants, passwords, clock);
        if (server.demo()) {
            try (InputStream in = Parley.class.getResourceAsStream("demo-seed.json")) {
                seeder.apply(in, "the demo seed");
            } catch (IOException e) {
                throw new IllegalStateException("The demo seed cannot be read", e);
            }
        }
        if (!server.seedFile().isEmpty()) {
            Path file = Path.of(server.seedFile());
            try (InputStream in = Files.newInputStream(file)) {
                seeder.apply(in, file.toString());
            } catch (IOException e) {
                throw new io.parley.config.ConfigException("seed", "names a file that cannot be read: " + file);
            }
        }
    }

    /** Makes the collaborators of the filters and of the Jersey application available to them. */
    void publish(ServletContext context) {
        context.setAttribute(Parley.class.getName(), this);
        context.setAttribute(SecurityHeadersFilter.Policy.ATTRIBUTE,
                new SecurityHeadersFilter.Policy(server.hstsMaxAge(), compliance::overTls));
        context.setAttribute(CorsPolicy.class.getName(), cors);
        context.setAttribute(ExportCompliance.class.getName(), compliance);
        context.setAttribute(AuthFilter.Collaborators.ATTRIBUTE,
                new AuthFilter.Collaborators(sites, basicAuth, tokens, consumerSessions(), agentSessions(), throttle,
                        holds.retryAfter()));
        // For tools deployed beside Parley (the test-support library stands in for agents through it).
        context.setAttribute(EngagementModule.class.getName(), domain);
        context.setAttribute(HeldSlots.class.getName(), slots);
        context.setAttribute(LongPolls.class.getName() + ".consumer", polls);
    }

    /**
     * Export compliance's view of who asks for an engagement: the identity bound to the chat session
     * that the bearer token names. The token is not verified yet (the AuthFilter runs next); it is
     * only used to find whom to screen, so a forged one can at worst get its sender denied.
     */
    private SessionIdentities sessionIdentities() {
        return request -> TokenService.bearer(request.getHeader("Authorization"))
                .flatMap(tokens::claimedJti)
                .flatMap(chatSessions::find)
                .map(cs -> new Identity(cs.info().emailAddress(), cs.info().firstName(), cs.info().lastName(),
                        cs.info().organizationName(),
                        cs.info().organizationId() == null ? null : cs.info().organizationId().toString(),
                        cs.authUserName()));
    }

    /** The AuthFilter's view of agent sessions: live ones, with their account and site. */
    private AgentSessions agentSessions() {
        return id -> domain.agents().identity(id).flatMap(s -> sites.byId(s.siteId())
                .map(site -> new AgentPrincipal(s.id(), s.accountId(), site.name())));
    }

    /** The AuthFilter's view of consumer sessions, answered by the engagement service. */
    private ConsumerSessions consumerSessions() {
        return domain.engagements()::consumerSession;
    }

    ConsumerResource consumerResource() {
        return new ConsumerResource(domain, queues, polls, bus, waitingRoom, sites, clock);
    }

    AgentResource agentResource() {
        return new AgentResource(domain, agentPolls, bus, sites, clock);
    }

    AdminResource adminResource() {
        return new AdminResource(siteAdmin, queueAdmin, ruleAdmin, accountAdmin, deniedPartyAdmin, auditLog, adminReports,
                tokens, signingKeys, throttle);
    }

    HealthResource healthResource() {
        return new HealthResource(db::reachable, metrics::scrape, holds.retryAfter());
    }

    AgentBootstrapResource agentBootstrapResource(PublicDomain domains) {
        return new AgentBootstrapResource(tokens, sites, domains);
    }

    HoldSettings holds() {
        return holds;
    }

    /** The graph published in {@code context}. */
    static Parley from(ServletContext context) {
        Parley p = (Parley) context.getAttribute(Parley.class.getName());
        if (p == null) {
            throw new IllegalStateException("Parley did not start; see the log for the cause");
        }
        return p;
    }

    ServerSettings server() {
        return server;
    }

    SiteDirectory sites() {
        return sites;
    }

    SigningKeys signingKeys() {
        return signingKeys;
    }

    TokenService tokens() {
        return tokens;
    }

    ChatSessions chatSessions() {
        return chatSessions;
    }

    /**
     * Answers every held request (empty polls, 503 admissions) while Jersey can still write them:
     * the container destroys the servlet before it tells the context listener to {@link #close()}.
     */
    void stopHolding() {
        polls.shutdown();
        agentPolls.shutdown();
        waitingRoom.shutdown();
    }

    @Override
    public void close() {
        try {
            stopHolding();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Held requests could not all be answered at shutdown", e);
        }
        compliance.close();
        metrics.close();
        stopExecutors();
        closeCluster();
        db.close();
        deregisterDrivers();
        LOG.log(System.Logger.Level.INFO, "Parley stopped");
    }

    /** JDBC drivers loaded from the WAR must leave the JVM-wide registry with it, or the WAR's class loader leaks on redeploy. */
    private static void deregisterDrivers() {
        ClassLoader mine = Parley.class.getClassLoader();
        for (java.sql.Driver d : java.util.Collections.list(java.sql.DriverManager.getDrivers())) {
            if (d.getClass().getClassLoader() == mine) {
                try {
                    java.sql.DriverManager.deregisterDriver(d);
                } catch (java.sql.SQLException e) {
                    LOG.log(System.Logger.Level.DEBUG, "Could not deregister " + d, e);
                }
            }
        }
    }
}
