package io.parley.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.compliance.DeniedParties.Entry;
import io.parley.compliance.DeniedParties.Kind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeniedPartiesTest {

    private static final DeniedParties LIST = new DeniedParties(List.of(
            new Entry(null, Kind.EMAIL, "blocked.person@example.com"),
            new Entry(null, Kind.DOMAIN, "sanctioned.example"),
            new Entry(null, Kind.ORGANIZATION, "embargoed trading, ltd."),
            new Entry(null, Kind.ORGANIZATION, "98765"),
            new Entry(7L, Kind.EMAIL, "only.on.seven@example.com"),
            new Entry(7L, Kind.DOMAIN, "seven-only.example")));

    /** email, user name, organization name, organization id, site, expected rule ("-": no match). */
    @ParameterizedTest(name = "{0} {1} {2} {3} on site {4} -> {5}")
    @CsvSource(nullValues = "null", value = {
            "blocked.person@example.com,   null, null, null, null, DENIED_EMAIL",
            "Blocked.Person@EXAMPLE.com,   null, null, null, null, DENIED_EMAIL",
            "' blocked.person@example.com ', null, null, null, null, DENIED_EMAIL",
            "other.person@example.com,     null, null, null, null, -",
            "null, blocked.person@example.com, null, null, null, DENIED_EMAIL",
            "null, blocked.person,         null, null, null, -",
            "anyone@sanctioned.example,    null, null, null, null, DENIED_DOMAIN",
            "anyone@SANCTIONED.example.,   null, null, null, null, DENIED_DOMAIN",
            "anyone@mail.sanctioned.example, null, null, null, null, DENIED_DOMAIN",
            "anyone@a.b.sanctioned.example, null, null, null, null, DENIED_DOMAIN",
            "anyone@notsanctioned.example, null, null, null, null, -",
            "anyone@sanctioned.example.com, null, null, null, null, -",
            "sanctioned.example@elsewhere.example, null, null, null, null, -",
            "null, null, Embargoed Trading  Ltd., null, null, -",
            "null, null, '  EMBARGOED   trading, LTD. ', null, null, DENIED_ORGANIZATION",
            "null, null, Acme, 98765,      null, DENIED_ORGANIZATION",
            "null, null, Acme, 987650,     null, -",
            "only.on.seven@example.com,    null, null, null, null, -",
            "only.on.seven@example.com,    null, null, null, 8,    -",
            "only.on.seven@example.com,    null, null, null, 7,    DENIED_EMAIL",
            "x@seven-only.example,         null, null, null, 7,    DENIED_DOMAIN",
            "x@seven-only.example,         null, null, null, null, -",
            "blocked.person@example.com,   null, null, null, 7,    DENIED_EMAIL",
            "null, null, null, null, null, -",
            "@,                            null, null, null, null, -",
    })
    void identitiesMatchByEmailDomainOrOrganization(String email, String userName, String orgName, String orgId,
                                                    Long site, String expected) {
        Identity identity = new Identity(email, "Ann", "Example", orgName, orgId, userName);
        assertEquals(expected, LIST.match(identity, site).map(d -> d.rule().name()).orElse("-"));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "EMAIL,        ' A@B.Example ', a@b.example",
            "DOMAIN,       '@Example.COM',  example.com",
            "DOMAIN,       '*.example.com', example.com",
            "DOMAIN,       '.example.com.', example.com",
            "ORGANIZATION, ' Acme   Corp ', acme corp",
            "EMAIL,        '   ',           null",
            "DOMAIN,       '@',             null",
    })
    void valuesAreNormalisedBeforeTheyAreStoredOrCompared(Kind kind, String raw, String normalised) {
        assertEquals(normalised, DeniedParties.normalise(kind, raw));
    }
}
