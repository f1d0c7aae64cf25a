package io.parley.it;

import static io.parley.it.StandaloneChecks.chatOnParleysOwnPool;
import static io.parley.it.StandaloneChecks.chatOnTheContainersDataSource;
import static io.parley.it.StandaloneChecks.url;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Parley's WAR, exactly as built, on a standalone Tomcat 10.1 (mvn verify -Pcontainers), set up the
 * way the README tells operators to: deployed as {@code parley.war} under the context path
 * {@code /parley}; its configuration file named by the servlet context parameter {@code parley.config}
 * in Tomcat's own descriptor ({@code conf/Catalina/localhost/parley.xml}), beside a JNDI DataSource
 * {@code jdbc/parley} whose driver sits in Tomcat's {@code lib}; demo mode from the environment
 * variable {@code PARLEY_DEMO=true} of the Tomcat process.
 */
@Tag("containers")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TomcatDeploymentIT {

    static final TestDatabase DB = TestDatabase.create("TomcatDeploymentIT");
    static final TestDatabase POOLED_DB = TestDatabase.create("TomcatDeploymentITPooled");
    static final Path HOME = Path.of(System.getProperty("parley.it.tomcat.home", "target/containers/tomcat"));
    static final int PORT = Integer.getInteger("parley.it.tomcat.port", 0);

    /** The built WAR with nothing added or removed; its name gives the context path. */
    @Deployment(name = "unchanged", managed = false, testable = false)
    static WebArchive unchanged() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, ParleyDeployment.builtWar());
    }

    /** The WAR with settings of its own and no DataSource: Parley's own pool. */
    @Deployment(name = "pooled", managed = false, testable = false)
    static WebArchive pooled() {
        return ParleyDeployment.war(POOLED_DB, Map.of());
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    void theUnchangedWarRunsUnderAContextPathOnTheContainersDataSourceWithSettingsFromTomcatsDescriptor() throws Exception {
        assertEquals("parley.war", unchanged().getName());
        Path config = HOME.resolve("conf/parley.properties");
        Files.writeString(config, "# Parley on the test Tomcat\ndb.jndi=java:comp/env/jdbc/parley\n");
        Path descriptor = HOME.resolve("conf/Catalina/localhost/parley.xml");
        Files.createDirectories(descriptor.getParent());
        Files.writeString(descriptor, """
                <?xml version="1.0" encoding="UTF-8"?>
                <Context>
                  <Parameter name="parley.config" value="%s" override="false"/>
                  <Resource name="jdbc/parley" auth="Container" type="javax.sql.DataSource"
                            driverClassName="org.h2.Driver" url="%s" username="%s" password="%s"
                            maxTotal="32" maxWaitMillis="3000"/>
                </Context>
                """.formatted(config.toAbsolutePath(), DB.url(), DB.user(), DB.password()), StandardCharsets.UTF_8);

        try {
            chatOnTheContainersDataSource(deployer, "unchanged", url("http://127.0.0.1:" + PORT + "/parley/"),
                    "127.0.0.1:" + PORT + "/parley", DB, config, "java:comp/env/jdbc/parley");
        } finally {
            Files.deleteIfExists(descriptor);
        }
    }

    @Test
    void withoutADataSourceParleyStartsItsOwnPoolAndItsLibrariesLogToTomcatToo() {
        // The WAR's slf4j provider hands HikariCP's lines to java.util.logging, which Tomcat (JULI) collects.
        chatOnParleysOwnPool(deployer, "pooled", url("http://127.0.0.1:" + PORT + "/"), POOLED_DB);
    }
}
