package io.parley.launcher;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.juli.ClassLoaderLogManager;

/**
 * Runs Parley on an embedded Tomcat 10.1: the same WAR, {@code web.xml}, filters and
 * application that a standalone container deploys, at the root context.
 *
 * <pre>
 * java -jar target/parley-launcher.jar [--port 8080] [--data ./data] [--config parley.properties]
 * </pre>
 *
 * Without {@code --config} (and without {@code PARLEY_CONFIG}) it runs demo mode: an H2 file
 * database under the data directory and the well-known demo site.
 */
public final class Launcher {

    static {
        // Tomcat's log manager lets the launcher close logging after Tomcat has stopped; the JDK's
        // own resets it in a shutdown hook of its own, which would swallow Parley's shutdown log.
        System.setProperty("java.util.logging.manager", "org.apache.juli.ClassLoaderLogManager");
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$-7s %3$s: %5$s%6$s%n");
    }

    private static final Logger LOG = Logger.getLogger(Launcher.class.getName());

    /** Open files kept for the JVM, the jars, the logs and the database's connections. */
    static final int OTHER_FILES = 300;
    /** Bursts of reconnecting pollers must queue, not be refused (Tomcat's default is 100). */
    public static final int ACCEPT_COUNT = 2_000;
    /** Tomcat's default; held polls hold none of them. */
    public static final int MAX_THREADS = 200;
    /** Per connection: the socket's read and write buffers and the response buffer (Tomcat's default 8 KiB each). */
    static final int CONNECTION_BUFFER_BYTES = 4096;

    /** Tomcat's default limit of the request line and headers together, which a usual request never nears. */
    static final int DEFAULT_REQUEST_HEADER_BYTES = 8 * 1024;
    /** Room for the request line and every other header beside the longest token. */
    static final int OTHER_HEADER_BYTES = 4 * 1024;
    /** {@code jwt.maxTokenBytes} when nothing sets it (Parley's own default). */
    static final int DEFAULT_MAX_TOKEN_BYTES = 4096;

    private Launcher() {
    }

