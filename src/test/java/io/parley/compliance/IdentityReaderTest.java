package io.parley.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityReaderTest {

    @Test
    void establishSessionsCarriesItsIdentityAsAJsonString() {
        String body = "{\"sessionInformation\": \"{\\\"emailAddress\\\":\\\"ann@example.com\\\",\\\"firstName\\\":\\\"Ann\\\","
                + "\\\"lastName\\\":\\\"Lee\\\",\\\"organizationName\\\":\\\"Acme\\\",\\\"organizationId\\\":42}\"}";
        assertEquals(Optional.of(new Identity("ann@example.com", "Ann", "Lee", "Acme", "42", null)),
                IdentityReader.read("establishSessions", bytes(body)));
    }

    @Test
    void establishSessionsMayCarryItsIdentityAsAnObject() {
        String body = "{\"sessionInformation\": {\"emailAddress\": \" ann@example.com \", \"firstName\": \"\","
                + " \"queueId\": 1, \"customFields\": [{\"name\": \"topic\"}]}}";
        assertEquals(Optional.of(new Identity("ann@example.com", null, null, null, null, null)),
                IdentityReader.read("establishSessions", bytes(body)));
    }

    @Test
    void establishSessionsWithoutSessionInformationIsAnonymous() {
        assertEquals(Optional.of(Identity.ANONYMOUS), IdentityReader.read("establishSessions", bytes("{}")));
        assertEquals(Optional.of(Identity.ANONYMOUS), IdentityReader.read("establishSessions", bytes("  ")));
        assertEquals(Optional.of(Identity.ANONYMOUS),
                IdentityReader.read("establishSessions", bytes("{\"sessionInformation\": null}")));
    }

    @Test
    void chatAuthenticateCarriesItsIdentityAtTheTopLevel() {
        String body = "{\"authUserName\": \"ann@example.com\", \"emailAddress\": \"ann.lee@example.com\","
                + " \"organizationId\": 300100, \"firstName\": \"Ann\", \"lastName\": {\"odd\": true}}";
        assertEquals(Optional.of(new Identity("ann.lee@example.com", "Ann", null, null, "300100", "ann@example.com")),
                IdentityReader.read("chatAuthenticate", bytes(body)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1, 2]", "\"text\"", "{\"sessionInformation\": \"{broken\"}",
            "{\"sessionInformation\": 17}", "{\"sessionInformation\": [1]}", "{\"a\": "})
    void aBodyThatCannotBeReadYieldsNothing(String body) {
        assertTrue(IdentityReader.read("establishSessions", bytes(body)).isEmpty(), body);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
