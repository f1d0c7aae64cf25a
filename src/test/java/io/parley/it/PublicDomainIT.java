package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where bootstrap answers send clients, over real HTTP. Callers are remote: 127.0.0.1 stands for a
 * trusted proxy that forwards a documentation address, so the demo's loopback leniency does not
 * apply, and demo credentials are allowed from there. A request's {@code Host} reaches a client only
 * when {@code publicDomain.allowedHosts} lists it; a site's own public domain, set through the admin
 * API, wins over any Host.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PublicDomainIT {

    static final TestDatabase DB = TestDatabase.create("PublicDomainIT");

    private static final String PROXY = "127.0.0.1";
    private static final String REMOTE_CLIENT = "198.51.100.7";
    private static final String EVIL = "evil.example";
    private static final String ESTABLISH = "/services/rest/crossChannelServices/latest/establishSessions";
    private static final String CHAT_AUTHENTICATE = "/serviceApi/resources/latest/chatAuthenticate";
    private static final String SERVICE_SETTINGS = "/services/rest/crossChannelServices/latest/serviceSettings/1";
    private static final String API_USER = Consumer.basic("demo-api", "demo-api-pass");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of(
                "compliance.trustedProxies", PROXY + "/32",
                "demo.allowRemote", "true",
                "publicDomain.allowedHosts", "chat.example.com, *.chat.example.com:8443"));
    }

    @ArquillianResource
    URL base;

    private RawHttp raw;

    @BeforeEach
    void setUp() {
        raw = new RawHttp(base);
    }

    /** A call of a remote client, through the trusted proxy, naming {@code host}. */
    private Http.Reply remote(String host, String method, String path, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "X-Forwarded-For";
        all[1] = REMOTE_CLIENT;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return raw.sendTo(host, PROXY, method, path, body, all);
    }

    private static String domainOf(Http.Reply establishAnswer) throws Exception {
        return Http.JSON.readTree(establishAnswer.json().get("sessionServerResponse").asText()).get("domain").asText();
    }

    private static void assertHostNotAllowed(Http.Reply r, String what) {
        assertEquals(400, r.status(), what + ": " + r);
        assertEquals("HOST_NOT_ALLOWED", r.json().get("code").asText(), what);
        assertEquals("HOST_NOT_ALLOWED", r.json().get("errorMessages").get(0).get("code").asText(), what);
    }

    @Test
    void anUnknownHostFromARemoteCallerNeverReachesAnAnswer() {
        long sessions = DB.count("SELECT COUNT(*) FROM chat_session");
        Http.Reply establish = remote(EVIL, "POST", ESTABLISH, "{}", "Authorization", API_USER);
        assertHostNotAllowed(establish, "establishSessions");
        Http.Reply authenticate = remote(EVIL, "POST", CHAT_AUTHENTICATE, "{\"authUserName\":\"ann\"}",
                "Authorization", API_USER);
        assertHostNotAllowed(authenticate, "chatAuthenticate");
        Http.Reply settings = remote(EVIL, "GET", SERVICE_SETTINGS, null,
                "Authorization", Consumer.basic("agent1", "demo-agent-pass"));
        assertHostNotAllowed(settings, "serviceSettings");
        assertEquals(sessions, DB.count("SELECT COUNT(*) FROM chat_session"), "a refused bootstrap opens no session");

        Http.Reply redirect = remote(EVIL, "GET", "/ui", null);
        assertEquals(308, redirect.status(), redirect.toString());
        assertTrue(redirect.header("Location").endsWith("/ui/"), redirect.toString());

        for (Http.Reply r : new Http.Reply[] {establish, authenticate, settings, redirect}) {
            assertFalse(r.body().contains(EVIL) || r.headers().toString().contains(EVIL),
                    "the Host is in no header and no body: " + r.headers() + " " + r);
        }
    }

    @Test
    void anAllowedHostIsHandedBackWithThePortTheClientUsed() throws Exception {
        Http.Reply plain = remote("chat.example.com", "POST", ESTABLISH, "{}", "Authorization", API_USER);
        assertEquals(200, plain.status(), plain.toString());
        assertEquals("chat.example.com", domainOf(plain));

        Http.Reply wildcard = remote("eu.chat.example.com:8443", "POST", ESTABLISH, "{}", "Authorization", API_USER,
                "X-Forwarded-Proto", "https", "X-Forwarded-Port", "8443");
        assertEquals(200, wildcard.status(), wildcard.toString());
        assertEquals("eu.chat.example.com:8443", domainOf(wildcard));

        Http.Reply fusion = remote("CHAT.example.com", "POST", CHAT_AUTHENTICATE, "{\"authUserName\":\"ann\"}",
                "Authorization", API_USER);
        assertEquals(201, fusion.status(), fusion.toString());
        assertEquals("chat.example.com", fusion.json().get("domain").asText());

        // The wildcard entry names port 8443; the same name on plain HTTP's port is not allowed.
        assertHostNotAllowed(remote("eu.chat.example.com", "POST", ESTABLISH, "{}", "Authorization", API_USER),
                "the wildcard on another port");
        assertHostNotAllowed(remote("chat.example.com.evil.example", "POST", ESTABLISH, "{}", "Authorization", API_USER),
                "a look-alike name");
    }

    @Test
    void aSitesOwnPublicDomainIsSetThroughTheAdminApiAndWinsOverAnyHost() throws Exception {
        AdminClient admin = new AdminClient(new Http(base));
        Http.Reply bad = admin.post("sites", "{\"name\":\"shop\",\"pool\":\"1:1\",\"publicDomain\":\"https://ann@shop.example\"}");
        assertEquals(400, bad.status(), bad.toString());
        assertEquals("INVALID_FIELD", bad.json().get("code").asText());
        assertTrue(bad.json().get("message").asText().contains("publicDomain"), bad.toString());
        for (String refused : new String[] {"shop.example?x=1", "ftp://shop.example", "shop example", "shop.example:0"}) {
            Http.Reply r = admin.post("sites", "{\"name\":\"shop\",\"pool\":\"1:1\",\"publicDomain\":\"" + refused + "\"}");
            assertEquals(400, r.status(), refused + ": " + r);
        }

        JsonNode site = admin.ok("POST", "sites", "{\"name\":\"shop\",\"pool\":\"1:1\","
                + "\"publicDomain\":\"HTTPS://Shop.Example:8443/chat/\"}");
        long siteId = site.get("id").asLong();
        assertEquals("shop.example:8443/chat", site.get("publicDomain").asText(), "stored without scheme or slash");
        assertEquals("shop.example:8443/chat", admin.ok("GET", "sites/" + siteId, null).get("publicDomain").asText());
        JsonNode audit = admin.ok("GET", "audit?limit=1", null).get("items").get(0);
        assertEquals("CREATE", audit.get("action").asText());
        assertEquals("shop.example:8443/chat", audit.get("details").get("publicDomain").asText(), audit.toString());
        admin.ok("POST", "sites/" + siteId + "/apiUsers", "{\"username\":\"shop-api\",\"password\":\"shop-api-pass\"}");
        String shopApi = Consumer.basic("shop-api", "shop-api-pass");

        Http.Reply boot = remote(EVIL, "POST", ESTABLISH, "{}", "Authorization", shopApi);
        assertEquals(200, boot.status(), boot.toString());
        assertEquals("shop.example:8443/chat", domainOf(boot));
        Http.Reply allowedHost = remote("chat.example.com", "POST", ESTABLISH, "{}", "Authorization", shopApi);
        assertEquals("shop.example:8443/chat", domainOf(allowedHost), "the site's own domain comes first");

        JsonNode cleared = admin.ok("PUT", "sites/" + siteId, "{\"name\":\"shop\",\"pool\":\"1:1\",\"publicDomain\":null}");
        assertTrue(cleared.get("publicDomain").isNull(), cleared.toString());
        assertTrue(admin.ok("GET", "audit?limit=1", null).get("items").get(0).get("details").get("publicDomain").isNull());
        assertHostNotAllowed(remote(EVIL, "POST", ESTABLISH, "{}", "Authorization", shopApi),
                "without its own domain, the site follows the server's rules");
        assertEquals(204, admin.delete("sites/" + siteId).status());
    }
}
