package io.parley.compliance;

import io.parley.config.ConfigException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

/**
 * IP address to country, from country files: CSV files answered by a binary search over sorted,
 * non-overlapping ranges held in primitive arrays (this runs on every request, long polls
 * included), then MaxMind DB ({@code .mmdb}) files, in the order given, for addresses no CSV
 * file knows.
 *
 * <p>Three CSV layouts are read, told apart by the first line:
 * <ul>
 *   <li>{@code network,country_iso_code} per line (a header line is optional);</li>
 *   <li>{@code start,end,country} inclusive ranges of IP literals, no header, as ip-location-db
 *       ships them ({@code geo-whois-asn-country-ipv4.csv}), or of decimal numbers
 *       ({@code -num.csv}; IPv6 numbers in a file whose name says {@code ipv6});</li>
 *   <li>the GeoLite2 Country Blocks file ({@code network,geoname_id,registered_country_geoname_id,...})
 *       whose geoname ids are resolved through the Locations file in the same directory; the Blocks
 *       file of the other IP version, when it lies beside the configured one, is read too, so that
 *       no address family is silently left unknown.</li>
 * </ul>
 * Blank lines and {@code #} comments are skipped. Where ranges overlap, the narrower one decides
 * (for CIDR blocks: the most specific), and of two equally wide ones, the one read later.
 */
