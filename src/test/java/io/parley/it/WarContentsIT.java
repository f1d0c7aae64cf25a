package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The one WAR Maven built ({@code target/parley.war}) carries what each container needs and nothing
 * that fights a container: Tomcat's and WildFly's descriptors, and no logging backend of its own.
 */
class WarContentsIT {

    /** Jars that would install a logging backend or configuration of their own inside the container. */
    private static final List<String> LOGGING_BACKENDS = List.of("logback-", "log4j-", "reload4j", "slf4j-simple",
            "slf4j-nop", "slf4j-reload4j", "jboss-logmanager", "commons-logging", "jul-to-slf4j", "tinylog");

    private static Document xml(ZipFile war, String name) throws Exception {
        ZipEntry entry = war.getEntry(name);
        assertNotNull(entry, name + " is in the WAR");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        try (InputStream in = war.getInputStream(entry)) {
            return f.newDocumentBuilder().parse(in);
        }
    }

    private static List<String> libraries(ZipFile war) {
        return war.stream().map(ZipEntry::getName).filter(n -> n.startsWith("WEB-INF/lib/") && n.endsWith(".jar"))
                .map(n -> n.substring("WEB-INF/lib/".length())).toList();
    }

    @Test
    void tomcatsContextDescriptorIsInTheWar() throws Exception {
        try (ZipFile war = new ZipFile(ParleyDeployment.builtWar())) {
            assertEquals("Context", xml(war, "META-INF/context.xml").getDocumentElement().getLocalName());
        }
    }

    @Test
    void wildFlyKeepsItsOwnJaxRsOutAndServesAtTheRoot() throws Exception {
        try (ZipFile war = new ZipFile(ParleyDeployment.builtWar())) {
            Document structure = xml(war, "WEB-INF/jboss-deployment-structure.xml");
            var excluded = structure.getElementsByTagNameNS("*", "exclude-subsystems");
            assertEquals(1, excluded.getLength());
            var subsystems = structure.getElementsByTagNameNS("*", "subsystem");
            assertEquals(1, subsystems.getLength());
            assertEquals("jaxrs", subsystems.item(0).getAttributes().getNamedItem("name").getNodeValue());
            assertEquals(excluded.item(0), subsystems.item(0).getParentNode());

            Document web = xml(war, "WEB-INF/jboss-web.xml");
            assertEquals("/", web.getElementsByTagNameNS("*", "context-root").item(0).getTextContent().strip());
        }
    }

    @Test
    void noLoggingBackendShipsInTheWarOnlyTheBridgeToJavaUtilLogging() throws IOException {
        try (ZipFile war = new ZipFile(ParleyDeployment.builtWar())) {
            List<String> libs = libraries(war);
            for (String lib : libs) {
                String l = lib.toLowerCase(Locale.ROOT);
                assertFalse(LOGGING_BACKENDS.stream().anyMatch(l::startsWith), lib + " would log past the container");
            }
            // HikariCP and jose4j log through slf4j; its one provider hands everything to java.util.logging,
            // which Tomcat (JULI) and WildFly (its log manager) collect into the container's own log.
            List<String> slf4j = libs.stream().filter(l -> l.startsWith("slf4j-")).sorted().toList();
            assertEquals(2, slf4j.size(), slf4j::toString);
            assertTrue(slf4j.get(0).startsWith("slf4j-api-") && slf4j.get(1).startsWith("slf4j-jdk14-"), slf4j::toString);
        }
    }

    @Test
    void theContainersOwnApisAndTheLauncherStayOut() throws IOException {
        try (ZipFile war = new ZipFile(ParleyDeployment.builtWar())) {
            for (String lib : libraries(war)) {
                assertFalse(lib.startsWith("jakarta.servlet-api") || lib.startsWith("tomcat-"), lib + " is the container's");
            }
            assertTrue(war.stream().noneMatch(e -> e.getName().startsWith("WEB-INF/classes/io/parley/launcher/")));
        }
    }
}
