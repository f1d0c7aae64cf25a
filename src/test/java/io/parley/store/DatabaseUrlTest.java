package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void anH2FileDatabaseWritesEveryCommitBeforeItReturns() {
        assertEquals("jdbc:h2:file:./data/parley;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
                Database.durable("jdbc:h2:file:./data/parley;DB_CLOSE_ON_EXIT=FALSE"));
        assertEquals("jdbc:h2:tcp://db:9092/parley;WRITE_DELAY=0", Database.durable("jdbc:h2:tcp://db:9092/parley"));
    }

    @Test
    void anExplicitWriteDelayInMemoryDatabasesAndPostgresqlAreLeftAlone() {
        assertEquals("jdbc:h2:file:./x;write_delay=500", Database.durable("jdbc:h2:file:./x;write_delay=500"));
        assertEquals("jdbc:h2:mem:t;DB_CLOSE_DELAY=-1", Database.durable("jdbc:h2:mem:t;DB_CLOSE_DELAY=-1"));
        assertEquals("jdbc:h2:tcp://localhost:1/mem:t", Database.durable("jdbc:h2:tcp://localhost:1/mem:t"));
        assertEquals("jdbc:postgresql://db/parley", Database.durable("jdbc:postgresql://db/parley"));
    }
}
