package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transactions that arrive together share one commit, and each caller hears only what became of its
 * own: its result once the shared commit is done, its own failure alone, or the commit's failure.
 * The tests hold the committer inside a first transaction while the others queue up behind it, so the
 * batch they claim to test is certain, not a matter of timing. On H2 here, and on PostgreSQL (where a
 * failed statement spoils the whole transaction unless undone to a savepoint) in the subclass.
 */
class GroupCommitTest {

    private final AtomicBoolean failCommits = new AtomicBoolean();
    private final ExecutorService callers = Executors.newFixedThreadPool(40);
    private Database db;

    /** A fresh, empty database. */
    DataSource freshDatabase() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        return h2;
    }

    @BeforeEach
    void open() throws SQLException {
        db = Database.wrap(failingCommits(freshDatabase())).withGroupCommit();
        db.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE chat (id BIGINT PRIMARY KEY, last_seq BIGINT NOT NULL)");
                s.execute("CREATE TABLE message (chat_id BIGINT, seq BIGINT, body VARCHAR(100), PRIMARY KEY (chat_id, seq))");
                for (int i = 1; i <= 20; i++) {
                    s.execute("INSERT INTO chat VALUES (" + i + ", 0)");
                }
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        callers.shutdownNow();
        db.close();
    }

    /** A post: the chat's next sequence number and the message, as one transaction. */
    private static long post(Connection c, long chat, String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE chat SET last_seq = last_seq + 1 WHERE id = ?")) {
            ps.setLong(1, chat);
            ps.executeUpdate();
        }
        long seq;
        try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM chat WHERE id = ?")) {
            ps.setLong(1, chat);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO message VALUES (?, ?, ?)")) {
            ps.setLong(1, chat);
            ps.setLong(2, seq);
            ps.setString(3, body);
            ps.executeUpdate();
        }
        return seq;
    }

    private Set<String> stored() {
        return db.read(c -> {
            Set<String> bodies = new HashSet<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT body FROM message")) {
                while (rs.next()) {
                    bodies.add(rs.getString(1));
                }
            }
            return bodies;
        });
    }

    /**
     * Starts a transaction that holds the committer until {@code release}, and waits until it runs:
     * whatever is submitted meanwhile queues up for the next batch.
     */
    private CompletableFuture<Long> holdCommitter(CountDownLatch release) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> db.inGroupTransaction(c -> {
            running.countDown();
            await(release);
            return post(c, 20, "first");
        }), callers);
        assertTrue(running.await(10, TimeUnit.SECONDS), "the first transaction runs");
        return first;
    }

    /** Waits until {@code n} transactions wait for the committer. */
    private void awaitQueued(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (db.groupCommitQueued() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + db.groupCommitQueued() + " of " + n + " queued");
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void concurrentPostsInManyChatsShareCommitsAndEachGetsItsOwnSequenceNumber() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> first = holdCommitter(release);
        List<CompletableFuture<Long>> posts = new ArrayList<>();
        for (int i = 0; i < 38; i++) {
            long chat = 1 + i % 19;
            String body = "m" + i;
            posts.add(CompletableFuture.supplyAsync(() -> db.inGroupTransaction(c -> post(c, chat, body)), callers));
        }
        awaitQueued(38);
        release.countDown();

        assertEquals(1, first.get(10, TimeUnit.SECONDS));
        for (int chat = 0; chat < 19; chat++) {
            // Two posts per chat, each with a sequence number of its own.
            Set<Long> seqs = Set.of(posts.get(chat).get(10, TimeUnit.SECONDS), posts.get(chat + 19).get(10, TimeUnit.SECONDS));
            assertEquals(Set.of(1L, 2L), seqs, "chat " + (chat + 1));
        }
        assertEquals(39, stored().size());
        Database.CommitStats stats = db.groupCommitStats().orElseThrow();
        assertEquals(new Database.CommitStats(2, 39), stats, "the 38 queued posts shared one commit");
    }

    @Test
    void aTransactionThatFailsInASharedCommitFailsAloneAndTheOthersCommit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> first = holdCommitter(release);
        CompletableFuture<Long> before = CompletableFuture.supplyAsync(() -> db.inGroupTransaction(c -> post(c, 1, "before")), callers);
        awaitQueued(1);
        CompletableFuture<Long> failing = CompletableFuture.supplyAsync(() -> db.inGroupTransaction(c -> {
            post(c, 2, "undone");
            throw new IllegalArgumentException("the caller's own failure");
        }), callers);
        awaitQueued(2);
        CompletableFuture<Long> broken = CompletableFuture.supplyAsync(() -> db.inGroupTransaction(c -> {
            post(c, 3, "also undone");
            try (Statement st = c.createStatement()) {
                return (long) st.executeUpdate("INSERT INTO nowhere VALUES (1)");
            }
        }), callers);
        CompletableFuture<Long> after = CompletableFuture.supplyAsync(() -> db.inGroupTransaction(c -> post(c, 4, "after")), callers);
        awaitQueued(4);
        release.countDown();

        first.get(10, TimeUnit.SECONDS);
        assertEquals(1, before.get(10, TimeUnit.SECONDS));
        assertEquals(1, after.get(10, TimeUnit.SECONDS));
        Exception own = assertThrows(Exception.class, () -> failing.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, own.getCause(), "the caller gets its own exception");
        Exception sql = assertThrows(Exception.class, () -> broken.get(10, TimeUnit.SECONDS));
        assertInstanceOf(StoreException.class, sql.getCause(), "a failed statement is a StoreException, as alone");
        assertEquals(Set.of("first", "before", "after"), stored(),
                "the failed transaction left nothing; the one before and after it committed");
    }

    @Test
    void aFailedSharedCommitFailsEveryCallerInItAndStoresNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> first = holdCommitter(release);
        // The next batch starts with a transaction that holds it until the commit is set to fail.
        CountDownLatch gateRunning = new CountDownLatch(1);
        CountDownLatch failThenGo = new CountDownLatch(1);
        CompletableFuture<Long> gate = CompletableFuture.supplyAsync(() -> db.inGroupTransaction(c -> {
            gateRunning.countDown();
            await(failThenGo);
            return post(c, 7, "gate");
        }), callers);
        awaitQueued(1);
        List<CompletableFuture<Long>> posts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long chat = 8 + i;
            posts.add(CompletableFuture.supplyAsync(() -> db.inGroupTransaction(c -> post(c, chat, "lost " + chat)), callers));
        }
        awaitQueued(6);
        release.countDown();
        assertEquals(1, first.get(10, TimeUnit.SECONDS));
        assertTrue(gateRunning.await(10, TimeUnit.SECONDS), "the batch of six has started");
        failCommits.set(true);
        failThenGo.countDown();

        posts.add(gate);
        for (CompletableFuture<Long> p : posts) {
            Exception e = assertThrows(Exception.class, () -> p.get(10, TimeUnit.SECONDS), "no caller hears of success");
            assertInstanceOf(StoreException.class, e.getCause());
        }
        failCommits.set(false);
        assertEquals(Set.of("first"), stored(), "nothing of the failed batch was stored");
        assertEquals(new Database.CommitStats(2, 7), db.groupCommitStats().orElseThrow());
    }

    @Test
    void aTransactionThatLostALockConflictRunsAgainAloneAfterTheSharedCommit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> first = holdCommitter(release);
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Long> unlucky = CompletableFuture.supplyAsync(() -> db.inGroupTransaction(c -> {
            long seq = post(c, 5, "unlucky try " + runs.incrementAndGet());
            if (runs.get() == 1) {
                throw new SQLException("Deadlock detected", "40001");
            }
            return seq;
        }), callers);
        CompletableFuture<Long> other = CompletableFuture.supplyAsync(() -> db.inGroupTransaction(c -> post(c, 6, "other")), callers);
        awaitQueued(2);
        release.countDown();

        first.get(10, TimeUnit.SECONDS);
        assertEquals(1, other.get(10, TimeUnit.SECONDS));
        assertEquals(1, unlucky.get(10, TimeUnit.SECONDS), "the second run got the sequence number the first gave back");
        assertEquals(2, runs.get());
        assertEquals(Set.of("first", "other", "unlucky try 2"), stored());
    }

    @Test
    void aGroupTransactionInsideAnotherFailsAtOnceInsteadOfWaitingForItself() throws Exception {
        CompletableFuture<Long> nested = CompletableFuture.supplyAsync(() -> db.inGroupTransaction(
                c -> db.inGroupTransaction(inner -> post(inner, 1, "inner"))), callers);
        Exception e = assertThrows(Exception.class, () -> nested.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(Set.of(), stored());
    }

    /** A DataSource whose connections fail to commit while {@link #failCommits} is set. */
    private DataSource failingCommits(DataSource database) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(database, method, args);
                    if (method.getName().equals("getConnection")) {
                        Connection real = (Connection) result;
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                                (p, m, a) -> {
                                    if (m.getName().equals("commit") && failCommits.get()) {
                                        throw new SQLException("The disk is full", "HY000");
                                    }
                                    return invoke(real, m, a);
                                });
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
