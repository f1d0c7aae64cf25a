package io.parley.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection source and the transaction boundary for every store.
 *
 * <p>Parley uses the container's DataSource when one is named, else its own HikariCP pool.
 * Flyway brings the schema up to date before anything else touches it; the same migrations
 * serve H2 and PostgreSQL.
 */
public final class Database implements UnitOfWork, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Database.class.getName());

    /** The advisory lock key of start-up work ("parley" in ASCII). */
    private static final long STARTUP_LOCK = 0x7061726c6579L;

    private final DataSource dataSource;
    private final HikariDataSource ownPool;
    private final Dialect dialect;
    /** Null when every transaction commits alone. */
    private volatile GroupCommit groupCommit;

    /** A unit of work on one connection inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Database(DataSource dataSource, HikariDataSource ownPool, Duration startupWait) {
        this.dataSource = dataSource;
        this.ownPool = ownPool;
        this.dialect = awaitReachable(dataSource, startupWait);
    }

    /** Opens the database named by the settings and migrates it. */
    public static Database open(DatabaseSettings settings) {
        Database db;
        if (!settings.jndiName().isEmpty()) {
            db = new Database(lookup(settings.jndiName()), null, settings.startupWait());
            LOG.log(System.Logger.Level.INFO, "Using the container DataSource {0}", settings.jndiName());
        } else {
            HikariConfig hc = new HikariConfig();
            hc.setPoolName("parley");
            hc.setJdbcUrl(durable(settings.url()));
            // Named, not looked up: DriverManager registers the drivers it finds once per JVM, and a
            // WAR that stops takes its drivers with it, so a WAR deployed after it would find none.
            driverClass(settings.url()).ifPresent(hc::setDriverClassName);
            // A connection that broke with the database (a restart, a network cut) must leave the pool at
            // once; Hikari only knows the SQL states of some drivers (not H2's "connection broken").
            hc.setExceptionOverride(new SQLExceptionOverride() {
                @java.lang.Override
                public SQLExceptionOverride.Override adjudicate(SQLException e) {
                    return isUnreachable(e) ? SQLExceptionOverride.Override.MUST_EVICT
                            : SQLExceptionOverride.Override.CONTINUE_EVICT;
                }
            });
            hc.setUsername(settings.user());
            hc.setPassword(settings.password());
            hc.setMaximumPoolSize(settings.poolSize());
            hc.setConnectionTimeout(settings.connectTimeout().toMillis());
            hc.setAutoCommit(true);
            if (settings.url().startsWith("jdbc:h2:")) {
                // H2 gives up on a row lock after one second by default; queue changes may queue up behind each other longer.
                hc.setConnectionInitSql("SET LOCK_TIMEOUT 10000");
            }
            // Start even when the database is briefly down; requests then answer 503 until it is back.
            hc.setInitializationFailTimeout(-1);
            HikariDataSource pool = new HikariDataSource(hc);
            try {
                db = new Database(pool, pool, settings.startupWait());
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
            LOG.log(System.Logger.Level.INFO, "Using database {0}", settings);
        }
        db.migrate();
        if (settings.groupCommit().orElse(db.dialect == Dialect.H2)) {
            db.groupCommit = new GroupCommit(db);
        }
        LOG.log(System.Logger.Level.INFO, db.groupCommit != null
                ? "Group commit on: transactions that arrive together share one commit"
                : "Group commit off: every transaction commits alone");
        return db;
    }

    /** Wraps an existing DataSource (tests, tools); the caller owns its lifecycle. */
    public static Database wrap(DataSource dataSource) {
        Database db = new Database(dataSource, null, Duration.ZERO);
        db.migrate();
        return db;
    }

    /**
     * An H2 file database writes each commit to its file before the commit returns, so a killed
     * process ({@code kill -9}) loses nothing it answered for. H2's default keeps up to half a
     * second of commits in memory. (Not an fsync: a power cut may still lose the last moments.)
     */
    static String durable(String url) {
        if (url.startsWith("jdbc:h2:") && !url.contains("mem:") && !url.toUpperCase(java.util.Locale.ROOT).contains("WRITE_DELAY")) {
            return url + ";WRITE_DELAY=0";
        }
        return url;
    }

    /** The driver of Parley's own databases, by JDBC URL; empty for others (found through DriverManager). */
    static Optional<String> driverClass(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return Optional.of("org.h2.Driver");
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return Optional.of("org.postgresql.Driver");
        }
        return Optional.empty();
    }

    private static DataSource lookup(String name) {
        try {
            return (DataSource) new InitialContext().lookup(name);
        } catch (NamingException | ClassCastException e) {
            throw new StoreException("No DataSource at JNDI name " + name, e);
        }
    }

    private void migrate() {
        Flyway.configure(Database.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /**
     * Waits up to {@code wait} for the database to answer (nodes and their database often start
     * together) and tells which one it is; fails once the wait is over.
     */
    private static Dialect awaitReachable(DataSource ds, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return detectDialect(ds);
            } catch (StoreUnavailableException e) {
                if (System.nanoTime() >= deadline) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING, "The database does not answer yet; trying again: {0}",
                        e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static Dialect detectDialect(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
            return product.contains("postgres") ? Dialect.POSTGRESQL : Dialect.H2;
        } catch (SQLException e) {
            throw translate("opening the database", e);
        }
    }

    /** The connections themselves, for libraries that run their own statements (the throttle's buckets). */
    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Connections of Parley's own pool right now (none when a container's DataSource is used). */
    public record PoolStats(int active, int idle, int total, int waiting) {
    }

    public Optional<PoolStats> poolStats() {
        if (ownPool == null || ownPool.getHikariPoolMXBean() == null) {
            return Optional.empty();
        }
        var p = ownPool.getHikariPoolMXBean();
        return Optional.of(new PoolStats(p.getActiveConnections(), p.getIdleConnections(), p.getTotalConnections(),
                p.getThreadsAwaitingConnection()));
    }

    /** Whether the database answers now (readiness). */
    public boolean reachable() {
        try {
            return read(c -> c.isValid(2));
        } catch (StoreException e) {
            return false;
        }
    }

    /**
     * Makes start-up work (seeding) of nodes that start at once take turns: on PostgreSQL an
     * advisory lock held until the transaction ends. (An H2 database has one node.)
     */
    public void lockForStartup(Connection c) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + STARTUP_LOCK + ")");
            }
        }
    }

    /**
     * Whether a second connection taken while the thread holds a transaction is an error. It is a
     * latent deadlock: with every pooled connection held by transactions waiting for a second one,
     * none is ever given back. The tests turn this on ({@code -Dparley.strictTransactions=true}).
     */
    private static final boolean STRICT = Boolean.getBoolean("parley.strictTransactions");
    private static final ThreadLocal<Boolean> IN_TRANSACTION = ThreadLocal.withInitial(() -> false);

    private static void checkNotNested() {
        if (STRICT && IN_TRANSACTION.get()) {
            throw new IllegalStateException("A second connection was taken inside a transaction; pass the"
                    + " transaction's connection instead");
        }
    }

    /**
     * Runs {@code work} in a transaction that may share its commit with others that arrive at the same
     * time (group commit, see {@link GroupCommit}); returns once that commit is done, so the result is
     * as durable as {@link #inTransaction}'s. For the short, frequent writes of a chat: a message,
     * typing, a delivery cursor. {@code work} may run again (alone) when it lost a lock conflict.
     */
    public <T> T inGroupTransaction(Work<T> work) {
        GroupCommit group = groupCommit;
        if (group == null) {
            return inTransaction(work);
        }
        checkNotNested();
        return group.run(work);
    }

    /** Turns group commit on for this database (tests and tools; {@link #open} follows the settings). */
    public Database withGroupCommit() {
        if (groupCommit == null) {
            groupCommit = new GroupCommit(this);
        }
        return this;
    }

    /** Commits so far, and the transactions they held (they differ when commits were shared). */
    public record CommitStats(long commits, long transactions) {
    }

    public Optional<CommitStats> groupCommitStats() {
        GroupCommit group = groupCommit;
        return group == null ? Optional.empty() : Optional.of(new CommitStats(group.batches(), group.transactions()));
    }

    /** Transactions waiting for the committer now (tests). */
    int groupCommitQueued() {
        GroupCommit group = groupCommit;
        return group == null ? 0 : group.queued();
    }

    @Override
    public <T> T transaction(TxWork<T> work) {
        return inTransaction(c -> Tx.within(c, work));
    }

    @Override
    public <T> T sharedTransaction(TxWork<T> work) {
        return inGroupTransaction(c -> Tx.within(c, work));
    }

    @Override
    public <T> T query(TxWork<T> work) {
        return read(c -> Tx.within(c, work));
    }

    /** Runs {@code work} on this thread as inside a transaction (the strict check of nested connections). */
    <T> T marked(java.util.function.Supplier<T> work) {
        boolean outer = IN_TRANSACTION.get();
        IN_TRANSACTION.set(true);
        try {
            return work.get();
        } finally {
            IN_TRANSACTION.set(outer);
        }
    }

    /** Runs {@code work} in one transaction: committed on return, rolled back on any exception. */
    public <T> T inTransaction(Work<T> work) {
        checkNotNested();
        return marked(() -> transactionOn(work));
    }

    private <T> T transactionOn(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                restoreAutoCommit(c, auto);
            }
        } catch (SQLException e) {
            throw translate("a transaction", e);
        }
    }

    /** Runs {@code work} on a connection in auto-commit mode: single reads and single writes. */
    public <T> T read(Work<T> work) {
        checkNotNested();
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw translate("a query", e);
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection c, boolean auto) {
        try {
            c.setAutoCommit(auto);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not restore auto-commit", e);
        }
    }

    /**
     * Connection failures (SQL state class 08, PostgreSQL's 57P0x shutdown states, a broken
     * connection, a pool that cannot hand out a connection in time) mean the database is
     * unreachable: a 503 the client may retry. Anything else is Parley's own failure.
     */
    static StoreException translate(String what, SQLException e) {
        if (isUnreachable(e)) {
            return new StoreUnavailableException("The database is unreachable during " + what, e);
        }
        return new StoreException("Database failure during " + what + ": " + e.getMessage(), e);
    }

    /** Whether {@code e} or one of its causes says the database is unreachable (see {@link #translate}). */
    public static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && isUnreachable(sql)) {
                return true;
            }
        }
        return false;
    }

    static boolean isUnreachable(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException
                || (state != null && (state.startsWith("08") || state.startsWith("57P0")));
    }

    /**
     * Whether {@code e} says the transaction lost a conflict with another one (a deadlock, a
     * serialization failure, a lock it waited for too long): run alone again, it may well succeed.
     */
    static boolean lostLockConflict(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("40001") || state.equals("40P01") || state.equals("55P03")
                || state.equals("HYT00"));
    }

    @Override
    public void close() {
        GroupCommit group = groupCommit;
        if (group != null) {
            group.close();
        }
        if (ownPool != null) {
            ownPool.close();
        }
    }

    /** The SQL flavours Parley speaks; they differ only in a few locking and upsert forms. */
    public enum Dialect { H2, POSTGRESQL }
}
