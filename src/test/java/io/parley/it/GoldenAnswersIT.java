package io.parley.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The answers of every operation, as clients see them today, held to golden files under
 * {@code src/test/resources/golden/{consumer,agent,bootstrap,admin,health,ui}/<operation>[-<variant>].json}.
 *
 * <p>One scripted scenario drives the consumer API, the agent API, the bootstrap calls, the admin API,
 * health and the pages' error answers: a chat that is queued, taken, typed in, conferenced, whispered
 * in, transferred, handed over, sent to the escalation queue, monitored and concluded, plus the error
 * body once per status that is cheap to reach. Each answer is reduced to its shape by
 * {@link GoldenFiles} (names, order, JSON types, nesting, optional fields, the contract's constants;
 * volatile values replaced by typed placeholders) and compared as text. System messages are held one
 * element per file ({@code getMessages-<messageName>[-<variant>].json}); every message type the
 * scenario meets must have one.
 *
 * <p>Recording: after an intended change of an answer, run
 * {@code mvn verify -Dit.test=GoldenAnswersIT -Dparley.golden.update=true} (add
 * {@code -Dparley.it.skipPostgres=true} to skip the PostgreSQL rerun), review the diff of
 * {@code src/test/resources/golden} and commit it. The update mode writes only from the embedded
 * Tomcat on H2; the PostgreSQL rerun and the standalone Tomcat and WildFly runs ({@code -Pcontainers})
 * always compare, so the answers must not differ by database or container.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("containers")
class GoldenAnswersIT {

