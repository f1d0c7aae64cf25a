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
import java.util.Map;
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

    @Test
    void theRangeLayoutReadsInclusiveRangesThatNeedNotBeBlocks() throws IOException {
        Path v4 = Files.writeString(dir.resolve("geo-whois-asn-country-ipv4.csv"), String.join("\n",
                "1.0.0.0,1.0.0.255,AU",
                "2.58.196.0,2.58.197.255,DE",
                "2.58.197.15,2.58.197.15,BE",
                "175.45.176.0,175.45.179.255,KP",
                "175.45.180.7,175.45.181.8,US", ""));
        Path v6 = Files.writeString(dir.resolve("geo-whois-asn-country-ipv6.csv"), String.join("\n",
                "2001:1340::,2001:1340:ffff:ffff:ffff:ffff:ffff:ffff,cu",
                "2a01:5ec0::,2a01:5ec7:ffff:ffff:ffff:ffff:ffff:ffff,IR", ""));
        CountryDatabase db = CountryDatabase.load(List.of(v4, v6));
        assertEquals("AU", db.countryOf(ip("1.0.0.255")));
        assertNull(db.countryOf(ip("1.0.1.0")));
        assertEquals("DE", db.countryOf(ip("2.58.197.14")));
        assertEquals("BE", db.countryOf(ip("2.58.197.15")), "a range inside another decides there");
        assertEquals("DE", db.countryOf(ip("2.58.197.16")));
        assertEquals("KP", db.countryOf(ip("175.45.179.255")));
        assertNull(db.countryOf(ip("175.45.180.6")));
        assertEquals("US", db.countryOf(ip("175.45.180.7")));
        assertEquals("US", db.countryOf(ip("175.45.181.8")));
        assertNull(db.countryOf(ip("175.45.181.9")));
        assertEquals("CU", db.countryOf(ip("2001:1340:0:1::1")));
        assertEquals("IR", db.countryOf(ip("2a01:5ec7:ffff::1")));
        assertNull(db.countryOf(ip("2a01:5ec8::")));
    }

    @Test
    void theNumberLayoutReadsIpv4AndIpv6Numbers() throws IOException {
        Path v4 = Files.writeString(dir.resolve("geo-whois-asn-country-ipv4-num.csv"),
                "16777216,16777471,AU\n2939006976,2939007999,KP\n");
        Path v6 = Files.writeString(dir.resolve("geo-whois-asn-country-ipv6-num.csv"),
                "42540528726795050063891204319802818560,42540528806023212578155541913346768895,JP\n");
        CountryDatabase db = CountryDatabase.load(List.of(v4, v6));
        assertEquals("AU", db.countryOf(ip("1.0.0.7")));
        assertEquals("KP", db.countryOf(ip("175.45.176.0")));
        assertEquals("KP", db.countryOf(ip("175.45.179.255")));
        assertEquals("JP", db.countryOf(ip("2001:200::1")));
        assertEquals("JP", db.countryOf(ip("2001:200:ffff:ffff:ffff:ffff:ffff:ffff")));
        assertNull(db.countryOf(ip("2001:201::")));
    }

    @Test
    void whereRangesOverlapPartlyTheNarrowerDecides() {
        CountryDatabase db = CountryDatabase.of(List.of(
                range("17.67.224.0", "17.67.239.255", "ES"),
                range("17.67.233.0", "17.67.247.255", "US"),
                range("17.88.96.0", "17.88.103.255", "JP"),
                range("17.88.96.146", "17.88.104.63", "US")));
        assertEquals("ES", db.countryOf(ip("17.67.232.255")));
        assertEquals("US", db.countryOf(ip("17.67.233.0")), "3,840 US addresses are narrower than 4,096 ES ones");
        assertEquals("US", db.countryOf(ip("17.67.239.255")));
        assertEquals("US", db.countryOf(ip("17.67.240.0")));
        assertEquals("JP", db.countryOf(ip("17.88.96.145")));
        assertEquals("US", db.countryOf(ip("17.88.96.146")), "1,966 US addresses are narrower than 2,048 JP ones");
        assertEquals("US", db.countryOf(ip("17.88.104.63")));
        assertNull(db.countryOf(ip("17.88.104.64")));
    }

    @Test
    void randomRangesAnswerLikeTheNarrowestThenLatestRangeThatHolds() {
        Random random = new Random(7);
        List<CountryDatabase.Range> ranges = new ArrayList<>();
        String[] countries = {"AA", "BB", "CC", "DD", null};
        for (int i = 0; i < 300; i++) {
            long first = random.nextInt(1 << 16);
            long last = first + random.nextInt(random.nextBoolean() ? 64 : 4096);
            ranges.add(new CountryDatabase.Range(IpAddress.ofIpv4(first), IpAddress.ofIpv4(last),
                    countries[random.nextInt(countries.length)]));
        }
        CountryDatabase db = CountryDatabase.of(ranges);
        for (long a = 0; a < (1 << 16) + 4200; a++) {
            IpAddress address = IpAddress.ofIpv4(a);
            CountryDatabase.Range best = null;
            for (CountryDatabase.Range r : ranges) {
                long width = r.last().low() - r.first().low();
                if (r.first().compareTo(address) <= 0 && address.compareTo(r.last()) <= 0
                        && (best == null || width <= best.last().low() - best.first().low())) {
                    best = r;
                }
            }
            assertEquals(best == null ? null : best.country(), db.countryOf(address), address.toString());
        }
    }

    @Test
    void maxMindGeoLite2CountryFilesGiveTheCountryElseTheRegisteredCountry() throws IOException {
        Path mmdb = new MmdbWriter(6, "GeoLite2-Country")
                .add("2.144.0.0/14", geoLite2("IR", "IR"))
                .add("5.5.5.0/24", Map.of("registered_country", Map.of("geoname_id", 130758L, "iso_code", "IR")))
                .add("7.7.7.0/24", Map.of("traits", Map.of("is_anonymous_proxy", true)))
                .add("8.8.8.0/24", geoLite2("US", "US"))
                .add("2a01:5ec0::/29", geoLite2("IR", "IR"))
                .add("2003::/19", geoLite2("DE", "DE"))
                .write(dir.resolve("GeoLite2-Country.mmdb"));
        try (CountryDatabase db = CountryDatabase.load(List.of(mmdb))) {
            assertEquals("IR", db.countryOf(ip("2.146.1.1")));
            assertEquals("IR", db.countryOf(ip("::ffff:2.146.1.1")), "an IPv4-mapped address is its IPv4 twin");
            assertEquals("IR", db.countryOf(ip("5.5.5.5")), "registered country when there is no country");
            assertNull(db.countryOf(ip("7.7.7.7")), "an anonymous proxy has no country");
            assertEquals("US", db.countryOf(ip("8.8.8.8")));
            assertNull(db.countryOf(ip("9.9.9.9")));
            assertEquals("IR", db.countryOf(ip("2a01:5ec7::1")));
            assertEquals("DE", db.countryOf(ip("2003:1fff::1")));
            assertNull(db.countryOf(ip("2004::1")));
        }
    }

    @Test
    void ipLocationDbFilesGiveTheirCountryCodeAndAnIpv4FileAnswersNoIpv6Address() throws IOException {
        Path v4 = new MmdbWriter(4, "country ipv4")
                .add("175.45.176.0/22", Map.of("country_code", "KP"))
                .add("0.0.0.0/8", Map.of("country_code", "ZZ"))
                .write(dir.resolve("geo-whois-asn-country-ipv4.mmdb"));
        Path v6 = new MmdbWriter(6, "country ipv6")
                .add("2001:1340::/32", Map.of("country_code", "CU"))
                .write(dir.resolve("geo-whois-asn-country-ipv6.mmdb"));
        try (CountryDatabase db = CountryDatabase.load(List.of(v4, v6))) {
            assertEquals("KP", db.countryOf(ip("175.45.179.1")));
            assertEquals("CU", db.countryOf(ip("2001:1340::5")));
            // 0:0::/8 in the IPv4 tree would be read for these if the IPv4 file were asked.
            assertNull(db.countryOf(ip("::1")));
            assertNull(db.countryOf(ip("0:1::1")));
        }
    }

    @Test
    void csvRangesComeBeforeMaxMindFiles() throws IOException {
        Path mmdb = new MmdbWriter(6, "country").add("10.0.0.0/8", Map.of("country_code", "DE"))
                .write(dir.resolve("countries.mmdb"));
        Path csv = Files.writeString(dir.resolve("override.csv"), "10.1.0.0/16,FR\n");
        try (CountryDatabase db = CountryDatabase.load(List.of(mmdb, csv))) {
            assertEquals("FR", db.countryOf(ip("10.1.2.3")));
            assertEquals("DE", db.countryOf(ip("10.2.0.0")));
        }
    }

    @Test
    void aFileThatIsNoMaxMindDatabaseFailsNamingIt() throws IOException {
        Path bogus = Files.writeString(dir.resolve("bogus.mmdb"), "10.0.0.0/8,DE\n");
        ConfigException e = assertThrows(ConfigException.class, () -> CountryDatabase.load(List.of(bogus)));
        assertTrue(e.getMessage().contains("bogus.mmdb") && e.getMessage().contains("MaxMind DB"), e.getMessage());
    }

    private static Map<String, Object> geoLite2(String country, String registered) {
        return Map.of("continent", Map.of("code", "AS", "geoname_id", 6255147L),
                "country", Map.of("geoname_id", 130758L, "iso_code", country, "names", Map.of("en", "Somewhere")),
                "registered_country", Map.of("geoname_id", 130758L, "iso_code", registered));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "network,country_iso_code\\n10.0.0.0/8,DE\\nnot-a-block,FR\\n | line 3",
            "10.0.0.0/8,DEU\\n | line 1",
            "10.0.0.0/8\\n | line 1",
            "10.0.0.0/8,\\n | line 1",
            "10.0.0.0/40,DE\\n | line 1",
            "1.0.0.0,1.0.0.255,AU\\n1.0.1.0,1.0.0.255,CN\\n | line 2",
            "1.0.0.0,1.0.0.255,AU\\n1.0.1.0,1.0.3.x,CN\\n | line 2",
            "1.0.0.0,1.0.0.255,AU\\n1.0.1.0,2001:db8::,CN\\n | line 2",
            "1.0.0.0,1.0.0.255,AU\\n1.0.1.0,1.0.3.255,CHN\\n | line 2",
            "16777216,16777471,AU\\n16777472,4294967296,CN\\n | line 2",
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

    private static CountryDatabase.Range range(String first, String last, String country) {
        return new CountryDatabase.Range(ip(first), ip(last), country);
    }

    private static CountryDatabase.Range range(String block, String country) {
        Cidr c = cidr(block);
        return new CountryDatabase.Range(c.first(), c.last(), country);
    }
}
