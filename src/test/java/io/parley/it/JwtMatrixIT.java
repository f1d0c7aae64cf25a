package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every way a Bearer token for {@code requestEngagement} can be wrong gets 403 with the error body,
 * and the request never gets past the filters (the probe counts nothing). Tokens that need a
 * valid signature over bad claims are signed with the server's own private key, read from the
 * database; attacker tokens are signed with a key of the test's own.
 */
@Tag("containers")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JwtMatrixIT {

    static final TestDatabase DB = TestDatabase.create("JwtMatrixIT");
    static final String REQUEST_ENGAGEMENT = "/engagement/api/consumer/demo/v1/requestEngagement";
    static final String ESTABLISH = "/services/rest/crossChannelServices/latest/establishSessions";
    static final String API_USER = "Basic " + Base64.getEncoder()
            .encodeToString("demo-api:demo-api-pass".getBytes(StandardCharsets.UTF_8));
    /** Tomcat's request header limit while this class runs; the 64 KB token header needs about 90 KB. */
    static final int HEADER_LIMIT = 256 * 1024;
    static final boolean EMBEDDED_TOMCAT =
            "tomcat-embedded".equals(System.getProperty("arquillian.launch", "tomcat-embedded"));


    /** Null until the first test has tried. */
    private static Boolean headerLimitRaised;
    private static HttpServer attackerServer;
    private static final AtomicInteger ATTACKER_HITS = new AtomicInteger();
    private static RsaJsonWebKey attacker;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of());
    }

    @ArquillianResource
    URL base;

    private String kid;
    private PrivateKey serverKey;

    @BeforeAll
    static void setUp() throws Exception {
        attacker = RsaJwkGenerator.generateJwk(2048);
        attacker.setKeyId("attacker-key");
        String jwks = new JsonWebKeySet(attacker).toJson();
        attackerServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        attackerServer.createContext("/", exchange -> {
            ATTACKER_HITS.incrementAndGet();
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        attackerServer.start();
    }

    @AfterAll
    static void tearDown() {
        if (attackerServer != null) {
            attackerServer.stop(0);
        }
    }

    /**
     * Tomcat answers a request whose header block exceeds its {@code maxHttpHeaderSize} (8 KB by
     * default) with its own HTML 400 before any filter runs. In a default deployment that limit stops
     * a 64 KB token first; Parley's own {@code jwt.maxTokenBytes} is what protects a container
     * configured with a higher limit. To show that Parley itself refuses the token, this test raises
     * the embedded connector's limit through JMX, the one handle a client-side test has on the
     * container. A processor keeps the header buffer it was made with, and Tomcat reuses processors
     * from earlier test classes, so the connector's endpoint is restarted (unbind, bind, start).
     */
    private static boolean raiseHeaderLimit(int port) throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> handlers = jmx.queryNames(new ObjectName("*:type=ProtocolHandler,port=" + port + ",*"), null);
        if (handlers.isEmpty()) {
            return false;
        }
        for (ObjectName handler : handlers) {
            jmx.setAttribute(handler, new Attribute("maxHttpHeaderSize", HEADER_LIMIT));
            jmx.setAttribute(handler, new Attribute("maxHttpRequestHeaderSize", HEADER_LIMIT));
        }
        for (ObjectName endpoint : jmx.queryNames(new ObjectName("*:type=ThreadPool,*"), null)) {
            String name = endpoint.getKeyProperty("name");
            if (name != null && name.replace("\"", "").endsWith("-" + port)) {
                jmx.invoke(endpoint, "unbind", null, null);
                jmx.invoke(endpoint, "bind", null, null);
                jmx.invoke(endpoint, "start", null, null);
            }
        }
        return true;
    }

    @BeforeEach
    void serverKeyAndFreshProbe() throws Exception {
        if (headerLimitRaised == null) {
            headerLimitRaised = raiseHeaderLimit(base.getPort());
            if (EMBEDDED_TOMCAT) {
                assertTrue(headerLimitRaised, "no Tomcat connector MBean for port " + base.getPort());
            }
        }
        Map<String, Object> row = DB.query("SELECT kid, private_key FROM signing_key WHERE retired_at IS NULL").get(0);
        kid = (String) row.get("kid");
        String pem = ((String) row.get("private_key"))
                .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
        serverKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem)));
        assertEquals(200, http().send("DELETE", "/test-support/probe", null, Duration.ofSeconds(5)).status());
    }

    private Http http() {
        return new Http(base);
    }

    private long probe(String path) {
        JsonNode counts = http().get("/test-support/probe").json();
        return counts.has(path) ? counts.get(path).asLong() : 0;
    }

    private static JwtClaims claims() {
        long now = Instant.now().getEpochSecond();
        JwtClaims c = new JwtClaims();
        c.setIssuer("parley");
        c.setAudience("demo");
        c.setSubject("consumer");
        c.setJwtId(UUID.randomUUID().toString());
        c.setIssuedAt(NumericDate.fromSeconds(now));
        c.setNotBefore(NumericDate.fromSeconds(now));
        c.setExpirationTime(NumericDate.fromSeconds(now + 600));
        return c;
    }

    private static String sign(JwtClaims claims, String alg, String kid, Key key, Consumer<JsonWebSignature> header) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(alg);
        if (kid != null) {
            jws.setKeyIdHeaderValue(kid);
        }
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        header.accept(jws);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed by the server's own key: only the claims can make it wrong. */
    private String serverSigned(JwtClaims claims) {
        return sign(claims, "RS256", kid, serverKey, h -> { });
    }

    private Http.Reply requestEngagement(String authorization) {
        return http().post(REQUEST_ENGAGEMENT + "?pool=1:1", "{}", "Authorization", authorization,
                "Content-Type", "application/json");
    }

    private void assertRefused(String authorization) {
        Http.Reply r = requestEngagement(authorization);
        assertEquals(403, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        JsonNode body = r.json();
        assertEquals(403, body.get("status").asInt());
        assertEquals("TOKEN_INVALID", body.get("code").asText());
        assertTrue(body.get("errorMessages").isArray() && body.get("errorMessages").size() > 0, r.body());
        assertTrue(body.get("systemMessages").isArray(), r.body());
        assertEquals(0, body.get("systemMessages").size());
        assertEquals(0, probe(REQUEST_ENGAGEMENT), "the request got past the filters");
    }

    private void assertPassesTheFilter(Http.Reply r) {
        assertNotEquals(401, r.status(), r.body());
        assertNotEquals(403, r.status(), r.body());
        assertEquals(1, probe(REQUEST_ENGAGEMENT), "the request reached Jersey");
    }

    @Test
    void tokenFromEstablishSessionsPassesTheFilter() {
        String jwt = http().post(ESTABLISH, "{}", "Authorization", API_USER).json().get("channelToken").asText();
        assertPassesTheFilter(requestEngagement("Bearer " + jwt));
    }

    /** Claims of a token for a chat session that exists: the one a real establishSessions call opened. */
    private JwtClaims claimsOfARealSession() {
        String jwt = http().post(ESTABLISH, "{}", "Authorization", API_USER).json().get("channelToken").asText();
        try {
            String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
            JwtClaims c = claims();
            c.setJwtId(JwtClaims.parse(payload).getJwtId());
            return c;
        } catch (org.jose4j.jwt.consumer.InvalidJwtException | org.jose4j.jwt.MalformedClaimException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tokenMintedWithTheServerKeyPassesTheFilter() {
        // Proves the test's own minting is right, so each case below fails for its one defect.
        Http.Reply r = requestEngagement("Bearer " + serverSigned(claimsOfARealSession()));
        assertPassesTheFilter(r);
        assertEquals(200, r.status(), r.body());
    }

    @Test
    void algNoneGets403() {
        assertRefused("Bearer " + sign(claims(), AlgorithmIdentifiers.NONE, kid, null, h -> { }));
    }

    @Test
    void hs256KeyedWithTheServersPublicKeyGets403() throws Exception {
        Http.Reply jwks = http().get("/.well-known/jwks.json");
        PublicJsonWebKey published = PublicJsonWebKey.Factory.newPublicJwk(
                Http.JSON.writeValueAsString(jwks.json().get("keys").get(0)));
        assertEquals(kid, published.getKeyId());
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(published.getPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        assertRefused("Bearer " + sign(claims(), "HS256", kid,
                new HmacKey(published.getPublicKey().getEncoded()), h -> { }));
        assertRefused("Bearer " + sign(claims(), "HS256", kid,
                new HmacKey(pem.getBytes(StandardCharsets.US_ASCII)), h -> { }));
    }

    @Test
    void algorithmOutsideTheAllowListGets403() {
        assertRefused("Bearer " + sign(claims(), "RS384", kid, serverKey, h -> { }));
    }

    @Test
    void badSignatureGets403() {
        String[] parts = serverSigned(claims()).split("\\.");
        JwtClaims other = claims();
        other.setSubject("someone-else");
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(other.toJson().getBytes(StandardCharsets.UTF_8));
        assertRefused("Bearer " + parts[0] + "." + payload + "." + parts[2]);
    }

    @Test
    void expiredTokenGets403() {
        JwtClaims c = claims();
        long now = Instant.now().getEpochSecond();
        c.setIssuedAt(NumericDate.fromSeconds(now - 3600));
        c.setNotBefore(NumericDate.fromSeconds(now - 3600));
        c.setExpirationTime(NumericDate.fromSeconds(now - 120));
        assertRefused("Bearer " + serverSigned(c));
        assertEquals("The token has expired.", requestEngagement("Bearer " + serverSigned(c)).json().get("message").asText());
    }

    @Test
    void notYetValidTokenGets403() {
        JwtClaims c = claims();
        c.setNotBefore(NumericDate.fromSeconds(Instant.now().getEpochSecond() + 300));
        assertRefused("Bearer " + serverSigned(c));
    }

    @Test
    void wrongIssuerGets403() {
        JwtClaims c = claims();
        c.setIssuer("https://issuer.example");
        assertRefused("Bearer " + serverSigned(c));
    }

    @Test
    void anotherSitesAudienceGets403() {
        JwtClaims c = claims();
        c.setAudience("another-site");
        assertRefused("Bearer " + serverSigned(c));
    }

    @Test
    void unknownKidGets403() {
        assertRefused("Bearer " + sign(claims(), "RS256", "no-such-kid", serverKey, h -> { }));
    }

    @Test
    void jkuHeaderIsNotFollowedAndGets403() {
        String url = "http://127.0.0.1:" + attackerServer.getAddress().getPort() + "/jwks.json";
        assertRefused("Bearer " + sign(claims(), "RS256", attacker.getKeyId(), attacker.getPrivateKey(),
                h -> h.setHeader("jku", url)));
        assertRefused("Bearer " + sign(claims(), "RS256", kid, attacker.getPrivateKey(), h -> h.setHeader("jku", url)));
        assertEquals(0, ATTACKER_HITS.get(), "Parley fetched the jku URL");
    }

    @Test
    void x5uHeaderIsNotFollowedAndGets403() {
        String url = "http://127.0.0.1:" + attackerServer.getAddress().getPort() + "/cert.pem";
        assertRefused("Bearer " + sign(claims(), "RS256", attacker.getKeyId(), attacker.getPrivateKey(),
                h -> h.setHeader("x5u", url)));
        assertEquals(0, ATTACKER_HITS.get(), "Parley fetched the x5u URL");
    }

    @Test
    void embeddedJwkIsNotTrustedAndGets403() {
        assertRefused("Bearer " + sign(claims(), "RS256", attacker.getKeyId(), attacker.getPrivateKey(),
                h -> h.setJwkHeader(attacker)));
        assertRefused("Bearer " + sign(claims(), "RS256", null, attacker.getPrivateKey(), h -> h.setJwkHeader(attacker)));
        assertRefused("Bearer " + sign(claims(), "RS256", kid, attacker.getPrivateKey(), h -> h.setJwkHeader(attacker)));
    }

    @Test
    void jweGets403() throws Exception {
        Http.Reply jwks = http().get("/.well-known/jwks.json");
        PublicJsonWebKey published = PublicJsonWebKey.Factory.newPublicJwk(
                Http.JSON.writeValueAsString(jwks.json().get("keys").get(0)));
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setPayload(claims().toJson());
        jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.RSA_OAEP_256);
        jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_128_CBC_HMAC_SHA_256);
        jwe.setKeyIdHeaderValue(kid);
        jwe.setKey(published.getPublicKey());
        String token = jwe.getCompactSerialization();
        assertEquals(5, token.split("\\.", -1).length);
        assertRefused("Bearer " + token);
    }

    @Test
    void tokenWithA64KbHeaderGets403FromParley() {
        assumeTrue(headerLimitRaised, "only where the test can raise the container's header limit (embedded Tomcat)");
        // Validly signed by the server's key: only its size is wrong.
        String token = sign(claims(), "RS256", kid, serverKey, h -> h.setHeader("pad", "A".repeat(64 * 1024)));
        assertTrue(token.length() > 64 * 1024);
        assertRefused("Bearer " + token);
    }

    @Test
    void tokenWithoutBearerPrefixGets403() {
        String jwt = http().post(ESTABLISH, "{}", "Authorization", API_USER).json().get("channelToken").asText();
        assertRefused(jwt);
        assertRefused("Token " + jwt);
        assertRefused("Bearer");
        assertRefused(API_USER);
    }

    @Test
    void missingAuthorizationGets403EvenWithASessionId() {
        Http.Reply r = http().post(REQUEST_ENGAGEMENT + "?pool=1:1", "{}", "SessionId", "192hyto5qomm8r8rpzzmuzsa6");
        assertEquals(403, r.status(), r.body());
        assertEquals("TOKEN_INVALID", r.json().get("code").asText());
        assertEquals(0, probe(REQUEST_ENGAGEMENT));
    }

    @Test
    void validTokenPassesWhateverSessionIdComesWithIt() {
        Http.Reply r = http().post(REQUEST_ENGAGEMENT + "?pool=1:1", "{}",
                "Authorization", "Bearer " + serverSigned(claimsOfARealSession()), "SessionId", "undefined");
        assertPassesTheFilter(r);
        assertEquals(200, r.status(), r.body());
    }

    @Test
    void everyIssuedTokenNamesTheKeyInTheJwks() throws Exception {
        Http.Reply jwks = http().get("/.well-known/jwks.json");
        List<String> kids = new ArrayList<>();
        jwks.json().get("keys").forEach(k -> kids.add(k.get("kid").asText()));
        String jwt = http().post(ESTABLISH, "{}", "Authorization", API_USER).json().get("channelToken").asText();
        String header = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
        assertTrue(kids.contains(Http.JSON.readTree(header).get("kid").asText()), header + " vs " + kids);
    }
}