final class CountryDatabase implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CountryDatabase.class.getName());
    private static final String KEY = "compliance.countryDatabase";

    private final long[] firstHigh;
    private final long[] firstLow;
    private final long[] lastHigh;
    private final long[] lastLow;
    private final String[] country;
    private final List<MmdbCountries> mmdbs;
    /** How many ranges overlapped an earlier one without lying inside it (for the log). */
    private final int partialOverlaps;

    /** A block of addresses and its country (null: known to be of no country). */
    record Range(IpAddress first, IpAddress last, String country) {
    }

    private CountryDatabase(List<Range> ranges, int partialOverlaps, List<MmdbCountries> mmdbs) {
        int n = ranges.size();
        firstHigh = new long[n];
        firstLow = new long[n];
        lastHigh = new long[n];
        lastLow = new long[n];
        country = new String[n];
        for (int i = 0; i < n; i++) {
            Range r = ranges.get(i);
            firstHigh[i] = r.first().high();
            firstLow[i] = r.first().low();
            lastHigh[i] = r.last().high();
            lastLow[i] = r.last().low();
            country[i] = r.country();
        }
        this.partialOverlaps = partialOverlaps;
        this.mmdbs = List.copyOf(mmdbs);
    }

    /** A database that knows no address: every country is unknown. */
    static CountryDatabase empty() {
        return new CountryDatabase(List.of(), 0, List.of());
    }

    /** A database of {@code ranges}; where they overlap, the narrower decides, and of two equally wide, the later. */
    static CountryDatabase of(List<Range> ranges) {
        return of(ranges, List.of());
    }

    private static CountryDatabase of(List<Range> ranges, List<MmdbCountries> mmdbs) {
        List<Ranked> sorted = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            sorted.add(new Ranked(ranges.get(i), i));
        }
        sorted.sort(Comparator.comparing((Ranked r) -> r.range().first()));
        // A sweep from low to high addresses: the active range of highest rank owns each stretch.
        // Ranges only leave the heap once they rank highest and have ended (lazy removal).
        PriorityQueue<Ranked> active = new PriorityQueue<>(Ranked.HIGHEST_FIRST);
        List<Range> out = new ArrayList<>();
        int overlaps = 0;
        IpAddress reach = null;
        IpAddress cursor = null;
        int i = 0;
        while (i < sorted.size() || !active.isEmpty()) {
            if (active.isEmpty()) {
                Range r = sorted.get(i).range();
                if (i + 1 == sorted.size() || sorted.get(i + 1).range().first().compareTo(r.last()) > 0) {
                    // Most ranges touch no other: nothing to rank, and nothing earlier reaches this far.
                    emit(out, r.first(), r.last(), r.country());
                    reach = r.last();
                    i++;
                    continue;
                }
                cursor = r.first();
            }
            while (i < sorted.size() && sorted.get(i).range().first().equals(cursor)) {
                Ranked next = sorted.get(i++);
                IpAddress last = next.range().last();
                if (reach != null && cursor.compareTo(reach) <= 0 && last.compareTo(reach) > 0) {
                    overlaps++;
                }
                if (reach == null || last.compareTo(reach) > 0) {
                    reach = last;
                }
                active.add(next);
            }
            Range owner = active.peek().range();
            IpAddress end = owner.last();
            if (i < sorted.size() && sorted.get(i).range().first().compareTo(end) <= 0) {
                end = sorted.get(i).range().first().previous();
            }
            emit(out, cursor, end, owner.country());
            cursor = end.next();
            if (cursor == null) {
                break;
            }
            while (!active.isEmpty() && active.peek().range().last().compareTo(cursor) < 0) {
                active.poll();
            }
        }
        out.removeIf(r -> r.country() == null);
        return new CountryDatabase(out, overlaps, mmdbs);
    }

    /** A range and its place in the input: the narrower range ranks higher, and of equally wide ones the later. */
    private record Ranked(Range range, int order) {

        static final Comparator<Ranked> HIGHEST_FIRST = Comparator.comparing(Ranked::range, Ranked::compareWidth)
                .thenComparing(Ranked::order, Comparator.reverseOrder());

        /** Compares {@code last - first} of two ranges as unsigned 128-bit numbers. */
        private static int compareWidth(Range a, Range b) {
            long aLow = a.last().low() - a.first().low();
            long aHigh = a.last().high() - a.first().high() - (Long.compareUnsigned(a.last().low(), a.first().low()) < 0 ? 1 : 0);
            long bLow = b.last().low() - b.first().low();
            long bHigh = b.last().high() - b.first().high() - (Long.compareUnsigned(b.last().low(), b.first().low()) < 0 ? 1 : 0);
            int c = Long.compareUnsigned(aHigh, bHigh);
            return c != 0 ? c : Long.compareUnsigned(aLow, bLow);
        }
    }

    /** Appends {@code [from, to]}, joined to the previous range when that one is adjacent and of the same country. */
    private static void emit(List<Range> out, IpAddress from, IpAddress to, String country) {
        if (!out.isEmpty()) {
            Range prev = out.get(out.size() - 1);
            if (Objects.equals(prev.country(), country) && from.equals(prev.last().next())) {
                out.set(out.size() - 1, new Range(prev.first(), to, country));
                return;
            }
        }
        out.add(new Range(from, to, country));
    }

    /**
     * The country of {@code ip}: the CSV ranges first, then each MaxMind DB file in turn.
     *
     * @return an upper-case ISO 3166-1 alpha-2 code, or null when unknown
     */
    String countryOf(IpAddress ip) {
        if (ip == null) {
            return null;
        }
        String found = rangeCountry(ip);
        for (int i = 0; found == null && i < mmdbs.size(); i++) {
            found = mmdbs.get(i).countryOf(ip);
        }
        return found;
    }

    private String rangeCountry(IpAddress ip) {
        int lo = 0;
        int hi = country.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(firstHigh[mid], firstLow[mid], ip) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0 || compare(lastHigh[found], lastLow[found], ip) < 0) {
            return null;
        }
        return country[found];
    }

    /** How many ranges the database holds after merging. */
    int size() {
        return country.length;
    }

    /** Whether the database knows no address at all. */
    boolean isEmpty() {
        return country.length == 0 && mmdbs.isEmpty();
    }

    private static int compare(long high, long low, IpAddress ip) {
        int c = Long.compareUnsigned(high, ip.high());
        return c != 0 ? c : Long.compareUnsigned(low, ip.low());
    }

    /** Closes the MaxMind DB files. */
    @Override
    public void close() {
        mmdbs.forEach(MmdbCountries::close);
    }

    /**
     * Reads country files: {@code *.mmdb} as MaxMind DB files, any other as CSV.
     *
     * @throws ConfigException when a file cannot be read or holds a line that is not a block and a country
     */
    static CountryDatabase load(List<Path> files) {
        if (files.isEmpty()) {
            return empty();
        }
        long started = System.nanoTime();
        Set<Path> csvs = new LinkedHashSet<>();
        List<Path> mmdbFiles = new ArrayList<>();
        for (Path f : files) {
            if (MmdbCountries.isMmdb(f)) {
                mmdbFiles.add(f);
            } else {
                csvs.add(f.toAbsolutePath().normalize());
                geoLiteSibling(f).ifPresent(s -> csvs.add(s.toAbsolutePath().normalize()));
            }
        }
        Map<String, String> codes = new HashMap<>();
        List<Range> ranges = new ArrayList<>();
        for (Path f : csvs) {
            read(f, ranges, codes);
        }
        List<MmdbCountries> mmdbs = new ArrayList<>();
        try {
            for (Path f : mmdbFiles) {
                mmdbs.add(MmdbCountries.open(f));
            }
        } catch (RuntimeException e) {
            mmdbs.forEach(MmdbCountries::close);
            throw e;
        }
        CountryDatabase db = of(ranges, mmdbs);
        LOG.log(System.Logger.Level.INFO, "Country database: {0} ranges read, {1} after merging, in {2} ms, from {3}",
                ranges.size(), db.size(), (System.nanoTime() - started) / 1_000_000,
                csvs.isEmpty() ? mmdbFiles : mmdbFiles.isEmpty() ? csvs : csvs + " and " + mmdbFiles);
        if (db.partialOverlaps > 0) {
            LOG.log(System.Logger.Level.INFO, "Country database: {0} ranges overlap an earlier one partly; where they"
                    + " do, the narrower range decides", db.partialOverlaps);
        }
        return db;
    }

    /** The GeoLite2 Blocks file of the other IP version beside {@code f}, if {@code f} is one and the other exists. */
    private static Optional<Path> geoLiteSibling(Path f) {
        String name = f.getFileName().toString();
        String other = name.contains("-Blocks-IPv4") ? name.replace("-Blocks-IPv4", "-Blocks-IPv6")
                : name.contains("-Blocks-IPv6") ? name.replace("-Blocks-IPv6", "-Blocks-IPv4") : null;
        if (other == null) {
            return Optional.empty();
        }
        Path sibling = f.resolveSibling(other);
        return Files.isReadable(sibling) ? Optional.of(sibling) : Optional.empty();
    }

    private static void read(Path file, List<Range> ranges, Map<String, String> codes) {
        Layout[] layout = new Layout[1];
        try {
            Csv.forEach(file, (lineNo, fields) -> {
                if (layout[0] == null) {
                    layout[0] = Layout.of(file, fields);
                    if (layout[0].hasHeader()) {
                        return;
                    }
                }
                Layout l = layout[0];
                ranges.add(l.addresses().range(file, lineNo, fields, l.country(file, lineNo, fields, codes)));
            });
        } catch (IOException e) {
            throw new ConfigException("Setting '" + KEY + "' names a file that cannot be read: " + file, e);
        }
    }

    /** How a line names its addresses. */
    private enum Addresses {
        /** One CIDR block in the first column. */
        CIDR {
            @Override
            Range range(Path file, int lineNo, List<String> fields, String country) {
                Cidr block = Cidr.parse(fields.get(0)).orElseThrow(() ->
                        malformed(file, lineNo, "'" + fields.get(0) + "' is not a CIDR block"));
                return new Range(block.first(), block.last(), country);
            }
        },
        /** An inclusive range of two IP literals. */
        LITERALS {
            @Override
            Range range(Path file, int lineNo, List<String> fields, String country) {
                return inclusive(file, lineNo, fields, country, s -> IpAddress.parse(s).orElse(null), "an IP address");
            }
        },
        /** An inclusive range of two IPv4 addresses as decimal numbers. */
        IPV4_NUMBERS {
            @Override
            Range range(Path file, int lineNo, List<String> fields, String country) {
                return inclusive(file, lineNo, fields, country, s -> isDigits(s) && s.length() <= 10
                        && Long.parseLong(s) <= 0xFFFF_FFFFL ? IpAddress.ofIpv4(Long.parseLong(s)) : null,
                        "an IPv4 address as a number (a file of IPv6 numbers has ipv6 in its name)");
            }
        },
        /** An inclusive range of two IPv6 addresses as decimal numbers. */
        IPV6_NUMBERS {
            @Override
            Range range(Path file, int lineNo, List<String> fields, String country) {
                return inclusive(file, lineNo, fields, country, Addresses::ipv6Number, "an IPv6 address as a number");
            }
        };

        abstract Range range(Path file, int lineNo, List<String> fields, String country);

        private static Range inclusive(Path file, int lineNo, List<String> fields, String country,
                                       Function<String, IpAddress> parse, String what) {
            IpAddress first = parse.apply(fields.get(0));
            if (first == null) {
                throw malformed(file, lineNo, "'" + fields.get(0) + "' is not " + what);
            }
            IpAddress last = parse.apply(field(fields, 1));
            if (last == null) {
                throw malformed(file, lineNo, "'" + field(fields, 1) + "' is not " + what);
            }
            if (first.compareTo(last) > 0 || first.isIpv4() != last.isIpv4()) {
                throw malformed(file, lineNo, "'" + fields.get(0) + "' to '" + fields.get(1)
                        + "' is not a range of addresses of one IP version");
            }
            return new Range(first, last, country);
        }

        private static IpAddress ipv6Number(String s) {
            if (!isDigits(s) || s.length() > 39) {
                return null;
            }
            BigInteger v = new BigInteger(s);
            return v.bitLength() > 128 ? null : new IpAddress(v.shiftRight(64).longValue(), v.longValue());
        }
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * How a file is laid out, told by its first line.
     *
     * @param hasHeader  whether the first line is a header
     * @param addresses  how a line names its addresses
     * @param countryCol the column of the ISO code (all but the GeoLite2 layout)
     * @param locations  geoname id to ISO code (GeoLite2 layout), else null
     * @param geoCols    the geoname id columns to try in order (GeoLite2 layout)
     */
    private record Layout(boolean hasHeader, Addresses addresses, int countryCol, Map<String, String> locations,
                          int[] geoCols) {

        static Layout of(Path file, List<String> first) {
            if (first.get(0).equalsIgnoreCase("network")) {
                List<String> header = first.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
                int geo = header.indexOf("geoname_id");
                if (geo < 0) {
                    int col = header.indexOf("country_iso_code");
                    return new Layout(true, Addresses.CIDR, col < 0 ? 1 : col, null, null);
                }
                int registered = header.indexOf("registered_country_geoname_id");
                return new Layout(true, Addresses.CIDR, -1, readLocations(file),
                        registered < 0 ? new int[] {geo} : new int[] {geo, registered});
            }
            if (first.size() >= 3 && IpAddress.parse(first.get(0)).isPresent() && IpAddress.parse(first.get(1)).isPresent()) {
                return new Layout(false, Addresses.LITERALS, 2, null, null);
            }
            if (first.size() >= 3 && isDigits(first.get(0)) && isDigits(first.get(1))) {
                boolean ipv6 = file.getFileName().toString().toLowerCase(Locale.ROOT).contains("ipv6");
                return new Layout(false, ipv6 ? Addresses.IPV6_NUMBERS : Addresses.IPV4_NUMBERS, 2, null, null);
            }
            return new Layout(false, Addresses.CIDR, 1, null, null);
        }

        String country(Path file, int lineNo, List<String> fields, Map<String, String> codes) {
            if (locations != null) {
                for (int col : geoCols) {
                    String code = locations.get(field(fields, col));
                    if (code != null) {
                        return code;
                    }
                }
                return null;
            }
            String code = field(fields, countryCol).toUpperCase(Locale.ROOT);
            if (!ComplianceSettings.isCountryCode(code)) {
                throw malformed(file, lineNo, "'" + code + "' is not an ISO 3166-1 alpha-2 country code");
            }
            return codes.computeIfAbsent(code, k -> k);
        }
    }

    /** The GeoLite2 Locations file beside a Blocks file: geoname id to ISO country code. */
    private static Map<String, String> readLocations(Path blocks) {
        Path file = locationsFile(blocks);
        Map<String, String> out = new HashMap<>();
        Map<String, String> codes = new HashMap<>();
        try {
            int[][] header = new int[1][];
            Csv.forEach(file, (lineNo, fields) -> {
                if (header[0] == null) {
                    List<String> names = fields.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
                    header[0] = new int[] {names.indexOf("geoname_id"), names.indexOf("country_iso_code")};
                    if (header[0][0] < 0 || header[0][1] < 0) {
                        throw malformed(file, lineNo, "a GeoLite2 Locations file needs the columns geoname_id and"
                                + " country_iso_code");
                    }
                    return;
                }
                String code = field(fields, header[0][1]).toUpperCase(Locale.ROOT);
                // Continents have a geoname id but no country code: their blocks are of unknown country.
                if (ComplianceSettings.isCountryCode(code)) {
                    out.put(field(fields, header[0][0]), codes.computeIfAbsent(code, k -> k));
                }
            });
        } catch (IOException e) {
            throw new ConfigException("Setting '" + KEY + "' needs a readable GeoLite2 Locations file: " + file, e);
        }
        return out;
    }

    /** {@code GeoLite2-Country-Locations-en.csv} for {@code GeoLite2-Country-Blocks-IPv4.csv}, else any Locations file beside it. */
    private static Path locationsFile(Path blocks) {
        String name = blocks.getFileName().toString();
        Path direct = blocks.resolveSibling(name.replaceFirst("-Blocks-IPv[46]", "-Locations-en"));
        if (!direct.equals(blocks) && Files.isReadable(direct)) {
            return direct;
        }
        Path dir = blocks.toAbsolutePath().getParent();
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*-Locations-*.csv")) {
            ds.forEach(candidates::add);
        } catch (IOException e) {
            throw new ConfigException("Setting '" + KEY + "': cannot list " + dir, e);
        }
        candidates.sort(Comparator.comparing((Path p) -> !p.getFileName().toString().endsWith("-en.csv"))
                .thenComparing(Path::toString));
        if (candidates.isEmpty()) {
            throw new ConfigException(KEY, "names the GeoLite2 Blocks file " + blocks
                    + ", but no Locations file (*-Locations-*.csv) lies beside it");
        }
        return candidates.get(0);
    }

    private static String field(List<String> fields, int col) {
        return col >= 0 && col < fields.size() ? fields.get(col) : "";
    }

    static ConfigException malformed(Path file, int lineNo, String problem) {
        return new ConfigException(KEY, "names " + file + ", whose line " + lineNo + " is malformed: " + problem);
    }
}
