package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated requests at every operation of the consumer, agent, bootstrap and admin APIs: bodies
 * of every JSON shape, operation bodies with mutated fields, huge numbers, deep nesting, broken
 * UTF-8, keys twice; credentials and other headers garbled; path and query parameters that do not
 * parse. Whatever comes in, Parley never answers 500, every answer but a success is the one error
 * body, and a refused request stores nothing.
 *
 * <p>jqwik is a JUnit Platform engine of its own, without Arquillian: Parley runs as the launcher
 * runs it (a JVM of its own, {@link ParleyProcess}), in demo mode on this run's {@link TestDatabase}
 * so that the test can count rows. The seed is fixed; {@code -Djqwik.tries.default=N} runs more tries
 * (150 by default, {@code src/test/resources/junit-platform.properties}).
 */
class StrictInputPropertiesIT {

    private static final String SITE_PATH = "/engagement/api/%s/%s/v1/%s";
    /** The tables a request can write to; agent inboxes and offers are left out (no agent here takes chats). */
    private static final String STORED = "SELECT (SELECT COUNT(*) FROM engagement) AS engagements,"
            + " (SELECT COUNT(*) FROM engagement_event) AS events, (SELECT COUNT(*) FROM participant) AS participants,"
            + " (SELECT COUNT(*) FROM chat_session) AS sessions, (SELECT COUNT(*) FROM engagement_property) AS properties,"
            + " (SELECT COUNT(*) FROM account) AS accounts, (SELECT COUNT(*) FROM agent_session) AS agentSessions,"
            + " (SELECT COUNT(*) FROM agent_queue) AS agentQueues, (SELECT COUNT(*) FROM site) AS sites,"
            + " (SELECT COUNT(*) FROM site_origin) AS origins, (SELECT COUNT(*) FROM chat_queue) AS queues,"
            + " (SELECT COUNT(*) FROM routing_rule) AS rules, (SELECT COUNT(*) FROM denied_party) AS deniedParties,"
            + " (SELECT COUNT(*) FROM signing_key) AS signingKeys, (SELECT COUNT(*) FROM audit_log) AS audit";

    private static TestDatabase db;
    private static ParleyProcess parley;
    private static Fixtures fixtures;

    @BeforeContainer
    static void start() throws IOException {
        db = TestDatabase.create("StrictInputPropertiesIT");
        Map<String, String> settings = new LinkedHashMap<>(db.settings());
        settings.put("demo", "true");
        settings.put("poll.hold", "1");
        settings.put("admission.hold", "1");
        // The generator fails logins on purpose, again and again: throttling them is ThrottleIT's subject, and a
        // throttled login would only hide what this test throws at the bootstrap calls.
        settings.put("throttle.login.accountFailures", "1000");
        settings.put("throttle.login.accountLockAfter", "100000");
        settings.put("throttle.login.addressFailures", "10000");
        settings.put("throttle.login.addressLockAfter", "1000000");
        parley = ParleyProcess.start("properties", Files.createTempDirectory("parley-properties-it"),
                ParleyProcess.freePort(), settings);
        fixtures = new Fixtures(parley.awaitUp());
    }

    @AfterContainer
    static void stop() {
        if (parley != null) {
            parley.close();
        }
    }

    @Property(seed = "20261207")
    void anyRequestGetsAnAnswerOrTheOneErrorBodyAndARefusalStoresNothing(@ForAll("requests") Request request) {
        Map<String, Object> before = db.query(STORED).get(0);
        Http.Reply reply = fixtures.raw.sendBytes("127.0.0.1", request.method, request.target, request.body,
                request.headers.toArray(String[]::new));
        fixtures.afterward(request.operation, reply);
        assertNotEquals(500, reply.status(), () -> request + " -> " + reply);
        if (reply.status() >= 300) {
            assertOneErrorBody(request, reply);
            assertEquals(before, db.query(STORED).get(0), () -> "a refused request stored something: " + request
                    + " -> " + reply);
        }
    }

