package io.parley.api.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PublicDomainTest {

    @Test
    void defaultHttpPortIsLeftOut() {
        assertEquals("chat.example.com", PublicDomain.derive("", "http", "chat.example.com", 80, ""));
    }

    @Test
    void defaultHttpsPortIsLeftOut() {
        assertEquals("chat.example.com", PublicDomain.derive(null, "https", "chat.example.com", 443, ""));
    }

    @Test
    void otherPortGoesIntoTheDomain() {
        assertEquals("localhost:8080", PublicDomain.derive("", "http", "localhost", 8080, ""));
        assertEquals("chat.example.com:8443", PublicDomain.derive("", "https", "chat.example.com", 8443, ""));
        assertEquals("chat.example.com:443", PublicDomain.derive("", "http", "chat.example.com", 443, ""));
        assertEquals("chat.example.com:80", PublicDomain.derive("", "https", "chat.example.com", 80, ""));
    }

    @Test
    void contextPathFollowsThePort() {
        assertEquals("host:8080/parley", PublicDomain.derive("", "http", "host", 8080, "/parley"));
        assertEquals("host/parley", PublicDomain.derive("", "https", "host", 443, "/parley"));
        assertEquals("host", PublicDomain.derive("", "https", "host", 443, "/"));
    }

    @Test
    void configuredPublicDomainWinsWithoutSchemeOrTrailingSlash() {
        assertEquals("chat.example.com", PublicDomain.derive("chat.example.com", "http", "10.0.0.4", 8080, "/parley"));
        assertEquals("chat.example.com:8443/c", PublicDomain.derive(" https://chat.example.com:8443/c/ ", "http", "x", 1, ""));
        assertEquals("chat.example.com", PublicDomain.derive("HTTP://chat.example.com", "http", "x", 1, ""));
    }
}
