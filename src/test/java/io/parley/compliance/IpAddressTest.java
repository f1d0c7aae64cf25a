package io.parley.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest
    @CsvSource({
            "192.0.2.1,            192.0.2.1",
            "0.0.0.0,              0.0.0.0",
            "255.255.255.255,      255.255.255.255",
            "::ffff:192.0.2.1,     192.0.2.1",
            "0:0:0:0:0:ffff:c000:201, 192.0.2.1",
            "2001:db8::1,          2001:db8:0:0:0:0:0:1",
            "2001:DB8::1,          2001:db8:0:0:0:0:0:1",
            "::1,                  0:0:0:0:0:0:0:1",
            "0:0:0:0:0:0:0:1,      0:0:0:0:0:0:0:1",
            "::,                   0:0:0:0:0:0:0:0",
            "1::,                  1:0:0:0:0:0:0:0",
            "1:2:3:4:5:6:7::,      1:2:3:4:5:6:7:0",
            "fe80::1%eth0,         fe80:0:0:0:0:0:0:1",
            "64:ff9b::192.0.2.33,  64:ff9b:0:0:0:0:c000:221",
    })
    void literalsParseToTheirCanonicalForm(String text, String canonical) {
        assertEquals(canonical, IpAddress.parse(text).orElseThrow().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "unknown", "_hidden", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1",
            "01.2.3.4", "1.2.3.-4", "1..2.3", "1.2.3.4.", " 1.2.3.4", "1:2:3:4:5:6:7:8:9", "1:::2", "::1::2", ":1::2",
            "1:2:3:4:5:6:7:8::", "12345::1", "g::1", "1:", "1.2.3.4::1", "::ffff:1.2.3", "\uff11.2.3.4", "1.2.3.4:80"})
    void nonLiteralsAreRejected(String text) {
        assertTrue(IpAddress.parse(text).isEmpty(), text);
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8,          10.0.0.0,      10.255.255.255",
            "10.1.2.3/8,          10.0.0.0,      10.255.255.255",
            "192.0.2.7,           192.0.2.7,     192.0.2.7",
            "192.0.2.7/32,        192.0.2.7,     192.0.2.7",
            "0.0.0.0/0,           0.0.0.0,       255.255.255.255",
            "2001:db8::/32,       2001:db8:0:0:0:0:0:0, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
            "2001:db8::/64,       2001:db8:0:0:0:0:0:0, 2001:db8:0:0:ffff:ffff:ffff:ffff",
            "2001:db8::/65,       2001:db8:0:0:0:0:0:0, 2001:db8:0:0:7fff:ffff:ffff:ffff",
            "::/0,                0:0:0:0:0:0:0:0, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "::1/128,             0:0:0:0:0:0:0:1, 0:0:0:0:0:0:0:1",
    })
    void cidrBlocksSpanTheirFirstToLastAddress(String text, String first, String last) {
        Cidr c = Cidr.parse(text).orElseThrow();
        assertEquals(first, c.first().toString());
        assertEquals(last, c.last().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "2001:db8::/129", "abc/8",
            "10.0.0.0/ 8", "10.0.0.0/0x8"})
    void malformedCidrBlocksAreRejected(String text) {
        assertTrue(Cidr.parse(text).isEmpty(), text);
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.0/8,   127.0.0.1,          true",
            "127.0.0.0/8,   ::ffff:127.0.0.1,   true",
            "127.0.0.0/8,   128.0.0.1,          false",
            "127.0.0.0/8,   ::1,                false",
            "::1/128,       ::1,                true",
            "2001:db8::/32, 2001:db8:ffff::9,   true",
            "2001:db8::/32, 2001:db9::,         false",
            "0.0.0.0/0,     2001:db8::1,        false",
    })
    void blocksContainExactlyTheirAddresses(String block, String address, boolean contained) {
        assertEquals(contained, Cidr.parse(block).orElseThrow().contains(IpAddress.parse(address).orElseThrow()));
    }

    @ParameterizedTest
    @CsvSource({"0.0.0.0, true", "10.20.30.40, true", "::ffff:10.20.30.40, true", "::1, false", "2001:db8::1, false",
            "::ffff:0:0:1, false"})
    void addressesKnowWhetherTheyAreIpv4(String text, boolean ipv4) {
        assertEquals(ipv4, IpAddress.parse(text).orElseThrow().isIpv4());
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.255, 10.0.1.0", "::ffff:ffff, ::1:0:0", "0:0:0:0:ffff:ffff:ffff:ffff, 0:0:0:1::"})
    void nextAndPreviousCarryAcrossWords(String before, String after) {
        IpAddress a = IpAddress.parse(before).orElseThrow();
        IpAddress b = IpAddress.parse(after).orElseThrow();
        assertEquals(b, a.next());
        assertEquals(a, b.previous());
        assertTrue(a.compareTo(b) < 0);
    }

    @Test
    void theEndsOfTheAddressSpaceHaveNoNeighbourBeyond() {
        assertNull(IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").orElseThrow().next());
        assertNull(IpAddress.parse("::").orElseThrow().previous());
    }
}
