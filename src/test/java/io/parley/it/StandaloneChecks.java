package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployer;

/**
 * What a standalone container must show once it runs Parley's WAR: demo mode turned on by one
 * setting outside the WAR, a bootstrap answer whose {@code domain} leads clients back to this very
 * deployment, health and metrics, and Parley's own log lines in the container's log.
 */
final class StandaloneChecks {

    static final String ESTABLISH = "/services/rest/crossChannelServices/latest/establishSessions";

    private StandaloneChecks() {
    }

    /**
     * Bootstraps with the demo API user, checks the {@code domain} the answer carries, then asks for an
     * engagement at the URL a chat client builds from it ({@code http://} + domain) and returns its id.
     */
    private static long chatThroughTheAdvertisedDomain(URL base, String expectedDomain) throws IOException {
        Http.Reply boot = new Http(base).post(ESTABLISH, "{\"sessionInformation\":{\"firstName\":\"Ann\"}}",
                "Authorization", Consumer.basic("demo-api", "demo-api-pass"), "Content-Type", "application/json");
        assertEquals(200, boot.status(), "the demo site and its API user are there: " + boot);
        JsonNode server = Http.JSON.readTree(boot.json().get("sessionServerResponse").asText());
        String domain = server.get("domain").asText();
        assertEquals(expectedDomain, domain);

        Consumer ann = new Consumer(new Http(new URL("http://" + domain + "/")));
        ann.token = boot.json().get("channelToken").asText();
        Http.Reply joined = ann.requestEngagement();
        assertEquals(200, joined.status(), joined.body());
        ann.take(joined.json());
        Http.Reply first = ann.poll();
        assertEquals(200, first.status(), first.body());
        assertTrue(first.json().get("systemMessages").size() > 0, "the first poll tells the queue position: " + first);
        return ann.engagementId;
    }

    /**
     * Deploys {@code deployment}, the WAR as built, which the container gives its settings and its DataSource
     * {@code jndi}; chats through the domain it advertises and asserts that the chat is in {@code db}, that the
     * settings came from {@code config} and turned demo mode on, that health and metrics answer, and that
     * Parley's own pool (HikariCP, "parley - Start...") never started.
     */
    static void chatOnTheContainersDataSource(Deployer deployer, String deployment, URL root, String domain,
                                              TestDatabase db, Path config, String jndi) throws IOException {
        ServerLog log = ServerLog.watch();
        deployer.deploy(deployment);
        try {
            long engagement = chatThroughTheAdvertisedDomain(root, domain);
            assertEquals(1, db.count("SELECT COUNT(*) FROM engagement WHERE id = ?", engagement),
                    "the engagement is in the database behind the container's DataSource");
            assertReadyWithMetrics(root);
            assertLogged(log, "Starting Parley with settings from " + config.toAbsolutePath(),
                    "Using the container DataSource " + jndi, "Parley started in demo mode");
            assertNotLogged(log, "parley - Start");
            // Anything slf4j said about its providers would be on the process's stderr (which WildFly logs).
            assertNotLogged(log, "SLF4J");
        } finally {
            deployer.undeploy(deployment);
        }
    }

    /**
     * Deploys {@code deployment} (settings of its own, no DataSource), chats through it at {@code root}
     * and asserts that the chat is in {@code db}, reached through Parley's own pool, and that the pool's
     * lines (HikariCP logs through slf4j) are in the container's log. Returns the log of the deployment.
     */
    static ServerLog chatOnParleysOwnPool(Deployer deployer, String deployment, URL root, TestDatabase db) {
        ServerLog log = ServerLog.watch();
        deployer.deploy(deployment);
        try {
            Consumer ann = new Consumer(new Http(root)).join();
            assertEquals(1, db.count("SELECT COUNT(*) FROM engagement WHERE id = ?", ann.engagementId));
            assertLogged(log, "Using database", "parley - Start completed.");
            return log;
        } finally {
            deployer.undeploy(deployment);
        }
    }

    /** Asserts that the deployment is ready (its database answers) and serves its metrics, Micrometer's included. */
    private static void assertReadyWithMetrics(URL base) {
        Http http = new Http(base);
        Http.Reply ready = http.get("/health/ready");
        assertEquals(200, ready.status(), ready.body());
        assertEquals("UP", ready.json().get("database").asText());
        Http.Reply metrics = http.get("/metrics");
        assertEquals(200, metrics.status(), metrics.body());
        // The cap follows the container process's open-file limit and heap (poll.maxHeld's default).
        Matcher cap = Pattern.compile("(?m)^parley_held_requests_max (\\d+)\\.0$").matcher(metrics.body());
        assertTrue(cap.find(), metrics.body());
        assertTrue(Integer.parseInt(cap.group(1)) >= 100, "a cap of its own: " + cap.group(1));
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), metrics.body());
    }

    /** Asserts that the container's log got a message containing each of {@code texts}. */
    private static void assertLogged(ServerLog log, String... texts) {
        for (String text : texts) {
            List<String> found = log.await(text);
            assertFalse(found.isEmpty(), "\"" + text + "\" in the container's log " + ServerLog.containerLogFile());
        }
    }

    /** Asserts that nothing the container logged since the watch began contains {@code text}. */
    static void assertNotLogged(ServerLog log, String text) {
        assertTrue(log.messages().stream().noneMatch(m -> m.contains(text)), () -> "\"" + text + "\" logged: "
                + log.messages().stream().filter(m -> m.contains(text)).toList());
    }

    static URL url(String spec) {
        try {
            return new URL(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
