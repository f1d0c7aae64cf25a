package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The domain's transactions: a store's SQL failure inside one rolls back everything the work did
 * and reaches the caller as the StoreException the JDBC path would have raised, whichever way the
 * work was run (alone, or sharing a commit).
 */
class UnitOfWorkTest {

    private Database db;

    @BeforeEach
    void open() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        db = Database.wrap(ds).withGroupCommit();
        db.read(c -> {
            try (Statement s = c.createStatement()) {
                return s.execute("CREATE TABLE note (id INT PRIMARY KEY)");
            }
        });
    }

    @Test
    void aTransactionAnswersWhatItsWorkReturnedAndKeepsItsWrites() {
        int answered = db.transaction(tx -> {
            insert(tx, 7);
            return 7;
        });
        assertEquals(7, answered);
        int counted = db.sharedTransaction(tx -> count(tx) + 6);
        assertEquals(7, counted);
        assertEquals(1, (int) db.query(UnitOfWorkTest::count));
    }

    @Test
    void aFailingStatementRollsBackTheWholeTransaction() {
        StoreException e = assertThrows(StoreException.class, () -> db.transaction(tx -> {
            insert(tx, 1);
            insert(tx, 1);
            return null;
        }));
        assertInstanceOf(SQLException.class, e.getCause(), "the SQL failure is kept as the cause");
        assertEquals(0, (int) db.query(UnitOfWorkTest::count));
    }

    @Test
    void aFailingStatementInASharedCommitFailsOnlyItsOwnWork() {
        db.sharedTransaction(tx -> insert(tx, 1));
        assertThrows(StoreException.class, () -> db.sharedTransaction(tx -> {
            insert(tx, 2);
            return insert(tx, 1);
        }));
        assertEquals(1, (int) db.query(UnitOfWorkTest::count), "the failed work's first insert was undone");
    }

    @Test
    void theDomainsOwnExceptionsPassUnchanged() {
        IllegalStateException thrown = new IllegalStateException("no");
        assertEquals(thrown, assertThrows(IllegalStateException.class, () -> db.transaction(tx -> {
            insert(tx, 3);
            throw thrown;
        })));
        assertEquals(0, (int) db.query(UnitOfWorkTest::count));
    }

    private static int insert(Tx tx, int id) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO note (id) VALUES (?)")) {
                ps.setInt(1, id);
                return ps.executeUpdate();
            }
        });
    }

    private static int count(Tx tx) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM note"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
