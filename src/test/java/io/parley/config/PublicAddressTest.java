package io.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one reading of host[:port][/path] (publicDomain, a site's public domain, the seed) and of the allowed hosts. */
class PublicAddressTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "chat.example.com                 | chat.example.com",
            "Chat.Example.COM                 | chat.example.com",
            "chat.example.com:8443            | chat.example.com:8443",
            "chat.example.com/parley/         | chat.example.com/parley",
            "https://chat.example.com:8443/c/ | chat.example.com:8443/c",
            "HTTP://chat.example.com          | chat.example.com",
            "'  chat.example.com  '           | chat.example.com",
            "localhost:8080                   | localhost:8080",
            "192.0.2.10                       | 192.0.2.10",
            "[2001:DB8::1]:8443/chat          | [2001:db8::1]:8443/chat",
            "xn--bcher-kva.example            | xn--bcher-kva.example",
    })
    void acceptedAndNormalised(String text, String expected) {
        assertEquals(expected, PublicAddress.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "ftp://chat.example.com", "javascript:alert(1)//x", "user@chat.example.com",
            "https://user:pw@chat.example.com", "chat.example.com?x=1", "chat.example.com/#top", "chat example.com",
            "chat.example.com/a b", "chat.example.com:0", "chat.example.com:65536", "chat.example.com:80a",
            "chat.example.com:", "-chat.example.com", "chat..example.com", "chat_example.com", "bücher.example",
            "chat.example.com/../admin", "chat.example.com/a/./b", "chat.example.com\\x", "[zz::1]",
            "chat.exa\tmple.com", "chat.example.com/\"x\""})
    void refusedWithAReason(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PublicAddress.parse(text));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void tooLongIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PublicAddress.parse("a.example/" + "p".repeat(250)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "chat.example.com      | chat.example.com   | 443  | true",
            "chat.example.com      | CHAT.EXAMPLE.COM   | 8080 | true",
            "chat.example.com      | www.example.com    | 443  | false",
            "chat.example.com:8443 | chat.example.com   | 8443 | true",
            "chat.example.com:8443 | chat.example.com   | 443  | false",
            "*.example.com         | a.example.com      | 443  | true",
            "*.example.com         | a.b.example.com    | 443  | true",
            "*.example.com         | example.com        | 443  | false",
            "*.example.com         | badexample.com     | 443  | false",
            "*.example.com:8443    | a.example.com      | 443  | false",
            "[::1]                 | ::1                | 8080 | true",
            "[::1]                 | [::1]              | 8080 | true",
    })
    void allowedHostsMatch(String entry, String host, int port, boolean matches) {
        assertEquals(matches, AllowedHost.parse(entry).matches(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "https://chat.example.com", "chat.example.com/parley", "*.", "*.*.example.com",
            "chat.example.com:99999", "user@chat.example.com"})
    void badAllowedHostsAreRefused(String entry) {
        assertThrows(IllegalArgumentException.class, () -> AllowedHost.parse(entry));
    }

    @Test
    void theSettingsAreCheckedAtStart() {
        ServerSettings s = ServerSettings.from(Settings.of(Map.of("publicDomain", "https://chat.example.com/",
                "publicDomain.allowedHosts", "chat.example.com, *.chat.example.com:8443")));
        assertEquals(Optional.of(new PublicAddress("chat.example.com", -1, "")), s.publicDomain());
        assertEquals(List.of(new AllowedHost("chat.example.com", false, -1), new AllowedHost("chat.example.com", true, 8443)),
                s.allowedHosts());
        assertEquals(31_536_000, s.hstsMaxAge());

        ConfigException bad = assertThrows(ConfigException.class,
                () -> ServerSettings.from(Settings.of(Map.of("publicDomain", "chat.example.com?x"))));
        assertTrue(bad.getMessage().contains("publicDomain"), bad.getMessage());
        bad = assertThrows(ConfigException.class,
                () -> ServerSettings.from(Settings.of(Map.of("publicDomain.allowedHosts", "chat.example.com,*"))));
        assertTrue(bad.getMessage().contains("publicDomain.allowedHosts"), bad.getMessage());
        assertThrows(ConfigException.class, () -> ServerSettings.from(Settings.of(Map.of("hsts.maxAge", "-1"))));
        assertEquals(0, ServerSettings.from(Settings.of(Map.of("hsts.maxAge", "0"))).hstsMaxAge());
    }
}
