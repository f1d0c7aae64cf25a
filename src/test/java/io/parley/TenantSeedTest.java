package io.parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.auth.PasswordHasher;
import io.parley.config.ConfigException;
import io.parley.store.Database;
import io.parley.store.SiteDirectory;
import io.parley.store.TenantStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** A seed's site may name where its clients reach Parley, read as the admin API reads it. */
class TenantSeedTest {

    private final Database db;
    private final TenantSeed seed;

    TenantSeedTest() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:seed-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        db = Database.wrap(ds);
        seed = new TenantSeed(db, new TenantStore(db), new PasswordHasher(1_000), Clock.systemUTC());
    }

    private void apply(String json) {
        seed.apply(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "a test seed");
    }

    @Test
    void aSitesPublicDomainIsStoredNormalised() {
        apply("{\"sites\":[{\"name\":\"shop\",\"pool\":\"1:1\",\"publicDomain\":\"https://Shop.Example:8443/chat/\"},"
                + "{\"name\":\"plain\",\"pool\":\"1:1\"}]}");
        SiteDirectory sites = new SiteDirectory(db, Clock.systemUTC(), Duration.ZERO);
        assertEquals("shop.example:8443/chat", sites.byName("shop").orElseThrow().publicDomain());
        assertEquals(null, sites.byName("plain").orElseThrow().publicDomain());
    }

    @Test
    void aBadPublicDomainStopsTheStartAndNamesTheSite() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> apply("{\"sites\":[{\"name\":\"shop\",\"pool\":\"1:1\",\"publicDomain\":\"shop.example?x=1\"}]}"));
        assertTrue(e.getMessage().contains("shop") && e.getMessage().contains("publicDomain"), e.getMessage());
        assertTrue(new SiteDirectory(db, Clock.systemUTC(), Duration.ZERO).byName("shop").isEmpty(), "nothing stored");
    }
}
