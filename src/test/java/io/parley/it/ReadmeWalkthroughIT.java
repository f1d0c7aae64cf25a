package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the README's curl walkthroughs exactly as written (only {@code PARLEY} points at this test's
 * server instead of port 8080), so the front door's examples cannot rot.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ReadmeWalkthroughIT {

    static final TestDatabase DB = TestDatabase.create("ReadmeWalkthroughIT");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of());
    }

    @ArquillianResource
    URL base;

    /** The shell blocks of the README section whose heading starts with {@code heading}, in order. */
    static List<String> walkthrough(String heading) throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf(heading);
        int end = readme.indexOf("\n## ", start + 1);
        Matcher m = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(start, end));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** Runs the blocks as one bash script against this test's server; returns what it printed. */
    private String run(List<String> blocks) throws Exception {
        String script = "set -eu\n" + String.join("\n", blocks)
                .replace("PARLEY=http://localhost:8080", "PARLEY=" + base.toString().replaceAll("/$", ""));
        Path dir = Files.createTempDirectory("readme-walkthrough");
        Process p = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the walkthrough finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void theAgentWalkthroughWorksAsWritten() throws Exception {
        List<String> blocks = walkthrough("## Try it: an agent");
        assertTrue(blocks.size() >= 6, "the walkthrough has its steps: " + blocks.size());
        String out = run(blocks);
        assertTrue(out.contains("\"chatLogonResult\""), out);
        assertTrue(out.contains("ChatConfigChangeNotification"), out);
        assertTrue(out.contains("ChatEngagementAssignmentNotification"), out);
        assertTrue(out.contains("\"chatAssignmentAcknowledgementResult\""), out);
        assertTrue(out.contains("RNEngagementParticipantAddedMessage"), out);
        assertTrue(out.contains("Hi Ann, let me check your order."), out);
        assertTrue(out.contains("\"released\":true"), out);
        assertTrue(out.contains("\"loggedOff\":true"), out);
        assertFalse(out.contains("\"chatSystemError\":{"), "no step failed: " + out);
    }

    @Test
    void theAdminExampleWorksAsWritten() throws Exception {
        List<String> blocks = walkthrough("## The API at a glance");
        assertEquals(1, blocks.size(), "one example");
        String out = run(blocks);
        assertTrue(out.contains("\"name\":\"VIP\""), out);
        assertTrue(out.contains("\"expectedWaitSeconds\""), out);
        assertTrue(out.contains("\"action\":\"CREATE\",\"targetType\":\"QUEUE\""), out);
        assertFalse(out.contains("\"status\":4"), "no call failed: " + out);
    }

    @Test
    void theReadmeCurlWalkthroughWorksAsWritten() throws Exception {
        List<String> blocks = walkthrough("## Try it: a consumer");
        assertTrue(blocks.size() >= 6, "the walkthrough has its steps: " + blocks.size());
        String out = run(blocks);
        assertTrue(out.contains("\"channelToken\""), out);
        assertTrue(out.contains("\"sessionServerResponse\""), out);
        assertTrue(out.contains("\"sessionId\""), out);
        assertTrue(out.contains("RNEngagementWaitInformationChangedMessage"), out);
        assertTrue(out.contains("\"sequenceNumber\""), out);
        assertTrue(out.contains("\"engagementsInQueue\""), out);
        assertTrue(out.contains("RNEngagementConcludedMessage"), out);
        assertTrue(out.contains("\n403\n"), "the ended session is refused: " + out);
        assertTrue(out.contains("\"jwt\""), "chatAuthenticate answered: " + out);
    }
}
