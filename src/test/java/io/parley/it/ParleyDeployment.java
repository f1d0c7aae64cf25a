package io.parley.it;

import io.parley.it.support.ProbeFilter;
import io.parley.testkit.ParleyArchive;
import java.io.File;
import java.util.Map;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The archive every integration test deploys: the very WAR Maven built ({@code target/parley.war},
 * with its real {@code web.xml}), through the published {@link ParleyArchive}, plus a test-support
 * library (probe filter, stand-in agent) and the test's settings as {@code WEB-INF/parley.properties}.
 */
public final class ParleyDeployment {

    private ParleyDeployment() {
    }

    /** Parley in demo mode on {@code db}, with {@code settings} on top. */
    public static WebArchive war(TestDatabase db, Map<String, String> settings) {
        JavaArchive support = ShrinkWrap.create(JavaArchive.class, "parley-test-support.jar")
                .addPackage(ProbeFilter.class.getPackage())
                .addAsManifestResource("test-support/META-INF/web-fragment.xml", "web-fragment.xml");
        return ParleyArchive.fromWar(builtWar())
                .demo()
                .database(db.url(), db.user(), db.password())
                .set(settings)
                .build()
                .addAsLibrary(support);
    }

    /** The WAR this build made. */
    public static File builtWar() {
        File built = new File(System.getProperty(ParleyArchive.WAR_PROPERTY, "target/parley.war"));
        if (!built.isFile()) {
            throw new IllegalStateException("No WAR at " + built.getAbsolutePath() + "; run 'mvn verify'");
        }
        return built;
    }
}
