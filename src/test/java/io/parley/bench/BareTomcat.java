package io.parley.bench;

import io.parley.launcher.Launcher;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The floors of phase 5: an embedded Tomcat 10.1 (the launcher's version and connector settings)
 * that answers {@code GET /bare} with {@code {"status":"UP"}}, the body of Parley's
 * {@code /health/live}, and nothing else runs on it: no filters, no database, no Parley.
 *
 * <ul>
 *   <li>{@code --mode tomcat}: one async servlet that starts async and completes at once with a
 *       fixed body (Parley's servlet and filters are all async-supported);</li>
 *   <li>{@code --mode jersey}: Jersey 3.1 with one resource whose answer Jackson writes, registered
 *       as {@code ParleyApplication} registers its own (no scanning, no WADL).</li>
 * </ul>
 *
 * <pre>BareTomcat --port N [--mode tomcat|jersey] [--bind 127.0.0.1] [--dir target/bench/bare-MODE]</pre>
 */
public final class BareTomcat {

    private static final byte[] BODY = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);

    private BareTomcat() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String mode = args.string("mode", "tomcat");
        Tomcat tomcat = new Tomcat();
        java.nio.file.Path base = Files.createDirectories(
                java.nio.file.Path.of(args.string("dir", "target/bench/bare-" + mode)).toAbsolutePath());
        tomcat.setBaseDir(base.toString());

        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(Integer.parseInt(args.required("port")));
        connector.setProperty("address", args.string("bind", "127.0.0.1"));
        connector.setProperty("maxConnections", Integer.toString(Launcher.maxConnections()));
        connector.setProperty("acceptCount", Integer.toString(Launcher.ACCEPT_COUNT));
        connector.setProperty("maxThreads", Integer.toString(Launcher.MAX_THREADS));
        tomcat.setConnector(connector);

        // addContext, not addWebapp: no web.xml, no annotation or SCI scanning of the class path.
        Context context = tomcat.addContext("", base.toString());
        Wrapper servlet = switch (mode) {
            case "tomcat" -> Tomcat.addServlet(context, "bare", new AsyncServlet());
            case "jersey" -> Tomcat.addServlet(context, "bare", new ServletContainer(jersey()));
            default -> throw new IllegalArgumentException("--mode is tomcat or jersey, not " + mode);
        };
        servlet.setAsyncSupported(true);
        servlet.setLoadOnStartup(1);
        context.addServletMapping("/*", "bare");

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (Exception e) {
                System.err.println("Tomcat did not stop cleanly: " + e);
            }
        }, "bare-tomcat-stop"));
        tomcat.start();
        System.out.printf("Bare %s on port %d%n", mode, connector.getLocalPort());
        tomcat.getServer().await();
    }

    private static ResourceConfig jersey() {
        ResourceConfig config = new ResourceConfig();
        config.property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        config.property(ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true);
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        config.register(JacksonFeature.withoutExceptionMappers());
        config.register(new BareResource());
        return config;
    }

    /** Starts async and completes at once: the cheapest answer an async-supported Tomcat request can get. */
    private static final class AsyncServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            AsyncContext async = req.startAsync();
            resp.setContentType("application/json");
            resp.setContentLength(BODY.length);
            resp.getOutputStream().write(BODY);
            async.complete();
        }
    }

    /** The wire entity, a record as Parley's are. */
    public record Status(String status) {
    }

    /** One resource, answered synchronously like {@code HealthResource.live}. */
    @Path("/")
    public static final class BareResource {
        @GET
        @Path("bare")
        @Produces(MediaType.APPLICATION_JSON)
        public Status bare() {
            return new Status("UP");
        }
    }
}
