package io.parley.auth;

import io.parley.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Database;
import io.parley.store.SigningKeyStore;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class SigningKeysTest {

    private final JdbcDataSource dataSource = new JdbcDataSource();
    private final Database db;
    private final SigningKeyStore store;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    SigningKeysTest() {
        dataSource.setURL("jdbc:h2:mem:keys-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        db = Database.wrap(dataSource);
        store = new SigningKeyStore(db);
    }

    private static JwtSettings settings(String... algorithms) {
        return new JwtSettings("parley", List.of(algorithms), Duration.ofMinutes(30), Duration.ofSeconds(30), 8192);
    }

    private SigningKeys open(String... algorithms) {
        SigningKeys keys = new SigningKeys(store, settings(algorithms), clock, SigningKeys.RELOAD_INTERVAL);
        keys.start();
        return keys;
    }

    private void execute(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    @Test
    void firstStartGeneratesAnRsaKeyAndLaterStartsLoadIt() {
        SigningKeys first = open("RS256");
        SigningKey signer = first.signer();
        assertEquals("RS256", signer.algorithm());
        assertInstanceOf(RSAPrivateKey.class, signer.privateKey());
        assertEquals(2048, ((RSAPrivateKey) signer.privateKey()).getModulus().bitLength());

        SigningKeys second = open("RS256");
        assertEquals(signer.kid(), second.signer().kid());
        assertEquals(signer.privateKey(), second.signer().privateKey());
        assertEquals(1, store.usable(Instant.EPOCH).size());
    }

    @Test
    void es256GetsAnEcP256Key() {
        SigningKey signer = open("ES256").signer();
        assertEquals("ES256", signer.algorithm());
        ECPrivateKey ec = assertInstanceOf(ECPrivateKey.class, signer.privateKey());
        assertEquals(256, ec.getParams().getOrder().bitLength());
    }

    @Test
    void anotherAlgorithmGetsAKeyOfItsOwnAndBothVerify() {
        SigningKeys rs = open("RS256");
        SigningKeys es = open("ES256", "RS256");
        assertNotEquals(rs.signer().kid(), es.signer().kid());
        assertTrue(es.verificationKey(rs.signer().kid()).isPresent());
        assertEquals(2, es.publishedKeys().size());
    }

    @Test
    void keyOfAnotherNodeIsFoundAtOnceAndFloodsOfUnknownKidsAreBounded() {
        SigningKeys node = open("RS256");
        String second = open("ES256").signer().kid();
        assertTrue(node.verificationKey(second).isPresent(), "an unknown kid reloads the key set at once");

        for (int i = 0; i < SigningKeys.UNKNOWN_KID_RELOADS; i++) {
            assertFalse(node.verificationKey("x".repeat(42) + i).isPresent(), "made-up kids spend the budget");
        }
        String third = open("PS256").signer().kid();
        assertFalse(node.verificationKey(third).isPresent(), "no reload once the budget is spent");
        clock.advance(SigningKeys.RELOAD_INTERVAL);
        assertFalse(node.verificationKey("made-up").isPresent(), "a kid not of Parley's shape never reloads");
        assertTrue(node.verificationKey(third).isPresent(), "the budget refills with time");
    }

    @Test
    void nodesStartingTogetherOnAnEmptyDatabaseShareOneSigningKey() throws Exception {
        // Both nodes find no key and generate one; the database lets the first insert in, and the
        // second node loads that key instead of its own. The latch forces exactly that interleaving.
        CountDownLatch bothLooked = new CountDownLatch(2);
        SigningKeyStore racing = new SigningKeyStore(db) {
            @Override
            public boolean insertActive(Row row) {
                bothLooked.countDown();
                try {
                    bothLooked.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.insertActive(row);
            }
        };
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            Callable<SigningKeys> start = () -> {
                SigningKeys keys = new SigningKeys(racing, settings("RS256"), clock, SigningKeys.RELOAD_INTERVAL);
                keys.start();
                return keys;
            };
            Future<SigningKeys> a = nodes.submit(start);
            Future<SigningKeys> b = nodes.submit(start);
            SigningKeys first = a.get(30, TimeUnit.SECONDS);
            SigningKeys second = b.get(30, TimeUnit.SECONDS);
            assertEquals(first.signer().kid(), second.signer().kid(), "one signing key for both nodes");
            assertEquals(1, store.usable(Instant.EPOCH).size(), "the loser's key was never stored");
            assertEquals(1, second.publishedKeys().size());
        } finally {
            nodes.shutdownNow();
        }
    }

    @Test
    void aRotationOnOneNodeIsUsedByAnotherAtItsFirstToken() {
        SigningKeys a = open("RS256");
        SigningKeys b = open("RS256");
        String old = a.signer().kid();
        String rotated = a.rotate();
        assertNotEquals(old, rotated);
        assertEquals(rotated, a.signer().kid());
        assertTrue(b.verificationKey(rotated).isPresent(), "the other node reloads when it meets the new kid");
        assertTrue(b.verificationKey(old).isPresent(), "the retired key still verifies");
        assertEquals(1, store.usable(Instant.EPOCH).stream().filter(r -> r.retiredAt() == null).count(),
                "one active key");
    }

    @Test
    void retiredKeyVerifiesForOneTokenLifetimeAndSkew() throws SQLException {
        SigningKeys old = open("RS256");
        String kid = old.signer().kid();
        execute("UPDATE signing_key SET retired_at = ?, active_algorithm = NULL WHERE kid = ?",
                clock.instant().atOffset(ZoneOffset.UTC), kid);

        SigningKeys keys = open("RS256");
        assertNotEquals(kid, keys.signer().kid(), "a retired key no longer signs; a new one is made");
        assertTrue(keys.verificationKey(kid).isPresent());
        assertEquals(2, keys.publishedKeys().size());

        clock.advance(Duration.ofMinutes(30).plusSeconds(31));
        assertFalse(keys.verificationKey(kid).isPresent());
        assertEquals(1, keys.publishedKeys().size());
    }

    @Test
    void publishedKeysArePublicOnly() {
        SigningKeys keys = open("RS256");
        Map<String, Object> jwk = keys.publishedKeys().get(0);
        assertEquals(keys.signer().kid(), jwk.get("kid"));
        assertEquals("RSA", jwk.get("kty"));
        assertEquals("RS256", jwk.get("alg"));
        assertEquals("sig", jwk.get("use"));
        assertTrue(jwk.containsKey("n") && jwk.containsKey("e"));
        for (String privatePart : List.of("d", "p", "q", "dp", "dq", "qi")) {
            assertFalse(jwk.containsKey(privatePart), privatePart);
        }
    }

    @Test
    void privateKeyIsStoredAsPkcs8Pem() {
        open("RS256");
        String pem = store.usable(Instant.EPOCH).get(0).privateKey();
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem);
        assertTrue(pem.endsWith("-----END PRIVATE KEY-----\n"), pem);
    }
}
