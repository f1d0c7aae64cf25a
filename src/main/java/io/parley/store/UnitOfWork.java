package io.parley.store;

/**
 * How the domain opens transactions: it hands over its work, which reaches the stores through the
 * {@link Tx} it is given. {@link Database} implements it.
 */
public interface UnitOfWork {

    /** Work done in one transaction. */
    @FunctionalInterface
    interface TxWork<T> {
        T run(Tx tx);
    }

    /** Runs {@code work} in its own transaction: committed on return, rolled back on any exception. */
    <T> T transaction(TxWork<T> work);

    /**
     * Runs {@code work} in a transaction that may share its commit with others arriving at the same
     * time; returns once that commit is durable. {@code work} may run again, alone, after losing a
     * lock conflict, so it must not act outside the transaction.
     */
    <T> T sharedTransaction(TxWork<T> work);

    /** Runs {@code work} on a connection in auto-commit mode: reads, and single writes. */
    <T> T query(TxWork<T> work);
}
