package io.parley.auth;

import io.parley.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.auth.TokenRejection.Reason;
import io.parley.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenServiceTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static RsaJsonWebKey key;
    private static RsaJsonWebKey attacker;

    private final MutableClock clock = new MutableClock(START);
    private final JwtSettings settings =
            new JwtSettings("parley", List.of("RS256"), Duration.ofMinutes(30), Duration.ofSeconds(30), 8192);
    private final TokenService tokens = new TokenService(settings, new KeyRing() {
        @Override
        public SigningKey signer() {
            return new SigningKey("k1", "RS256", key.getPrivateKey());
        }

        @Override
        public Optional<PublicKey> verificationKey(String kid) {
            return "k1".equals(kid) ? Optional.of(key.getPublicKey()) : Optional.empty();
        }
    }, clock);

    @BeforeAll
    static void keys() throws JoseException {
        key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("k1");
        attacker = RsaJwkGenerator.generateJwk(2048);
        attacker.setKeyId("evil");
    }

    private String issued() {
        return tokens.issue("demo", "session-1", "alice", Duration.ofMinutes(30));
    }

    /** Claims as Parley issues them, for tokens the test signs itself. */
    private JwtClaims claims() {
        JwtClaims c = new JwtClaims();
        c.setIssuer("parley");
        c.setAudience("demo");
        c.setSubject("alice");
        c.setJwtId("session-1");
        c.setIssuedAt(NumericDate.fromMilliseconds(START.toEpochMilli()));
        c.setNotBefore(NumericDate.fromMilliseconds(START.toEpochMilli()));
        c.setExpirationTime(NumericDate.fromMilliseconds(START.plusSeconds(1800).toEpochMilli()));
        return c;
    }

    private static String sign(JwtClaims claims, String alg, String kid, Key signingKey, Consumer<JsonWebSignature> header) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(alg);
        if (kid != null) {
            jws.setKeyIdHeaderValue(kid);
        }
        jws.setKey(signingKey);
        jws.setDoKeyValidation(false);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        header.accept(jws);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JwtClaims claims) {
        return sign(claims, "RS256", "k1", key.getPrivateKey(), h -> { });
    }

    private Reason rejection(String token) {
        TokenCheck check = tokens.verify(token, "demo");
        return assertInstanceOf(TokenRejection.class, check, "expected a rejection").reason();
    }

    @Test
    void issuedTokenVerifiesForItsSite() {
        VerifiedToken v = assertInstanceOf(VerifiedToken.class, tokens.verify(issued(), "demo"));
        assertEquals("session-1", v.jti());
        assertEquals("demo", v.site());
        assertEquals("alice", v.subject());
        assertEquals(START.plusSeconds(1800), v.expiresAt());
    }

    @Test
    void issuedTokenCarriesKidAndEveryClaim() throws Exception {
        String[] parts = issued().split("\\.");
        Map<String, Object> header = org.jose4j.json.JsonUtil.parseJson(decode(parts[0]));
        assertEquals("k1", header.get("kid"));
        assertEquals("RS256", header.get("alg"));
        JwtClaims c = JwtClaims.parse(decode(parts[1]));
        assertEquals("parley", c.getIssuer());
        assertEquals(List.of("demo"), c.getAudience());
        assertEquals("alice", c.getSubject());
        assertEquals("session-1", c.getJwtId());
        assertEquals(START.getEpochSecond(), c.getIssuedAt().getValue());
        assertEquals(START.getEpochSecond(), c.getNotBefore().getValue());
        assertEquals(START.getEpochSecond() + 1800, c.getExpirationTime().getValue());
    }

    @Test
    void tokenJustPastExpiryWithinTheSkewStillVerifies() {
        String t = issued();
        clock.advance(Duration.ofSeconds(1800 + 20));
        assertInstanceOf(VerifiedToken.class, tokens.verify(t, "demo"));
    }

    @Test
    void expiredTokenIsRejectedAsExpired() {
        String t = issued();
        clock.advance(Duration.ofSeconds(1800 + 31));
        assertEquals(Reason.EXPIRED, rejection(t));
    }

    @Test
    void tokenNotYetValidIsRejected() {
        JwtClaims c = claims();
        c.setNotBefore(NumericDate.fromSeconds(START.getEpochSecond() + 120));
        assertEquals(Reason.NOT_YET_VALID, rejection(sign(c)));
    }

    @Test
    void tokenOfAnotherIssuerIsRejected() {
        JwtClaims c = claims();
        c.setIssuer("someone-else");
        assertEquals(Reason.WRONG_ISSUER, rejection(sign(c)));
    }

    @Test
    void tokenForAnotherSiteIsRejected() {
        assertEquals(Reason.WRONG_AUDIENCE, assertInstanceOf(TokenRejection.class, tokens.verify(issued(), "other")).reason());
    }

    @Test
    void tokenWithoutJtiSubOrExpIsMissingAClaim() {
        JwtClaims noJti = claims();
        noJti.unsetClaim("jti");
        assertEquals(Reason.MISSING_CLAIM, rejection(sign(noJti)));
        JwtClaims noSub = claims();
        noSub.unsetClaim("sub");
        assertEquals(Reason.MISSING_CLAIM, rejection(sign(noSub)));
        JwtClaims noExp = claims();
        noExp.unsetClaim("exp");
        assertEquals(Reason.MISSING_CLAIM, rejection(sign(noExp)));
        JwtClaims noIss = claims();
        noIss.unsetClaim("iss");
        assertEquals(Reason.MISSING_CLAIM, rejection(sign(noIss)));
    }

    @Test
    void claimOfTheWrongTypeIsMalformed() {
        JwtClaims c = claims();
        c.setClaim("exp", "tomorrow");
        assertEquals(Reason.MALFORMED, rejection(sign(c)));
    }

    @Test
    void algNoneIsNotAllowed() {
        assertEquals(Reason.ALGORITHM_NOT_ALLOWED, rejection(sign(claims(), AlgorithmIdentifiers.NONE, "k1", null, h -> { })));
        assertEquals(Reason.ALGORITHM_NOT_ALLOWED, rejection(sign(claims(), AlgorithmIdentifiers.NONE, null, null, h -> { })));
    }

    @Test
    void hs256KeyedWithThePublicKeyIsNotAllowed() {
        HmacKey secret = new HmacKey(key.getPublicKey().getEncoded());
        assertEquals(Reason.ALGORITHM_NOT_ALLOWED, rejection(sign(claims(), "HS256", "k1", secret, h -> { })));
    }

    @Test
    void algorithmOutsideTheAllowListIsNotAllowed() {
        assertEquals(Reason.ALGORITHM_NOT_ALLOWED, rejection(sign(claims(), "RS384", "k1", key.getPrivateKey(), h -> { })));
        assertEquals(Reason.ALGORITHM_NOT_ALLOWED, rejection(sign(claims(), "PS256", "k1", key.getPrivateKey(), h -> { })));
    }

    @Test
    void unknownOrMissingKidIsAnUnknownKey() {
        assertEquals(Reason.UNKNOWN_KEY, rejection(sign(claims(), "RS256", "k2", key.getPrivateKey(), h -> { })));
        assertEquals(Reason.UNKNOWN_KEY, rejection(sign(claims(), "RS256", null, key.getPrivateKey(), h -> { })));
    }

    @Test
    void signatureByAnotherKeyUnderOurKidIsBad() {
        assertEquals(Reason.BAD_SIGNATURE, rejection(sign(claims(), "RS256", "k1", attacker.getPrivateKey(), h -> { })));
    }

    @Test
    void alteredPayloadIsABadSignature() {
        String[] parts = issued().split("\\.");
        JwtClaims other = claims();
        other.setSubject("mallory");
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(other.toJson().getBytes(StandardCharsets.UTF_8));
        assertEquals(Reason.BAD_SIGNATURE, rejection(parts[0] + "." + payload + "." + parts[2]));
    }

    @Test
    void embeddedJwkIsNeverTrusted() {
        String ownKid = sign(claims(), "RS256", "evil", attacker.getPrivateKey(), h -> h.setJwkHeader(attacker));
        assertEquals(Reason.UNKNOWN_KEY, rejection(ownKid));
        String ourKid = sign(claims(), "RS256", "k1", attacker.getPrivateKey(), h -> h.setJwkHeader(attacker));
        assertEquals(Reason.BAD_SIGNATURE, rejection(ourKid));
        String noKid = sign(claims(), "RS256", null, attacker.getPrivateKey(), h -> h.setJwkHeader(attacker));
        assertEquals(Reason.UNKNOWN_KEY, rejection(noKid));
    }

    @Test
    void jkuAndX5uAreNeverFollowed() {
        String jku = sign(claims(), "RS256", "evil", attacker.getPrivateKey(),
                h -> h.setHeader("jku", "http://127.0.0.1:9/jwks.json"));
        assertEquals(Reason.UNKNOWN_KEY, rejection(jku));
        String x5u = sign(claims(), "RS256", "evil", attacker.getPrivateKey(),
                h -> h.setHeader("x5u", "http://127.0.0.1:9/cert.pem"));
        assertEquals(Reason.UNKNOWN_KEY, rejection(x5u));
    }

    @Test
    void jweIsNotJws() throws JoseException {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setPayload(claims().toJson());
        jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.RSA_OAEP_256);
        jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_128_CBC_HMAC_SHA_256);
        jwe.setKey(key.getPublicKey());
        jwe.setKeyIdHeaderValue("k1");
        String token = jwe.getCompactSerialization();
        assertEquals(5, token.split("\\.", -1).length);
        assertEquals(Reason.NOT_JWS, rejection(token));
    }

    @Test
    void tokenOverTheSizeLimitIsTooLargeEvenWhenValidlySigned() {
        String padded = sign(claims(), "RS256", "k1", key.getPrivateKey(), h -> h.setHeader("pad", "A".repeat(9000)));
        assertEquals(Reason.TOO_LARGE, rejection(padded));
    }

    @Test
    void garbageIsMalformed() {
        assertEquals(Reason.MALFORMED, rejection(""));
        assertEquals(Reason.MALFORMED, rejection("not-a-token"));
        assertEquals(Reason.MALFORMED, rejection("a.b"));
        assertEquals(Reason.MALFORMED, rejection("a.b.c"));
        assertEquals(Reason.MALFORMED, rejection("@@@.###.$$$"));
        assertEquals(Reason.MALFORMED, rejection(null));
    }

    @Test
    void nestedTokenIsRefused() {
        String inner = issued();
        JsonWebSignature outer = new JsonWebSignature();
        outer.setPayload(inner);
        outer.setContentTypeHeaderValue("JWT");
        outer.setAlgorithmHeaderValue("RS256");
        outer.setKeyIdHeaderValue("k1");
        outer.setKey(key.getPrivateKey());
        String token;
        try {
            token = outer.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(tokens.verify(token, "demo") instanceof TokenRejection);
    }

    @Test
    void databaseFailureWhileLookingUpAKeyIsNotPassedOffAsABadToken() {
        TokenService failing = new TokenService(settings, new KeyRing() {
            @Override
            public SigningKey signer() {
                return new SigningKey("k1", "RS256", key.getPrivateKey());
            }

            @Override
            public Optional<PublicKey> verificationKey(String kid) {
                throw new StoreUnavailableException("down", null);
            }
        }, clock);
        assertThrows(StoreUnavailableException.class, () -> failing.verify(issued(), "demo"));
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    @Test
    void bearerPrefixIsMandatory() {
        assertEquals(Optional.empty(), TokenService.bearer(null));
        assertEquals(Optional.empty(), TokenService.bearer("abc.def.ghi"));
        assertEquals(Optional.empty(), TokenService.bearer("Bearer"));
        assertEquals(Optional.empty(), TokenService.bearer("Bearer    "));
        assertEquals(Optional.empty(), TokenService.bearer("Bearerabc.def.ghi"));
        assertEquals(Optional.of("abc.def.ghi"), TokenService.bearer("Bearer abc.def.ghi"));
        assertEquals(Optional.of("abc.def.ghi"), TokenService.bearer("  BEARER  abc.def.ghi "));
    }

    @Test
    void theClaimedJtiIsReadWithoutVerifyingAndNothingElseIsTrusted() {
        String token = tokens.issue("demo", "chat-session-1", "consumer", Duration.ofMinutes(5));
        assertEquals(Optional.of("chat-session-1"), tokens.claimedJti(token));
        assertEquals(Optional.empty(), tokens.claimedJti("not-a-token"));
        assertEquals(Optional.empty(), tokens.claimedJti("a.b.c.d.e"));
        assertEquals(Optional.empty(), tokens.claimedJti("x.%%%.y"));
        assertEquals(Optional.empty(), tokens.claimedJti("a." + "b".repeat(9000) + ".c"));
    }
}