    private static void assertOneErrorBody(Request request, Http.Reply reply) {
        String context = request + " -> " + reply;
        String type = reply.header("Content-Type");
        assertTrue(type != null && type.startsWith("application/json"), context);
        JsonNode body;
        try {
            body = Http.JSON.readTree(reply.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + context, e);
        }
        assertEquals(reply.status(), body.path("status").asInt(), context);
        assertTrue(body.path("code").isTextual() && !body.path("code").asText().isBlank(), context);
        assertTrue(body.path("message").isTextual(), context);
        assertTrue(body.path("errorMessages").isArray() && body.path("errorMessages").size() > 0, context);
        assertEquals(body.path("code").asText(), body.path("errorMessages").get(0).path("code").asText(), context);
        assertTrue(body.path("systemMessages").isArray() && body.path("systemMessages").isEmpty(), context);
        assertFalse(reply.body().contains("Exception") || reply.body().contains("\tat "), context);
    }

    // ------------------------------------------------------------------ what is generated

    /** Who an operation wants to hear from. */
    enum Credential { NONE, CONSUMER_TOKEN, SESSION, AGENT_TOKEN, AGENT_SESSION, API_USER, AGENT_BASIC, ADMIN_BASIC, ADMIN_TOKEN }

    /**
     * One operation: its method, its path ({@code {site}} and {@code {id}} are filled in), the
     * credential it needs, and the fields of a valid body (name → a valid JSON value); no fields
     * and no body for the operations that take none. {@code query} names its query parameters.
     */
    record Operation(String method, String path, Credential credential, Map<String, Arbitrary<String>> fields,
                     boolean hasBody, List<String> query) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A generated request, as it goes on the wire. */
    record Request(Operation operation, String method, String target, byte[] body, List<String> headers) {

        @Override
        public String toString() {
            return method + " " + target + " " + headers + " body="
                    + (body == null ? "none" : new String(body, 0, Math.min(body.length, 400), StandardCharsets.ISO_8859_1));
        }
    }

    static final List<Operation> OPERATIONS = operations();

    private static List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        Map<String, Arbitrary<String>> envelope = Map.of("clientRequestTime", string(), "clientTransactionId", id());
        ops.add(consumer("requestEngagement", Credential.CONSUMER_TOKEN, envelope));
        ops.add(consumer("getMessages", Credential.SESSION, with(envelope, "lastSequenceNumber", id())));
        ops.add(consumer("postMessage", Credential.SESSION, with(envelope, "body", string(), "messageId", string(),
                "offTheRecord", bool(), "richText", bool(), "messageDataMap", stringMap())));
        ops.add(consumer("activity", Credential.SESSION, with(envelope, "mode", Arbitraries.of("\"RESPONDING\"",
                "\"listening\"", "\"NONE\""), "sneakPreviewText", string(), "sneakPreviewFocus", bool())));
        ops.add(consumer("concludeEngagement", Credential.SESSION, envelope));
        Map<String, Arbitrary<String>> stats = with(envelope, "queueId", Arbitraries.of("1", "2", "\"1\""),
                "chatProactiveAvailableType", Arbitraries.of("\"AGENTS\"", "\"SESSIONS\""));
        Map<String, Arbitrary<String>> routing = with(envelope, "queueId", id(), "productId", id(), "categoryId", id(),
                "interfaceId", id(), "interfaceName", string(), "organizationId", id(), "customFields", customFields());
        for (String op : List.of("getQueueStats", "getEngagementQueue")) {
            Map<String, Arbitrary<String>> fields = op.equals("getQueueStats") ? stats : routing;
            ops.add(consumer(op, Credential.NONE, fields));
            ops.add(new Operation("GET", String.format(SITE_PATH, "consumer", "{site}", op), Credential.NONE, fields,
                    false, List.of("request", "pool")));
        }

