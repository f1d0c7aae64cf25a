package io.parley.compliance;

import io.parley.config.ConfigException;
import io.parley.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The export-compliance settings ({@code compliance.*}). Every value is checked here, at start:
 * a malformed proxy block, an unreadable file or a wrong policy name stops the deployment rather
 * than leaving a weaker default in place.
 *
 * @param enabled            whether callers are screened at all; when false only the client address is resolved
 * @param trustedProxies     the proxies whose forwarding headers are believed
 * @param forwardedHeader    which forwarding header the trusted proxies write
 * @param countryHeader      a CDN header carrying the caller's country (e.g. {@code CF-IPCountry}),
 *                           believed only from a trusted proxy
 * @param countryDatabase    country files (CSV in the layouts {@link CountryDatabase} reads, or MaxMind DB) and
 *                           directories of them; none: every country is unknown
 * @param countryDatabaseCheck how often the country files are looked at for changes
 * @param deniedCountries    ISO 3166-1 alpha-2 codes denied on every site without a list of its own
 * @param unknownCountry     what happens to callers of unknown country on sites without a policy of their own
 * @param deniedPartiesFile  a CSV of {@code kind,value} rows imported into the denied-party list at start
 * @param screeningUrl       a webhook that screens identities at the bootstrap calls
 * @param screeningTimeout   how long the webhook may take before the caller gets 504
 */
public record ComplianceSettings(boolean enabled, List<Cidr> trustedProxies, ForwardedHeader forwardedHeader,
                                 Optional<String> countryHeader, List<Path> countryDatabase,
                                 Duration countryDatabaseCheck,
                                 Set<String> deniedCountries, UnknownCountryPolicy unknownCountry,
                                 Optional<Path> deniedPartiesFile, Optional<URI> screeningUrl,
                                 Duration screeningTimeout) {

    /** The comprehensively embargoed countries: Cuba, Iran, North Korea, Syria. */
    public static final String DEFAULT_DENIED_COUNTRIES = "CU,IR,KP,SY";

    /**
     * Where the country database is when {@code compliance.countryDatabase} is set nowhere: the
     * launcher sets it (as a system property) to its data directory's {@code country} folder when
     * that exists, so that any explicit setting, wherever it is made, wins over the launcher's.
     */
    public static final String COUNTRY_DATABASE_DEFAULT = "compliance.countryDatabase.default";

    public ComplianceSettings {
        trustedProxies = List.copyOf(trustedProxies);
        countryDatabase = List.copyOf(countryDatabase);
        deniedCountries = Set.copyOf(deniedCountries);
    }

    /**
     * Reads and validates the {@code compliance.*} keys.
     *
     * @throws ConfigException when a value is malformed or names a file that cannot be read
     */
    public static ComplianceSettings from(Settings s) {
        return new ComplianceSettings(
                s.bool("compliance.enabled", true),
                cidrs("compliance.trustedProxies", s.list("compliance.trustedProxies", "")),
                forwardedHeader(s.string("compliance.forwardedHeader", "auto")),
                headerName("compliance.countryHeader", s.string("compliance.countryHeader", "")),
                filesOrDirectories("compliance.countryDatabase", s.list("compliance.countryDatabase",
                        s.string(COUNTRY_DATABASE_DEFAULT, ""))),
                s.seconds("compliance.countryDatabase.checkSeconds", 60, 1, 86_400),
                countries("compliance.deniedCountries", s.list("compliance.deniedCountries", DEFAULT_DENIED_COUNTRIES)),
                UnknownCountryPolicy.valueOf(s.choice("compliance.unknownCountry", "ALLOW", "ALLOW", "DENY")),
                optionalFile("compliance.deniedPartiesFile", s.string("compliance.deniedPartiesFile", "")),
                webhook("compliance.screening.url", s.string("compliance.screening.url", "")),
                s.millis("compliance.screening.timeoutMillis", 2000, 100, 60_000));
    }

    private static List<Cidr> cidrs(String key, List<String> values) {
        List<Cidr> out = new ArrayList<>();
        for (String v : values) {
            out.add(Cidr.parse(v).orElseThrow(() -> new ConfigException(key,
                    "must list IP addresses or CIDR blocks (192.0.2.0/24, 2001:db8::/32), not '" + v + "'")));
        }
        return out;
    }

    private static ForwardedHeader forwardedHeader(String v) {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "auto":
                return ForwardedHeader.AUTO;
            case "x-forwarded-for":
                return ForwardedHeader.X_FORWARDED_FOR;
            case "forwarded":
                return ForwardedHeader.FORWARDED;
            default:
                throw new ConfigException("compliance.forwardedHeader",
                        "must be auto, X-Forwarded-For or Forwarded, not '" + v + "'");
        }
    }

    private static Optional<String> headerName(String key, String v) {
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!v.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
            throw new ConfigException(key, "must be an HTTP header name, not '" + v + "'");
        }
        return Optional.of(v);
    }

    private static List<Path> filesOrDirectories(String key, List<String> values) {
        List<Path> out = new ArrayList<>();
        for (String v : values) {
            Path p = path(key, v);
            if (Files.isDirectory(p) && !Files.isReadable(p)) {
                throw new ConfigException(key, "names a directory that cannot be read: " + p.toAbsolutePath());
            }
            out.add(Files.isDirectory(p) ? p : readableFile(key, v));
        }
        return out;
    }

    private static Optional<Path> optionalFile(String key, String v) {
        return v.isEmpty() ? Optional.empty() : Optional.of(readableFile(key, v));
    }

    private static Path path(String key, String v) {
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new ConfigException(key, "is not a file path: '" + v + "'");
        }
    }

    private static Path readableFile(String key, String v) {
        Path p = path(key, v);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new ConfigException(key, "names a file that cannot be read: " + p.toAbsolutePath());
        }
        return p;
    }

    private static Set<String> countries(String key, List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        if (values.size() == 1 && values.get(0).equalsIgnoreCase("none")) {
            return out;
        }
        for (String v : values) {
            String code = v.toUpperCase(Locale.ROOT);
            if (!isCountryCode(code)) {
                throw new ConfigException(key, "must list ISO 3166-1 alpha-2 country codes (or be 'none'), not '" + v + "'");
            }
            out.add(code);
        }
        return out;
    }

    private static Optional<URI> webhook(String key, String v) {
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(v);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new ConfigException(key, "must be an absolute http or https URL, not '" + v + "'");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new ConfigException(key, "must be an absolute http or https URL, not '" + v + "'");
        }
    }

    /** Whether {@code code} has the shape of an upper-case ISO 3166-1 alpha-2 code. */
    static boolean isCountryCode(String code) {
        return code != null && code.length() == 2
                && code.charAt(0) >= 'A' && code.charAt(0) <= 'Z' && code.charAt(1) >= 'A' && code.charAt(1) <= 'Z';
    }
}
