package io.parley.it;

import io.parley.it.support.ProbeFilter;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The archive every integration test deploys: the very WAR Maven built ({@code target/parley.war},
 * with its real {@code web.xml}), plus a test-support library (probe filter, stand-in agent) and
 * the test's settings as {@code WEB-INF/parley.properties}.
 */
public final class ParleyDeployment {

    private ParleyDeployment() {
    }

    /** Parley in demo mode on {@code db}, with {@code settings} on top. */
    public static WebArchive war(TestDatabase db, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("demo", "true");
        all.putAll(db.settings());
        all.putAll(settings);
        String properties = all.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n", "", "\n"));

        File built = new File(System.getProperty("parley.war", "target/parley.war"));
        if (!built.isFile()) {
            throw new IllegalStateException("No WAR at " + built.getAbsolutePath() + "; run 'mvn verify'");
        }
        JavaArchive support = ShrinkWrap.create(JavaArchive.class, "parley-test-support.jar")
                .addPackage(ProbeFilter.class.getPackage())
                .addAsManifestResource("test-support/META-INF/web-fragment.xml", "web-fragment.xml");
        return ShrinkWrap.create(WebArchive.class, "ROOT.war")
                .merge(ShrinkWrap.createFromZipFile(WebArchive.class, built))
                .addAsLibrary(support)
                .addAsWebInfResource(new StringAsset(properties), "parley.properties");
    }
}