    /**
     * As many connections as the process's open-file limit ({@code ulimit -n}) allows, less what the
     * JVM, the jars, the logs and the database need: 19,700 where the limit is 20,000. Parley's own
     * cap on held polls ({@code poll.maxHeld}) keeps a few hundred of them for calls that are not held.
     */
    public static int maxConnections() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                && unix.getMaxFileDescriptorCount() > 0) {
            return (int) Math.max(1_000, Math.min(1_000_000, unix.getMaxFileDescriptorCount() - OTHER_FILES));
        }
        return 19_000;
    }

    public static void main(String[] args) throws Exception {
        if (LogManager.getLogManager() instanceof ClassLoaderLogManager juli) {
            juli.setUseShutdownHook(false);
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(Options.USAGE);
            return;
        }
        Path war = options.war != null ? options.war : besideThisJar("parley.war");
        if (!Files.isRegularFile(war)) {
            System.err.println("No WAR at " + war.toAbsolutePath() + ": build it first with 'mvn -DskipTests package'.");
            System.exit(2);
        }
        boolean demo = options.config == null && System.getenv("PARLEY_CONFIG") == null
                && System.getProperty("parley.config") == null;
        Files.createDirectories(options.data);
        if (options.config != null) {
            System.setProperty("parley.config", options.config.toAbsolutePath().toString());
        }
        if (demo) {
            System.setProperty("parley.demo", "true");
            if (System.getenv("PARLEY_DB_URL") == null && System.getProperty("parley.db.url") == null) {
                System.setProperty("parley.db.url", "jdbc:h2:file:" + options.data.toAbsolutePath().resolve("parley")
                        + ";DB_CLOSE_ON_EXIT=FALSE");
            }
        }

        // The documented place for country files (README: Country database). A system property of its own,
        // read only when compliance.countryDatabase is set nowhere, so that any explicit setting wins.
        Path countries = options.data.resolve("country");
        if (Files.isDirectory(countries)) {
            System.setProperty("parley.compliance.countryDatabase.default", countries.toAbsolutePath().toString());
        }

        Tomcat tomcat = new Tomcat();
        Path base = options.data.resolve("tomcat").toAbsolutePath();
        Files.createDirectories(base.resolve("webapps"));
        tomcat.setBaseDir(base.toString());
        tomcat.getHost().setAppBase(base.resolve("webapps").toString());
        tomcat.getHost().setAutoDeploy(false);
        // The errors Tomcat answers itself (headers over the limit, a malformed request line) in Parley's error body.
        tomcat.getHost().getPipeline().addValve(new JsonErrorValve());
        // So that the host does not add Tomcat's HTML ErrorReportValve beside it.
        ((StandardHost) tomcat.getHost()).setErrorReportValveClass(JsonErrorValve.class.getName());

        Connector connector = new Connector(new Http11NioProtocol() {
            // Tomcat gives every request a response buffer of this many bytes and as many chars (8 KiB by
            // default), held polls included, whose answers are a few hundred bytes; larger answers are sent
            // in several writes.
            @Override
            public int getDesiredBufferSize() {
                return CONNECTION_BUFFER_BYTES;
            }
        });
        connector.setPort(options.port);
        connector.setProperty("address", options.bind);
        connector.setProperty("maxConnections", Integer.toString(maxConnections()));
        connector.setProperty("acceptCount", Integer.toString(ACCEPT_COUNT));
        connector.setProperty("maxThreads", Integer.toString(MAX_THREADS));
        // Long enough for the longest token Parley reads, so that Parley, not Tomcat, refuses a longer one. Tomcat
        // keeps a buffer of this size for every connection it serves, held polls included: no larger than needed.
        connector.setProperty("maxHttpRequestHeaderSize", Integer.toString(requestHeaderBytes(maxTokenBytes())));
        // And a socket read and write buffer each (8 KiB by default): with the response buffer, a held poll
        // costs about 90 KiB of heap instead of 115 (benchmark/results.md, phase 1).
        connector.setProperty("socket.appReadBufSize", Integer.toString(CONNECTION_BUFFER_BYTES));
        connector.setProperty("socket.appWriteBufSize", Integer.toString(CONNECTION_BUFFER_BYTES));
        tomcat.setConnector(connector);

        // Parley's web.xml maps everything to Jersey: no JSP or default servlet is wanted.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp("", war.toAbsolutePath().toString());
        context.setParentClassLoader(Launcher.class.getClassLoader());

        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(tomcat), "parley-shutdown"));
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            LOG.log(Level.SEVERE, "Parley could not start", e);
            System.exit(1);
        }
        if (context.getState() != LifecycleState.STARTED) {
            System.err.println("Parley did not start; the log above says why.");
            stop(tomcat);
            System.exit(1);
        }
        if (connector.getState() != LifecycleState.STARTED) {
            System.err.println("Port " + options.port + " is not available; choose another with --port.");
            stop(tomcat);
            System.exit(1);
        }
        printBanner(options, demo);
        tomcat.getServer().await();
    }

    /** The connector's limit for the request line and headers: Tomcat's default, or more for a long {@code jwt.maxTokenBytes}. */
    static int requestHeaderBytes(int maxTokenBytes) {
        return Math.max(DEFAULT_REQUEST_HEADER_BYTES, maxTokenBytes + OTHER_HEADER_BYTES);
    }

    /**
     * {@code jwt.maxTokenBytes} as Parley will read it: the system property, else the environment,
     * else the configuration file, else the default. A value Parley would refuse stops Parley itself,
     * with a message naming the key; here it counts as the default.
     */
    static int maxTokenBytes() {
        String value = System.getProperty("parley.jwt.maxTokenBytes");
        if (value == null) {
            value = System.getenv("PARLEY_JWT_MAXTOKENBYTES");
        }
        String config = System.getProperty("parley.config", System.getenv("PARLEY_CONFIG"));
        if (value == null && config != null) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(Path.of(config), StandardCharsets.UTF_8)) {
                file.load(in);
                value = file.getProperty("jwt.maxTokenBytes");
            } catch (IOException | RuntimeException e) {
                // Parley reads the file again and says what is wrong with it.
            }
        }
        try {
            return value == null ? DEFAULT_MAX_TOKEN_BYTES : Math.min(65_536, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_MAX_TOKEN_BYTES;
        }
    }

    private static void stop(Tomcat tomcat) {
        try {
            if (tomcat.getServer().getState().isAvailable()) {
                tomcat.stop();
            }
            tomcat.destroy();
        } catch (LifecycleException e) {
            LOG.log(Level.WARNING, "Tomcat did not stop cleanly", e);
        } finally {
            if (LogManager.getLogManager() instanceof ClassLoaderLogManager juli) {
                juli.shutdown();
            }
        }
    }

    private static void printBanner(Options o, boolean demo) {
        String host = o.bind.equals("0.0.0.0") ? "localhost" : o.bind;
        String url = "http://" + host + ":" + o.port + "/";
        StringBuilder b = new StringBuilder();
        b.append("\nParley is running at ").append(url).append('\n');
        b.append("Consoles: ").append(url).append("ui/chat (customer), ").append(url).append("ui/agent (agent), ")
                .append(url).append("ui/admin (administrator)\n");
        if (demo) {
            b.append("Demo mode: data in ").append(o.data.toAbsolutePath()).append(", site 'demo' (pool 1:1)\n")
                    .append("  API user  (establishSessions, chatAuthenticate): demo-api / demo-api-pass\n")
                    .append("  agents    (agentTokens): agent1, agent2, agent3 / demo-agent-pass\n")
                    .append("  admin:    admin / demo-admin-pass\n")
                    .append("  queues:   1 General (escalates to 2), 2 Billing\n")
                    .append("  Demo credentials are accepted from this machine only.\n");
        }
        b.append("Stop with Ctrl-C.\n");
        System.out.println(b);
    }

    private static Path besideThisJar(String name) {
        try {
            File jar = new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.toPath().resolveSibling(name);
        } catch (URISyntaxException e) {
            return Path.of("target", name);
        }
    }

    /** Command-line options. */
    static final class Options {
        static final String USAGE = """
                Usage: java -jar target/parley-launcher.jar [options]
                  --port N         HTTP port (default 8080, or PARLEY_PORT)
                  --bind ADDRESS   address to listen on (default 0.0.0.0)
                  --data DIR       data directory for the demo database, Tomcat's work files and country files
                                   (DIR/country, read when it exists; default ./data)
                  --config FILE    run with this configuration file instead of demo mode
                  --war FILE       the WAR to run (default: parley.war beside the launcher jar)
                """;

        int port = envPort();
        String bind = "0.0.0.0";
        Path data = Path.of("data");
        Path config;
        Path war;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> rest = new ArrayList<>(List.of(args));
            while (!rest.isEmpty()) {
                String arg = rest.remove(0);
                switch (arg.toLowerCase(Locale.ROOT)) {
                    case "--port" -> o.port = parsePort(value(arg, rest));
                    case "--bind" -> o.bind = value(arg, rest);
                    case "--data" -> o.data = Path.of(value(arg, rest));
                    case "--config" -> o.config = Path.of(value(arg, rest));
                    case "--war" -> o.war = Path.of(value(arg, rest));
                    case "--help", "-h" -> o.help = true;
                    default -> throw new IllegalArgumentException("Unknown option: " + arg);
                }
            }
            return o;
        }

        private static String value(String option, List<String> rest) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return rest.remove(0);
        }

        private static int envPort() {
            String p = System.getenv("PARLEY_PORT");
            return p == null || p.isBlank() ? 8080 : parsePort(p);
        }

        private static int parsePort(String p) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n < 1 || n > 65535) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Not a port number: " + p);
            }
        }
    }
}
