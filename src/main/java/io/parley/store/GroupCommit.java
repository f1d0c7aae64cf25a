package io.parley.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Group commit: transactions that arrive together run one after the other on one connection and share
 * one commit (one H2 chunk written instead of one each). Every caller waits until the commit that
 * holds its work is done, so an answer still means durable: {@code kill -9} after it loses nothing.
 *
 * <p>One committer thread takes whatever has queued up while it committed the previous batch, so a
 * lone transaction waits for nobody and a burst shares commits. Each transaction of a batch of several
 * runs inside a savepoint: one that fails is undone alone and its caller gets its exception, the others
 * commit. A failed commit fails every caller of the batch. A transaction that lost a lock conflict with
 * another connection (deadlock, serialization failure, lock timeout) runs again alone after the batch.
 */
final class GroupCommit implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GroupCommit.class.getName());
    /** At most this many transactions share a commit (and a connection's savepoints). */
    static final int MAX_BATCH = 64;

    private final Database db;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread committer;
    private final LongAdder batches = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private volatile boolean closed;

    GroupCommit(Database db) {
        this.db = db;
        this.committer = new Thread(this::commitLoop, "parley-group-commit");
        committer.setDaemon(true);
        committer.start();
    }

    /** One caller's transaction and what became of it. */
    private static final class Pending<T> {
        final Database.Work<T> work;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;
        RuntimeException failure;
        boolean again;

        Pending(Database.Work<T> work) {
            this.work = work;
        }

        void runIn(Connection c) throws SQLException {
            result = work.run(c);
        }

        void finish() {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(result);
            }
        }
    }

    /** Runs {@code work} in a transaction that may share its commit; returns once that commit is done. */
    <T> T run(Database.Work<T> work) {
        if (Thread.currentThread() == committer) {
            // A transaction of a batch asking for another would wait for itself for ever.
            throw new IllegalStateException("A group transaction was started inside another; pass the connection instead");
        }
        Pending<T> p = new Pending<>(work);
        if (closed) {
            throw new StoreUnavailableException("Parley is stopping", null);
        }
        queue.add(p);
        if (closed && queue.remove(p)) {
            // Stopped between the check and the add: the committer may be gone already.
            throw new StoreUnavailableException("Parley is stopping", null);
        }
        try {
            return p.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("Interrupted while waiting for a commit", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                // Rethrown as it is: the caller's own exception types (a failed commit's is shared by its batch).
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new StoreException("A transaction failed: " + e.getCause(), e.getCause());
        }
    }

    /** Transactions waiting for the committer now. */
    int queued() {
        return queue.size();
    }

    /** How many commits, and how many transactions they held, since start (for the metrics). */
    long batches() {
        return batches.sum();
    }

    long transactions() {
        return transactions.sum();
    }

    private void commitLoop() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // commit() completes every caller itself; this is a defect, and the loop must live on.
                LOG.log(System.Logger.Level.ERROR, "Group commit failed unexpectedly", e);
                for (Pending<?> p : batch) {
                    p.done.completeExceptionally(e);
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending<?>> batch) {
        batches.increment();
        transactions.add(batch.size());
        if (batch.size() == 1) {
            alone(batch.get(0));
            return;
        }
        db.marked(() -> shared(batch));
        for (Pending<?> p : batch) {
            if (p.again) {
                p.again = false;
                p.failure = null;
                alone(p);
            } else {
                p.finish();
            }
        }
    }

    /** Runs one transaction in a commit of its own, exactly as {@link Database#inTransaction} would. */
    private <T> void alone(Pending<T> p) {
        try {
            p.result = db.inTransaction(p.work);
        } catch (RuntimeException e) {
            p.failure = e;
        } catch (Error e) {
            p.failure = new StoreException("A transaction failed: " + e, e);
        }
        p.finish();
    }

    /** Runs the batch's transactions in one transaction, each within a savepoint, and commits once. */
    private Void shared(List<Pending<?>> batch) {
        try (Connection c = db.dataSource().getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                for (Pending<?> p : batch) {
                    Savepoint sp = c.setSavepoint();
                    try {
                        p.runIn(c);
                        c.releaseSavepoint(sp);
                    } catch (SQLException e) {
                        c.rollback(sp);
                        if (Database.lostLockConflict(e)) {
                            p.again = true;
                        } else {
                            p.failure = Database.translate("a transaction", e);
                        }
                    } catch (RuntimeException e) {
                        c.rollback(sp);
                        p.failure = e;
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                try {
                    c.setAutoCommit(auto);
                } catch (SQLException e) {
                    LOG.log(System.Logger.Level.DEBUG, "Could not restore auto-commit", e);
                }
            }
        } catch (SQLException | RuntimeException e) {
            RuntimeException failure = e instanceof SQLException sql ? Database.translate("a shared commit", sql)
                    : (RuntimeException) e;
            for (Pending<?> p : batch) {
                // Nothing of the batch was committed: no caller may hear otherwise.
                p.again = false;
                p.failure = failure;
            }
        }
        return null;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Commits what is queued, then stops the committer. Never interrupts it: an interrupted H2 closes
     * its file under the other connections.
     */
    @Override
    public void close() {
        closed = true;
        try {
            committer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending<?> p;
        while ((p = queue.poll()) != null) {
            p.failure = new StoreUnavailableException("Parley is stopping", null);
            p.finish();
        }
    }
}
