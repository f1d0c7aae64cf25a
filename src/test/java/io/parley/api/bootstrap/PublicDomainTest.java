package io.parley.api.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.config.AllowedHost;
import io.parley.config.PublicAddress;
import io.parley.config.ServerSettings;
import io.parley.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Where clients are sent: the site's domain, publicDomain, an allowed Host, a demo on loopback, or nowhere (400). */
class PublicDomainTest {

    private static final String NOWHERE = "(400 HOST_NOT_ALLOWED)";
    private static final String REMOTE = "198.51.100.7";
    private static final String LOOPBACK = "127.0.0.1";

    private static Arguments row(String what, String configured, String allowed, boolean demo, String siteDomain,
                                 String scheme, String host, int port, String contextPath, String client, String expected) {
        return Arguments.of(what, configured, allowed, demo, siteDomain,
                new PublicDomain.Asked(scheme, host, port, contextPath, client), expected);
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                // Configured: never the Host.
                row("configured", "chat.example.com", "", false, null, "http", "evil.example", 80, "", REMOTE,
                        "chat.example.com"),
                row("configured with port and path, scheme and slash dropped", "https://Chat.Example.com:8443/c/", "",
                        false, null, "http", "evil.example", 8080, "/parley", REMOTE, "chat.example.com:8443/c"),
                row("configured beats the demo's Host", "chat.example.com", "", true, null, "http", "localhost", 8080, "",
                        LOOPBACK, "chat.example.com"),
                row("configured beats an allowed Host", "chat.example.com", "other.example", false, null, "https",
                        "other.example", 443, "", REMOTE, "chat.example.com"),
                // Per site: beats everything.
                row("per site", "chat.example.com", "", false, "shop.example:8443/chat", "https", "evil.example", 443, "",
                        REMOTE, "shop.example:8443/chat"),
                row("per site without a server setting", "", "", false, "shop.example", "https", "evil.example", 443, "",
                        REMOTE, "shop.example"),
                row("per site in a demo on loopback", "", "", true, "shop.example", "http", "localhost", 8080, "",
                        LOOPBACK, "shop.example"),
                // Allowed hosts: the request's host, port (when not the default) and context path.
                row("allowed", "", "chat.example.com", false, null, "https", "chat.example.com", 443, "", REMOTE,
                        "chat.example.com"),
                row("allowed, any letter case", "", "chat.example.com", false, null, "https", "CHAT.example.COM", 443, "",
                        REMOTE, "chat.example.com"),
                row("allowed on another port, under a context path", "", "chat.example.com", false, null, "http",
                        "chat.example.com", 8080, "/parley", REMOTE, "chat.example.com:8080/parley"),
                row("allowed, second entry", "", "a.example,chat.example.com", false, null, "http", "chat.example.com",
                        80, "", REMOTE, "chat.example.com"),
                row("wildcard", "", "*.example.com", false, null, "https", "eu.chat.example.com", 443, "", REMOTE,
                        "eu.chat.example.com"),
                row("wildcard does not cover the bare name", "", "*.example.com", false, null, "https", "example.com",
                        443, "", REMOTE, NOWHERE),
                row("wildcard does not cover a look-alike", "", "*.example.com", false, null, "https",
                        "evilexample.com", 443, "", REMOTE, NOWHERE),
                row("port given and matching", "", "chat.example.com:8443", false, null, "https", "chat.example.com",
                        8443, "", REMOTE, "chat.example.com:8443"),
                row("port given and not matching", "", "chat.example.com:8443", false, null, "https",
                        "chat.example.com", 443, "", REMOTE, NOWHERE),
                row("default port named in the entry", "", "chat.example.com:443", false, null, "https",
                        "chat.example.com", 443, "", REMOTE, "chat.example.com"),
                row("IPv6 literal", "", "[::1]:8080", false, null, "http", "[::1]", 8080, "", REMOTE, "[::1]:8080"),
                row("IPv6 literal without brackets from the container", "", "[::1]", false, null, "http", "::1", 8080,
                        "", REMOTE, "[::1]:8080"),
                // Demo mode: the Host, for loopback callers only.
                row("demo on loopback", "", "", true, null, "http", "localhost", 8080, "", LOOPBACK, "localhost:8080"),
                row("demo on IPv6 loopback under a context path", "", "", true, null, "http", "127.0.0.1", 8080, "/parley",
                        "::1", "127.0.0.1:8080/parley"),
                row("demo from a remote caller", "", "", true, null, "http", "evil.example", 80, "", REMOTE, NOWHERE),
                row("not a demo, loopback", "", "", false, null, "http", "localhost", 8080, "", LOOPBACK, NOWHERE),
                // Unknown.
                row("unknown Host", "", "chat.example.com", false, null, "https", "evil.example", 443, "", REMOTE,
                        NOWHERE),
                row("unknown Host, demo remote", "", "chat.example.com", true, null, "https", "evil.example", 443, "",
                        REMOTE, NOWHERE),
                row("no Host at all", "", "", true, null, "http", "", 80, "", LOOPBACK, NOWHERE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void theDomainComesFromConfigurationNeverFromAnUnknownHost(String what, String configured, String allowed,
                                                                boolean demo, String siteDomain, PublicDomain.Asked asked,
                                                                String expected) {
        PublicDomain domains = new PublicDomain(
                configured.isEmpty() ? Optional.empty() : Optional.of(PublicAddress.parse(configured)),
                allowed.isEmpty() ? List.of() : Stream.of(allowed.split(",")).map(AllowedHost::parse).toList(), demo);
        assertEquals(expected, domains.decide(siteDomain, asked).orElse(NOWHERE));
    }

    /** The WARNINGs {@link PublicDomain#from} logs for {@code settings}. */
    private static List<String> warningsAtStart(Map<String, String> settings) {
        Logger logger = Logger.getLogger(PublicDomain.class.getName());
        List<String> warnings = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            PublicDomain.from(ServerSettings.from(Settings.of(settings)));
        } finally {
            logger.removeHandler(capture);
        }
        return warnings;
    }

    @Test
    void startWarnsWhenNothingSaysWhereClientsGoOutsideDemoMode() {
        List<String> warnings = warningsAtStart(Map.of());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("publicDomain=") && warnings.get(0).contains("publicDomain.allowedHosts"),
                "it says what to set: " + warnings);
        assertEquals(List.of(), warningsAtStart(Map.of("publicDomain", "chat.example.com")));
        assertEquals(List.of(), warningsAtStart(Map.of("publicDomain.allowedHosts", "chat.example.com")));
        assertEquals(List.of(), warningsAtStart(Map.of("demo", "true")));
    }
}
