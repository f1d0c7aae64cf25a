package io.parley.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A transaction in progress, as the domain holds it: the domain passes it on to the stores, and
 * only the stores see the connection behind it. A store's SQL failure travels up as an unchecked
 * {@link Failure} and is unwrapped where the transaction ends, so {@link Database} classifies it
 * (unreachable, lost lock conflict) exactly as if the SQL had run there.
 */
public final class Tx {

    /** SQL run on the transaction's connection. */
    @FunctionalInterface
    interface Sql<T> {
        T run(Connection c) throws SQLException;
    }

    /** SQL run on the transaction's connection, for its effect. */
    @FunctionalInterface
    interface SqlAction {
        void run(Connection c) throws SQLException;
    }

    /** A store's SQL failure on its way to the end of the transaction. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    private final Connection connection;

    private Tx(Connection connection) {
        this.connection = connection;
    }

    <T> T run(Sql<T> sql) {
        try {
            return sql.run(connection);
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }

    void exec(SqlAction sql) {
        try {
            sql.run(connection);
        } catch (SQLException e) {
            throw new Failure(e);
        }
    }

    /** Runs domain work on {@code c}, handing its SQL failures back as the SQLException they were. */
    static <T> T within(Connection c, UnitOfWork.TxWork<T> work) throws SQLException {
        try {
            return work.run(new Tx(c));
        } catch (Failure f) {
            throw f.getCause();
        }
    }
}
