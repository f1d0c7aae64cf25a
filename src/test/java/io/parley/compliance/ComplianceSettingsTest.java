package io.parley.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.config.ConfigException;
import io.parley.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComplianceSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsScreenTheEmbargoedCountriesAndAllowUnknownOnes() {
        ComplianceSettings s = ComplianceSettings.from(Settings.of(Map.of()));
        assertTrue(s.enabled());
        assertEquals(List.of(), s.trustedProxies());
        assertEquals(ForwardedHeader.AUTO, s.forwardedHeader());
        assertEquals(Optional.empty(), s.countryHeader());
        assertEquals(List.of(), s.countryDatabase());
        assertEquals(Set.of("CU", "IR", "KP", "SY"), s.deniedCountries());
        assertEquals(UnknownCountryPolicy.ALLOW, s.unknownCountry());
        assertEquals(Optional.empty(), s.deniedPartiesFile());
        assertEquals(Optional.empty(), s.screeningUrl());
        assertEquals(Duration.ofMillis(2000), s.screeningTimeout());
    }

    @Test
    void everyKeyIsRead() throws IOException {
        Path csv = Files.writeString(dir.resolve("c.csv"), "10.0.0.0/8,US\n");
        ComplianceSettings s = ComplianceSettings.from(Settings.of(Map.of(
                "compliance.enabled", "false",
                "compliance.trustedProxies", "10.0.0.0/8, 2001:db8::/32 ,192.0.2.1",
                "compliance.forwardedHeader", "Forwarded",
                "compliance.countryHeader", "CF-IPCountry",
                "compliance.countryDatabase", csv.toString(),
                "compliance.deniedCountries", "ru, by",
                "compliance.unknownCountry", "deny",
                "compliance.deniedPartiesFile", csv.toString(),
                "compliance.screening.url", "https://screen.example/check",
                "compliance.screening.timeoutMillis", "750")));
        assertEquals(false, s.enabled());
        assertEquals(3, s.trustedProxies().size());
        assertEquals(ForwardedHeader.FORWARDED, s.forwardedHeader());
        assertEquals(Optional.of("CF-IPCountry"), s.countryHeader());
        assertEquals(List.of(csv), s.countryDatabase());
        assertEquals(Set.of("RU", "BY"), s.deniedCountries());
        assertEquals(UnknownCountryPolicy.DENY, s.unknownCountry());
        assertEquals(Optional.of(csv), s.deniedPartiesFile());
        assertEquals(Optional.of(URI.create("https://screen.example/check")), s.screeningUrl());
        assertEquals(Duration.ofMillis(750), s.screeningTimeout());
    }

    @Test
    void noneDeniesNoCountry() {
        assertEquals(Set.of(), ComplianceSettings.from(Settings.of(Map.of("compliance.deniedCountries", "none")))
                .deniedCountries());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "compliance.trustedProxies          | 10.0.0.0/33",
            "compliance.trustedProxies          | 10.0.0.0/8, proxy.example",
            "compliance.trustedProxies          | 300.1.1.1",
            "compliance.forwardedHeader         | X-Real-IP",
            "compliance.countryHeader           | CF IPCountry",
            "compliance.countryHeader           | Country:",
            "compliance.countryDatabase         | /no/such/file.csv",
            "compliance.deniedCountries         | IRAN",
            "compliance.deniedCountries         | IR, 12",
            "compliance.unknownCountry          | MAYBE",
            "compliance.deniedPartiesFile       | /no/such/parties.csv",
            "compliance.screening.url           | ftp://screen.example/",
            "compliance.screening.url           | /relative/path",
            "compliance.screening.url           | http://",
            "compliance.screening.url           | http://bad host/",
            "compliance.screening.timeoutMillis | 0",
            "compliance.screening.timeoutMillis | soon",
            "compliance.enabled                 | perhaps",
    })
    void aBadValueFailsTheDeployment(String key, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> ComplianceSettings.from(Settings.of(Map.of(key, value))));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void theCountryDatabaseMayNameDirectoriesAndIsCheckedEveryMinuteByDefault() throws IOException {
        Path csv = Files.writeString(dir.resolve("c.csv"), "10.0.0.0/8,US\n");
        ComplianceSettings s = ComplianceSettings.from(Settings.of(Map.of(
                "compliance.countryDatabase", dir + "," + csv)));
        assertEquals(List.of(dir, csv), s.countryDatabase());
        assertEquals(Duration.ofSeconds(60), s.countryDatabaseCheck());
        assertEquals(Duration.ofSeconds(1), ComplianceSettings.from(Settings.of(Map.of(
                "compliance.countryDatabase.checkSeconds", "1"))).countryDatabaseCheck());
    }

    @Test
    void theLaunchersDirectoryIsUsedOnlyWhenTheCountryDatabaseIsSetNowhere() throws IOException {
        Path launchers = Files.createDirectory(dir.resolve("country"));
        Path own = Files.writeString(dir.resolve("own.csv"), "10.0.0.0/8,US\n");
        assertEquals(List.of(launchers), ComplianceSettings.from(Settings.of(Map.of(
                ComplianceSettings.COUNTRY_DATABASE_DEFAULT, launchers.toString()))).countryDatabase());
        assertEquals(List.of(own), ComplianceSettings.from(Settings.of(Map.of(
                ComplianceSettings.COUNTRY_DATABASE_DEFAULT, launchers.toString(),
                "compliance.countryDatabase", own.toString()))).countryDatabase());
    }

    @ParameterizedTest
    @CsvSource({"0", "86401", "soon"})
    void aBadCheckIntervalFailsTheDeployment(String seconds) {
        ConfigException e = assertThrows(ConfigException.class, () -> ComplianceSettings.from(Settings.of(Map.of(
                "compliance.countryDatabase.checkSeconds", seconds))));
        assertTrue(e.getMessage().contains("compliance.countryDatabase.checkSeconds"), e.getMessage());
    }
}
