package io.parley.it;

import static io.parley.it.Consumer.last;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Moving chats between agents and queues, conferences, and a supervisor monitoring with whispers. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AgentTransferIT {

    static final TestDatabase DB = TestDatabase.create("AgentTransferIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of("poll.hold", "1", "tenants.cacheSeconds", "0"));
    }

    @ArquillianResource
    URL base;

    Http http;
    private final List<AgentClient> loggedOn = new ArrayList<>();

    @BeforeEach
    void setUp() {
        http = new Http(base);
    }

    @AfterEach
    void logOff() {
        loggedOn.forEach(a -> a.call("logoff", "{\"forceLogoff\":true}"));
    }

    private AgentClient agent(String username, boolean available) {
        AgentClient a = new AgentClient(http, username);
        if (available) {
            a.ready(3, false);
        } else {
            a.logon(false);
        }
        loggedOn.add(a);
        return a;
    }

    /** A consumer in queue 1 served by {@code lead}. */
    private Consumer servedBy(AgentClient lead) {
        Consumer c = new Consumer(http).join();
        lead.await("ChatEngagementAssignmentNotification", c.engagementId);
        assertEquals(200, lead.accept(c.engagementId).status());
        c.pollUntil("RNEngagementParticipantAddedMessage");
        return c;
    }

    private static List<String> names(List<JsonNode> messages) {
        return messages.stream().map(m -> m.get("messageName").asText()).toList();
    }

    @Test
    void rerouteSendsTheChatToTheEscalationQueue() {
        AgentClient ada = agent("agent1", true);
        Consumer c = servedBy(ada);
        Http.Reply availability = http.get(AgentClient.API + "rerouteAvailability?engagementId=" + c.engagementId,
                "X-AID", Long.toString(ada.accountId), "X-JSESSIONID", ada.sessionId);
        assertEquals(200, availability.status(), availability.body());
        assertEquals(2, availability.json().get("chatRerouteAvailabilityResult").get("queueId").asLong());
        Http.Reply byPost = ada.call("rerouteAvailability", "{\"engagementId\":" + c.engagementId + "}");
        assertEquals(200, byPost.status(), "also by POST, as the reference's example sends it");

        Http.Reply rerouted = ada.call("rerouteEngagement", "{\"engagementId\":" + c.engagementId + "}");
        assertEquals(200, rerouted.status(), rerouted.body());
        List<JsonNode> seen = c.pollUntil("RNEngagementWaitInformationChangedMessage");
        JsonNode left = seen.stream().filter(m -> "RNEngagementParticipantLeftMessage".equals(m.get("messageName").asText()))
                .findFirst().orElseThrow(() -> new AssertionError(seen.toString()));
        assertEquals("TRANSFERRED_TO_QUEUE", left.get("disconnectReason").asText());
        assertEquals("LEAD", left.get("role").asText());
        assertEquals(2, DB.count("SELECT queue_id FROM engagement WHERE id = ?", c.engagementId));
        assertEquals("QUEUED", DB.query("SELECT state FROM engagement WHERE id = ?", c.engagementId).get(0).get("state"));
        assertEquals(0, DB.count("SELECT COUNT(*) FROM participant p JOIN account a ON a.id = p.account_id"
                + " WHERE a.username = 'agent1' AND p.released_at IS NULL"), "the agent's slot is free");
    }

    @Test
    void aTransferToANamedAgentHandsTheChatOver() {
        AgentClient ada = agent("agent1", true);
        AgentClient ben = agent("agent2", false);
        Consumer c = servedBy(ada);
        Http.Reply asked = ada.call("rerouteEngagement", "{\"engagementId\":" + c.engagementId + ",\"agentId\":"
                + ben.accountId + ",\"assignmentType\":\"TRANSFER\"}");
        assertEquals(200, asked.status(), asked.body());
        JsonNode offer = ben.await("ChatEngagementAssignmentNotification", c.engagementId);
        assertEquals("TRANSFER", offer.get("assignmentType").asText());
        Http.Reply taken = ben.acknowledge(c.engagementId, "ACCEPT", "TRANSFER", "MANUAL");
        assertEquals(200, taken.status(), taken.body());

        List<JsonNode> seen = c.pollUntil("RNEngagementParticipantAddedMessage");
        assertTrue(names(seen).contains("RNEngagementParticipantLeftMessage"), seen.toString());
        assertEquals("Ben", last(seen).get("name").asText());
        assertEquals("LEAD", last(seen).get("role").asText());
        assertEquals(200, ben.say(c.engagementId, "Ben here now").status());
        assertEquals("Ben here now", last(c.pollUntil("RNEngagementMessagePostedMessage")).get("body").asText());
        assertEquals(409, ada.say(c.engagementId, "still me?").status(), "the old lead left");
    }

    @Test
    void aConferenceAddsAConfereeWhoLeadsWhenTheLeadLeaves() {
        AgentClient ada = agent("agent1", true);
        AgentClient ben = agent("agent2", false);
        Consumer c = servedBy(ada);
        assertEquals(200, ada.call("rerouteEngagement", "{\"engagementId\":" + c.engagementId + ",\"agentId\":"
                + ben.accountId + ",\"assignmentType\":\"CONFERENCE\"}").status());
        ben.await("ChatEngagementAssignmentNotification", c.engagementId);
        assertEquals(200, ben.acknowledge(c.engagementId, "ACCEPT", "CONFERENCE", "MANUAL").status());
        JsonNode joined = last(c.pollUntil("RNEngagementParticipantAddedMessage"));
        assertEquals("Ben", joined.get("name").asText());
        assertEquals("CONFEREE", joined.get("role").asText());
        JsonNode benSeesAda = ben.await("ChatEngagementParticipantAddedNotification", c.engagementId);
        assertFalse(benSeesAda.get("name").asText().isEmpty());

        assertEquals(200, ada.say(c.engagementId, "Ben will take it from here").status());
        assertEquals("Ben will take it from here",
                ben.await("ChatEngagementMessageNotification", c.engagementId).get("body").asText());
        Http.Reply handover = ada.release(c.engagementId);
        assertEquals(200, handover.status(), handover.body());
        JsonNode roleChanged = last(c.pollUntil("RNEngagementRoleChangedMessage"));
        assertEquals("LEAD", roleChanged.get("role").asText());
        assertEquals("CONFEREE", roleChanged.get("previousRole").asText());
        assertEquals(200, ben.conclude(c.engagementId).status());
        assertEquals(200, ben.release(c.engagementId).status());
    }

    @Test
    void aTransferWhileAConfereeTakesPartLeavesOneLead() {
        AgentClient ada = agent("agent1", true);
        AgentClient ben = agent("agent2", false);
        AgentClient cy = agent("agent3", false);
        Consumer c = servedBy(ada);
        assertEquals(200, ada.call("rerouteEngagement", "{\"engagementId\":" + c.engagementId + ",\"agentId\":"
                + ben.accountId + ",\"assignmentType\":\"CONFERENCE\"}").status());
        ben.await("ChatEngagementAssignmentNotification", c.engagementId);
        assertEquals(200, ben.acknowledge(c.engagementId, "ACCEPT", "CONFERENCE", "MANUAL").status());
        assertEquals(200, ada.call("rerouteEngagement", "{\"engagementId\":" + c.engagementId + ",\"agentId\":"
                + cy.accountId + ",\"assignmentType\":\"TRANSFER\"}").status());
        cy.await("ChatEngagementAssignmentNotification", c.engagementId);
        Http.Reply taken = cy.acknowledge(c.engagementId, "ACCEPT", "TRANSFER", "MANUAL");
        assertEquals(200, taken.status(), taken.body());

        assertEquals(List.of("CONFEREE:agent2", "LEAD:agent3"), DB.query("SELECT p.role, a.username FROM participant p"
                        + " JOIN account a ON a.id = p.account_id WHERE p.engagement_id = ? AND p.left_at IS NULL"
                        + " ORDER BY p.id", c.engagementId).stream()
                .map(r -> r.get("role") + ":" + r.get("username")).toList(),
                "the transferee leads; the conferee stays a conferee");
        assertEquals(200, cy.conclude(c.engagementId).status());
        Http.Reply released = cy.release(c.engagementId);
        assertEquals(200, released.status(), released.body());
        assertEquals(200, ben.release(c.engagementId).status());
    }

    @Test
    void aSupervisorMonitorsAndWhispersUnseenByTheConsumer() {
        AgentClient ada = agent("agent1", true);
        AgentClient supervisor = agent("agent3", false);
        Consumer c = servedBy(ada);
        Http.Reply monitoring = supervisor.acknowledge(c.engagementId, "ACCEPT", "MONITOR", "MANUAL");
        assertEquals(200, monitoring.status(), monitoring.body());
        assertEquals(200, c.post("I need help with my bill").status());
        assertEquals("I need help with my bill",
                supervisor.await("ChatEngagementMessageNotification", c.engagementId).get("body").asText(),
                "the supervisor sees the conversation");
        assertEquals("I need help with my bill",
                ada.await("ChatEngagementMessageNotification", c.engagementId).get("body").asText());
        assertEquals(200, supervisor.say(c.engagementId, "offer the refund").status());
        JsonNode whisper = ada.await("ChatEngagementMessageNotification", c.engagementId);
        assertEquals("offer the refund", whisper.get("body").asText());
        assertEquals("AGENTS", whisper.get("visibility").asText(), "a supervisor's message is a whisper");
        assertEquals(200, ada.whisper(c.engagementId, "ok, doing it").status());
        assertEquals("ok, doing it", supervisor.await("ChatEngagementMessageNotification", c.engagementId).get("body").asText());
        assertEquals(200, ada.say(c.engagementId, "You get a refund").status());

        List<JsonNode> seen = c.pollUntil("RNEngagementMessagePostedMessage");
        assertEquals("You get a refund", last(seen).get("body").asText());
        String all = seen.toString() + c.poll().body();
        assertFalse(all.contains("offer the refund") || all.contains("ok, doing it"), "whispers never reach the consumer");
        assertFalse(all.contains("Chloe"), "nor does the monitor's arrival: " + all);
    }
}