        ops.add(agent("createAutomatedAgentSession", Credential.AGENT_TOKEN, Map.of("logonOverride", bool(),
                "messageDataMap", stringMap())));
        ops.add(agent("logoff", Credential.AGENT_SESSION, Map.of("forceLogoff", bool())));
        ops.add(agent("setActivityStatus", Credential.AGENT_SESSION, Map.of("status",
                Arbitraries.of("\"AVAILABLE\"", "\"UNAVAILABLE\"", "\"none\""), "subTypeId", number())));
        ops.add(agent("requestAssignment", Credential.AGENT_SESSION, Map.of("assignmentRequested", bool(),
                "idleSessionCount", number(), "maxSessionCount", number())));
        ops.add(agent("assignmentAcknowledgement", Credential.AGENT_SESSION, Map.of("action",
                Arbitraries.of("\"ACCEPT\"", "\"DECLINE\"", "\"AVAILABLE\""), "actionType", Arbitraries.of("\"MANUAL\"",
                "\"AUTO\""), "assignmentType", Arbitraries.of("\"LEAD\"", "\"MONITOR\""), "engagementId", id())));
        ops.add(agent("getMessages", Credential.AGENT_SESSION, Map.of("lastSequenceNumber", id())));
        ops.add(agent("postMessage", Credential.AGENT_SESSION, Map.of("body", string(), "engagementId", id(),
                "destinationId", id(), "destinationType", Arbitraries.of("\"END_USER\"", "\"AGENT\""), "visibility",
                Arbitraries.of("\"ALL\"", "\"AGENTS\""), "messageId", string())));
        ops.add(agent("setInteractionStatus", Credential.AGENT_SESSION, Map.of("engagementId", id(), "mode",
                Arbitraries.of("\"RESPONDING\"", "\"LISTENING\""), "sneakPreview", string())));
        ops.add(agent("setEngagementProperty", Credential.AGENT_SESSION, Map.of("engagementId", id(), "name", string(),
                "type", Arbitraries.of("\"ENGAGEMENT\"", "\"USER\""), "value", string())));
        ops.add(agent("modifyProperties", Credential.AGENT_SESSION, Map.of("engagementId", id(), "propertiesMap",
                stringMap(), "customFields", customFields())));
        ops.add(agent("rerouteAvailability", Credential.AGENT_SESSION, Map.of("engagementId", id())));
        ops.add(new Operation("GET", String.format(SITE_PATH, "agent", "{site}", "rerouteAvailability"),
                Credential.AGENT_SESSION, Map.of("engagementId", id()), false, List.of("engagementId", "request")));
        ops.add(agent("rerouteEngagement", Credential.AGENT_SESSION, Map.of("engagementId", id(), "queueId", id(),
                "agentId", id(), "assignmentType", Arbitraries.of("\"TRANSFER\"", "\"CONFERENCE\""))));
        ops.add(agent("retrieveAgentsAndQueues", Credential.AGENT_SESSION, Map.of("id", id(), "type",
                Arbitraries.of("\"SITE\"", "\"QUEUE\"", "\"AGENT\""), "includeAgentInformation", bool(),
                "includeQueueInformation", bool())));
        ops.add(agent("concludeChat", Credential.AGENT_SESSION, Map.of("engagementId", id())));
        ops.add(agent("releaseChat", Credential.AGENT_SESSION, Map.of("engagementId", id())));

        String bootstrap = "/services/rest/crossChannelServices/latest/";
        Map<String, Arbitrary<String>> person = Map.of("firstName", string(), "lastName", string(), "emailAddress",
                string(), "queueId", id(), "productId", id(), "question", string(), "customFields", customFields(),
                "auxiliaryData", stringMap());
        ops.add(body("POST", bootstrap + "establishSessions", Credential.API_USER, Map.of("sessionInformation",
                Arbitraries.oneOf(object(person), object(person).map(StrictInputPropertiesIT::quoted)))));
        for (String path : List.of("/serviceApi/resources/latest/chatAuthenticate",
                "/serviceApi/resources/11.13.0.0/chatAuthenticate", "/crmRestApi/resources/11.13.18.05/chatAuthenticate")) {
            ops.add(body("POST", path, Credential.API_USER, with(person, "authUserName", string())));
        }
        ops.add(new Operation("POST", bootstrap + "agentTokens", Credential.AGENT_BASIC, Map.of(), false, List.of()));
        ops.add(new Operation("GET", bootstrap + "serviceSettings/{id}", Credential.AGENT_BASIC, Map.of(), false,
                List.of()));
        ops.add(new Operation("GET", "/.well-known/jwks.json", Credential.NONE, Map.of(), false, List.of()));

