package io.parley.compliance;

import io.parley.config.ConfigException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * IP address to country, from CIDR-to-country CSV files, answered by a binary search over sorted,
 * non-overlapping ranges (this runs on every request, long polls included).
 *
 * <p>Two layouts are read. The simple one is {@code network,country_iso_code} per line (a header
 * line is optional; blank lines and {@code #} comments are skipped). The GeoLite2 Country layout
 * is a Blocks file ({@code network,geoname_id,registered_country_geoname_id,...}) whose geoname
 * ids are resolved through the Locations file in the same directory; the Blocks file of the other
 * IP version, when it lies beside the configured one, is read too, so that no address family is
 * silently left unknown. Blocks may nest: the most specific block decides.
 */
final class CountryDatabase {

    private static final System.Logger LOG = System.getLogger(CountryDatabase.class.getName());
    private static final String KEY = "compliance.countryDatabase";

    private final long[] firstHigh;
    private final long[] firstLow;
    private final long[] lastHigh;
    private final long[] lastLow;
    private final String[] country;

    /** A block of addresses and its country (null: known to be of no country). */
    record Range(IpAddress first, IpAddress last, String country) {
    }

    private CountryDatabase(List<Range> ranges) {
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
    }

    /** A database that knows no address: every country is unknown. */
    static CountryDatabase empty() {
        return new CountryDatabase(List.of());
    }

    /**
     * A database of blocks that nest or are disjoint, as CIDR blocks always do; where they nest,
     * the inner block decides, and where two blocks are equal, the later one.
     */
    static CountryDatabase of(List<Range> blocks) {
        List<Range> sorted = new ArrayList<>(blocks);
        sorted.sort(Comparator.comparing(Range::first).thenComparing(Range::last, Comparator.reverseOrder()));
        List<Range> out = new ArrayList<>();
        Deque<Range> open = new ArrayDeque<>();
        IpAddress cursor = null;
        for (Range b : sorted) {
            while (!open.isEmpty() && open.peek().last().compareTo(b.first()) < 0) {
                Range top = open.pop();
                emit(out, cursor, top.last(), top.country());
                cursor = top.last().next();
            }
            if (!open.isEmpty()) {
                Range top = open.peek();
                if (b.last().compareTo(top.last()) > 0) {
                    throw new IllegalArgumentException("Blocks overlap without nesting: " + top + " and " + b);
                }
                if (cursor != null && cursor.compareTo(b.first()) < 0) {
                    emit(out, cursor, b.first().previous(), top.country());
                }
            }
            cursor = b.first();
            open.push(b);
        }
        while (!open.isEmpty()) {
            Range top = open.pop();
            emit(out, cursor, top.last(), top.country());
            cursor = top.last().next();
        }
        out.removeIf(r -> r.country() == null);
        return new CountryDatabase(out);
    }

    /** Appends {@code [from, to]}, joined to the previous range when that one is adjacent and of the same country. */
    private static void emit(List<Range> out, IpAddress from, IpAddress to, String country) {
        if (from == null || from.compareTo(to) > 0) {
            return;
        }
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
     * The country of {@code ip}.
     *
     * @return an upper-case ISO 3166-1 alpha-2 code, or null when unknown
     */
    String countryOf(IpAddress ip) {
        if (ip == null) {
            return null;
        }
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

    private static int compare(long high, long low, IpAddress ip) {
        int c = Long.compareUnsigned(high, ip.high());
        return c != 0 ? c : Long.compareUnsigned(low, ip.low());
    }

    /**
     * Reads the configured files.
     *
     * @throws ConfigException when a file cannot be read or holds a line that is not a block and a country
     */
    static CountryDatabase load(List<Path> files) {
        if (files.isEmpty()) {
            return empty();
        }
        Set<Path> all = new LinkedHashSet<>();
        for (Path f : files) {
            all.add(f.toAbsolutePath().normalize());
            geoLiteSibling(f).ifPresent(s -> all.add(s.toAbsolutePath().normalize()));
        }
        Map<String, String> codes = new HashMap<>();
        List<Range> blocks = new ArrayList<>();
        for (Path f : all) {
            read(f, blocks, codes);
        }
        CountryDatabase db;
        try {
            db = of(blocks);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(KEY, "names files whose blocks overlap: " + e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "Country database: {0} blocks, {1} ranges, from {2}", blocks.size(), db.size(), all);
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

    private static void read(Path file, List<Range> blocks, Map<String, String> codes) {
        Layout[] layout = new Layout[1];
        try {
            Csv.forEach(file, (lineNo, fields) -> {
                if (layout[0] == null) {
                    layout[0] = Layout.of(file, fields);
                    if (layout[0].hasHeader()) {
                        return;
                    }
                }
                Cidr block = Cidr.parse(fields.get(0)).orElseThrow(() ->
                        malformed(file, lineNo, "'" + fields.get(0) + "' is not a CIDR block"));
                blocks.add(new Range(block.first(), block.last(), layout[0].country(file, lineNo, fields, codes)));
            });
        } catch (IOException e) {
            throw new ConfigException("Setting '" + KEY + "' names a file that cannot be read: " + file, e);
        }
    }

    /**
     * How a file is laid out, told by its first line.
     *
     * @param hasHeader  whether the first line is a header
     * @param countryCol the column of the ISO code (simple layout)
     * @param locations  geoname id to ISO code (GeoLite2 layout), else null
     * @param geoCols    the geoname id columns to try in order (GeoLite2 layout)
     */
    private record Layout(boolean hasHeader, int countryCol, Map<String, String> locations, int[] geoCols) {

        static Layout of(Path file, List<String> first) {
            if (!first.get(0).equalsIgnoreCase("network")) {
                return new Layout(false, 1, null, null);
            }
            List<String> header = first.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
            int geo = header.indexOf("geoname_id");
            if (geo < 0) {
                int col = header.indexOf("country_iso_code");
                return new Layout(true, col < 0 ? 1 : col, null, null);
            }
            int registered = header.indexOf("registered_country_geoname_id");
            return new Layout(true, -1, readLocations(file), registered < 0 ? new int[] {geo} : new int[] {geo, registered});
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

    private static ConfigException malformed(Path file, int lineNo, String problem) {
        return new ConfigException(KEY, "names " + file + ", whose line " + lineNo + " is malformed: " + problem);
    }
}
