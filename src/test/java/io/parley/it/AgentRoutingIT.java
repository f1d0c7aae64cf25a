package io.parley.it;

import static io.parley.it.Consumer.last;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Routing behind the agent API: who gets an offer, what happens to offers nobody takes, races for
 * one engagement, capacity under load, agents that go away or log off.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AgentRoutingIT {

    static final TestDatabase DB = TestDatabase.create("AgentRoutingIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of("poll.hold", "1", "tenants.cacheSeconds", "0",
                "agents.offerTimeout", "2", "agents.awayAfter", "6"));
    }

    @ArquillianResource
    URL base;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(base);
    }

    /** A fresh queue served by fresh agents (accounts created for this test, capacity {@code capacity}). */
    private record Team(long queue, List<String> agents) {
    }

    private Team team(String name, int agents, int capacity) {
        long queue = DB.addQueue(name);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            String username = name + "-agent-" + i;
            DB.execute("INSERT INTO account (site_id, username, password_hash, role, display_name, max_sessions, created_at)"
                    + " SELECT site_id, '" + username + "', password_hash, 'AGENT', '" + username + "', " + capacity
                    + ", CURRENT_TIMESTAMP FROM account WHERE username = 'agent1'");
            DB.execute("INSERT INTO agent_queue (account_id, queue_id) SELECT id, " + queue
                    + " FROM account WHERE username = '" + username + "'");
            names.add(username);
        }
        return new Team(queue, names);
    }

    private Consumer customer(long queue) {
        return new Consumer(http).bootstrap("{\"queueId\":" + queue + "}").join();
    }

    private static String exceptionCode(Http.Reply r) {
        return r.json().get("chatSystemError").get("exceptionCode").asText();
    }

    @Test
    void twoAgentsRacingForOneEngagementExactlyOneWins() throws Exception {
        Team t = team("race", 2, 3);
        AgentClient a = new AgentClient(http, t.agents().get(0)).ready(3, false);
        AgentClient b = new AgentClient(http, t.agents().get(1)).ready(3, false);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        for (int round = 0; round < 10; round++) {
            Consumer c = customer(t.queue());
            Future<Http.Reply> ra = pool.submit(() -> a.accept(c.engagementId));
            Future<Http.Reply> rb = pool.submit(() -> b.accept(c.engagementId));
            Http.Reply first = ra.get(10, TimeUnit.SECONDS);
            Http.Reply second = rb.get(10, TimeUnit.SECONDS);
            List<Integer> statuses = new ArrayList<>(List.of(first.status(), second.status()));
            Collections.sort(statuses);
            assertEquals(List.of(200, 409), statuses, "round " + round + ": " + first + " / " + second);
            Http.Reply loser = first.status() == 409 ? first : second;
            assertEquals("CONFLICT", exceptionCode(loser));
            assertEquals("NOT_QUEUED", loser.json().get("code").asText());
            assertEquals(1, DB.count("SELECT COUNT(*) FROM participant WHERE engagement_id = ? AND role = 'LEAD'",
                    c.engagementId));
            AgentClient winner = first.status() == 200 ? a : b;
            winner.conclude(c.engagementId);
            winner.release(c.engagementId);
        }
        pool.shutdown();
        a.call("logoff", "{\"forceLogoff\":true}");
        b.call("logoff", "{\"forceLogoff\":true}");
    }

    @Test
    void theLongestIdleAgentGetsTheOfferAndAnOfferNobodyAnswersMovesOn() {
        Team t = team("idle", 2, 3);
        AgentClient first = new AgentClient(http, t.agents().get(0)).ready(3, false);
        AgentClient second = new AgentClient(http, t.agents().get(1)).ready(3, false);
        Consumer c1 = customer(t.queue());
        first.await("ChatEngagementAssignmentNotification", c1.engagementId);
        assertEquals(200, first.accept(c1.engagementId).status());

        Consumer c2 = customer(t.queue());
        second.await("ChatEngagementAssignmentNotification", c2.engagementId);
        // The second agent lets the offer lapse: it is withdrawn and goes to the other agent.
        JsonNode withdrawn = second.await("ChatEngagementAssignmentWithdrawnNotification", c2.engagementId);
        assertEquals("TIMEOUT", withdrawn.get("reason").asText());
        first.await("ChatEngagementAssignmentNotification", c2.engagementId);
        assertEquals(200, first.accept(c2.engagementId).status());
        assertEquals(409, second.accept(c2.engagementId).status(), "taken already");
        first.call("logoff", "{\"forceLogoff\":true}");
        second.call("logoff", "{\"forceLogoff\":true}");
    }

    @Test
    void aDeclinedOfferGoesToTheNextAgentAndAnAutoAcceptTakesTheNext() {
        Team t = team("decline", 2, 3);
        AgentClient a = new AgentClient(http, t.agents().get(0)).ready(3, false);
        AgentClient b = new AgentClient(http, t.agents().get(1)).ready(3, false);
        Consumer c1 = customer(t.queue());
        a.await("ChatEngagementAssignmentNotification", c1.engagementId);
        Http.Reply declined = a.acknowledge(c1.engagementId, "DECLINE", "LEAD", "MANUAL");
        assertEquals(200, declined.status(), declined.body());
        b.await("ChatEngagementAssignmentNotification", c1.engagementId);
        Http.Reply auto = b.acknowledge(c1.engagementId, "ACCEPT", "LEAD", "AUTO");
        assertEquals(200, auto.status(), auto.body());
        Http.Reply nothing = a.acknowledge(c1.engagementId, "DECLINE", "LEAD", "MANUAL");
        assertEquals(409, nothing.status(), "no offer to decline any more");

        a.call("setActivityStatus", "{\"status\":\"UNAVAILABLE\",\"subTypeId\":3}");
        Consumer c2 = customer(t.queue());
        JsonNode offer = b.await("ChatEngagementAssignmentNotification", c2.engagementId);
        assertTrue(offer.get("autoAccepted").asBoolean(), "after an AUTO acknowledgement offers are taken at once");
        c2.pollUntil("RNEngagementParticipantAddedMessage");
        a.call("logoff", "{\"forceLogoff\":true}");
        b.call("logoff", "{\"forceLogoff\":true}");
    }

    @Test
    void fiftyEngagementsFiveAgentsOfCapacityThreeNeverOverCapacityServedInOrder() throws Exception {
        Team t = team("load", 5, 3);
        ScheduledExecutorService work = Executors.newScheduledThreadPool(8);
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, AtomicLong> holding = new ConcurrentHashMap<>();
        AtomicLong maxSeen = new AtomicLong();
        List<CompletableFuture<Void>> bots = new ArrayList<>();
        List<AgentClient> clients = new ArrayList<>();
        for (String name : t.agents()) {
            AgentClient bot = new AgentClient(http, name).ready(3, true);
            clients.add(bot);
            AtomicLong held = new AtomicLong();
            holding.put(name, held);
            bots.add(CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    for (JsonNode entry : bot.poll()) {
                        if (!"ChatEngagementAssignmentNotification".equals(AgentClient.type(entry))) {
                            continue;
                        }
                        long e = entry.get(AgentClient.type(entry)).get("engagementId").asLong();
                        maxSeen.accumulateAndGet(held.incrementAndGet(), Math::max);
                        work.schedule(() -> {
                            bot.say(e, "done");
                            bot.conclude(e);
                            held.decrementAndGet();
                            bot.release(e);
                        }, 150, TimeUnit.MILLISECONDS);
                    }
                }
            }, work));
        }
        AtomicLong dbMax = new AtomicLong();
        CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
            while (running.get()) {
                for (Map<String, Object> row : DB.query("SELECT a.username, COUNT(*) AS n FROM participant p"
                        + " JOIN account a ON a.id = p.account_id WHERE p.released_at IS NULL AND p.role = 'LEAD'"
                        + " AND a.username LIKE 'load-agent-%' GROUP BY a.username")) {
                    dbMax.accumulateAndGet(((Number) row.get("n")).longValue(), Math::max);
                }
                sleep(20);
            }
        });

        ExecutorService customers = Executors.newFixedThreadPool(10);
        List<Future<Consumer>> joined = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            joined.add(customers.submit(() -> customer(t.queue())));
        }
        List<Long> engagements = new ArrayList<>();
        for (Future<Consumer> f : joined) {
            engagements.add(f.get(60, TimeUnit.SECONDS).engagementId);
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && DB.count("SELECT COUNT(*) FROM participant p"
                + " JOIN engagement e ON e.id = p.engagement_id WHERE e.queue_id = ? AND p.role = 'LEAD'", t.queue()) < 50) {
            sleep(200);
        }
        running.set(false);
        CompletableFuture.allOf(bots.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        sampler.get(10, TimeUnit.SECONDS);
        customers.shutdown();
        work.shutdown();

        assertEquals(50, DB.count("SELECT COUNT(DISTINCT p.engagement_id) FROM participant p JOIN engagement e"
                + " ON e.id = p.engagement_id WHERE e.queue_id = ? AND p.role = 'LEAD'", t.queue()), "every engagement served");
        assertTrue(maxSeen.get() <= 3, "no bot ever held more than 3 chats: " + maxSeen.get());
        assertTrue(dbMax.get() <= 3, "no agent ever over capacity in the database: " + dbMax.get());
        assertEquals(3, dbMax.get(), "and capacity was used");
        List<Map<String, Object>> served = DB.query("SELECT e.id, e.queued_at, e.accepted_at, p.account_id, p.joined_at FROM engagement e"
                + " JOIN participant p ON p.engagement_id = e.id AND p.role = 'LEAD' WHERE e.queue_id = ?"
                + " ORDER BY e.queue_priority, e.queued_at, e.id", t.queue());
        OffsetDateTime previous = null;
        for (Map<String, Object> row : served) {
            OffsetDateTime at = (OffsetDateTime) row.get("accepted_at");
            if (previous != null) {
                assertFalse(at.isBefore(previous), "served in queue order: " + served.toString().replace("}, {", "}\n{"));
            }
            previous = at;
        }
        for (AgentClient bot : clients) {
            bot.call("logoff", "{\"forceLogoff\":true}");
        }
    }

    @Test
    void anAgentWhosePollsStopIsMarkedAwayAndPassedOver() {
        Team t = team("away", 2, 3);
        AgentClient quiet = new AgentClient(http, t.agents().get(0)).ready(3, false);
        AgentClient busy = new AgentClient(http, t.agents().get(1)).ready(3, false);
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline && DB.count("SELECT COUNT(*) FROM agent_session WHERE id = ?"
                + " AND away = TRUE", quiet.sessionId) == 0) {
            busy.poll();
        }
        assertEquals(1, DB.count("SELECT COUNT(*) FROM agent_session WHERE id = ? AND away = TRUE", quiet.sessionId));
        Consumer c = customer(t.queue());
        busy.await("ChatEngagementAssignmentNotification", c.engagementId);
        Http.Reply directory = busy.call("retrieveAgentsAndQueues", "{\"includeAgentInformation\":true,\"type\":\"QUEUE\","
                + "\"id\":" + t.queue() + "}");
        assertEquals(200, directory.status(), directory.body());
        assertTrue(directory.body().contains("\"AWAY\""), directory.body());
        quiet.poll();
        assertEquals(0, DB.count("SELECT COUNT(*) FROM agent_session WHERE id = ? AND away = TRUE", quiet.sessionId),
                "a call brings the agent back");
        quiet.call("logoff", "{\"forceLogoff\":true}");
        busy.call("logoff", "{\"forceLogoff\":true}");
    }

    @Test
    void logoffWithLiveChatsReturnsThemToTheQueueAheadOfNewArrivals() {
        Team t = team("logoff", 1, 3);
        AgentClient leaving = new AgentClient(http, t.agents().get(0)).ready(1, false);
        Consumer served = customer(t.queue());
        leaving.await("ChatEngagementAssignmentNotification", served.engagementId);
        assertEquals(200, leaving.accept(served.engagementId).status());
        served.pollUntil("RNEngagementParticipantAddedMessage");
        Consumer waiting = customer(t.queue());

        Http.Reply refused = leaving.call("logoff", "{\"forceLogoff\":false}");
        assertEquals(409, refused.status(), refused.body());
        assertEquals("CONFLICT", exceptionCode(refused));
        assertEquals(200, leaving.call("logoff", "{\"forceLogoff\":true}").status());

        List<JsonNode> seen = served.pollUntil("RNEngagementWaitInformationChangedMessage");
        JsonNode left = seen.stream().filter(m -> "RNEngagementParticipantLeftMessage".equals(m.get("messageName").asText()))
                .findFirst().orElseThrow(() -> new AssertionError(seen.toString()));
        assertEquals("TRANSFERRED_TO_QUEUE", left.get("disconnectReason").asText());
        assertEquals(1, last(seen).get("position").asInt(), "back in the queue ahead of the newer arrival");
        assertEquals("QUEUED", DB.query("SELECT state FROM engagement WHERE id = ?", served.engagementId).get(0).get("state"));
        long until = System.currentTimeMillis() + 10_000;
        int position = 0;
        while (position != 2 && System.currentTimeMillis() < until) {
            for (JsonNode m : waiting.poll().json().get("systemMessages")) {
                if ("RNEngagementWaitInformationChangedMessage".equals(m.get("messageName").asText())) {
                    position = m.get("position").asInt();
                }
            }
        }
        assertEquals(2, position, "the newer arrival moved back behind it");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
