package io.parley.auth;

import io.parley.store.TenantStore.AccountRow;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks HTTP Basic credentials ({@code Authorization: Basic ...}) against Parley's accounts.
 * Pure: it is given the account lookup and the site names, so it runs without a servlet.
 *
 * <p>Passwords are hashed with PBKDF2 at a cost meant to hurt; paying it on every chat start
 * would melt the CPU. A successful check is therefore remembered for a few minutes, keyed by the
 * user name and an HMAC of the password under a key that lives only in this process (the cache
 * never holds a password or a plain hash of one). A remembered check still reads the account, so
 * a deleted account or a changed password takes effect at once.
 *
 * <p>The demo site's well-known credentials are refused from any address but loopback unless
 * {@code demo.allowRemote} is set: they are printed in the README, so anyone could use them.
 */
public final class BasicAuthenticator {

    private static final System.Logger LOG = System.getLogger(BasicAuthenticator.class.getName());

    /** How long a successful check is remembered. */
    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    private static final int CACHE_MAX_ENTRIES = 10_000;

    /** The demo credentials of design.md, user name to password. */
    static final Map<String, String> DEMO_CREDENTIALS = Map.of(
            "demo-api", "demo-api-pass",
            "agent1", "demo-agent-pass",
            "agent2", "demo-agent-pass",
            "agent3", "demo-agent-pass",
            "admin", "demo-admin-pass");

    /** The outcome of {@link #authenticate}. */
    public sealed interface Result permits Authenticated, Refused {
    }

    /**
     * The credentials are those of this account.
     *
     * @param principal the account
     */
    public record Authenticated(AccountPrincipal principal) implements Result {
    }

    /**
     * The credentials were refused.
     *
     * @param refusal why (for the log and the error code; the client is not told which account check failed)
     */
    public record Refused(Refusal refusal) implements Result {
    }

    /** Why credentials were refused. */
    public enum Refusal {
        /** No {@code Authorization: Basic} header. */
        MISSING,
        /** A Basic header whose value is not Base64 of {@code user:password}. */
        MALFORMED,
        /** No such account (or one that cannot be used: unknown role, vanished site). */
        UNKNOWN_ACCOUNT,
        /** The password does not match. */
        WRONG_PASSWORD,
        /** Demo credentials from an address other than loopback while {@code demo.allowRemote} is off. */
        DEMO_CREDENTIALS_REMOTE
    }

    /** Checks a password against a stored hash; {@link PasswordHasher#verify} in production. */
    @FunctionalInterface
    interface PasswordCheck {
        boolean matches(char[] password, String storedHash);
    }

    private record Remembered(String passwordHash, Instant expiresAt) {
    }

    private record Credentials(String username, char[] password) {
    }

    private final Function<String, Optional<AccountRow>> accounts;
    private final Function<Long, Optional<String>> siteNames;
    private final PasswordCheck passwords;
    private final String dummyHash;
    private final boolean demoAllowRemote;
    private final Clock clock;
    private final Duration cacheTtl;
    private final SecretKeySpec cacheKey;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    /**
     * @param accounts        finds an account by user name ({@code TenantStore::account})
     * @param siteNames       the fqSiteName of a site id
     * @param hasher          verifies passwords
     * @param demoAllowRemote whether demo credentials are accepted from other addresses than loopback
     * @param clock           the time, for the cache
     */
    public BasicAuthenticator(Function<String, Optional<AccountRow>> accounts, Function<Long, Optional<String>> siteNames,
                              PasswordHasher hasher, boolean demoAllowRemote, Clock clock) {
        this(accounts, siteNames, hasher::verify, hasher.hash(randomPassword()), demoAllowRemote, clock, CACHE_TTL);
    }

