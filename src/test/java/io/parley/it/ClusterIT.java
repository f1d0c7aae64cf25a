package io.parley.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three Parley nodes, each on a JVM of its own (the launcher jar), sharing one real PostgreSQL.
 * A and B listen for each other's notifications and sweep only once a minute, so anything that
 * reaches them within a hold came by NOTIFY. C does not listen at all and sweeps often: what
 * reaches it came by its sweep. C is the node that is killed; PostgreSQL itself is stopped last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    /** Long enough that a poll answered with a message was woken, not merely polled again. */
    private static final int HOLD_SECONDS = 10;
    private static final String OFFER = "ChatEngagementAssignmentNotification";

    static TestDatabase db;
    static ParleyProcess nodeA;
    static ParleyProcess nodeB;
    static ParleyProcess nodeC;
    static Http a;
    static Http b;
    static Http c;

    @BeforeAll
    static void startCluster() throws Exception {
        db = TestDatabase.createOnOwnServer(TestDatabase.Engine.POSTGRES, "cluster");
        Path dir = Files.createTempDirectory("parley-cluster-it");
        Map<String, String> common = new HashMap<>(db.settings());
        common.putAll(Map.of("demo", "true", "tenants.cacheSeconds", "0", "poll.hold", Integer.toString(HOLD_SECONDS),
                "db.poolSize", "12", "db.connectTimeoutMillis", "2000"));
        common.putAll(Map.of("throttle.login.accountFailures", "3", "throttle.login.accountDelaySeconds", "10",
                "throttle.login.accountLockAfter", "4"));
        Map<String, String> listening = new HashMap<>(common);
        listening.put("cluster.sweepMillis", "60000");
        Map<String, String> sweeping = new HashMap<>(common);
        sweeping.putAll(Map.of("cluster.listen", "false", "cluster.sweepMillis", "300"));
        // All three start at once on an empty database: migrations and the demo seed must not collide.
        nodeA = ParleyProcess.start("A", dir.resolve("a"), ParleyProcess.freePort(), listening);
        nodeB = ParleyProcess.start("B", dir.resolve("b"), ParleyProcess.freePort(), listening);
        nodeC = ParleyProcess.start("C", dir.resolve("c"), ParleyProcess.freePort(), sweeping);
        a = nodeA.awaitUp();
        b = nodeB.awaitUp();
        c = nodeC.awaitUp();
        assertEquals(1, db.count("SELECT COUNT(*) FROM site WHERE name = 'demo'"), "the demo site was seeded once");
    }

    @AfterAll
    static void stopCluster() {
        for (ParleyProcess node : new ParleyProcess[] {nodeA, nodeB, nodeC}) {
            if (node != null) {
                node.close();
            }
        }
        if (db != null) {
            db.stopServer();
        }
    }

    @Test
    @Order(0)
    void nodesStartedTogetherOnAnEmptyDatabaseSignWithOneKeyFromTheirFirstToken() {
        List<String> keySets = new ArrayList<>();
        for (Http node : List.of(a, b, c)) {
            JsonNode keys = node.get("/.well-known/jwks.json").json().get("keys");
            assertEquals(1, keys.size(), "one signing key for the whole cluster: " + keys);
            keySets.add(keys.get(0).get("kid").asText());
        }
        assertEquals(1, keySets.stream().distinct().count(), "every node publishes the same key: " + keySets);
        assertEquals(1, db.count("SELECT COUNT(*) FROM signing_key"), "the other nodes' keys were never stored");
        for (Http issuer : List.of(a, b, c)) {
            String token = new AdminClient(issuer).token;
            for (Http verifier : List.of(a, b, c)) {
                assertEquals(200, verifier.get(AdminClient.API + "sites", "Authorization", "Bearer " + token).status(),
                        "a token of one node is good on every other at once");
            }
        }
    }

    @Test
    @Order(1)
    void theConsumerPollsOneNodeWhileTheAgentPostsOnAnother() {
        Chat chat = chat("ab", b, a);
        AgentClient agent = chat.agent();
        Consumer ann = chat.consumer();
        ann.pollUntil("RNEngagementParticipantAddedMessage");

        Http.Reply toConsumer = wokenBy(() -> ann.pollAsync("{}"), () -> agent.say(ann.engagementId, "hello from B"));
        assertTrue(toConsumer.body().contains("hello from B"), "the poll held on A was woken by B: " + toConsumer.body());

        Http.Reply toAgent = wokenBy(agent::pollAsync, () -> ann.post("hello from A"));
        assertTrue(toAgent.body().contains("hello from A"), "the poll held on B was woken by A: " + toAgent.body());
        finish(agent, ann);
    }

    @Test
    @Order(2)
    void aNodeThatHearsNoNotificationFindsTheChangesByItsSweep() {
        Chat chat = chat("sweep", a, c);
        AgentClient agent = chat.agent();
        Consumer cy = chat.consumer();
        cy.pollUntil("RNEngagementParticipantAddedMessage");

        Http.Reply r = wokenBy(() -> cy.pollAsync("{}"), () -> agent.say(cy.engagementId, "found by the sweep"));
        assertTrue(r.body().contains("found by the sweep"), r.body());
        finish(agent, cy);
    }

    @Test
    @Order(3)
    void twoAgentsOnTwoNodesAcceptTheSameEngagementExactlyOneWins() throws Exception {
        Team t = team("race", 2);
        AgentClient onA = new AgentClient(a, t.agents().get(0)).ready(3, false);
        AgentClient onB = new AgentClient(b, t.agents().get(1)).ready(3, false);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 8; round++) {
                Consumer customer = customer(round % 2 == 0 ? a : b, t.queue());
                Future<Http.Reply> ra = pool.submit(() -> onA.accept(customer.engagementId));
                Future<Http.Reply> rb = pool.submit(() -> onB.accept(customer.engagementId));
                Http.Reply first = ra.get(15, TimeUnit.SECONDS);
                Http.Reply second = rb.get(15, TimeUnit.SECONDS);
                List<Integer> statuses = new ArrayList<>(List.of(first.status(), second.status()));
                Collections.sort(statuses);
                assertEquals(List.of(200, 409), statuses, "round " + round + ": " + first + " / " + second);
                Http.Reply loser = first.status() == 409 ? first : second;
                assertEquals("CONFLICT", loser.json().get("chatSystemError").get("exceptionCode").asText());
                assertEquals(1, db.count("SELECT COUNT(*) FROM participant WHERE engagement_id = ? AND role = 'LEAD'",
                        customer.engagementId), "one lead");
                AgentClient winner = first.status() == 200 ? onA : onB;
                assertEquals(200, winner.conclude(customer.engagementId).status());
                assertEquals(200, winner.release(customer.engagementId).status());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void failedLoginsOnOneNodeLockTheAccountOnEveryNode() {
        String agent = team("lockout", 1).agents().get(0);
        String agentTokens = "/services/rest/crossChannelServices/latest/agentTokens";
        for (int i = 0; i < 3; i++) {
            assertEquals(401, a.post(agentTokens, "", "Authorization", Consumer.basic(agent, "wrong-" + i)).status());
        }
        Http.Reply onB = b.post(agentTokens, "", "Authorization", Consumer.basic(agent, AgentClient.PASSWORD));
        assertEquals(429, onB.status(), "node B counts node A's failures: " + onB);
        assertEquals("TOO_MANY_ATTEMPTS", onB.json().get("code").asText());

        // One more failure, after the delay, locks the account for the whole cluster.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> c.post(agentTokens, "", "Authorization", Consumer.basic(agent, "wrong-again")).status() == 401);
        Http.Reply locked = a.post(agentTokens, "", "Authorization", Consumer.basic(agent, AgentClient.PASSWORD));
        assertEquals(429, locked.status(), "locked on A by a failure on C: " + locked);
        assertTrue(Long.parseLong(locked.header("Retry-After")) > 60, locked.header("Retry-After"));

        AdminClient admin = new AdminClient(b);
        JsonNode lock = null;
        for (JsonNode l : admin.ok("GET", "loginLocks", null).get("items")) {
            if (agent.equals(l.get("subject").asText())) {
                lock = l;
            }
        }
        assertNotNull(lock, "every node's administrators see the lock");
        assertEquals(204, admin.delete("loginLocks/" + lock.get("id").asLong()).status());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> c.post(agentTokens, "", "Authorization", Consumer.basic(agent, AgentClient.PASSWORD))
                        .status() == 200);
    }

    @Test
    @Order(5)
    void anAgentSessionEndedOnOneNodeIsRefusedOnTheOthers() {
        String name = team("ended", 1).agents().get(0);
        AgentClient onA = new AgentClient(a, name).logon(false);
        AgentClient onB = onA.via(b);
        AgentClient onC = onA.via(c);
        String directory = "retrieveAgentsAndQueues";
        // Each node has now looked the session up, and keeps it while it lives.
        for (AgentClient node : List.of(onA, onB, onC)) {
            assertEquals(200, node.call(directory, "{}").status());
        }
        assertEquals(200, onA.call("logoff", "{\"forceLogoff\":true}").status());

        assertEquals(403, onA.call(directory, "{}").status(), "the node that ended it knows at once");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> onB.call(directory, "{}").status() == 403);
        // C hears no notifications: it keeps a session no longer than its sweep period.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> onC.call(directory, "{}").status() == 403);
    }

    @Test
    @Order(6)
    void sequenceNumbersStayGapFreeWhenTwoNodesWriteAtOnce() throws Exception {
        Chat chat = chat("seq", b, a);
        AgentClient agent = chat.agent();
        Consumer dee = chat.consumer();
        int each = 30;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> fromA = pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    assertEquals(200, dee.post("consumer " + i).status());
                }
            });
            Future<?> fromB = pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    assertEquals(200, agent.say(dee.engagementId, "agent " + i).status());
                }
            });
            fromA.get(60, TimeUnit.SECONDS);
            fromB.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<Map<String, Object>> seqs = db.query("SELECT seq FROM engagement_event WHERE engagement_id = ? ORDER BY seq",
                dee.engagementId);
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1L, ((Number) seqs.get(i).get("seq")).longValue(), "no gap, no duplicate: " + seqs);
        }
        assertEquals(seqs.size(), db.count("SELECT last_seq FROM engagement WHERE id = ?", dee.engagementId));
        assertEquals(2L * each, db.count("SELECT COUNT(*) FROM engagement_event WHERE engagement_id = ?"
                + " AND type = 'MESSAGE_POSTED'", dee.engagementId), "every post stored once");

        // The end user reads the agent's 30 messages, each once, whichever node it asks.
        List<String> texts = new ArrayList<>();
        long cursor = 0;
        Http[] nodes = {a, b, c};
        for (int i = 0; texts.size() < each && i < 40; i++) {
            Http.Reply r = poll(nodes[i % 3], dee, cursor);
            for (JsonNode m : r.json().get("systemMessages")) {
                cursor = Math.max(cursor, m.get("sequenceNumber").asLong());
                if ("RNEngagementMessagePostedMessage".equals(m.get("messageName").asText())) {
                    texts.add(m.get("body").asText());
                }
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            expected.add("agent " + i);
        }
        assertEquals(expected, texts);
        finish(agent, dee);
    }

    @Test
    @Order(7)
    void whenANodeIsKilledItsConsumerCarriesOnAgainstAnotherWithItsCursor() throws Exception {
        Chat chat = chat("kill", a, c);
        AgentClient agent = chat.agent();
        Consumer eve = chat.consumer();
        assertEquals(200, agent.say(eve.engagementId, "before 1").status());
        assertEquals(200, agent.say(eve.engagementId, "before 2").status());

        List<Long> seen = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        long cursor = readUntil(c, eve, 0, texts, seen, "before 2");
        int before = HeldRequests.now(c);
        CompletableFuture<Http.Reply> held = eve.via(c).pollAsync("{\"lastSequenceNumber\":" + cursor + "}");
        HeldRequests.await(c, before + 1);

        nodeC.kill();
        assertFalse(nodeC.isAlive());
        try {
            held.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException cutOff) {
            // The connection died with the node; the client polls again elsewhere.
        }
        for (int i = 1; i <= 3; i++) {
            assertEquals(200, agent.say(eve.engagementId, "after " + i).status());
        }

        readUntil(b, eve, cursor, texts, seen, "after 3");
        assertEquals(List.of("before 1", "before 2", "after 1", "after 2", "after 3"), texts, "every message exactly once");
        assertEquals(seen.stream().distinct().count(), seen.size(), "no sequence number twice: " + seen);
        assertEquals(200, eve.via(b).post("still here").status(), "the conversation goes on");
        assertTrue(agent.await("ChatEngagementMessageNotification", eve.engagementId).toString().contains("still here"));
        finish(agent, eve.via(b));
    }

    @Test
    @Order(8)
    void whilePostgresqlIsDownCallsAnswer503AndAfterwardsNothingIsLost() throws Exception {
        Chat chat = chat("outage", b, a);
        AgentClient agent = chat.agent();
        Consumer fay = chat.consumer();
        assertEquals(200, fay.post("before the outage").status());
        long unserved = db.addQueue("outage-waiting");
        List<Consumer> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiting.add(customer(i % 2 == 0 ? a : b, unserved));
        }

        db.stopServer();
        List<CompletableFuture<Http.Reply>> calls = new ArrayList<>();
        try {
            long started = System.nanoTime();
            for (Consumer w : waiting) {
                calls.add(w.pollAsync("{}"));
            }
            for (int i = 0; i < 10; i++) {
                calls.add(a.sendAsync("POST", Consumer.API + "postMessage", "{\"body\":\"during " + i
                        + "\",\"messageId\":\"during-" + i + "\"}", Duration.ofSeconds(30), "SessionId", fay.sessionId,
                        "Content-Type", "application/json"));
                calls.add(b.sendAsync("POST", AgentClient.API + "postMessage", "{\"engagementId\":" + fay.engagementId
                        + ",\"body\":\"agent during " + i + "\"}", Duration.ofSeconds(30), "X-AID",
                        Long.toString(agent.accountId), "X-JSESSIONID", agent.sessionId, "Content-Type", "application/json"));
            }
            for (CompletableFuture<Http.Reply> call : calls) {
                Http.Reply r = call.get(30, TimeUnit.SECONDS);
                assertEquals(503, r.status(), "unreachable database: " + r);
                assertNotNull(r.header("Retry-After"), r.toString());
                assertEquals(503, r.json().get("status").asInt(), "the one JSON error body: " + r.body());
            }
            // Each call may wait once for a connection (2 s here); a pile-up would make them wait in turn.
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.toSeconds() < 15, "every call answered promptly, none piled up: " + took);
        } finally {
            db.startServer();
        }

        Http.Reply retried = null;
        for (int i = 0; i < 60 && (retried == null || retried.status() != 200); i++) {
            Thread.sleep(500);
            retried = a.post(Consumer.API + "postMessage?pool=1:1", "{\"body\":\"during 0\",\"messageId\":\"during-0\"}",
                    "SessionId", fay.sessionId, "Content-Type", "application/json");
        }
        assertEquals(200, retried.status(), "node A is back: " + retried);
        // Node B finds out on its own (its pool replaces the broken connections as it meets them).
        Http.Reply bBack = null;
        for (int i = 0; i < 60 && (bBack == null || bBack.status() != 200); i++) {
            bBack = agent.call("setActivityStatus", "{\"status\":\"AVAILABLE\",\"subTypeId\":0}");
            if (bBack.status() != 200) {
                assertEquals(503, bBack.status(), "meanwhile only 503: " + bBack);
                Thread.sleep(500);
            }
        }
        assertEquals(200, bBack.status(), "node B is back: " + bBack);
        assertEquals(0, db.count("SELECT COUNT(*) FROM engagement_event WHERE engagement_id = ? AND payload LIKE ?",
                fay.engagementId, "%agent during%"), "what was refused with 503 was not half stored");
        assertEquals(1, db.count("SELECT COUNT(*) FROM engagement_event WHERE engagement_id = ? AND payload LIKE ?",
                fay.engagementId, "%before the outage%"), "what was stored before is still there");

        List<String> agentSaw = new ArrayList<>();
        for (int i = 0; i < 5 && !String.join(" ", agentSaw).contains("during 0"); i++) {
            agentSaw.add(agent.drain().toString());
        }
        assertTrue(String.join(" ", agentSaw).contains("before the outage") && String.join(" ", agentSaw).contains("during 0"),
                "the agent on B receives both: " + agentSaw);
        Http.Reply woken = wokenBy(() -> fay.pollAsync("{}"), () -> agent.say(fay.engagementId, "after the outage"));
        assertTrue(woken.body().contains("after the outage"), "node A listens again: " + woken.body());
        finish(agent, fay);
    }

    // ------------------------------------------------------------------ helpers

    private record Team(long queue, List<String> agents) {
    }

    /** A fresh queue of the demo site with {@code agents} fresh agent accounts of capacity 3 serving it. */
    private static Team team(String name, int agents) {
        long queue = db.addQueue(name);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            String username = name + "-agent-" + i;
            db.execute("INSERT INTO account (site_id, username, password_hash, role, display_name, max_sessions, created_at)"
                    + " SELECT site_id, '" + username + "', password_hash, 'AGENT', '" + username + "', 3,"
                    + " CURRENT_TIMESTAMP FROM account WHERE username = 'agent1'");
            db.execute("INSERT INTO agent_queue (account_id, queue_id) SELECT id, " + queue
                    + " FROM account WHERE username = '" + username + "'");
            names.add(username);
        }
        return new Team(queue, names);
    }

    private record Chat(AgentClient agent, Consumer consumer) {
    }

    /** A fresh agent on {@code agentNode} that has accepted a fresh customer of {@code consumerNode}. */
    private static Chat chat(String name, Http agentNode, Http consumerNode) {
        Team t = team(name, 1);
        AgentClient agent = new AgentClient(agentNode, t.agents().get(0)).ready(3, false);
        Consumer consumer = customer(consumerNode, t.queue());
        agent.await(OFFER, consumer.engagementId);
        assertEquals(200, agent.accept(consumer.engagementId).status());
        return new Chat(agent, consumer);
    }

    private static Consumer customer(Http node, long queue) {
        return new Consumer(node).bootstrap("{\"queueId\":" + queue + "}").join();
    }

    /**
     * Parks a poll, does {@code action}, and returns the parked poll's answer. Polls answered at
     * once (something was pending) are read and polled again until one stays parked.
     */
    private static Http.Reply wokenBy(Supplier<CompletableFuture<Http.Reply>> poll, Runnable action) {
        for (int i = 0; i < 20; i++) {
            CompletableFuture<Http.Reply> held = poll.get();
            try {
                held.get(700, TimeUnit.MILLISECONDS);
                continue;
            } catch (TimeoutException parked) {
                action.run();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            try {
                Http.Reply r = held.get(HOLD_SECONDS + 5, TimeUnit.SECONDS);
                assertEquals(200, r.status(), r.body());
                return r;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return fail("no poll stayed parked");
    }

    private static Http.Reply poll(Http node, Consumer who, long cursor) {
        Http.Reply r = node.send("POST", Consumer.API + "getMessages?pool=1:1", "{\"lastSequenceNumber\":" + cursor + "}",
                Duration.ofSeconds(HOLD_SECONDS + 10), "SessionId", who.sessionId, "Content-Type", "application/json");
        assertEquals(200, r.status(), r.body());
        return r;
    }

    /** Polls {@code node} from {@code cursor} until a message with {@code last} arrives; collects texts and sequence numbers. */
    private static long readUntil(Http node, Consumer who, long cursor, List<String> texts, List<Long> seqs, String last) {
        for (int i = 0; i < 10; i++) {
            for (JsonNode m : poll(node, who, cursor).json().get("systemMessages")) {
                long seq = m.get("sequenceNumber").asLong();
                seqs.add(seq);
                cursor = Math.max(cursor, seq);
                if ("RNEngagementMessagePostedMessage".equals(m.get("messageName").asText())) {
                    texts.add(m.get("body").asText());
                }
            }
            if (texts.contains(last)) {
                return cursor;
            }
        }
        return fail("no '" + last + "' after 10 polls; read " + texts);
    }

    private static void finish(AgentClient agent, Consumer consumer) {
        assertEquals(200, agent.conclude(consumer.engagementId).status());
        assertEquals(200, agent.release(consumer.engagementId).status());
        agent.call("logoff", "{}");
    }
}
