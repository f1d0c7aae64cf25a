package io.parley.auth;

import io.parley.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.auth.BasicAuthenticator.Authenticated;
import io.parley.auth.BasicAuthenticator.Refusal;
import io.parley.auth.BasicAuthenticator.Refused;
import io.parley.auth.BasicAuthenticator.Result;
import io.parley.store.TenantStore.AccountRow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BasicAuthenticatorTest {

    private static final PasswordHasher HASHER = new PasswordHasher(1_000);
    private static final String REMOTE = "203.0.113.7";

    private final Map<String, AccountRow> accounts = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger hashChecks = new AtomicInteger();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    BasicAuthenticatorTest() {
        add(new AccountRow(7, 1L, "shop-api", HASHER.hash("right".toCharArray()), "API", "Shop", null, null));
        add(new AccountRow(8, 1L, "demo-api", HASHER.hash("demo-api-pass".toCharArray()), "API", "Demo", null, null));
        add(new AccountRow(9, 1L, "agent1", HASHER.hash("demo-agent-pass".toCharArray()), "AGENT", "Ada", null, 3));
        add(new AccountRow(10, null, "root", HASHER.hash("pw".toCharArray()), "ADMIN", "Root", null, null));
    }

    private void add(AccountRow a) {
        accounts.put(a.username(), a);
    }

    private BasicAuthenticator authenticator(boolean demoAllowRemote) {
        return new BasicAuthenticator(
                name -> {
                    lookups.incrementAndGet();
                    return Optional.ofNullable(accounts.get(name));
                },
                id -> id == 1L ? Optional.of("shop") : Optional.empty(),
                (password, stored) -> {
                    hashChecks.incrementAndGet();
                    return HASHER.verify(password, stored);
                },
                HASHER.hash("dummy".toCharArray()), demoAllowRemote, clock, Duration.ofMinutes(5));
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static Refusal refusal(Result r) {
        return assertInstanceOf(Refused.class, r).refusal();
    }

    @Test
    void goodCredentialsGiveThePrincipal() {
        Result r = authenticator(false).authenticate(basic("shop-api:right"), REMOTE);
        AccountPrincipal p = assertInstanceOf(Authenticated.class, r).principal();
        assertEquals(new AccountPrincipal(7, "shop-api", AccountPrincipal.Role.API, 1L, "shop"), p);
    }

    @Test
    void schemeNameIsCaseInsensitive() {
        BasicAuthenticator auth = authenticator(false);
        assertInstanceOf(Authenticated.class, auth.authenticate("basic " + basic("shop-api:right").substring(6), REMOTE));
        assertInstanceOf(Authenticated.class, auth.authenticate("BASIC   " + basic("shop-api:right").substring(6), REMOTE));
    }

    @Test
    void passwordMayContainColonsAndNonAscii() {
        add(new AccountRow(11, 1L, "zoë", HASHER.hash("a:b:ç".toCharArray()), "API", null, null, null));
        assertInstanceOf(Authenticated.class, authenticator(false).authenticate(basic("zoë:a:b:ç"), REMOTE));
    }

    @Test
    void administratorHasNoSite() {
        AccountPrincipal p = assertInstanceOf(Authenticated.class, authenticator(false).authenticate(basic("root:pw"), REMOTE))
                .principal();
        assertEquals(AccountPrincipal.Role.ADMIN, p.role());
        assertEquals(null, p.siteId());
        assertEquals(null, p.siteName());
    }

    @Test
    void wrongPasswordIsRefused() {
        assertEquals(Refusal.WRONG_PASSWORD, refusal(authenticator(false).authenticate(basic("shop-api:wrong"), REMOTE)));
    }

    @Test
    void unknownUserIsRefusedAfterTheSameHashingWork() {
        assertEquals(Refusal.UNKNOWN_ACCOUNT, refusal(authenticator(false).authenticate(basic("nobody:right"), REMOTE)));
        assertEquals(1, hashChecks.get());
    }

    @Test
    void missingHeaderOrAnotherSchemeIsMissingCredentials() {
        BasicAuthenticator auth = authenticator(false);
        assertEquals(Refusal.MISSING, refusal(auth.authenticate(null, REMOTE)));
        assertEquals(Refusal.MISSING, refusal(auth.authenticate("", REMOTE)));
        assertEquals(Refusal.MISSING, refusal(auth.authenticate("Bearer abc.def.ghi", REMOTE)));
        assertEquals(Refusal.MISSING, refusal(auth.authenticate("Basic", REMOTE)));
    }

    @Test
    void malformedHeaderIsRefusedWithoutLookingAnythingUp() {
        BasicAuthenticator auth = authenticator(false);
        assertEquals(Refusal.MALFORMED, refusal(auth.authenticate("Basic !!not-base64!!", REMOTE)));
        assertEquals(Refusal.MALFORMED, refusal(auth.authenticate(basic("no-colon"), REMOTE)));
        assertEquals(Refusal.MALFORMED, refusal(auth.authenticate(basic(":password-only"), REMOTE)));
        assertEquals(0, lookups.get());
        assertEquals(0, hashChecks.get());
    }

    @Test
    void successfulVerificationIsCachedButTheAccountIsStillRead() {
        BasicAuthenticator auth = authenticator(false);
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(Authenticated.class, auth.authenticate(basic("shop-api:right"), REMOTE));
        }
        assertEquals(1, hashChecks.get());
        assertEquals(5, lookups.get());
    }

    @Test
    void cachedVerificationDoesNotAdmitAnotherPassword() {
        BasicAuthenticator auth = authenticator(false);
        assertInstanceOf(Authenticated.class, auth.authenticate(basic("shop-api:right"), REMOTE));
        assertEquals(Refusal.WRONG_PASSWORD, refusal(auth.authenticate(basic("shop-api:Right"), REMOTE)));
        assertEquals(2, hashChecks.get());
    }

    @Test
    void changedPasswordTakesEffectDespiteTheCache() {
        BasicAuthenticator auth = authenticator(false);
        assertInstanceOf(Authenticated.class, auth.authenticate(basic("shop-api:right"), REMOTE));
        add(new AccountRow(7, 1L, "shop-api", HASHER.hash("new".toCharArray()), "API", "Shop", null, null));
        assertEquals(Refusal.WRONG_PASSWORD, refusal(auth.authenticate(basic("shop-api:right"), REMOTE)));
        assertInstanceOf(Authenticated.class, auth.authenticate(basic("shop-api:new"), REMOTE));
    }

    @Test
    void deletedAccountTakesEffectDespiteTheCache() {
        BasicAuthenticator auth = authenticator(false);
        assertInstanceOf(Authenticated.class, auth.authenticate(basic("shop-api:right"), REMOTE));
        accounts.remove("shop-api");
        assertEquals(Refusal.UNKNOWN_ACCOUNT, refusal(auth.authenticate(basic("shop-api:right"), REMOTE)));
    }

    @Test
    void cachedVerificationExpires() {
        BasicAuthenticator auth = authenticator(false);
        auth.authenticate(basic("shop-api:right"), REMOTE);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertInstanceOf(Authenticated.class, auth.authenticate(basic("shop-api:right"), REMOTE));
        assertEquals(2, hashChecks.get());
    }

    @Test
    void demoCredentialsFromARemoteAddressAreRefusedUnchecked() {
        BasicAuthenticator auth = authenticator(false);
        assertEquals(Refusal.DEMO_CREDENTIALS_REMOTE, refusal(auth.authenticate(basic("demo-api:demo-api-pass"), REMOTE)));
        assertEquals(Refusal.DEMO_CREDENTIALS_REMOTE, refusal(auth.authenticate(basic("agent1:demo-agent-pass"), "10.0.0.5")));
        assertEquals(Refusal.DEMO_CREDENTIALS_REMOTE, refusal(auth.authenticate(basic("demo-api:demo-api-pass"), null)));
        assertEquals(0, lookups.get());
    }

    @Test
    void demoCredentialsFromLoopbackAreAccepted() {
        BasicAuthenticator auth = authenticator(false);
        assertInstanceOf(Authenticated.class, auth.authenticate(basic("demo-api:demo-api-pass"), "127.0.0.1"));
        assertInstanceOf(Authenticated.class, auth.authenticate(basic("demo-api:demo-api-pass"), "0:0:0:0:0:0:0:1"));
        assertInstanceOf(Authenticated.class, auth.authenticate(basic("agent1:demo-agent-pass"), "::1"));
    }

    @Test
    void demoCredentialsFromARemoteAddressAreAcceptedWithAllowRemote() {
        assertInstanceOf(Authenticated.class, authenticator(true).authenticate(basic("demo-api:demo-api-pass"), REMOTE));
    }

    @Test
    void demoUserWithAChangedPasswordIsAnOrdinaryAccount() {
        add(new AccountRow(8, 1L, "demo-api", HASHER.hash("changed".toCharArray()), "API", "Demo", null, null));
        assertInstanceOf(Authenticated.class, authenticator(false).authenticate(basic("demo-api:changed"), REMOTE));
    }

    @Test
    void accountWithAnUnknownRoleOrAVanishedSiteIsRefused() {
        add(new AccountRow(12, 1L, "odd", HASHER.hash("pw".toCharArray()), "WIZARD", null, null, null));
        add(new AccountRow(13, 99L, "orphan", HASHER.hash("pw".toCharArray()), "API", null, null, null));
        BasicAuthenticator auth = authenticator(false);
        assertEquals(Refusal.UNKNOWN_ACCOUNT, refusal(auth.authenticate(basic("odd:pw"), REMOTE)));
        assertEquals(Refusal.UNKNOWN_ACCOUNT, refusal(auth.authenticate(basic("orphan:pw"), REMOTE)));
    }

    @Test
    void onlyLoopbackLiteralsCountAsLoopback() {
        assertTrue(BasicAuthenticator.isLoopback("127.0.0.1"));
        assertTrue(BasicAuthenticator.isLoopback("127.255.3.4"));
        assertTrue(BasicAuthenticator.isLoopback("::1"));
        assertTrue(BasicAuthenticator.isLoopback("[::1]"));
        assertTrue(BasicAuthenticator.isLoopback("0:0:0:0:0:0:0:1"));
        assertTrue(BasicAuthenticator.isLoopback("::ffff:127.0.0.1"));
        assertFalse(BasicAuthenticator.isLoopback("localhost"));
        assertFalse(BasicAuthenticator.isLoopback("10.0.0.1"));
        assertFalse(BasicAuthenticator.isLoopback("128.0.0.1"));
        assertFalse(BasicAuthenticator.isLoopback("127.0.0"));
        assertFalse(BasicAuthenticator.isLoopback("127.0.0.256"));
        assertFalse(BasicAuthenticator.isLoopback("::2"));
        assertFalse(BasicAuthenticator.isLoopback("fe80::1%eth0"));
        assertFalse(BasicAuthenticator.isLoopback(""));
        assertFalse(BasicAuthenticator.isLoopback(null));
    }
}