    BasicAuthenticator(Function<String, Optional<AccountRow>> accounts, Function<Long, Optional<String>> siteNames,
                       PasswordCheck passwords, String dummyHash, boolean demoAllowRemote, Clock clock,
                       Duration cacheTtl) {
        this.accounts = accounts;
        this.siteNames = siteNames;
        this.passwords = passwords;
        this.dummyHash = dummyHash;
        this.demoAllowRemote = demoAllowRemote;
        this.clock = clock;
        this.cacheTtl = cacheTtl;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cacheKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * Checks the credentials of an {@code Authorization} header value.
     *
     * @param authorization the header value, or null when absent
     * @param clientAddress the client's address (for the demo-credentials rule), or null
     * @return the account, or why it was refused
     */
    public Result authenticate(String authorization, String clientAddress) {
        Optional<String> encoded = basicValue(authorization);
        if (encoded.isEmpty()) {
            return new Refused(Refusal.MISSING);
        }
        Credentials c = decode(encoded.get());
        if (c == null) {
            return new Refused(Refusal.MALFORMED);
        }
        try {
            return check(c, clientAddress);
        } finally {
            Arrays.fill(c.password(), '\0');
        }
    }

    /**
     * The user name in an {@code Authorization} header value, without checking anything else: what
     * the throttle counts failed logins by before a password is hashed.
     *
     * @return empty when the header holds no well-formed Basic credentials
     */
    public static Optional<String> username(String authorization) {
        Optional<Credentials> c = basicValue(authorization).map(BasicAuthenticator::decode);
        c.ifPresent(x -> Arrays.fill(x.password(), '\0'));
        return c.map(Credentials::username);
    }

    /** The account a token names, if it still exists (no password check: the verified token is the credential). */
    public Optional<AccountPrincipal> account(String username) {
        return accounts.apply(username).map(this::principal)
                .filter(Authenticated.class::isInstance).map(r -> ((Authenticated) r).principal());
    }

    private Result check(Credentials c, String clientAddress) {
        if (isDemoPair(c) && !demoAllowRemote && !isLoopback(clientAddress)) {
            return new Refused(Refusal.DEMO_CREDENTIALS_REMOTE);
        }
        Optional<AccountRow> found = accounts.apply(c.username());
        if (found.isEmpty()) {
            // The same work as for a real account, so that timing does not tell which user names exist.
            passwords.matches(c.password(), dummyHash);
            return new Refused(Refusal.UNKNOWN_ACCOUNT);
        }
        AccountRow account = found.get();
        if (!passwordMatches(c, account.passwordHash())) {
            return new Refused(Refusal.WRONG_PASSWORD);
        }
        return principal(account);
    }

    private boolean passwordMatches(Credentials c, String storedHash) {
        String key = c.username() + ':' + hmac(c.password());
        Instant now = clock.instant();
        Remembered r = remembered.get(key);
        if (r != null && r.expiresAt().isAfter(now) && r.passwordHash().equals(storedHash)) {
            return true;
        }
        if (!passwords.matches(c.password(), storedHash)) {
            return false;
        }
        if (remembered.size() >= CACHE_MAX_ENTRIES) {
            remembered.values().removeIf(e -> !e.expiresAt().isAfter(now));
            if (remembered.size() >= CACHE_MAX_ENTRIES) {
                remembered.clear();
            }
        }
        remembered.put(key, new Remembered(storedHash, now.plus(cacheTtl)));
        return true;
    }

    private Result principal(AccountRow a) {
        AccountPrincipal.Role role;
        try {
            role = AccountPrincipal.Role.valueOf(a.role().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.log(System.Logger.Level.WARNING, "Account {0} has the unknown role {1}; refused", a.username(), a.role());
            return new Refused(Refusal.UNKNOWN_ACCOUNT);
        }
        String siteName = null;
        if (a.siteId() != null) {
            Optional<String> name = siteNames.apply(a.siteId());
            if (name.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "Account {0} belongs to site {1}, which does not exist; refused",
                        a.username(), a.siteId());
                return new Refused(Refusal.UNKNOWN_ACCOUNT);
            }
            siteName = name.get();
        }
        return new Authenticated(new AccountPrincipal(a.id(), a.username(), role, a.siteId(), siteName));
    }

    /** The credentials part of a Basic header; the scheme name is case-insensitive. */
    private static Optional<String> basicValue(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String h = authorization.strip();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).equalsIgnoreCase("Basic")) {
            return Optional.empty();
        }
        return Optional.of(h.substring(space + 1).strip());
    }

    private static Credentials decode(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
    }

    private static boolean isDemoPair(Credentials c) {
        String demoPassword = DEMO_CREDENTIALS.get(c.username());
        return demoPassword != null && Arrays.equals(demoPassword.toCharArray(), c.password());
    }

    /**
     * Whether {@code address} is a loopback address literal (127.0.0.0/8, ::1, or IPv4-mapped
     * loopback). Only literals are parsed: a name is never looked up.
     */
    public static boolean isLoopback(String address) {
        if (address == null) {
            return false;
        }
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.indexOf(':') < 0) {
            return isIpv4Loopback(a);
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        if (!a.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            // With a colon in it, the JDK parses an IPv6 literal and never resolves a name.
            return InetAddress.getByName(a).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isIpv4Loopback(String a) {
        String[] octets = a.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit) || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return octets[0].equals("127");
    }

    private String hmac(char[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(cacheKey);
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            try {
                mac.update(bytes);
                return Base64.getEncoder().encodeToString(mac.doFinal());
            } finally {
                Arrays.fill(bytes.array(), (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static char[] randomPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b).toCharArray();
    }
}
