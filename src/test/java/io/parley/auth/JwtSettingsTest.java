package io.parley.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.config.ConfigException;
import io.parley.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwtSettingsTest {

    private static JwtSettings read(Map<String, String> values) {
        return JwtSettings.from(Settings.of(values));
    }

    @Test
    void defaultsAreRs256ThirtyMinutesThirtySecondsSkewAnd8KiB() {
        JwtSettings s = read(Map.of());
        assertEquals("parley", s.issuer());
        assertEquals(List.of("RS256"), s.algorithms());
        assertEquals("RS256", s.signingAlgorithm());
        assertEquals(Duration.ofSeconds(1800), s.tokenTtl());
        assertEquals(Duration.ofSeconds(30), s.clockSkew());
        assertEquals(4096, s.maxTokenBytes());
    }

    @Test
    void algorithmListIsReadInAnyCaseAndTheFirstSigns() {
        JwtSettings s = read(Map.of("jwt.algorithms", "es256, rs256,RS256", "jwt.issuer", "https://chat.example"));
        assertEquals(List.of("ES256", "RS256"), s.algorithms());
        assertEquals("ES256", s.signingAlgorithm());
        assertEquals("https://chat.example", s.issuer());
    }

    @Test
    void hs256IsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of("jwt.algorithms", "RS256,HS256")));
        assertTrue(e.getMessage().contains("jwt.algorithms"), e.getMessage());
    }

    @Test
    void anyHmacAlgorithmIsRefused() {
        assertThrows(ConfigException.class, () -> read(Map.of("jwt.algorithms", "hs512")));
    }

    @Test
    void noneIsRefused() {
        assertThrows(ConfigException.class, () -> read(Map.of("jwt.algorithms", "none")));
    }

    @Test
    void unknownAlgorithmIsRefused() {
        assertThrows(ConfigException.class, () -> read(Map.of("jwt.algorithms", "RS999")));
    }

    @Test
    void listWithoutAnyAlgorithmIsRefused() {
        assertThrows(ConfigException.class, () -> read(Map.of("jwt.algorithms", " , ")));
    }

    @Test
    void clockSkewOverThirtySecondsIsRefused() {
        assertThrows(ConfigException.class, () -> read(Map.of("jwt.clockSkew", "31")));
        assertEquals(Duration.ZERO, read(Map.of("jwt.clockSkew", "0")).clockSkew());
    }

    @Test
    void tokenTtlOutsideOneMinuteToOneDayIsRefused() {
        assertThrows(ConfigException.class, () -> read(Map.of("jwt.tokenTtl", "59")));
        assertThrows(ConfigException.class, () -> read(Map.of("jwt.tokenTtl", "86401")));
        assertEquals(Duration.ofMinutes(1), read(Map.of("jwt.tokenTtl", "60")).tokenTtl());
    }

    @Test
    void maxTokenBytesIsBounded() {
        assertThrows(ConfigException.class, () -> read(Map.of("jwt.maxTokenBytes", "100")));
        assertEquals(16384, read(Map.of("jwt.maxTokenBytes", "16384")).maxTokenBytes());
    }
}
