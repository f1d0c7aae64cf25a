package io.parley.auth;

import io.parley.store.SigningKeyStore;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.github.bucket4j.Bucket;
import io.parley.throttle.ClockTime;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.HashUtil;
import org.jose4j.lang.JoseException;

/**
 * Parley's signing keys, kept in the {@code signing_key} table so that every node sharing the
 * database signs and verifies with the same set.
 *
 * <p>At start, when no active key exists for the signing algorithm (the first of
 * {@code jwt.algorithms}), one is generated (RSA 2048 bits, or EC P-256 for ES256) and stored;
 * otherwise the stored keys are loaded. The database keeps one active key per algorithm, so when
 * nodes start together on an empty database, the first insert wins and every node signs with that
 * key from its first token. A retired key keeps verifying for one token lifetime (plus the clock
 * skew) after its retirement, so its tokens run out naturally.
 *
 * <p>A token naming an unknown {@code kid} of Parley's shape may come from a key another node has
 * just made (a rotation), so it triggers a reload of the key set at once; such reloads draw on a
 * small budget ({@link #UNKNOWN_KID_RELOADS} at once, then one per {@link #RELOAD_INTERVAL}), so a
 * stream of made-up key ids costs a few small queries, not one per request.
 */
public final class SigningKeys implements KeyRing {

    /** Once the budget of reloads for unknown key ids is spent, one more is allowed per this interval. */
    public static final Duration RELOAD_INTERVAL = Duration.ofSeconds(5);
    /** Reloads for unknown key ids allowed back to back before {@link #RELOAD_INTERVAL} applies. */
    static final int UNKNOWN_KID_RELOADS = 3;
    /** How often a node reads the key set again, so a rotation made on another node reaches it. */
    public static final Duration REFRESH = Duration.ofSeconds(30);

    /** The published key set is read again when it is older than this. */
    static final Duration PUBLISH_REFRESH = Duration.ofMinutes(1);
    /** Parley's key ids: base64url SHA-256 thumbprints. Other ids never cause a reload. */
    private static final java.util.regex.Pattern KID_SHAPE = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");

    private static final System.Logger LOG = System.getLogger(SigningKeys.class.getName());
    private static final int RSA_BITS = 2048;

    private record Entry(String kid, PublicJsonWebKey jwk, Instant retiredAt) {
    }

    private record Snapshot(Map<String, Entry> byKid, SigningKey signer, Instant loadedAt) {
    }

    private final SigningKeyStore store;
    private final JwtSettings settings;
    private final Clock clock;
    private final Duration reloadInterval;
    private final Bucket unknownKidReloads;
    private final Object reloadLock = new Object();
    private volatile Snapshot snapshot;
    private Instant lastReload = Instant.MIN;

