package io.parley.compliance;

import com.maxmind.db.CHMCache;
import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import com.maxmind.db.Metadata;
import com.maxmind.db.Reader;
import io.parley.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One MaxMind DB ({@code .mmdb}) country file, read through MaxMind's own reader: GeoLite2 or
 * GeoIP2 Country (and City) files ({@code country.iso_code}, else {@code registered_country.iso_code})
 * and ip-location-db's files ({@code country_code}). The file stays memory-mapped while the
 * database is in use; decoded records are cached, so a lookup allocates little beyond the address.
 */
final class MmdbCountries implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MmdbCountries.class.getName());

    private final Path file;
    private final Reader reader;
    /** An IPv4-only tree would answer an IPv6 lookup from the address's first 32 bits: such lookups are skipped. */
    private final boolean ipv4Only;
    private final AtomicBoolean warned = new AtomicBoolean();

    private MmdbCountries(Path file, Reader reader) {
        this.file = file;
        this.reader = reader;
        this.ipv4Only = reader.getMetadata().getIpVersion() == 4;
    }

    /** Whether {@code file} is read as a MaxMind DB file (by its extension). */
    static boolean isMmdb(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mmdb");
    }

    /**
     * Opens {@code file}.
     *
     * @throws ConfigException when it cannot be read or is no MaxMind DB file
     */
    static MmdbCountries open(Path file) {
        try {
            Reader reader = new Reader(file.toFile(), Reader.FileMode.MEMORY_MAPPED, new CHMCache());
            Metadata m = reader.getMetadata();
            LOG.log(System.Logger.Level.INFO, "Country database: {0} is a MaxMind DB of type {1}, IPv{2}, built {3}",
                    file, m.getDatabaseType(), m.getIpVersion(), m.getBuildDate().toInstant());
            return new MmdbCountries(file, reader);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("Setting 'compliance.countryDatabase' names " + file
                    + ", which cannot be read as a MaxMind DB file: " + e.getMessage(), e);
        }
    }

    /** The upper-case ISO code the file gives {@code ip}, or null when it gives none. */
    String countryOf(IpAddress ip) {
        if (ipv4Only && !ip.isIpv4()) {
            return null;
        }
        try {
            Place place = reader.get(inetAddress(ip), Place.class);
            return place == null ? null : place.countryCode();
        } catch (IOException | RuntimeException e) {
            // A damaged file, or one closed under a lookup that began before a refresh: the country is
            // unknown for this caller, and the policy for unknown countries decides.
            if (warned.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "Country database: a lookup in {0} failed ({1}); callers it"
                        + " cannot place are of unknown country. Replace the file by a new one (tar and geoipupdate"
                        + " do), not by writing into it", file, e.toString());
            }
            return null;
        }
    }

    private static InetAddress inetAddress(IpAddress ip) {
        byte[] bytes;
        if (ip.isIpv4()) {
            long v = ip.low();
            bytes = new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        } else {
            bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (ip.high() >>> (56 - 8 * i));
                bytes[i + 8] = (byte) (ip.low() >>> (56 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    /** Unmaps nothing (Java cannot), but lets the mapping be collected. */
    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing {0}: {1}", file, e.toString());
        }
    }

    /**
     * The parts of a record that place an address, in either file family; the reader fills what the
     * record has and leaves the rest null. Public because the reader builds it by reflection.
     *
     * @param country           GeoLite2/GeoIP2: where the address is used
     * @param registeredCountry GeoLite2/GeoIP2: where its network is registered
     * @param code              ip-location-db: the country code
     */
    public record Place(Country country, Country registeredCountry, String code) {

        /** The constructor the reader calls, with the record's keys. */
        @MaxMindDbConstructor
        public Place(@MaxMindDbParameter(name = "country") Country country,
                     @MaxMindDbParameter(name = "registered_country") Country registeredCountry,
                     @MaxMindDbParameter(name = "country_code") String code) {
            this.country = country;
            this.registeredCountry = registeredCountry;
            this.code = code;
        }

        /** The ISO code: the country, else the registered country, else ip-location-db's code; null when none is one. */
        String countryCode() {
            String found = country == null ? null : checked(country.isoCode());
            if (found == null && registeredCountry != null) {
                found = checked(registeredCountry.isoCode());
            }
            return found != null ? found : checked(code);
        }

        private static String checked(String code) {
            if (code == null) {
                return null;
            }
            String upper = code.toUpperCase(Locale.ROOT);
            return ComplianceSettings.isCountryCode(upper) ? upper : null;
        }
    }

    /**
     * A GeoLite2/GeoIP2 country entry.
     *
     * @param isoCode the ISO 3166-1 alpha-2 code
     */
    public record Country(String isoCode) {

        /** The constructor the reader calls, with the record's key. */
        @MaxMindDbConstructor
        public Country(@MaxMindDbParameter(name = "iso_code") String isoCode) {
            this.isoCode = isoCode;
        }
    }
}
