package io.parley.bench;

import io.parley.it.support.ProbeFilter;
import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds the WAR the benchmark runs: the very WAR Maven built ({@code target/parley.war}) plus
 * the integration tests' test-support library (stand-in agent, held-request counter), as
 * {@code io.parley.it.ParleyDeployment} assembles it, but without settings of its own: the
 * launcher's demo mode and {@code -Dparley.*} properties configure it.
 *
 * <pre>BenchWar [--war target/parley.war] [--out target/bench/parley-bench.war]</pre>
 */
public final class BenchWar {

    private BenchWar() {
    }

    public static void main(String[] argv) {
        Args args = new Args(argv);
        File built = new File(args.string("war", "target/parley.war"));
        File out = new File(args.string("out", "target/bench/parley-bench.war"));
        if (!built.isFile()) {
            throw new IllegalStateException("No WAR at " + built.getAbsolutePath() + "; run 'mvn -DskipTests package'");
        }
        JavaArchive support = ShrinkWrap.create(JavaArchive.class, "parley-test-support.jar")
                .addPackage(ProbeFilter.class.getPackage())
                .addAsManifestResource("test-support/META-INF/web-fragment.xml", "web-fragment.xml");
        WebArchive war = ShrinkWrap.create(WebArchive.class, out.getName())
                .merge(ShrinkWrap.createFromZipFile(WebArchive.class, built))
                .addAsLibrary(support);
        out.getAbsoluteFile().getParentFile().mkdirs();
        war.as(ZipExporter.class).exportTo(out, true);
        System.out.println("Benchmark WAR: " + out.getPath());
    }
}