    SigningKeys(SigningKeyStore store, JwtSettings settings, Clock clock, Duration reloadInterval) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.reloadInterval = reloadInterval;
        this.unknownKidReloads = Bucket.builder()
                .addLimit(limit -> limit.capacity(UNKNOWN_KID_RELOADS).refillGreedy(1, reloadInterval))
                .withCustomTimePrecision(new ClockTime(clock))
                .build();
    }

    /**
     * Loads the key set, generating a signing key for the configured algorithm when there is none.
     *
     * @throws IllegalStateException when the stored signing key cannot be read
     */
    public static SigningKeys open(SigningKeyStore store, JwtSettings settings, Clock clock) {
        SigningKeys keys = new SigningKeys(store, settings, clock, RELOAD_INTERVAL);
        keys.start();
        return keys;
    }

    void start() {
        Snapshot s = load();
        if (s.signer() == null) {
            if (!store.insertActive(generate(settings.signingAlgorithm()))) {
                LOG.log(System.Logger.Level.INFO, "Another node stored the first signing key a moment earlier; using it");
            }
            s = load();
        }
        if (s.signer() == null) {
            throw new IllegalStateException("No signing key for " + settings.signingAlgorithm() + " after generating one");
        }
        synchronized (reloadLock) {
            snapshot = s;
            lastReload = s.loadedAt();
        }
        LOG.log(System.Logger.Level.INFO, "Tokens are signed with key {0} ({1}); {2} key(s) verify",
                s.signer().kid(), s.signer().algorithm(), s.byKid().size());
    }

    /** A key as administrators see it: no private part. */
    public record KeyInfo(String kid, String algorithm, boolean signing, Instant retiredAt, Instant verifiesUntil) {
    }

    /**
     * Makes a new signing key and retires the others: from now on tokens are signed with the new
     * key, and those signed with a retired key keep verifying until they expire. Other nodes take
     * the new key up within {@link #REFRESH} (or at once, when they meet a token it signed).
     *
     * @return the new key's id
     */
    public String rotate() {
        SigningKeyStore.Row key = generate(settings.signingAlgorithm());
        boolean mine = store.rotateTo(key, clock.instant());
        synchronized (reloadLock) {
            snapshot = load();
            lastReload = snapshot.loadedAt();
        }
        String kid = snapshot.signer().kid();
        LOG.log(System.Logger.Level.INFO, mine ? "Signing keys rotated: tokens are now signed with {0}"
                : "Signing keys were rotated on another node at the same moment: tokens are now signed with {0}", kid);
        return kid;
    }

    /** Reads the key set again (scheduled every {@link #REFRESH}). */
    public void refresh() {
        reloadAtMostEvery(REFRESH.dividedBy(2));
    }

    /** The keys that verify, the signing one marked. */
    public List<KeyInfo> keys() {
        Snapshot s = snapshot;
        Instant now = clock.instant();
        List<KeyInfo> out = new ArrayList<>();
        for (Entry e : s.byKid().values()) {
            if (verifies(e, now)) {
                out.add(new KeyInfo(e.kid(), e.jwk().getAlgorithm(), s.signer() != null && s.signer().kid().equals(e.kid()),
                        e.retiredAt(), e.retiredAt() == null ? null
                        : e.retiredAt().plus(settings.tokenTtl()).plus(settings.clockSkew())));
            }
        }
        return out;
    }

    @Override
    public SigningKey signer() {
        return snapshot.signer();
    }

    @Override
    public Optional<PublicKey> verificationKey(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        Entry e = snapshot.byKid().get(kid);
        if (e == null && KID_SHAPE.matcher(kid).matches()) {
            reloadFor(kid);
            e = snapshot.byKid().get(kid);
        }
        if (e == null || !verifies(e, clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(e.jwk().getPublicKey());
    }

    /**
     * The public keys to publish as a JWKS: the active keys and the retired ones that still
     * verify, each as a JWK ({@code kty}, {@code kid}, {@code use}, {@code alg} and the public parameters).
     */
    public List<Map<String, Object>> publishedKeys() {
        if (snapshot.loadedAt().plus(PUBLISH_REFRESH).isBefore(clock.instant())) {
            reloadAtMostEvery(reloadInterval);
        }
        Instant now = clock.instant();
        List<Map<String, Object>> keys = new ArrayList<>();
        for (Entry e : snapshot.byKid().values()) {
            if (verifies(e, now)) {
                keys.add(e.jwk().toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            }
        }
        return keys;
    }

    /** Reloads at once for a key id not known here, unless another thread just did or the budget is spent. */
    private void reloadFor(String kid) {
        synchronized (reloadLock) {
            if (snapshot.byKid().containsKey(kid) || !unknownKidReloads.tryConsume(1)) {
                return;
            }
            lastReload = clock.instant();
            snapshot = load();
        }
    }

    private void reloadAtMostEvery(Duration interval) {
        synchronized (reloadLock) {
            Instant now = clock.instant();
            if (lastReload.plus(interval).isAfter(now)) {
                return;
            }
            // Set before loading: a failing database is not asked again on every request either.
            lastReload = now;
            snapshot = load();
        }
    }

    private boolean verifies(Entry e, Instant now) {
        return e.retiredAt() == null || e.retiredAt().plus(settings.tokenTtl()).plus(settings.clockSkew()).isAfter(now);
    }

    private Snapshot load() {
        Instant now = clock.instant();
        List<SigningKeyStore.Row> rows = store.usable(now.minus(settings.tokenTtl()).minus(settings.clockSkew()));
        Map<String, Entry> byKid = new LinkedHashMap<>();
        SigningKeyStore.Row signerRow = null;
        PublicJsonWebKey signerJwk = null;
        for (SigningKeyStore.Row row : rows) {
            PublicJsonWebKey jwk;
            try {
                jwk = PublicJsonWebKey.Factory.newPublicJwk(row.publicJwk());
            } catch (JoseException e) {
                LOG.log(System.Logger.Level.WARNING, "Signing key {0} has an unreadable public JWK; it is ignored", row.kid());
                continue;
            }
            if (!row.kid().equals(jwk.getKeyId())) {
                LOG.log(System.Logger.Level.WARNING, "Signing key {0} has a JWK of another kid; it is ignored", row.kid());
                continue;
            }
            byKid.put(row.kid(), new Entry(row.kid(), jwk, row.retiredAt()));
            // The database keeps one active key per algorithm; should it ever hold more (rows come oldest
            // first), every node settles on the newest.
            if (row.retiredAt() == null && row.algorithm().equals(settings.signingAlgorithm())) {
                signerRow = row;
                signerJwk = jwk;
            }
        }
        SigningKey signer = signerRow == null ? null
                : new SigningKey(signerRow.kid(), signerRow.algorithm(), readPrivateKey(signerRow, signerJwk));
        return new Snapshot(Map.copyOf(byKid), signer, now);
    }

    /** A new key pair for {@code algorithm}, as a row to store; not stored yet. */
    private SigningKeyStore.Row generate(String algorithm) {
        PublicJsonWebKey jwk;
        try {
            jwk = algorithm.startsWith("ES")
                    ? EcJwkGenerator.generateJwk(EllipticCurves.P256)
                    : RsaJwkGenerator.generateJwk(RSA_BITS);
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot generate a " + algorithm + " signing key", e);
        }
        jwk.setAlgorithm(algorithm);
        jwk.setUse("sig");
        jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint(HashUtil.SHA_256));
        LOG.log(System.Logger.Level.INFO, "Generated signing key {0} ({1})", jwk.getKeyId(), algorithm);
        return new SigningKeyStore.Row(jwk.getKeyId(), algorithm, toPem(jwk.getPrivateKey()),
                jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY), clock.instant(), null);
    }

    private static PrivateKey readPrivateKey(SigningKeyStore.Row row, PublicJsonWebKey jwk) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(row.privateKey()
                    .replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", ""));
            String type = "EC".equals(jwk.getKeyType()) ? "EC" : "RSA";
            return KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("The private key of signing key " + row.kid() + " cannot be read", e);
        }
    }

    static String toPem(PrivateKey key) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }
}
