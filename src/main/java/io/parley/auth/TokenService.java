package io.parley.auth;

import io.parley.auth.TokenRejection.Reason;
import io.parley.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.InvalidKeyException;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Issues and verifies the JWTs of the bootstrap calls. Pure: it needs a {@link KeyRing} and a
 * clock, no servlet and no database of its own.
 *
 * <p>A token is a compact JWS signed with Parley's current key (header {@code kid}) carrying
 * {@code iss}, {@code aud} (the site), {@code sub}, {@code jti} (the chat session id),
 * {@code iat}, {@code nbf} and {@code exp}. Verification applies the whole policy in one jose4j
 * consumer: required {@code exp}, {@code sub} and {@code jti}, the clock skew, the issuer, the
 * audience, the algorithm allow-list, and a key chosen by {@code kid} from Parley's own key set
 * only.
 */
public final class TokenService {

    private final JwtSettings settings;
    private final KeyRing keys;
    private final Clock clock;

    public TokenService(JwtSettings settings, KeyRing keys, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.clock = clock;
    }

    /** How long the tokens of the bootstrap calls live ({@code jwt.tokenTtl}). */
    public Duration tokenTtl() {
        return settings.tokenTtl();
    }

    /**
     * Signs a token for a consumer of {@code siteName}.
     *
     * @param siteName the site the token is for (its audience)
     * @param jti      the token id: the chat session it is bound to
     * @param subject  who it is for
     * @param ttl      how long it is valid
     * @return the compact serialization ({@code header.payload.signature})
     */
    public String issue(String siteName, String jti, String subject, Duration ttl) {
        SigningKey key = keys.signer();
        long nowMillis = clock.millis();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(settings.issuer());
        claims.setAudience(siteName);
        claims.setSubject(subject);
        claims.setJwtId(jti);
        claims.setIssuedAt(NumericDate.fromMilliseconds(nowMillis));
        claims.setNotBefore(NumericDate.fromMilliseconds(nowMillis));
        claims.setExpirationTime(NumericDate.fromMilliseconds(nowMillis + ttl.toMillis()));

        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setAlgorithmHeaderValue(key.algorithm());
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot sign a token with key " + key.kid(), e);
        }
    }

    /**
     * The audience of an agent's token for {@code site}: unlike a consumer's token (whose audience is
     * the site itself), it cannot be used to request an engagement, nor a consumer's to log an agent on.
     */
    /** The audience of administrators' tokens (from the admin login): no site's audience can equal it. */
    public static final String ADMIN_AUDIENCE = "admin:parley";

    public static String agentAudience(String site) {
        return "agent:" + site;
    }

    /** The token after a mandatory {@code Bearer } prefix (scheme name in any case). */
    public static Optional<String> bearer(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String h = authorization.strip();
        if (h.length() <= 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = h.substring(7).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /**
     * The {@code jti} a token claims, read WITHOUT verifying the token: only for look-ups whose worst
     * outcome for a forged token is a refusal (export compliance finding whom to screen). Tokens
     * that are too large or not a JWS claim nothing.
     */
    public Optional<String> claimedJti(String token) {
        if (token.length() > settings.maxTokenBytes()) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            return Optional.ofNullable(JwtClaims.parse(payload).getJwtId());
        } catch (IllegalArgumentException | InvalidJwtException | MalformedClaimException e) {
            return Optional.empty();
        }
    }

    /**
     * Checks a token presented for {@code expectedSite}.
     *
     * @return the verified token, or the reason it was refused; never throws for a bad token
     * @throws StoreException when the key set had to be reloaded and the database failed
     */
    public TokenCheck verify(String token, String expectedSite) {
        if (token == null || token.isBlank()) {
            return new TokenRejection(Reason.MALFORMED);
        }
        // Cheap checks first: a huge or encrypted token is never handed to the parser.
        if (token.length() > settings.maxTokenBytes()
                || token.getBytes(StandardCharsets.UTF_8).length > settings.maxTokenBytes()) {
            return new TokenRejection(Reason.TOO_LARGE);
        }
        int parts = 1 + (int) token.chars().filter(c -> c == '.').count();
        if (parts == 5) {
            return new TokenRejection(Reason.NOT_JWS);
        }
        if (parts != 3) {
            return new TokenRejection(Reason.MALFORMED);
        }
        try {
            JwtClaims claims = consumer(expectedSite).processToClaims(token);
            return new VerifiedToken(claims.getJwtId(), expectedSite, claims.getSubject(),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()));
        } catch (InvalidJwtException e) {
            rethrowStoreFailure(e);
            return new TokenRejection(reason(e));
        } catch (MalformedClaimException e) {
            return new TokenRejection(Reason.MALFORMED);
        }
    }

    private JwtConsumer consumer(String expectedSite) {
        return new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds((int) settings.clockSkew().toSeconds())
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .setExpectedIssuer(settings.issuer())
                .setExpectedAudience(expectedSite)
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        settings.algorithms().toArray(String[]::new)))
                .setVerificationKeyResolver(new OwnKeysOnly())
                .build();
    }

    /**
     * Picks the verification key by {@code kid} from Parley's key set and nowhere else: the
     * {@code jku}, {@code x5u}, {@code x5c} and {@code jwk} headers are never read.
     */
    private final class OwnKeysOnly implements VerificationKeyResolver {

        @Override
        public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nesting) throws UnresolvableKeyException {
            if (!nesting.isEmpty()) {
                throw new UnresolvableKeyException("Nested tokens are not accepted");
            }
            try {
                // jose4j resolves the key before it checks the algorithm; asking the constraints
                // (set by the consumer) first reports a refused algorithm as what it is.
                jws.getAlgorithm();
            } catch (InvalidAlgorithmException e) {
                throw new UnresolvableKeyException("Algorithm not accepted", e);
            }
            return keys.verificationKey(jws.getKeyIdHeaderValue())
                    .orElseThrow(() -> new UnresolvableKeyException("No such key id"));
        }
    }

    /** A database failure while reloading keys is an outage (503), not a bad token. */
    private static void rethrowStoreFailure(InvalidJwtException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof StoreException se) {
                throw se;
            }
        }
    }

    static Reason reason(InvalidJwtException e) {
        if (causedBy(e, InvalidAlgorithmException.class) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return Reason.ALGORITHM_NOT_ALLOWED;
        }
        if (causedBy(e, UnresolvableKeyException.class)) {
            return Reason.UNKNOWN_KEY;
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || causedBy(e, InvalidKeyException.class)) {
            return Reason.BAD_SIGNATURE;
        }
        if (e.hasErrorCode(ErrorCodes.JSON_INVALID) || e.hasErrorCode(ErrorCodes.MALFORMED_CLAIM)) {
            return Reason.MALFORMED;
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING) || e.hasErrorCode(ErrorCodes.SUBJECT_MISSING)
                || e.hasErrorCode(ErrorCodes.JWT_ID_MISSING) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)
                || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return Reason.MISSING_CLAIM;
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID)) {
            return Reason.WRONG_ISSUER;
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID)) {
            return Reason.WRONG_AUDIENCE;
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return Reason.NOT_YET_VALID;
        }
        if (e.hasExpired()) {
            return Reason.EXPIRED;
        }
        return Reason.MALFORMED;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
