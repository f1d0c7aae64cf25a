package io.parley.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of requests swept through the resolver: the peer, the forwarding headers it sent, and
 * the client address (and whether the peer was believed) that must come out.
 */
class ClientAddressResolverTest {

    /** Trusted: a load balancer network, one IPv6 proxy, and loopback. */
    private static final List<Cidr> TRUSTED = Stream.of("10.0.0.0/8", "2001:db8:ffff::1", "127.0.0.1/32")
            .map(s -> Cidr.parse(s).orElseThrow()).toList();

    static Stream<Arguments> table() {
        return Stream.of(
                // description, peer, headers (name, value, ...), expected client, believed
                row("direct caller, no header", "198.51.100.7", h(), "198.51.100.7", false),
                row("untrusted peer's X-Forwarded-For is ignored", "198.51.100.7",
                        h("X-Forwarded-For", "203.0.113.9"), "198.51.100.7", false),
                row("untrusted peer's Forwarded is ignored", "198.51.100.7",
                        h("Forwarded", "for=203.0.113.9"), "198.51.100.7", false),
                row("trusted peer without header is the client", "10.0.0.5", h(), "10.0.0.5", true),
                row("trusted peer, one hop", "10.0.0.5", h("X-Forwarded-For", "203.0.113.9"), "203.0.113.9", true),
                row("trusted peer, chain of trusted proxies", "10.0.0.5",
                        h("X-Forwarded-For", "203.0.113.9, 10.1.1.1, 10.2.2.2"), "203.0.113.9", true),
                row("spoofed left-most entries are never read", "10.0.0.5",
                        h("X-Forwarded-For", "198.51.100.1, 192.0.2.66, 203.0.113.9, 10.1.1.1"), "203.0.113.9", true),
                row("the walk stops at the first untrusted hop", "10.0.0.5",
                        h("X-Forwarded-For", "10.9.9.9, 203.0.113.9, 10.1.1.1"), "203.0.113.9", true),
                row("all entries trusted: the left-most is the client", "10.0.0.5",
                        h("X-Forwarded-For", "10.3.3.3, 10.1.1.1"), "10.3.3.3", true),
                row("several X-Forwarded-For headers read as one list", "10.0.0.5",
                        h("X-Forwarded-For", "198.51.100.1", "X-Forwarded-For", "203.0.113.9"), "203.0.113.9", true),
                row("an IPv4 entry with a port", "10.0.0.5", h("X-Forwarded-For", "203.0.113.9:51234"), "203.0.113.9", true),
                row("an IPv6 entry", "10.0.0.5", h("X-Forwarded-For", "2001:db8:1::5"), "2001:db8:1::5", true),
                row("a bracketed IPv6 entry with a port", "10.0.0.5",
                        h("X-Forwarded-For", "[2001:db8:1::5]:443"), "2001:db8:1::5", true),
                row("an IPv6 trusted peer", "2001:db8:ffff::1", h("X-Forwarded-For", "203.0.113.9"), "203.0.113.9", true),
                row("an IPv6 trusted peer in another notation", "2001:db8:ffff:0:0:0:0:1",
                        h("X-Forwarded-For", "203.0.113.9"), "203.0.113.9", true),
                row("an IPv4-mapped trusted peer", "::ffff:10.0.0.5", h("X-Forwarded-For", "203.0.113.9"), "203.0.113.9", true),
                row("an untrusted IPv6 peer", "2001:db8:1::5", h("X-Forwarded-For", "203.0.113.9"), "2001:db8:1::5", false),
                row("a hop that is not an address ends the walk", "10.0.0.5",
                        h("X-Forwarded-For", "203.0.113.9, unknown, 10.1.1.1"), "unknown", true),
                row("an empty hop ends the walk", "10.0.0.5",
                        h("X-Forwarded-For", "203.0.113.9, , 10.1.1.1"), "unknown", true),
                row("Forwarded: one element", "10.0.0.5", h("Forwarded", "for=203.0.113.9;proto=https"), "203.0.113.9", true),
                row("Forwarded: chain, upper-case name, spoofed left-most", "10.0.0.5",
                        h("Forwarded", "for=198.51.100.1, FOR=203.0.113.9;by=10.0.0.5, for=10.1.1.1"), "203.0.113.9", true),
                row("Forwarded: quoted IPv6 with port", "10.0.0.5",
                        h("Forwarded", "for=\"[2001:db8:1::5]:4711\""), "2001:db8:1::5", true),
                row("Forwarded: quoted IPv4 with port", "10.0.0.5", h("Forwarded", "for=\"203.0.113.9:4711\""), "203.0.113.9", true),
                row("Forwarded: obfuscated node", "10.0.0.5", h("Forwarded", "for=_hidden, for=10.1.1.1"), "_hidden", true),
                row("Forwarded: an element without for= ends the walk", "10.0.0.5",
                        h("Forwarded", "for=203.0.113.9, by=10.0.0.5"), "unknown", true),
                row("Forwarded: a comma inside quotes does not split", "10.0.0.5",
                        h("Forwarded", "for=203.0.113.9;ext=\"a,b\""), "203.0.113.9", true),
                row("auto: X-Forwarded-For wins over Forwarded", "10.0.0.5",
                        h("X-Forwarded-For", "203.0.113.9", "Forwarded", "for=198.51.100.1"), "203.0.113.9", true),
                row("an unparseable peer is taken as it is", "not-an-ip", h("X-Forwarded-For", "203.0.113.9"), "not-an-ip", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void resolvesTheClientRightToLeftThroughTrustedProxies(String description, String peer,
                                                           Map<String, List<String>> headers,
                                                           String expected, boolean believed) {
        ClientAddress client = new ClientAddressResolver(TRUSTED, ForwardedHeader.AUTO).resolve(peer, lookup(headers));
        assertEquals(expected, client.address(), description);
        assertEquals(believed, client.viaTrustedPeer(), description);
        assertEquals(IpAddress.parse(expected).orElse(null), client.ip(), description);
    }

    @Test
    void xForwardedForOnlyIgnoresForwarded() {
        ClientAddress c = new ClientAddressResolver(TRUSTED, ForwardedHeader.X_FORWARDED_FOR)
                .resolve("10.0.0.5", lookup(h("Forwarded", "for=203.0.113.9")));
        assertEquals("10.0.0.5", c.address());
    }

    @Test
    void forwardedOnlyIgnoresXForwardedFor() {
        ClientAddress c = new ClientAddressResolver(TRUSTED, ForwardedHeader.FORWARDED)
                .resolve("10.0.0.5", lookup(h("X-Forwarded-For", "198.51.100.1", "Forwarded", "for=203.0.113.9")));
        assertEquals("203.0.113.9", c.address());
    }

    @Test
    void noTrustedProxiesMeansNoHeaderIsEverRead() {
        ClientAddress c = new ClientAddressResolver(List.of(), ForwardedHeader.AUTO)
                .resolve("127.0.0.1", lookup(h("X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https")));
        assertEquals("127.0.0.1", c.address());
        assertEquals(null, c.scheme());
    }

    static Stream<Arguments> schemes() {
        return Stream.of(
                Arguments.of("10.0.0.5", h("X-Forwarded-Proto", "https"), "https", -1),
                Arguments.of("10.0.0.5", h("X-Forwarded-Proto", "HTTP"), "http", -1),
                Arguments.of("10.0.0.5", h("X-Forwarded-Proto", "https, http"), "http", -1),
                Arguments.of("10.0.0.5", h("X-Forwarded-Proto", "https, https"), "https", -1),
                Arguments.of("10.0.0.5", h("X-Forwarded-Proto", "gopher"), null, -1),
                Arguments.of("10.0.0.5", h("X-Forwarded-Proto", "https", "X-Forwarded-Port", "8443"), "https", 8443),
                Arguments.of("10.0.0.5", h("X-Forwarded-Proto", "https", "X-Forwarded-Port", "99999"), "https", -1),
                Arguments.of("10.0.0.5", h("Forwarded", "for=203.0.113.9;proto=https"), "https", -1),
                Arguments.of("198.51.100.7", h("X-Forwarded-Proto", "https"), null, -1));
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void schemeAndPortComeFromTrustedProxiesOnly(String peer, Map<String, List<String>> headers, String scheme, int port) {
        ClientAddress c = new ClientAddressResolver(TRUSTED, ForwardedHeader.AUTO).resolve(peer, lookup(headers));
        assertEquals(scheme, c.scheme());
        assertEquals(port, c.port());
    }

    private static Arguments row(String description, String peer, Map<String, List<String>> headers, String expected,
                                 boolean believed) {
        return Arguments.of(description, peer, headers, expected, believed);
    }

    /** Headers as name/value pairs; a repeated name adds a value. Names are case-insensitive. */
    static Map<String, List<String>> h(String... pairs) {
        Map<String, List<String>> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            m.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
        }
        return m;
    }

    static Function<String, List<String>> lookup(Map<String, List<String>> headers) {
        return name -> headers.getOrDefault(name, List.of());
    }
}
