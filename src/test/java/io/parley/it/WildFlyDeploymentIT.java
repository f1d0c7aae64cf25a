package io.parley.it;

import static io.parley.it.StandaloneChecks.assertNotLogged;
import static io.parley.it.StandaloneChecks.chatOnParleysOwnPool;
import static io.parley.it.StandaloneChecks.chatOnTheContainersDataSource;
import static io.parley.it.StandaloneChecks.url;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Parley's WAR, exactly as built, on a standalone WildFly (mvn verify -Pcontainers), set up the way
 * the README tells operators to, through WildFly's management model (what {@code jboss-cli.sh} does):
 * a datasource {@code java:jboss/datasources/parley} on WildFly's own H2 driver, and the configuration
 * file named by the system property {@code parley.config}. Demo mode comes from the system property
 * {@code parley.demo=true} of the WildFly process (arquillian.xml). WildFly's JAX-RS stays out of
 * the deployment and its {@code jboss-web.xml} serves it at the root.
 */
@Tag("containers")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WildFlyDeploymentIT {

    static final TestDatabase DB = TestDatabase.create("WildFlyDeploymentIT");
    static final TestDatabase POOLED_DB = TestDatabase.create("WildFlyDeploymentITPooled");
    static final Path HOME = Path.of(System.getProperty("parley.it.wildfly.home", "target/containers/wildfly"));
    static final int PORT = Integer.getInteger("parley.it.wildfly.port", 0);

    /** The built WAR with nothing added or removed. */
    @Deployment(name = "unchanged", managed = false, testable = false)
    static WebArchive unchanged() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, ParleyDeployment.builtWar());
    }

    /** The WAR with settings of its own and no datasource: Parley's own pool. */
    @Deployment(name = "pooled", managed = false, testable = false)
    static WebArchive pooled() {
        return ParleyDeployment.war(POOLED_DB, Map.of());
    }

    @ArquillianResource
    Deployer deployer;

    /** WildFly's management model, as jboss-cli.sh reaches it on the same machine (local authentication). */
    private static void execute(ModelNode operation) throws Exception {
        try (ModelControllerClient client = ModelControllerClient.Factory.create("127.0.0.1",
                Integer.getInteger("parley.it.wildfly.managementPort", 9990))) {
            ModelNode result = client.execute(operation);
            assertEquals("success", result.get("outcome").asString(), result::toString);
        }
    }

    private static ModelNode withoutReload(ModelNode operation) {
        operation.get("operation-headers", "allow-resource-service-restart").set(true);
        return operation;
    }

    @Test
    void theUnchangedWarRunsAtTheRootOnWildFlysDatasourceWithSettingsFromASystemProperty() throws Exception {
        Path config = HOME.resolve("standalone/configuration/parley.properties");
        Files.writeString(config, "# Parley on the test WildFly\ndb.jndi=java:jboss/datasources/parley\n");
        ModelNode datasource = Operations.createAddress("subsystem", "datasources", "data-source", "parley");
        ModelNode addDatasource = Operations.createAddOperation(datasource);
        addDatasource.get("jndi-name").set("java:jboss/datasources/parley");
        addDatasource.get("driver-name").set("h2");
        addDatasource.get("connection-url").set(DB.url());
        addDatasource.get("user-name").set(DB.user());
        execute(addDatasource);
        ModelNode property = Operations.createAddress("system-property", "parley.config");
        ModelNode addProperty = Operations.createAddOperation(property);
        addProperty.get("value").set(config.toAbsolutePath().toString());
        execute(addProperty);

        try {
            chatOnTheContainersDataSource(deployer, "unchanged", url("http://127.0.0.1:" + PORT + "/"), "127.0.0.1:" + PORT,
                    DB, config, "java:jboss/datasources/parley");
        } finally {
            execute(Operations.createRemoveOperation(property));
            execute(withoutReload(Operations.createRemoveOperation(datasource)));
        }
    }

    @Test
    void withoutADatasourceParleyStartsItsOwnPoolAndItsLibrariesLogToWildFlyToo() {
        // HikariCP logs through slf4j, which WildFly's logging subsystem provides to the deployment; anything
        // slf4j said about its providers would be on the process's stderr, which WildFly logs too.
        ServerLog log = chatOnParleysOwnPool(deployer, "pooled", url("http://127.0.0.1:" + PORT + "/"), POOLED_DB);
        assertNotLogged(log, "SLF4J");
    }
}
