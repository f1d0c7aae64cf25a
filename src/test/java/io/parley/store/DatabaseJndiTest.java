package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A container's DataSource, named by {@code db.jndi}, is what Parley uses instead of its own pool:
 * here a PostgreSQL DataSource bound in a minimal JNDI context, as Tomcat's {@code context.xml}
 * Resource or a WildFly datasource would bind one.
 */
class DatabaseJndiTest {

    private static final Map<String, Object> BOUND = new ConcurrentHashMap<>();
    private static EmbeddedPostgres postgres;
    private static String previousFactory;

    /** The smallest JNDI provider: lookups by name in {@link #BOUND}. */
    public static final class Factory implements InitialContextFactory {
        @Override
        public Context getInitialContext(Hashtable<?, ?> environment) {
            return (Context) java.lang.reflect.Proxy.newProxyInstance(Context.class.getClassLoader(),
                    new Class<?>[] {Context.class}, (proxy, method, args) -> {
                        if (method.getName().equals("lookup") && args.length == 1) {
                            Object o = BOUND.get(args[0].toString());
                            if (o == null) {
                                throw new NameNotFoundException(args[0].toString());
                            }
                            return o;
                        }
                        if (method.getName().equals("close")) {
                            return null;
                        }
                        throw new NamingException("not supported: " + method.getName());
                    });
        }
    }

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        previousFactory = System.setProperty(Context.INITIAL_CONTEXT_FACTORY, Factory.class.getName());
        BOUND.put("java:comp/env/jdbc/parley", postgres.getPostgresDatabase());
        new InitialContext().lookup("java:comp/env/jdbc/parley");
    }

    @AfterAll
    static void stop() throws Exception {
        if (previousFactory == null) {
            System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        } else {
            System.setProperty(Context.INITIAL_CONTEXT_FACTORY, previousFactory);
        }
        postgres.close();
    }

    private static DatabaseSettings settings(String jndi) {
        // The URL names a database that does not exist: only the DataSource may be used.
        return new DatabaseSettings("jdbc:h2:mem:never-used", "sa", "", 4, Duration.ofSeconds(2), jndi, Duration.ZERO, java.util.Optional.empty());
    }

    @Test
    void aDataSourceNamedInJndiIsUsedAndMigrated() {
        try (Database db = Database.open(settings("java:comp/env/jdbc/parley"))) {
            assertEquals(Database.Dialect.POSTGRESQL, db.dialect());
            long queues = db.read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM chat_queue")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertEquals(0, queues, "the schema is there");
            assertEquals("postgres", db.read(c -> c.getMetaData().getUserName()));
            assertEquals("org.postgresql.jdbc.PgConnection", db.read(c -> c.getClass().getName()),
                    "the container's connections, not a pool of Parley's own");
        }
    }

    @Test
    void aNameWithNothingBoundStopsTheStartWithAClearMessage() {
        StoreException e = assertThrows(StoreException.class, () -> Database.open(settings("java:comp/env/jdbc/missing")));
        assertEquals("No DataSource at JNDI name java:comp/env/jdbc/missing", e.getMessage());
    }
}
