package io.parley.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.config.ConfigException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CountryDatabaseTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "127.0.0.2,          IR",
            "127.0.0.3,          US",
            "::ffff:127.0.0.3,   US",
            "127.0.0.1,          null",
            "127.0.0.5,          null",
            "203.0.113.0,        IR",
            "203.0.113.255,      IR",
            "203.0.114.0,        null",
            "198.51.100.42,      US",
            "192.0.2.1,          KP",
            "0.0.0.0,            null",
            "255.255.255.255,    null",
            "2001:db8:1::5,      IR",
            "2001:db8:1:ffff:ffff:ffff:ffff:ffff, IR",
            "2001:db8:2:1::9,    US",
            "2001:db8:3::1,      null",
            "::1,                null",
    })
    void theShippedTestDatabaseMapsLoopbackAndDocumentationRanges(String address, String country) throws URISyntaxException {
        Path csv = Path.of(getClass().getResource("/compliance/countries.csv").toURI());
        CountryDatabase db = CountryDatabase.load(List.of(csv));
        assertEquals(country, db.countryOf(IpAddress.parse(address).orElseThrow()));
    }

    @Test
    void aSimpleFileNeedsNoHeader() throws IOException {
        Path csv = Files.writeString(dir.resolve("plain.csv"), "\uFEFF10.0.0.0/8,de\n\n# comment\n2001:db8::/32, FR \n");
        CountryDatabase db = CountryDatabase.load(List.of(csv));
        assertEquals("DE", db.countryOf(ip("10.200.0.1")));
        assertEquals("FR", db.countryOf(ip("2001:db8::1")));
        assertNull(db.countryOf(ip("11.0.0.1")));
    }

    @Test
    void aSimpleFileMayNameItsCountryColumn() throws IOException {
        Path csv = Files.writeString(dir.resolve("named.csv"), "network,name,country_iso_code\n10.0.0.0/8,Germany,DE\n");
        assertEquals("DE", CountryDatabase.load(List.of(csv)).countryOf(ip("10.0.0.1")));
    }

    @Test
    void theGeoLite2LayoutResolvesGeonamesAndReadsTheOtherIpVersionBesideIt() throws IOException {
        Files.writeString(dir.resolve("GeoLite2-Country-Locations-en.csv"), String.join("\n",
                "geoname_id,locale_code,continent_code,continent_name,country_iso_code,country_name,is_in_european_union",
                "130758,en,AS,Asia,IR,Iran,0",
                "6252001,en,NA,\"North America\",US,\"United States\",0",
                "1835841,en,AS,Asia,KR,\"Korea, Republic of\",0",
                "6255148,en,EU,Europe,,,0", ""));
        Path v4 = Files.writeString(dir.resolve("GeoLite2-Country-Blocks-IPv4.csv"), String.join("\n",
                "network,geoname_id,registered_country_geoname_id,represented_country_geoname_id,is_anonymous_proxy,"
                        + "is_satellite_provider,is_anycast",
                "2.144.0.0/14,130758,130758,,0,0,",
                "3.0.0.0/15,6252001,6252001,,0,0,",
                "1.11.0.0/16,1835841,1835841,,0,0,",
                "5.5.5.0/24,,130758,,0,0,",
                "6.6.6.0/24,6255148,6255148,,0,0,",
                "7.7.7.0/24,,,,1,0,", ""));
        Files.writeString(dir.resolve("GeoLite2-Country-Blocks-IPv6.csv"), String.join("\n",
                "network,geoname_id,registered_country_geoname_id,represented_country_geoname_id,is_anonymous_proxy,"
                        + "is_satellite_provider,is_anycast",
                "2a01:5ec0::/29,130758,130758,,0,0,",
                "2600::/29,6252001,6252001,,0,0,", ""));

        CountryDatabase db = CountryDatabase.load(List.of(v4));

        assertEquals("IR", db.countryOf(ip("2.146.1.1")));
        assertEquals("US", db.countryOf(ip("3.1.255.255")));
        assertEquals("KR", db.countryOf(ip("1.11.3.4")));
        assertEquals("IR", db.countryOf(ip("5.5.5.5")), "registered country when there is no location");
        assertNull(db.countryOf(ip("6.6.6.6")), "a continent is no country");
        assertNull(db.countryOf(ip("7.7.7.7")), "an anonymous proxy has no country");
        assertNull(db.countryOf(ip("3.2.0.0")));
        assertEquals("IR", db.countryOf(ip("2a01:5ec0::1")), "the IPv6 file beside the IPv4 one is read too");
        assertEquals("US", db.countryOf(ip("2600:7::1")));
        assertNull(db.countryOf(ip("2a01:5ec8::1")));
    }

    @Test
    void aGeoLite2BlocksFileWithoutLocationsFailsTheDeployment() throws IOException {
        Path v4 = Files.writeString(dir.resolve("GeoLite2-Country-Blocks-IPv4.csv"),
                "network,geoname_id,registered_country_geoname_id\n2.144.0.0/14,130758,130758\n");
        ConfigException e = assertThrows(ConfigException.class, () -> CountryDatabase.load(List.of(v4)));
        assertTrue(e.getMessage().contains("Locations"), e.getMessage());
    }

    @Test
    void theMostSpecificBlockDecidesAndNeighboursOfOneCountryMerge() {
        CountryDatabase db = CountryDatabase.of(List.of(
                range("10.0.0.0/8", "DE"),
                range("10.1.0.0/16", "IR"),
                range("10.1.2.0/24", "US"),
                range("10.2.0.0/16", "DE"),
                range("11.0.0.0/8", "DE")));
        assertEquals("DE", db.countryOf(ip("10.0.255.255")));
        assertEquals("IR", db.countryOf(ip("10.1.0.0")));
        assertEquals("IR", db.countryOf(ip("10.1.1.255")));
        assertEquals("US", db.countryOf(ip("10.1.2.7")));
        assertEquals("IR", db.countryOf(ip("10.1.3.0")));
        assertEquals("DE", db.countryOf(ip("10.2.0.0")));
        assertEquals("DE", db.countryOf(ip("11.255.255.255")));
        assertEquals(5, db.size(), "DE | IR | US | IR | DE (10.2/16 and 11/8 merge with the rest of 10/8)");
    }

    @Test
    void aBlockOfNoCountryInsideOneOfACountryLeavesAHole() {
        CountryDatabase db = CountryDatabase.of(List.of(range("10.0.0.0/8", "DE"),
                new CountryDatabase.Range(cidr("10.5.0.0/16").first(), cidr("10.5.0.0/16").last(), null)));
        assertEquals("DE", db.countryOf(ip("10.4.0.0")));
        assertNull(db.countryOf(ip("10.5.0.1")));
        assertEquals("DE", db.countryOf(ip("10.6.0.0")));
    }

    @Test
    void theWholeAddressSpaceCanBeOneBlock() {
        CountryDatabase db = CountryDatabase.of(List.of(range("::/0", "ZZ"), range("2001:db8::/32", "US")));
        assertEquals("ZZ", db.countryOf(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
        assertEquals("ZZ", db.countryOf(ip("::")));
        assertEquals("US", db.countryOf(ip("2001:db8::1")));
    }

    @Test
    void anEmptyDatabaseKnowsNoCountry() {
        assertNull(CountryDatabase.empty().countryOf(ip("10.0.0.1")));
        assertNull(CountryDatabase.load(List.of()).countryOf(ip("10.0.0.1")));
        assertNull(CountryDatabase.empty().countryOf(null));
    }

    @Test
    void randomNestedBlocksAnswerLikeALongestPrefixMatch() {
        Random random = new Random(42);
        List<CountryDatabase.Range> blocks = new ArrayList<>();
        List<Cidr> cidrs = new ArrayList<>();
        List<Integer> prefixes = new ArrayList<>();
        String[] countries = {"AA", "BB", "CC", "DD"};
        for (int i = 0; i < 400; i++) {
            int prefix = 8 + random.nextInt(17);
            long base = (10L << 24) | (random.nextInt(1 << 16) << 8);
            Cidr c = cidr(IpAddress.ofIpv4(base) + "/" + prefix);
            cidrs.add(c);
            prefixes.add(prefix);
            blocks.add(new CountryDatabase.Range(c.first(), c.last(), countries[random.nextInt(countries.length)]));
        }
        CountryDatabase db = CountryDatabase.of(blocks);
        for (int probe = 0; probe < 20_000; probe++) {
            IpAddress a = IpAddress.ofIpv4((10L << 24) | random.nextInt(1 << 24));
            String expected = null;
            int best = -1;
            for (int i = 0; i < cidrs.size(); i++) {
                if (cidrs.get(i).contains(a) && prefixes.get(i) >= best) {
                    best = prefixes.get(i);
                    expected = blocks.get(i).country();
                }
            }
            assertEquals(expected, db.countryOf(a), a.toString());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "network,country_iso_code\\n10.0.0.0/8,DE\\nnot-a-block,FR\\n | line 3",
            "10.0.0.0/8,DEU\\n | line 1",
            "10.0.0.0/8\\n | line 1",
            "10.0.0.0/8,\\n | line 1",
            "10.0.0.0/40,DE\\n | line 1",
    })
    void aMalformedLineFailsTheDeploymentNamingTheLine(String content, String where) throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), content.replace("\\n", "\n"));
        ConfigException e = assertThrows(ConfigException.class, () -> CountryDatabase.load(List.of(csv)));
        assertTrue(e.getMessage().contains(where), e.getMessage());
        assertTrue(e.getMessage().contains("compliance.countryDatabase"), e.getMessage());
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    private static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow();
    }

    private static CountryDatabase.Range range(String block, String country) {
        Cidr c = cidr(block);
        return new CountryDatabase.Range(c.first(), c.last(), country);
    }
}
