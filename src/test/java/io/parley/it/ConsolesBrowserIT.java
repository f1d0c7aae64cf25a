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
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The pages in a real headless Chromium, on a WAR deployed under a context path ({@code /parley}):
 * a customer and an agent chat with each other through the chat page and the agent console, and
 * the admin dashboard follows a queue live. Each test leaves screenshots of the pages it drove
 * (see {@link Browser#SCREENSHOTS}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsolesBrowserIT {

    static final TestDatabase DB = TestDatabase.create("ConsolesBrowserIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "parley.war")
                .merge(ParleyDeployment.war(DB, Map.of("tenants.cacheSeconds", "0")));
    }

    @ArquillianResource
    URL base;

    Http http;

    @BeforeEach
    void setUp() {
        assertTrue(base.getPath().startsWith("/parley"), "deployed under a context path: " + base);
        http = new Http(base);
    }

    private String page(String path) {
        String b = base.toString();
        return (b.endsWith("/") ? b : b + "/") + path;
    }

    private static By offerButton(String customer, String label) {
        return By.xpath("//li[contains(@class,'offer')][.//div[@class='who'][.='" + customer + "']]//button[.='" + label + "']");
    }

    @Test
    void aCustomerAndAnAgentChatThroughTheTwoPages() {
        try (Browser agent = new Browser(); Browser customer = new Browser()) {
            agent.open(page("ui/agent"));
            agent.type("#username", "agent1");
            agent.type("#password", "not-the-password");
            agent.click("#login-button");
            // The API's refusal is shown as it came: its message and its code.
            agent.awaitText("#error", "CREDENTIALS_INVALID, HTTP 401");
            agent.type("#password", AgentClient.PASSWORD);
            agent.click("#login-button");
            agent.awaitGone("#error");
            agent.awaitText("#who", "Ada");
            agent.click("#availability");
            agent.awaitExactText("#presence", "Available");

            customer.open(page("ui/chat"));
            customer.type("#first-name", "Ann");
            customer.type("#last-name", "Lee");
            customer.type("#email", "ann@example.com");
            customer.type("#question", "Where is my order?");
            customer.type("#api-user", "demo-api");
            customer.type("#api-password", "demo-api-pass");
            customer.click("#start-chat");
            customer.awaitText("#status", "You are number 1 in the queue");

            // The offer shows who is asking and why; accepting opens the chat in a tab of its own.
            agent.awaitText("#offers", "Where is my order?");
            agent.click(offerButton("Ann Lee", "Accept"));
            String annTab = agent.find("#chats [role=tab]").getAttribute("id");
            long ann = Long.parseLong(annTab.substring("tab-".length()));
            String annChat = "#chat-" + ann;
            customer.awaitText("#status", "You are chatting with Ada.");
            customer.awaitText("#transcript", "Hi, I'm Ada. How can I help?");

            // Customer to agent: the agent sees the typing, then the message.
            customer.find("#message").sendKeys("My parcel has not arrived");
            agent.awaitText(annChat + " .typing", "Ann Lee is typing…");
            customer.find("#message").sendKeys(Keys.ENTER);
            agent.awaitText(annChat + " .transcript", "My parcel has not arrived");
            agent.awaitExactText(annChat + " .typing", "");

            // Agent to customer, the same way round.
            agent.find(annChat + " textarea").sendKeys("Let me check that for you.");
            customer.awaitText("#typing", "Ada is typing…");
            agent.find(annChat + " textarea").sendKeys(Keys.ENTER);
            customer.awaitText("#transcript", "Let me check that for you.");
            customer.awaitExactText("#typing", "");

            // A second chat at once: its own tab; the first one counts what arrives while it is in the back.
            Consumer bea = new Consumer(http).bootstrap("{\"firstName\":\"Bea\",\"lastName\":\"Khan\","
                    + "\"question\":\"Can I change the address on my invoice?\"}").join();
            agent.click(offerButton("Bea Khan", "Accept"));
            String beaChat = "#chat-" + bea.engagementId;
            agent.find(beaChat);
            assertEquals(200, bea.post("Hello? Anyone there?").status());
            agent.awaitText(beaChat + " .transcript", "Hello? Anyone there?");
            customer.find("#message").sendKeys("It is order 1234.", Keys.ENTER);
            agent.awaitExactText("#" + annTab + " .badge", "1");
            agent.find(beaChat + " textarea").sendKeys("Hi Bea, of course.", Keys.ENTER);
            assertEquals("Hi Bea, of course.", Consumer.last(bea.pollUntil("RNEngagementMessagePostedMessage"))
                    .get("body").asText());

            // A third customer waits: the console offers the chat beside the two running ones.
            Consumer cy = new Consumer(http).bootstrap("{\"firstName\":\"Cy\",\"lastName\":\"Moreau\","
                    + "\"question\":\"Do you ship to Canada?\"}").join();
            agent.awaitText("#offers", "Cy Moreau");
            agent.click("#" + annTab);
            agent.awaitExactText("#" + annTab + " .badge", "");
            agent.awaitText(annChat + " .transcript", "It is order 1234.");
            agent.find(annChat + " textarea").sendKeys("Found it: it left our warehouse this morning");
            customer.awaitText("#typing", "Ada is typing…");
            customer.screenshot("chat");
            agent.screenshot("agent");
            agent.find(annChat + " textarea").sendKeys(Keys.ENTER);
            customer.awaitText("#transcript", "it left our warehouse this morning");

            // Transfer: Bea's chat goes to the escalation queue; she is told, the console closes it.
            agent.click("#tab-" + bea.engagementId);
            agent.clickButton("chat-" + bea.engagementId, "Transfer…");
            agent.awaitText("#target-" + bea.engagementId, "Billing (escalation)");
            agent.clickButton("chat-" + bea.engagementId, "Transfer");
            agent.awaitText(beaChat + " .transcript", "The chat went back to the queue.");
            JsonNode left = Consumer.last(bea.pollUntil("RNEngagementParticipantLeftMessage"));
            assertEquals("TRANSFERRED_TO_QUEUE", left.get("disconnectReason").asText());
            agent.clickButton("chat-" + bea.engagementId, "Close");
            agent.awaitGone("#tab-" + bea.engagementId);

            // Logging off with a live chat is refused, saying why; the console offers to log off anyway.
            agent.click("#logoff");
            agent.awaitText("#error", "LIVE_CHATS");
            agent.find("#force-logoff");

            // Conclude and release: the customer is told the chat ended and can no longer write.
            agent.click("#" + annTab);
            agent.clickButton("chat-" + ann, "Conclude");
            customer.awaitText("#status", "The agent ended the chat.");
            assertFalse(customer.find("#message").isEnabled());
            agent.clickButton("chat-" + ann, "Release");
            agent.awaitGone("#" + annTab);

            // The customers who still wait leave; their offers are withdrawn; the agent logs off.
            assertEquals(200, bea.call("concludeEngagement", "{}").status());
            assertEquals(200, cy.call("concludeEngagement", "{}").status());
            agent.find("#no-offers");
            agent.click("#logoff");
            agent.awaitText("#login-note", "You are logged off.");
            agent.awaitGone("#error");

            assertEquals("", agent.consoleErrors(), "the agent console logged errors");
            assertEquals("", customer.consoleErrors(), "the chat page logged errors");
        }
    }

    @Test
    void theDashboardShowsTheWaitingCountRiseAndFall() {
        AdminClient admin = new AdminClient(http);
        long site = DB.count("SELECT id FROM site WHERE name = 'demo'");
        long queue = admin.ok("POST", "sites/" + site + "/queues", "{\"name\":\"Returns\"}").get("id").asLong();
        String row = "#rows tr[data-queue-id='" + queue + "']";

        // Agents on the demo queues, so the figures show some.
        AgentClient ben = new AgentClient(http, "agent2").ready(2, false);
        AgentClient chloe = new AgentClient(http, "agent3").logon(false);

        try (Browser dashboard = new Browser(); Browser customer = new Browser()) {
            dashboard.open(page("ui/admin"));
            dashboard.type("#username", "admin");
            dashboard.type("#password", "demo-admin-pass");
            dashboard.click("#login-button");
            dashboard.awaitText(row + " th", "Returns");
            dashboard.awaitExactText(row + " td.waiting", "0");

            Consumer dee = new Consumer(http).bootstrap("{\"firstName\":\"Dee\",\"queueId\":" + queue + "}").join();
            dashboard.awaitExactText(row + " td.waiting", "1");

            // The second customer comes through the chat page with a token a site's server made for it.
            Consumer eli = new Consumer(http).bootstrap("{\"firstName\":\"Eli\",\"queueId\":" + queue + "}");
            customer.open(page("ui/chat#token=" + eli.token));
            customer.click("#start-chat");
            customer.awaitText("#status", "You are number 2 in the queue");
            dashboard.awaitExactText(row + " td.waiting", "2");
            dashboard.awaitExactText(row + " td:nth-of-type(8)", "2");
            dashboard.screenshot("admin");

            assertEquals(200, dee.call("concludeEngagement", "{}").status());
            dashboard.awaitExactText(row + " td.waiting", "1");
            customer.awaitText("#status", "You are number 1 in the queue");
            customer.click("#end");
            customer.awaitText("#status", "You ended the chat.");
            dashboard.awaitExactText(row + " td.waiting", "0");
            dashboard.awaitExactText(row + " td:nth-of-type(9)", "2");

            assertEquals("", customer.consoleErrors(), "the chat page logged errors");
            assertEquals("", dashboard.consoleErrors(), "the dashboard logged errors");
        } finally {
            ben.call("logoff", "{\"forceLogoff\":true}");
            chloe.call("logoff", "{\"forceLogoff\":true}");
        }
    }
}