        String admin = "/admin/api/v1/";
        ops.add(new Operation("POST", admin + "login", Credential.ADMIN_BASIC, Map.of(), false, List.of()));
        Map<String, Arbitrary<String>> site = Map.of("name", string(), "pool", string(), "defaultQueueId", id(),
                "origins", stringList(), "deniedCountries", stringList(), "unknownCountryPolicy",
                Arbitraries.of("\"ALLOW\"", "\"DENY\"", "null"));
        Map<String, Arbitrary<String>> queue = Map.of("id", id(), "name", string(), "maxWaiting", number(),
                "timeoutSeconds", number(), "escalationQueueId", id(), "hoursZone", Arbitraries.of("\"UTC\"",
                "\"Europe/Berlin\"", "\"Mars/Olympus\""), "hours", Arbitraries.of("\"MON-FRI 08:00-18:00\"", "\"x\""),
                "defaultWaitSeconds", number());
        Map<String, Arbitrary<String>> rule = Map.of("priority", number(), "name", string(), "matchQueueId", id(),
                "matchFieldName", string(), "matchFieldValue", string(), "action", Arbitraries.of("\"ROUTE\"",
                "\"REJECT\""), "targetQueueId", id());
        Map<String, Arbitrary<String>> agentInput = Map.of("username", string(), "password", string(), "name",
                string(), "greeting", string(), "maxSessions", number(), "queues", Arbitraries.of("[]", "[1]", "[1,2]"));
        Map<String, Arbitrary<String>> password = Map.of("password", string());
        for (String[] path : new String[][] {{"sites", ""}, {"sites/{id}", ""}, {"sites/{id}/queues", ""},
            {"queues/{id}", ""}, {"sites/{id}/rules", ""}, {"rules/{id}", ""}, {"sites/{id}/agents", ""},
            {"agents/{id}", ""}, {"sites/{id}/apiUsers", ""}, {"apiUsers/{id}", ""}, {"deniedParties", ""},
            {"signingKeys", ""}, {"engagements/{id}/transcript", ""}, {"engagements/{id}/transcript.csv", ""}}) {
            ops.add(new Operation("GET", admin + path[0], Credential.ADMIN_TOKEN, Map.of(), false, List.of()));
        }
        ops.add(body("POST", admin + "sites", Credential.ADMIN_TOKEN, site));
        ops.add(body("PUT", admin + "sites/{id}", Credential.ADMIN_TOKEN, site));
        ops.add(body("POST", admin + "sites/{id}/queues", Credential.ADMIN_TOKEN, queue));
        ops.add(body("PUT", admin + "queues/{id}", Credential.ADMIN_TOKEN, queue));
        ops.add(body("POST", admin + "sites/{id}/rules", Credential.ADMIN_TOKEN, rule));
        ops.add(body("PUT", admin + "rules/{id}", Credential.ADMIN_TOKEN, rule));
        ops.add(body("POST", admin + "sites/{id}/agents", Credential.ADMIN_TOKEN, agentInput));
        ops.add(body("PUT", admin + "agents/{id}", Credential.ADMIN_TOKEN, agentInput));
        ops.add(body("POST", admin + "agents/{id}/password", Credential.ADMIN_TOKEN, password));
        ops.add(body("POST", admin + "sites/{id}/apiUsers", Credential.ADMIN_TOKEN, Map.of("username", string(),
                "password", string())));
        ops.add(body("POST", admin + "apiUsers/{id}/password", Credential.ADMIN_TOKEN, password));
        ops.add(body("POST", admin + "deniedParties", Credential.ADMIN_TOKEN, Map.of("siteId", id(), "kind",
                Arbitraries.of("\"EMAIL\"", "\"DOMAIN\"", "\"ORGANIZATION\""), "value", string())));
        for (String path : List.of("sites/{id}", "queues/{id}", "rules/{id}", "agents/{id}", "apiUsers/{id}",
                "deniedParties/{id}")) {
            ops.add(new Operation("DELETE", admin + path, Credential.ADMIN_TOKEN, Map.of(), false, List.of()));
        }
        ops.add(new Operation("POST", admin + "signingKeys/rotate", Credential.ADMIN_TOKEN, Map.of(), false, List.of()));
        ops.add(new Operation("GET", admin + "statistics", Credential.ADMIN_TOKEN, Map.of(), false, List.of("siteId")));
        ops.add(new Operation("GET", admin + "engagements", Credential.ADMIN_TOKEN, Map.of(), false,
                List.of("siteId", "queueId", "state", "from", "to", "customer", "limit", "offset")));
        ops.add(new Operation("GET", admin + "audit", Credential.ADMIN_TOKEN, Map.of(), false, List.of("before", "limit")));
        return List.copyOf(ops);
    }

    private static Operation consumer(String op, Credential credential, Map<String, Arbitrary<String>> fields) {
        return body("POST", String.format(SITE_PATH, "consumer", "{site}", op), credential, fields);
    }

    private static Operation agent(String op, Credential credential, Map<String, Arbitrary<String>> fields) {
        return body("POST", String.format(SITE_PATH, "agent", "{site}", op), credential, fields);
    }

    private static Operation body(String method, String path, Credential credential,
                                  Map<String, Arbitrary<String>> fields) {
        return new Operation(method, path, credential, fields, true, List.of("pool"));
    }

    private static Map<String, Arbitrary<String>> with(Map<String, Arbitrary<String>> base, Object... more) {
        Map<String, Arbitrary<String>> m = new LinkedHashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            @SuppressWarnings("unchecked")
            Arbitrary<String> value = (Arbitrary<String>) more[i + 1];
            m.put((String) more[i], value);
        }
        return m;
    }

    @Provide
    Arbitrary<Request> requests() {
        return Arbitraries.of(OPERATIONS).flatMap(op -> Combinators.combine(
                pathFor(op), queryFor(op), headersFor(op), bodyFor(op),
                Arbitraries.of("application/json", "application/json; charset=UTF-8", "text/plain",
                        "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x",
                        "*/*", "garbage", "application/json; charset=ISO-8859-1", ""))
                .as((path, query, headers, body, contentType) -> {
                    List<String> all = new ArrayList<>(headers);
                    if (body != null) {
                        all.add("Content-Type");
                        all.add(contentType);
                    }
                    return new Request(op, op.method(), path + query, body, all);
                }));
    }

    private static Arbitrary<String> pathFor(Operation op) {
        Arbitrary<String> site = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("demo")),
                Tuple.of(1, Arbitraries.of("nosuchsite", "DEMO", "demo%2F..", "%00", "%C0%BC", "a".repeat(300), "d%20mo",
                        "demo;x=1", "..")));
        boolean changes = !op.method().equals("GET");
        // Changes go only to ids that name nothing, so the fixtures (the demo site, its users) stay as they are.
        Arbitrary<String> foreign = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.longs().between(1000, Long.MAX_VALUE).map(String::valueOf)),
                Tuple.of(2, Arbitraries.of("abc", "-1", "0", "99999999999999999999", "1.5", "1e3", "%20", "%C0%BC",
                        "0x10", "+1", "%EF%BC%91", "1%00")));
        Arbitrary<String> id = changes ? foreign
                : Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of("1", "2", "3")), Tuple.of(1, foreign));
        return Combinators.combine(site, id).as((s, i) -> op.path().replace("{site}", s).replace("{id}", i));
    }

    private static Arbitrary<String> queryFor(Operation op) {
        if (op.query().isEmpty()) {
            return Arbitraries.just("");
        }
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("1", "1:1", "50", "2026-11-26T00:00:00Z", "QUEUED", "ann")),
                Tuple.of(2, Arbitraries.of("abc", "-1", "99999999999999999999", "1.5", "", "%C0%BC", "%zz", "%", "{}",
                        "null", "2026-13-45", "%E2%82%AC")),
                Tuple.of(3, jsonBodyText(op).map(b -> percentEncoded(b.getBytes(StandardCharsets.UTF_8)))),
                Tuple.of(1, anyJson(3).map(b -> percentEncoded(b.getBytes(StandardCharsets.UTF_8)))),
                Tuple.of(1, brokenUtf8().map(StrictInputPropertiesIT::percentEncoded)));
        return Arbitraries.subsetOf(op.query()).flatMap(names -> {
            List<Arbitrary<String>> parts = names.stream().map(n -> value.map(v -> n + "=" + v)).toList();
            return Combinators.combine(parts).as(list -> list.isEmpty() ? "" : "?" + String.join("&", list));
        });
    }

    private static Arbitrary<List<String>> headersFor(Operation op) {
        Arbitrary<List<String>> credential = Arbitraries.frequencyOf(
                Tuple.of(7, Arbitraries.just(op.credential())),
                Tuple.of(1, Arbitraries.of(Credential.values())))
                .flatMap(c -> Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(true)), Tuple.of(1,
                        Arbitraries.just(false))).map(valid -> fixtures.headers(c, valid)));
        Arbitrary<List<String>> extra = Arbitraries.of(
                List.<String>of(), List.of("SessionId", "undefined"), List.of("Authorization", "Bearer undefined"),
                List.of("X-AID", "99999999999999999999", "X-JSESSIONID", "x"), List.of("Accept", "text/html"),
                List.of("Origin", "https://evil.example"), List.of("X-Forwarded-For", "203.0.113.9, garbage"),
                List.of("Authorization", "Basic %%%"), List.of("SessionId", "\u00e9\u00e8".repeat(50)));
        return Combinators.combine(credential, extra).as((a, b) -> {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        });
    }

    private static Arbitrary<byte[]> bodyFor(Operation op) {
        if (!op.hasBody()) {
            return anyJson(2).map(s -> s.getBytes(StandardCharsets.UTF_8)).injectNull(0.75);
        }
        Arbitrary<byte[]> text = Arbitraries.frequencyOf(
                Tuple.of(6, jsonBodyText(op)), Tuple.of(2, anyJson(4)),
                Tuple.of(1, Arbitraries.of("", " ", "null", "[]", "\"x\"", "42", "{}", "{\"a\":1}{}", "{\"a\":", "{'a':1}")))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(
                Tuple.of(12, text),
                Tuple.of(2, Combinators.combine(text, brokenUtf8(), Arbitraries.integers().between(0, 1000))
                        .as(StrictInputPropertiesIT::spliced)),
                Tuple.of(1, text.map(b -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, b))),
                Tuple.of(1, Arbitraries.integers().between(20, 20_000).map(n -> ("{\"x\":" + "[".repeat(n) + "]".repeat(n)
                        + "}").getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Combinators.combine(text, Arbitraries.integers().between(0, 200))
                        .as((b, n) -> java.util.Arrays.copyOf(b, Math.min(b.length, n)))));
    }

    /** A body of the operation's shape: valid fields, some mutated, some dropped, unknown ones and repeats. */
    private static Arbitrary<String> jsonBodyText(Operation op) {
        List<Arbitrary<String>> members = new ArrayList<>();
        for (Map.Entry<String, Arbitrary<String>> f : op.fields().entrySet()) {
            Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(10, f.getValue()), Tuple.of(2, anyJson(2)),
                    Tuple.of(2, extremeNumber()));
            members.add(Arbitraries.frequencyOf(
                    Tuple.of(8, value.map(v -> quoted(f.getKey()) + ":" + v)),
                    Tuple.of(2, Arbitraries.just("")),
                    Tuple.of(1, value.map(v -> quoted(f.getKey()) + ":" + v + "," + quoted(f.getKey()) + ":" + v))));
        }
        members.add(Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just("")),
                Tuple.of(1, Combinators.combine(key(), anyJson(3)).as((k, v) -> quoted(k) + ":" + v))));
        return Combinators.combine(members).as(list -> "{" + String.join(",",
                list.stream().filter(m -> !m.isEmpty()).toList()) + "}");
    }

    /** Any JSON value, nested up to {@code depth}. */
    private static Arbitrary<String> anyJson(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(Arbitraries.of("null", "true", "false"), extremeNumber(),
                Arbitraries.integers().map(String::valueOf), string());
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> inner = Arbitraries.lazy(() -> anyJson(depth - 1));
        return Arbitraries.frequencyOf(Tuple.of(4, scalar),
                Tuple.of(1, inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]")),
                Tuple.of(1, Combinators.combine(key(), inner).as((k, v) -> quoted(k) + ":" + v).list().ofMaxSize(4)
                        .map(l -> "{" + String.join(",", l) + "}")));
    }

    private static Arbitrary<String> key() {
        return Arbitraries.oneOf(Arbitraries.of("a", "body", "queueId", "engagementId", ""),
                Arbitraries.strings().ofMaxLength(8));
    }

    private static Arbitrary<String> extremeNumber() {
        return Arbitraries.of("9223372036854775807", "9223372036854775808", "18446744073709551616",
                "-9223372036854775809", "2147483648", "1099511627776", "-1", "0", "1.5", "1e3", "1e309", "-0",
                "1" + "0".repeat(400), "9".repeat(1500), "0.1e-999999", "1E+2147483648");
    }

    private static Arbitrary<String> string() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30).map(StrictInputPropertiesIT::quoted),
                Arbitraries.strings().ascii().ofMaxLength(30).map(StrictInputPropertiesIT::quoted),
                Arbitraries.of("\"\\ud800\"", "\"\\u0000\"", "\"a\\\"b\"", "\"\\uD83D\\uDE00\"", "\"\\x\"", "\"tab\there\""),
                Arbitraries.just(quoted("x".repeat(12_000))));
    }

    private static Arbitrary<String> bool() {
        return Arbitraries.of("true", "false", "\"true\"", "null");
    }

    private static Arbitrary<String> id() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-5, 5).map(String::valueOf),
                Arbitraries.of("1", "\"1\"", "\"42\"", "null"));
    }

    private static Arbitrary<String> number() {
        return Arbitraries.integers().between(-3, 2000).map(String::valueOf);
    }

    private static Arbitrary<String> stringMap() {
        return Combinators.combine(key(), string()).as((k, v) -> quoted(k) + ":" + v).list().ofMaxSize(3)
                .map(l -> "{" + String.join(",", l) + "}");
    }

    private static Arbitrary<String> stringList() {
        return string().list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]");
    }

    private static Arbitrary<String> customFields() {
        return object(Map.of("name", string(), "type", Arbitraries.of("\"STRING\"", "\"COLOUR\"", "null"),
                "value", string())).list().ofMaxSize(2).map(l -> "[" + String.join(",", l) + "]");
    }

    private static Arbitrary<String> object(Map<String, Arbitrary<String>> fields) {
        List<Arbitrary<String>> members = fields.entrySet().stream()
                .map(f -> f.getValue().map(v -> quoted(f.getKey()) + ":" + v)).toList();
        return Combinators.combine(members).as(l -> "{" + String.join(",", l) + "}");
    }

    /** Byte sequences that are not UTF-8: overlong forms, encoded surrogates, beyond U+10FFFF, stray bytes. */
    private static Arbitrary<byte[]> brokenUtf8() {
        return Arbitraries.of(new byte[] {(byte) 0xC0, (byte) 0xBC}, new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xBC},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
                (byte) 0x80}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC3},
                new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
    }

    private static byte[] spliced(byte[] body, byte[] broken, int at) {
        int i = Math.min(at, body.length);
        return concat(java.util.Arrays.copyOf(body, i), broken, java.util.Arrays.copyOfRange(body, i, body.length));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A JSON string literal; characters beyond ASCII are written as escapes now and then, raw otherwise. */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        boolean escapeAll = (s.hashCode() & 1) == 0;
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || (escapeAll && c > 0x7E) || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String percentEncoded(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            int c = x & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ the callers the requests speak for

    /**
     * Valid credentials of every kind, renewed when a generated request happened to end them (a
     * consumer concluded its chat, the agent logged off or another session took over). The agent
     * serves no queue, so no chat is ever offered: nothing writes to the database but the requests.
     */
    static final class Fixtures {

        final Http http;
        final RawHttp raw;
        String consumerToken;
        String sessionId;
        String agentToken;
        String aid;
        String jsessionId;
        final String adminToken;

        Fixtures(Http http) {
            this.http = http;
            try {
                this.raw = new RawHttp(new URL(http.base().toString() + "/"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            AdminClient admin = new AdminClient(http);
            adminToken = admin.token;
            admin.ok("POST", "sites/1/agents", "{\"username\":\"prober\",\"password\":\"" + AgentClient.PASSWORD
                    + "\",\"name\":\"Prober\",\"queues\":[]}");
            agentToken = new AgentClient(http, "prober").token();
            newConsumer();
            newAgentSession();
        }

        void newConsumer() {
            Consumer c = new Consumer(http).bootstrap("{\"firstName\":\"Prop\",\"emailAddress\":\"prop@prop.invalid\"}");
            Http.Reply r = c.requestEngagement();
            if (r.status() == 200) {
                consumerToken = c.token;
                sessionId = r.json().get("sessionId").asText();
            }
        }

        void newAgentSession() {
            Http.Reply r = http.post(AgentClient.API + "createAutomatedAgentSession", "{\"logonOverride\":true}",
                    "Authorization", "Bearer " + agentToken);
            if (r.status() == 200) {
                jsessionId = r.json().get("sessionId").asText();
                aid = r.json().get("accountId").asText();
            }
        }

        /** Renews what a successful request ended. */
        void afterward(Operation op, Http.Reply reply) {
            if (reply.status() / 100 != 2) {
                return;
            }
            if (op.path().endsWith("concludeEngagement")) {
                newConsumer();
            } else if (op.credential() == Credential.AGENT_SESSION && op.path().endsWith("logoff")
                    || op.path().endsWith("createAutomatedAgentSession")) {
                newAgentSession();
            }
        }

        List<String> headers(Credential c, boolean valid) {
            String garbage = valid ? null : "x" + (c.ordinal() % 2 == 0 ? "%00;\u00e9" : "9".repeat(9000));
            return switch (c) {
                case NONE -> List.of();
                case CONSUMER_TOKEN -> List.of("Authorization", "Bearer " + (valid ? consumerToken : garbage));
                case SESSION -> List.of("SessionId", valid ? sessionId : garbage);
                case AGENT_TOKEN -> List.of("Authorization", "Bearer " + (valid ? agentToken : garbage));
                case AGENT_SESSION -> List.of("X-AID", valid ? aid : "99999999999999999999",
                        "X-JSESSIONID", valid ? jsessionId : garbage);
                case API_USER -> List.of("Authorization", valid ? Consumer.basic("demo-api", "demo-api-pass") : "Basic " + garbage);
                case AGENT_BASIC -> List.of("Authorization", valid ? Consumer.basic("prober", AgentClient.PASSWORD)
                        : Consumer.basic("prober", garbage));
                case ADMIN_BASIC -> List.of("Authorization", valid ? Consumer.basic("admin", "demo-admin-pass")
                        : "Basic " + garbage);
                case ADMIN_TOKEN -> List.of("Authorization", "Bearer " + (valid ? adminToken : garbage));
            };
        }
    }
}
