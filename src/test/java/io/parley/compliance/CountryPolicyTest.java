package io.parley.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.store.Site;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CountryPolicyTest {

    /**
     * server policy, site's denied list ("-": none of its own, "": an empty list of its own),
     * site's unknown policy ("-": none of its own), country ("-": unknown), expected rule ("-": allowed).
     */
    @ParameterizedTest(name = "server {0}, site list [{1}] policy {2}, country {3} -> {4}")
    @CsvSource(emptyValue = "", value = {
            "ALLOW, -,     -,     IR, DENIED_COUNTRY",
            "ALLOW, -,     -,     ir, DENIED_COUNTRY",
            "ALLOW, -,     -,     US, -",
            "ALLOW, -,     -,     -,  -",
            "DENY,  -,     -,     -,  UNKNOWN_COUNTRY",
            "DENY,  -,     -,     US, -",
            "ALLOW, KP,    -,     IR, -",
            "ALLOW, KP,    -,     KP, DENIED_COUNTRY",
            "ALLOW, US;ru, -,     RU, DENIED_COUNTRY",
            "ALLOW, '',    -,     IR, -",
            "ALLOW, -,     DENY,  -,  UNKNOWN_COUNTRY",
            "ALLOW, -,     deny,  -,  UNKNOWN_COUNTRY",
            "DENY,  -,     ALLOW, -,  -",
            "DENY,  -,     ALLOW, IR, DENIED_COUNTRY",
            "ALLOW, -,     MAYBE, -,  UNKNOWN_COUNTRY",
    })
    void theSitesOwnListAndPolicyReplaceTheServers(UnknownCountryPolicy server, String siteList, String sitePolicy,
                                                    String country, String expected) {
        CountryPolicy policy = new CountryPolicy(Set.of("CU", "IR", "KP", "SY"), server);
        Site site = new Site(7, "shop", "1:1", null, List.of(),
                "-".equals(siteList) ? null : Arrays.stream(siteList.split(";")).filter(s -> !s.isEmpty()).toList(),
                "-".equals(sitePolicy) ? null : sitePolicy, null);
        String result = policy.check("-".equals(country) ? null : country.toUpperCase(Locale.ROOT), site)
                .map(d -> d.rule().name()).orElse("-");
        assertEquals(expected, result);
    }

    @ParameterizedTest
    @CsvSource({"IR, DENIED_COUNTRY", "US, -"})
    void pathsOfNoSiteGetTheServersRules(String country, String expected) {
        CountryPolicy policy = new CountryPolicy(Set.of("IR"), UnknownCountryPolicy.DENY);
        assertEquals(expected, policy.check(country, null).map(d -> d.rule().name()).orElse("-"));
        assertEquals("UNKNOWN_COUNTRY", policy.check(null, null).map(d -> d.rule().name()).orElse("-"));
    }
}