    static final TestDatabase DB = TestDatabase.create("GoldenAnswersIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.ofEntries(
                Map.entry("poll.hold", "1"),
                Map.entry("admission.hold", "1"),
                Map.entry("tenants.cacheSeconds", "0"),
                // Nothing in the scenario may time out or go away on a slow machine.
                Map.entry("agents.offerTimeout", "300"),
                Map.entry("agents.awayAfter", "600"),
                // One failed login of an account is free; the next attempt waits a second; two lock it.
                Map.entry("throttle.login.accountFailures", "1"),
                Map.entry("throttle.login.accountDelaySeconds", "1"),
                Map.entry("throttle.login.accountLockAfter", "2"),
                Map.entry("throttle.login.addressFailures", "200"),
                Map.entry("throttle.login.addressLockAfter", "1000")));
    }

    private static final String JSON_TYPE = "application/json";
    private static final String ESTABLISH = "/services/rest/crossChannelServices/latest/establishSessions";
    private static final String AGENT_TOKENS = "/services/rest/crossChannelServices/latest/agentTokens";
    private static final String CONSUMER_GOLDEN = "/engagement/api/consumer/golden/v1/";

    @ArquillianResource
    URL base;

    private Http http;
    private GoldenFiles golden;
    private final Set<String> consumerTypesSeen = new TreeSet<>();
    private final Set<String> agentTypesSeen = new TreeSet<>();

    @Test
    void everyOperationAnswersAsRecorded() {
        http = new Http(base);
        // Recorded from the embedded Tomcat on H2 only; PostgreSQL and the standalone containers always compare.
        golden = GoldenFiles.ofProject(TestDatabase.runEngine() == TestDatabase.Engine.H2
                && "tomcat-embedded".equals(System.getProperty("arquillian.launch", "tomcat-embedded")));

        healthAndPages();
        AdminClient admin = adminSetUp();
        GoldenSite site = goldenSite(admin);
        String annToken = bootstrap(admin);
        goldenSiteConsumers(admin, site);
        conversation(annToken);
        adminReports(admin);

        everyMessageTypeSeenIsHeld();
        golden.finish();
    }

    // ------------------------------------------------------------------ health, JWKS, pages

    private void healthAndPages() {
        answer("health/live", http.get("/health/live"), 200);
        answer("health/ready", http.get("/health/ready"), 200);
        answer("bootstrap/jwks", http.get("/.well-known/jwks.json"), 200);
        answer("ui/error-404", http.get("/ui/assets/nothing-here.js"), 404);
        answer("ui/error-501", http.post("/ui/chat", "{}", "Content-Type", JSON_TYPE), 501);
    }

    // ------------------------------------------------------------------ admin: tenants

    record GoldenSite(long id, long rule, long agent, long apiUser, long deniedParty) {
    }

    private AdminClient adminSetUp() {
        answer("admin/login", http.post(AdminClient.API + "login", "",
                "Authorization", Consumer.basic("admin", "demo-admin-pass")), 200);
        AdminClient admin = new AdminClient(http);
        answer("admin/listSites", admin.get("sites"), 200);
        answer("admin/error-400", admin.post("sites", "{\"name\":\"no spaces allowed\",\"pool\":\"1:1\"}"), 400);
        answer("admin/error-401", http.post(AdminClient.API + "login", "",
                "Authorization", Consumer.basic("golden-nobody", "wrong-password")), 401);
        answer("admin/error-403", http.get(AdminClient.API + "sites"), 403);
        answer("admin/error-404", admin.get("sites/987654321"), 404);
        answer("admin/error-409", admin.post("sites", "{\"name\":\"demo\",\"pool\":\"1:1\"}"), 409);
        return admin;
    }

    private GoldenSite goldenSite(AdminClient admin) {
        long site = answer("admin/createSite", admin.post("sites", "{\"name\":\"golden\",\"pool\":\"1:1\","
                + "\"origins\":[\"https://shop.example\"],\"deniedCountries\":[\"CU\",\"IR\"],"
                + "\"unknownCountryPolicy\":\"ALLOW\",\"publicDomain\":null}"), 200).get("id").asLong();
        answer("admin/getSite", admin.get("sites/" + site), 200);
        long front = answer("admin/createQueue", admin.post("sites/" + site + "/queues", "{\"name\":\"Front\","
                + "\"maxWaiting\":1,\"timeoutSeconds\":600,\"hoursZone\":\"UTC\",\"hours\":null,"
                + "\"defaultWaitSeconds\":30}"), 200).get("id").asLong();
        long back = answer("admin/createQueue-minimal", admin.post("sites/" + site + "/queues",
                "{\"name\":\"Back\"}"), 200).get("id").asLong();
        answer("admin/updateQueue", admin.put("queues/" + front, "{\"name\":\"Front\",\"maxWaiting\":1,"
                + "\"timeoutSeconds\":600,\"escalationQueueId\":" + back + ",\"hoursZone\":\"UTC\",\"hours\":null,"
                + "\"defaultWaitSeconds\":30}"), 200);
        answer("admin/getQueue", admin.get("queues/" + front), 200);
        answer("admin/listQueues", admin.get("sites/" + site + "/queues"), 200);
        answer("admin/updateSite", admin.put("sites/" + site, "{\"name\":\"golden\",\"pool\":\"1:1\","
                + "\"defaultQueueId\":" + front + ",\"origins\":[\"https://shop.example\"],\"deniedCountries\":null,"
                + "\"unknownCountryPolicy\":null,\"publicDomain\":null}"), 200);

        long rule = answer("admin/createRule", admin.post("sites/" + site + "/rules", "{\"priority\":10,"
                + "\"name\":\"No spam\",\"matchFieldName\":\"topic\",\"matchFieldValue\":\"spam\",\"action\":\"REJECT\"}"),
                200).get("id").asLong();
        answer("admin/getRule", admin.get("rules/" + rule), 200);
        answer("admin/updateRule", admin.put("rules/" + rule, "{\"priority\":5,\"name\":\"No spam\","
                + "\"matchFieldName\":\"topic\",\"matchFieldValue\":\"spam\",\"action\":\"REJECT\"}"), 200);
        answer("admin/listRules", admin.get("sites/" + site + "/rules"), 200);

        long agent = answer("admin/createAgent", admin.post("sites/" + site + "/agents", "{\"username\":\"gil\","
                + "\"password\":\"golden-agent-pass\",\"name\":\"Gil\",\"greeting\":\"Hi, Gil here.\",\"maxSessions\":2,"
                + "\"queues\":[" + front + "]}"), 200).get("id").asLong();
        answer("admin/getAgent", admin.get("agents/" + agent), 200);
        answer("admin/updateAgent", admin.put("agents/" + agent, "{\"name\":\"Gil\",\"greeting\":null,"
                + "\"maxSessions\":null,\"queues\":[" + front + "," + back + "]}"), 200);
        answer("admin/listAgents", admin.get("sites/" + site + "/agents"), 200);
        noContent(admin.post("agents/" + agent + "/password", "{\"password\":\"golden-agent-pass-2\"}"));

        long apiUser = answer("admin/createApiUser", admin.post("sites/" + site + "/apiUsers",
                "{\"username\":\"golden-api\",\"password\":\"golden-api-pass\"}"), 200).get("id").asLong();
        answer("admin/getApiUser", admin.get("apiUsers/" + apiUser), 200);
        answer("admin/listApiUsers", admin.get("sites/" + site + "/apiUsers"), 200);
        noContent(admin.post("apiUsers/" + apiUser + "/password", "{\"password\":\"golden-api-pass\"}"));

        long denied = answer("admin/createDeniedParty", admin.post("deniedParties",
                "{\"siteId\":null,\"kind\":\"DOMAIN\",\"value\":\"denied.example\"}"), 200).get("id").asLong();
        answer("admin/listDeniedParties", admin.get("deniedParties"), 200);
        answer("admin/listSigningKeys", admin.get("signingKeys"), 200);
        return new GoldenSite(site, rule, agent, apiUser, denied);
    }

    // ------------------------------------------------------------------ bootstrap

    /** The bootstrap calls and their errors; returns Ann's channel token. */
    private String bootstrap(AdminClient admin) {
        String info = "{\"firstName\":\"Ann\",\"lastName\":\"Lee\",\"emailAddress\":\"ann@example.com\","
                + "\"question\":\"Where is my order?\"}";
        String annToken = answer("bootstrap/establishSessions", http.post(ESTABLISH,
                "{\"sessionInformation\":" + Http.JSON.valueToTree(info) + "}",
                "Authorization", Consumer.basic("demo-api", "demo-api-pass"), "Content-Type", JSON_TYPE), 200)
                .get("channelToken").asText();
        String fusion = "{\"authUserName\":\"ann.lee\",\"firstName\":\"Ann\",\"lastName\":\"Lee\","
                + "\"emailAddress\":\"ann@example.com\",\"question\":\"Billing\"}";
        answer("bootstrap/chatAuthenticate", apiUser("POST", "/serviceApi/resources/latest/chatAuthenticate", fusion),
                201);
        answer("bootstrap/chatAuthenticate-11.13.0.0",
                apiUser("POST", "/serviceApi/resources/11.13.0.0/chatAuthenticate", fusion), 201);
        answer("bootstrap/chatAuthenticate-crmRestApi",
                apiUser("POST", "/crmRestApi/resources/11.13.18.05/chatAuthenticate", fusion), 201);
        answer("bootstrap/agentTokens", http.post(AGENT_TOKENS, "",
                "Authorization", Consumer.basic("agent1", AgentClient.PASSWORD)), 200);
        answer("bootstrap/serviceSettings", http.get("/services/rest/crossChannelServices/latest/serviceSettings/1",
                "Authorization", Consumer.basic("agent1", AgentClient.PASSWORD)), 200);

        answer("bootstrap/error-400", apiUser("POST", "/serviceApi/resources/latest/chatAuthenticate",
                "{\"firstName\":\"Ann\"}"), 400);
        answer("bootstrap/error-401", http.post(ESTABLISH, "{}", "Content-Type", JSON_TYPE), 401);
        // The denied-party list is read again within seconds of a change.
        Http.Reply[] denied = new Http.Reply[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
            denied[0] = http.post(ESTABLISH, "{\"sessionInformation\":{\"firstName\":\"Eve\","
                            + "\"emailAddress\":\"eve@denied.example\"}}",
                    "Authorization", Consumer.basic("demo-api", "demo-api-pass"), "Content-Type", JSON_TYPE);
            return denied[0].status() == 403;
        });
        answer("bootstrap/error-403", denied[0], 403);

        // An account's failed login is free, the next attempt within a second is 429; two failures lock it.
        Http.Reply first = http.post(ESTABLISH, "{}", "Authorization", Consumer.basic("ghost", "wrong-1"));
        assertEquals(401, first.status(), first.body());
        Http.Reply[] throttled = new Http.Reply[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            throttled[0] = http.post(ESTABLISH, "{}", "Authorization", Consumer.basic("ghost", "wrong-2"));
            return throttled[0].status() == 429;
        });
        answer("bootstrap/error-429", throttled[0], 429);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (lockOf(admin, "ghost") != null) {
                return true;
            }
            http.post(ESTABLISH, "{}", "Authorization", Consumer.basic("ghost", "wrong-3"));
            return lockOf(admin, "ghost") != null;
        });
        answer("admin/listLoginLocks", admin.get("loginLocks"), 200);
        noContent(admin.delete("loginLocks/" + lockOf(admin, "ghost").get("id").asLong()));
        return annToken;
    }

    private static JsonNode lockOf(AdminClient admin, String subject) {
        for (JsonNode lock : admin.ok("GET", "loginLocks", null).get("items")) {
            if (subject.equals(lock.get("subject").asText())) {
                return lock;
            }
        }
        return null;
    }

    private Http.Reply apiUser(String method, String path, String body) {
        return http.send(method, path, body, Duration.ofSeconds(30),
                "Authorization", Consumer.basic("demo-api", "demo-api-pass"), "Content-Type", JSON_TYPE);
    }

    // ------------------------------------------------------------------ a site of its own: full queue, refusal

    private void goldenSiteConsumers(AdminClient admin, GoldenSite site) {
        String first = goldenToken("{\"firstName\":\"Gina\"}");
        Http.Reply admitted = http.post(CONSUMER_GOLDEN + "requestEngagement", "{}",
                "Authorization", "Bearer " + first, "Content-Type", JSON_TYPE);
        assertEquals(200, admitted.status(), admitted.body());
        String gina = admitted.json().get("sessionId").asText();
        answer("consumer/error-408", http.post(CONSUMER_GOLDEN + "requestEngagement", "{}",
                "Authorization", "Bearer " + goldenToken("{\"firstName\":\"Gus\"}"), "Content-Type", JSON_TYPE), 408);
        String spam = "\"customFields\":[{\"name\":\"topic\",\"type\":\"STRING\",\"value\":\"spam\"}]";
        answer("consumer/error-409", http.post(CONSUMER_GOLDEN + "requestEngagement", "{}",
                "Authorization", "Bearer " + goldenToken("{\"firstName\":\"Sam\"," + spam + "}"),
                "Content-Type", JSON_TYPE), 409);
        answer("consumer/getEngagementQueue-refused", http.get(CONSUMER_GOLDEN + "getEngagementQueue?request="
                + encode("{" + spam + "}")), 200);
        Http.Reply concluded = http.post(CONSUMER_GOLDEN + "concludeEngagement", "{}", "SessionId", gina,
                "Content-Type", JSON_TYPE);
        assertEquals(200, concluded.status(), concluded.body());

        noContent(admin.delete("rules/" + site.rule()));
        noContent(admin.delete("agents/" + site.agent()));
        noContent(admin.delete("apiUsers/" + site.apiUser()));
        noContent(admin.delete("deniedParties/" + site.deniedParty()));
        // Deleting the site itself would answer 500 today (its engagements' chat sessions hold it: a
        // foreign key), so the deletes of a queue and a site are made on ones that never had a chat.
        long spareQueue = admin.ok("POST", "sites/" + site.id() + "/queues", "{\"name\":\"Spare\"}").get("id").asLong();
        noContent(admin.delete("queues/" + spareQueue));
        long spareSite = admin.ok("POST", "sites", "{\"name\":\"golden-spare\",\"pool\":\"1:1\"}").get("id").asLong();
        noContent(admin.delete("sites/" + spareSite));
    }

    private String goldenToken(String info) {
        Http.Reply r = http.post(ESTABLISH, "{\"sessionInformation\":" + info + "}",
                "Authorization", Consumer.basic("golden-api", "golden-api-pass"), "Content-Type", JSON_TYPE);
        assertEquals(200, r.status(), r.body());
        return r.json().get("channelToken").asText();
    }

    // ------------------------------------------------------------------ the conversation

    private void conversation(String annToken) {
        // Ada takes chats; Ben and Chloe are logged on and only take what they are offered by name.
        AgentClient ada = new AgentClient(http, "agent1");
        Http.Reply logon = http.post(AgentClient.API + "createAutomatedAgentSession", "{}",
                "Authorization", "Bearer " + ada.token(), "Content-Type", JSON_TYPE);
        JsonNode session = answer("agent/createAutomatedAgentSession", logon, 200);
        ada.sessionId = session.get("sessionId").asText();
        ada.accountId = session.get("accountId").asLong();
        answer("agent/setActivityStatus", ada.call("setActivityStatus", "{\"status\":\"AVAILABLE\",\"subTypeId\":0}"), 200);
        answer("agent/requestAssignment", ada.call("requestAssignment",
                "{\"assignmentRequested\":true,\"maxSessionCount\":3,\"idleSessionCount\":3}"), 200);
        Inbox adaIn = new Inbox(ada);
        adaIn.await("ChatConfigChangeNotification", null, "");
        AgentClient ben = new AgentClient(http, "agent2").logon(false);
        AgentClient chloe = new AgentClient(http, "agent3").logon(false);
        Inbox benIn = new Inbox(ben);
        Inbox chloeIn = new Inbox(chloe);
        benIn.awaitTimeout();

        // Ann asks for a chat, types and writes before anyone joins.
        Consumer ann = new Consumer(http);
        ann.token = annToken;
        ann.take(answer("consumer/requestEngagement", ann.requestEngagement(), 200));
        long e1 = ann.engagementId;
        Feed annFeed = new Feed(ann);
        annFeed.pollRecorded("consumer/getMessages");
        annFeed.await("RNEngagementWaitInformationChangedMessage", "");
        answer("consumer/activity", ann.call("activity",
                "{\"mode\":\"RESPONDING\",\"sneakPreviewText\":\"Where is\",\"sneakPreviewFocus\":true}"), 200);
        answer("consumer/postMessage", ann.call("postMessage", "{\"body\":\"Where is my order?\",\"messageId\":\"ann-1\","
                + "\"clientTransactionId\":42,\"clientRequestTime\":\"2026-11-26T09:16:40.000Z\"}"), 200);
        answer("consumer/getQueueStats", http.get(Consumer.API + "getQueueStats?request="
                + encode("{\"queueId\":1,\"chatProactiveAvailableType\":\"AGENTS\"}")), 200);
        answer("consumer/getQueueStats-post", http.post(Consumer.API + "getQueueStats",
                "{\"queueId\":1,\"chatProactiveAvailableType\":\"SESSIONS\",\"clientRequestTime\":1764148600000}",
                "Content-Type", JSON_TYPE), 200);
        String billing = "{\"customFields\":[{\"name\":\"topic\",\"type\":\"STRING\",\"value\":\"billing\"}]}";
        answer("consumer/getEngagementQueue", http.get(Consumer.API + "getEngagementQueue?request=" + encode(billing)),
                200);
        answer("consumer/getEngagementQueue-post", http.post(Consumer.API + "getEngagementQueue", "{\"queueId\":1}",
                "Content-Type", JSON_TYPE), 200);

        // Ada is offered the chat and takes it.
        adaIn.await("ChatEngagementAssignmentNotification", e1, "lead");
        answer("agent/assignmentAcknowledgement", ada.accept(e1), 200);
        adaIn.await("ChatEngagementParticipantAddedNotification", e1, "");
        annFeed.await("RNEngagementParticipantAddedMessage", "lead");
        answer("agent/setInteractionStatus", ada.call("setInteractionStatus", "{\"engagementId\":" + e1
                + ",\"mode\":\"RESPONDING\",\"sneakPreview\":\"Let me\",\"sneakPreviewFocus\":false}"), 200);
        annFeed.await("RNEngagementActivityChangedMessage", "");
        answer("agent/postMessage", ada.call("postMessage", "{\"engagementId\":" + e1
                + ",\"body\":\"Let me check.\",\"messageId\":\"ada-1\",\"messageType\":\"TEXT\"}"), 200);
        annFeed.await("RNEngagementMessagePostedMessage", "");
        annFeed.awaitTimeout();

        // What Ann said before Ada joined reaches Ada; then one message, alone in its answer.
        adaIn.drain();
        answer("consumer/postMessage-minimal", ann.call("postMessage", "{\"body\":\"Thanks\"}"), 200);
        adaIn.pollRecorded("agent/getMessages");
        adaIn.await("ChatEngagementMessageNotification", e1, "");
        assertEquals(200, ann.call("activity", "{\"mode\":\"LISTENING\"}").status());
        adaIn.await("ChatActivitySignal", e1, "");

        answer("agent/setEngagementProperty", ada.call("setEngagementProperty", "{\"engagementId\":" + e1
                + ",\"name\":\"CONTACT_ID\",\"type\":\"ENGAGEMENT\",\"value\":\"1234\"}"), 200);
        answer("agent/modifyProperties", ada.call("modifyProperties", "{\"engagementId\":" + e1 + ",\"type\":\"USER\","
                + "\"propertiesMap\":{\"FIRST_NAME\":\"Annie\",\"QUESTION\":\"Where is it?\"},"
                + "\"customFields\":[{\"name\":\"topic\",\"type\":\"STRING\",\"value\":\"orders\"}]}"), 200);
        answer("agent/retrieveAgentsAndQueues", ada.call("retrieveAgentsAndQueues", "{}"), 200);
        answer("agent/rerouteAvailability", agentGet(ada, "rerouteAvailability?engagementId=" + e1), 200);
        answer("agent/rerouteAvailability-post", ada.call("rerouteAvailability", "{\"engagementId\":" + e1 + "}"), 200);

        // Ben declines a conference, then takes the chat over by a transfer.
        answer("agent/rerouteEngagement-conference", ada.call("rerouteEngagement", "{\"engagementId\":" + e1
                + ",\"agentId\":" + ben.accountId + ",\"assignmentType\":\"CONFERENCE\"}"), 200);
        benIn.await("ChatEngagementAssignmentNotification", e1, "conference");
        answer("agent/assignmentAcknowledgement-decline", ben.acknowledge(e1, "DECLINE", "CONFERENCE", "MANUAL"), 200);
        adaIn.await("ChatEngagementRequestRefusedNotification", e1, "");
        answer("agent/rerouteEngagement-transfer", ada.call("rerouteEngagement", "{\"engagementId\":" + e1
                + ",\"agentId\":" + ben.accountId + ",\"assignmentType\":\"TRANSFER\"}"), 200);
        benIn.await("ChatEngagementAssignmentNotification", e1, "transfer");
        answer("agent/assignmentAcknowledgement-transfer", ben.acknowledge(e1, "ACCEPT", "TRANSFER", "MANUAL"), 200);
        annFeed.await("RNEngagementParticipantLeftMessage", "transferredToAgent");
        annFeed.await("RNEngagementParticipantAddedMessage", null);

        // Chloe joins Ben's chat as a conferee; Ben whispers to her.
        assertEquals(200, ben.call("rerouteEngagement", "{\"engagementId\":" + e1 + ",\"agentId\":" + chloe.accountId
                + ",\"assignmentType\":\"CONFERENCE\"}").status());
        chloeIn.await("ChatEngagementAssignmentNotification", e1, null);
        answer("agent/assignmentAcknowledgement-conference",
                chloe.acknowledge(e1, "ACCEPT", "CONFERENCE", "MANUAL"), 200);
        annFeed.await("RNEngagementParticipantAddedMessage", "conferee");
        benIn.await("ChatEngagementParticipantAddedNotification", e1, "conferee");
        answer("agent/postMessage-whisper", ben.whisper(e1, "FYI: a regular."), 200);
        chloeIn.await("ChatEngagementMessageNotification", e1, "whisper");

        // Ben lets go: Chloe, the conferee, becomes the lead; she sends the chat to the escalation queue.
        answer("agent/releaseChat-handover", ben.release(e1), 200);
        annFeed.await("RNEngagementParticipantLeftMessage", "participantLeft");
        annFeed.await("RNEngagementRoleChangedMessage", "");
        chloeIn.await("ChatEngagementParticipantRemovedNotification", e1, "");
        chloeIn.await("ChatEngagementParticipantRoleChangedNotification", e1, "");
        answer("agent/rerouteEngagement-queue", chloe.call("rerouteEngagement", "{\"engagementId\":" + e1 + "}"), 200);
        annFeed.await("RNEngagementParticipantLeftMessage", "transferredToQueue");
        annFeed.await("RNEngagementWaitInformationChangedMessage", null);

        // Ada takes it again from Billing (which has no escalation queue); Ben monitors; Ada concludes.
        adaIn.await("ChatEngagementAssignmentNotification", e1, null);
        assertEquals(200, ada.accept(e1).status());
        annFeed.await("RNEngagementParticipantAddedMessage", null);
        answer("agent/rerouteAvailability-noEscalationQueue",
                agentGet(ada, "rerouteAvailability?request=" + encode("{\"engagementId\":" + e1 + "}")), 200);
        answer("agent/assignmentAcknowledgement-monitor", ben.acknowledge(e1, "ACCEPT", "MONITOR", "MANUAL"), 200);
        adaIn.await("ChatEngagementParticipantAddedNotification", e1, "monitor");
        answer("agent/concludeChat", ada.conclude(e1), 200);
        annFeed.await("RNEngagementConcludedMessage", "agent");
        benIn.await("ChatEngagementConcludedNotification", e1, "");
        answer("agent/releaseChat", ada.release(e1), 200);
        answer("consumer/error-403-concluded", ann.call("postMessage", "{\"body\":\"Hello?\"}"), 403);

        // Bob gives up while Ada is being offered his chat.
        Consumer bob = new Consumer(http).bootstrap("{\"firstName\":\"Bob\",\"emailAddress\":\"bob@example.com\"}");
        bob.join();
        Feed bobFeed = new Feed(bob);
        adaIn.await("ChatEngagementAssignmentNotification", bob.engagementId, null);
        answer("consumer/concludeEngagement", bob.call("concludeEngagement", "{\"clientTransactionId\":\"7\"}"), 200);
        adaIn.await("ChatEngagementAssignmentWithdrawnNotification", bob.engagementId, "");
        bobFeed.await("RNEngagementConcludedMessage", "endUser");
        answer("agent/assignmentAcknowledgement-available",
                ada.acknowledge(bob.engagementId, "AVAILABLE", "LEAD", "MANUAL"), 200);

        // The error bodies of the consumer and agent APIs, once per status.
        answer("consumer/error-400", http.post(Consumer.API + "getQueueStats", "{\"queueId\":", "Content-Type", JSON_TYPE),
                400);
        answer("consumer/error-403", http.post(Consumer.API + "getMessages", "{}", "SessionId", "no-such-session",
                "Content-Type", JSON_TYPE), 403);
        answer("consumer/error-404", http.get("/engagement/api/consumer/no-such-site/v1/getQueueStats?request="
                + encode("{}")), 404);
        answer("consumer/error-501", http.send("PUT", Consumer.API + "getQueueStats", "{}", Duration.ofSeconds(30)), 501);
        answer("agent/error-400", ada.call("setActivityStatus", "{}"), 400);
        answer("agent/error-403", http.post(AgentClient.API + "getMessages", "{}", "X-AID", Long.toString(ada.accountId),
                "X-JSESSIONID", "no-such-session", "Content-Type", JSON_TYPE), 403);
        answer("agent/error-404", ada.accept(987_654_321L), 404);
        answer("agent/error-409", ada.acknowledge(bob.engagementId, "DECLINE", "LEAD", "MANUAL"), 409);

        answer("agent/logoff", ada.call("logoff", "{\"forceLogoff\":true}"), 200);
        assertEquals(200, ben.call("logoff", "{\"forceLogoff\":true}").status());
        assertEquals(200, chloe.call("logoff", "{\"forceLogoff\":true}").status());
    }

    private Http.Reply agentGet(AgentClient a, String pathAndQuery) {
        return http.get(AgentClient.API + pathAndQuery, "X-AID", Long.toString(a.accountId), "X-JSESSIONID", a.sessionId);
    }

    // ------------------------------------------------------------------ admin: reports, keys, audit

    private void adminReports(AdminClient admin) {
        answer("admin/statistics", admin.get("statistics?siteId=1"), 200);
        JsonNode found = answer("admin/engagements", admin.get("engagements?siteId=1&customer="
                + encode("ann@example.com")), 200);
        assertEquals(1, found.get("items").size(), found.toString());
        long e1 = found.get("items").get(0).get("id").asLong();
        answer("admin/transcript", admin.get("engagements/" + e1 + "/transcript"), 200);
        Http.Reply csv = admin.get("engagements/" + e1 + "/transcript.csv");
        assertEquals(200, csv.status(), "the CSV export (not JSON, so no golden file)");
        answer("admin/rotateSigningKeys", admin.post("signingKeys/rotate", ""), 200);
        answer("admin/audit", admin.get("audit?limit=6"), 200);
    }

    // ------------------------------------------------------------------ recording

    /** Checks the status, then holds the JSON answer to its golden file; returns the answer. */
    private JsonNode answer(String name, Http.Reply reply, int status) {
        assertEquals(status, reply.status(), name + ": " + reply.body());
        JsonNode json = reply.json();
        golden.check(name, json);
        return json;
    }

    private static void noContent(Http.Reply reply) {
        assertEquals(204, reply.status(), reply.body());
        assertEquals("", reply.body(), "a 204 has no body");
    }

    private static String encode(String json) {
        return URLEncoder.encode(json, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void everyMessageTypeSeenIsHeld() {
        List<String> missing = new ArrayList<>();
        for (String type : consumerTypesSeen) {
            if (golden.names().stream().noneMatch(n -> n.startsWith("consumer/getMessages-" + type))) {
                missing.add("consumer " + type);
            }
        }
        for (String type : agentTypesSeen) {
            if (golden.names().stream().noneMatch(n -> n.startsWith("agent/getMessages-" + type))) {
                missing.add("agent " + type);
            }
        }
        assertEquals(List.of(), missing, "system messages the scenario met but holds no golden answer of");
    }

    /** A consumer's system messages, polled as they come; awaited ones may be held to a golden file. */
    private final class Feed {

        private final Consumer consumer;
        private final List<JsonNode> unread = new ArrayList<>();

        Feed(Consumer consumer) {
            this.consumer = consumer;
        }

        private Http.Reply poll() {
            Http.Reply r = consumer.poll();
            assertEquals(200, r.status(), r.body());
            for (JsonNode m : r.json().get("systemMessages")) {
                consumerTypesSeen.add(m.get("messageName").asText());
                unread.add(m);
            }
            return r;
        }

        /** One poll whose whole answer is held to {@code name}. */
        void pollRecorded(String name) {
            golden.check(name, poll().json());
        }

        /** Polls until a poll answers nothing (the hold ended); that answer is held too. */
        void awaitTimeout() {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                Http.Reply r = poll();
                if (r.json().get("systemMessages").isEmpty()) {
                    if (!golden.has("consumer/getMessages-empty")) {
                        golden.check("consumer/getMessages-empty", r.json());
                    }
                    return;
                }
            }
            throw new AssertionError("The consumer's polls never came back empty; unread " + unread);
        }

        /**
         * The next unread message named {@code messageName}, polling for it; held to
         * {@code consumer/getMessages-<messageName>[-variant]} unless {@code variant} is null.
         */
        JsonNode await(String messageName, String variant) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < unread.size(); i++) {
                    if (messageName.equals(unread.get(i).get("messageName").asText())) {
                        JsonNode m = unread.remove(i);
                        if (variant != null) {
                            golden.check("consumer/getMessages-" + messageName + (variant.isEmpty() ? "" : "-" + variant), m);
                        }
                        return m;
                    }
                }
                poll();
            }
            throw new AssertionError("No " + messageName + " within 30 s; unread " + unread);
        }
    }

    /** An agent session's messages, polled as they come; awaited ones may be held to a golden file. */
    private final class Inbox {

        private final AgentClient agent;
        private final List<JsonNode> unread = new ArrayList<>();

        Inbox(AgentClient agent) {
            this.agent = agent;
        }

        private Http.Reply poll() {
            Http.Reply r = agent.call("getMessages", "{}");
            assertEquals(200, r.status(), r.body());
            for (JsonNode entry : r.json().get("getResponseTypes")) {
                agentTypesSeen.add(AgentClient.type(entry));
                if (!"ChatGetTimeout".equals(AgentClient.type(entry))) {
                    unread.add(entry);
                }
            }
            return r;
        }

        /** One poll whose whole answer is held to {@code name}. */
        void pollRecorded(String name) {
            golden.check(name, poll().json());
        }

        /** Polls until a poll ends with the one ChatGetTimeout; that answer is held too. */
        void awaitTimeout() {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                Http.Reply r = poll();
                JsonNode types = r.json().get("getResponseTypes");
                if (types.size() == 1 && "ChatGetTimeout".equals(AgentClient.type(types.get(0)))) {
                    if (!golden.has("agent/getMessages-ChatGetTimeout")) {
                        golden.check("agent/getMessages-ChatGetTimeout", r.json());
                    }
                    return;
                }
            }
            throw new AssertionError("The agent's polls never timed out; unread " + unread);
        }

        /** Everything delivered up to a poll that times out is read, and dropped. */
        void drain() {
            awaitTimeout();
            unread.clear();
        }

        /**
         * The next unread message of {@code type} (about {@code engagementId} when not null), polling for
         * it; held to {@code agent/getMessages-<type>[-variant]} unless {@code variant} is null.
         */
        JsonNode await(String type, Long engagementId, String variant) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < unread.size(); i++) {
                    JsonNode entry = unread.get(i);
                    JsonNode body = entry.get(AgentClient.type(entry));
                    if (type.equals(AgentClient.type(entry))
                            && (engagementId == null || body.path("engagementId").asLong() == engagementId)) {
                        unread.remove(i);
                        if (variant != null) {
                            golden.check("agent/getMessages-" + type + (variant.isEmpty() ? "" : "-" + variant), entry);
                        }
                        return body;
                    }
                }
                poll();
            }
            throw new AssertionError("No " + type + " within 30 s; unread " + unread);
        }
    }
}
