package io.parley.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * README "Parley in your own Arquillian tests" is cut from the sample projects under {@code src/it},
 * which Parley's build runs as outside projects: every snippet of that section names the sample file it
 * comes from and must be lines of that file, byte for byte; and the samples use the versions of Parley
 * and of the containers and adapters that Parley's own build tests.
 */
class ReadmeRecipeTest {

    private static final String SECTION = "## Parley in your own Arquillian tests";
    private static final Pattern BLOCK = Pattern.compile(
            "(?:<!-- sample: (\\S+) -->\\n)?```(\\w*)\\n(.*?)```", Pattern.DOTALL);
    private static final List<Path> SAMPLES = List.of(Path.of("src/it/chat-widget-tomcat"), Path.of("src/it/chat-widget-wildfly"));

    @Test
    void everySnippetOfTheRecipeIsLinesOfASampleFile() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "README has the section " + SECTION);
        int end = readme.indexOf("\n## ", start + 1);
        Matcher m = BLOCK.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        int quoted = 0;
        while (m.find()) {
            if (m.group(2).equals("sh")) {
                continue;   // commands to type, not files
            }
            if (m.group(1) == null) {
                fail("A snippet of the recipe names no sample file (<!-- sample: path -->):\n" + m.group(3));
            }
            Path file = Path.of(m.group(1));
            assertTrue(file.startsWith("src/it") && Files.isRegularFile(file), "no sample file " + file);
            String body = m.group(3);
            List<String> snippet = List.of(body.substring(0, body.length() - 1).split("\n", -1));
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertTrue(Collections.indexOfSubList(lines, snippet) >= 0,
                    "README quotes lines that are not, as they stand, in " + file + ":\n" + m.group(3));
            quoted++;
        }
        assertTrue(quoted >= 5, "the recipe quotes the samples' pom, arquillian.xml and test: " + quoted);
    }

    @Test
    void bothSamplesRunTheSameTest() throws IOException {
        Path test = Path.of("src/test/java/com/example/chat/ChatWidgetIT.java");
        assertEquals(Files.readString(SAMPLES.get(0).resolve(test)), Files.readString(SAMPLES.get(1).resolve(test)));
    }

    @Test
    void theSamplesUseTheVersionsParleysBuildTests() throws Exception {
        Document parley = parse(Path.of("pom.xml"));
        Map<String, String> properties = properties(parley);
        String parleyVersion = text(parley.getDocumentElement(), "version");
        Map<String, String> tested = new HashMap<>();
        collectVersions(parley.getDocumentElement(), properties, tested);
        tested.put("org.wildfly:wildfly-dist", properties.get("wildfly.dist.version"));
        tested.put("org.junit.jupiter:junit-jupiter", tested.get("org.junit:junit-bom"));

        for (Path sample : SAMPLES) {
            Document pom = parse(sample.resolve("pom.xml"));
            Map<String, String> own = properties(pom);
            assertEquals(parleyVersion, own.get("parley.version"), sample + ": parley.version is the version Parley builds");
            Map<String, String> used = new HashMap<>();
            collectVersions(pom.getDocumentElement(), own, used);
            List<String> checked = new ArrayList<>();
            used.forEach((coordinates, version) -> {
                if (tested.containsKey(coordinates)) {
                    assertEquals(tested.get(coordinates), version, sample + ": " + coordinates);
                    checked.add(coordinates);
                }
            });
            assertFalse(checked.isEmpty(), sample + " shares no dependency with Parley's build");
        }
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static Map<String, String> properties(Document pom) {
        Map<String, String> properties = new HashMap<>();
        NodeList all = pom.getElementsByTagName("properties");
        for (int i = 0; i < all.getLength(); i++) {
            for (Node p = all.item(i).getFirstChild(); p != null; p = p.getNextSibling()) {
                if (p instanceof Element) {
                    properties.put(p.getNodeName(), p.getTextContent().trim());
                }
            }
        }
        return properties;
    }

    /** groupId:artifactId → version of every dependency and plugin (and artifact item) that names one. */
    private static void collectVersions(Element root, Map<String, String> properties, Map<String, String> into) {
        for (String tag : List.of("dependency", "plugin", "artifactItem")) {
            NodeList all = root.getElementsByTagName(tag);
            for (int i = 0; i < all.getLength(); i++) {
                Element e = (Element) all.item(i);
                String version = text(e, "version");
                if (version != null) {
                    String group = text(e, "groupId");
                    into.put((group == null ? "org.apache.maven.plugins" : group) + ":" + text(e, "artifactId"),
                            resolve(version, properties));
                }
            }
        }
    }

    private static String resolve(String value, Map<String, String> properties) {
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        return m.replaceAll(r -> Matcher.quoteReplacement(properties.getOrDefault(r.group(1), r.group())));
    }

    /** The text of the element's own child named {@code name}, or null. */
    private static String text(Element e, String name) {
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element && c.getNodeName().equals(name)) {
                return c.getTextContent().trim();
            }
        }
        return null;
    }
}
