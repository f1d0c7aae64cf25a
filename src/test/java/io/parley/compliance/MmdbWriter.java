package io.parley.compliance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes small MaxMind DB files (format 2.0) for tests, so that the real reader is tested on files
 * of known content: GeoLite2-shaped and ip-location-db-shaped records alike. 32-bit records, no
 * pointers in the data section; values are strings, maps, booleans, longs (uint32) and lists.
 */
final class MmdbWriter {

    private static final int EMPTY = -1;

    private final int ipVersion;
    private final String databaseType;
    /** Per node: the left and right child; >= 0 a node, EMPTY, or -(offset + 2) for data. */
    private final List<int[]> nodes = new ArrayList<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    MmdbWriter(int ipVersion, String databaseType) {
        this.ipVersion = ipVersion;
        this.databaseType = databaseType;
        nodes.add(new int[] {EMPTY, EMPTY});
    }

    /** Maps {@code network} (CIDR; IPv4 in an IPv6 tree goes under ::/96, as MaxMind's files have it) to {@code record}. */
    MmdbWriter add(String network, Map<String, ?> record) throws IOException {
        String[] parts = network.split("/");
        byte[] address = InetAddress.getByName(parts[0]).getAddress();
        int prefix = Integer.parseInt(parts[1]);
        int skip = 0;
        if (ipVersion == 6 && address.length == 4) {
            skip = 96;
        } else if (ipVersion == 4 && address.length != 4) {
            throw new IllegalArgumentException(network + " does not fit an IPv" + ipVersion + " tree");
        }
        int offset = data.size();
        encode(record, data);
        int node = 0;
        int bits = skip + prefix;
        for (int i = 0; i < bits; i++) {
            int bit = i < skip ? 0 : (address[(i - skip) / 8] >> (7 - (i - skip) % 8)) & 1;
            int[] children = nodes.get(node);
            if (i == bits - 1) {
                children[bit] = -(offset + 2);
            } else {
                if (children[bit] == EMPTY) {
                    nodes.add(new int[] {EMPTY, EMPTY});
                    children[bit] = nodes.size() - 1;
                } else if (children[bit] < 0) {
                    throw new IllegalArgumentException(network + " lies inside a network added before");
                }
                node = children[bit];
            }
        }
        return this;
    }

    Path write(Path file) throws IOException {
        int count = nodes.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[] children : nodes) {
            for (int child : children) {
                long value = child >= 0 ? child : child == EMPTY ? count : count + 16L + (-child - 2);
                out.write(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
            }
        }
        out.write(new byte[16]);
        data.writeTo(out);
        out.write(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
        out.write("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
        encode(Map.of(
                "node_count", (long) count,
                "record_size", new Uint16(32),
                "ip_version", new Uint16(ipVersion),
                "database_type", databaseType,
                "languages", List.of("en"),
                "binary_format_major_version", new Uint16(2),
                "binary_format_minor_version", new Uint16(0),
                "build_epoch", BigInteger.valueOf(1_780_000_000L),
                "description", Map.of("en", "Parley test data")), out);
        return Files.write(file, out.toByteArray());
    }

    /** A value written as uint16 (the metadata wants some). */
    record Uint16(int value) {
    }

    private static void encode(Object value, ByteArrayOutputStream out) {
        if (value instanceof String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            control(2, bytes.length, out);
            out.writeBytes(bytes);
        } else if (value instanceof Map<?, ?> map) {
            control(7, map.size(), out);
            map.forEach((k, v) -> {
                encode(k, out);
                encode(v, out);
            });
        } else if (value instanceof Uint16 u) {
            control(5, 2, out);
            out.write(u.value() >>> 8);
            out.write(u.value());
        } else if (value instanceof Long l) {
            control(6, 4, out);
            out.writeBytes(new byte[] {(byte) (l >>> 24), (byte) (l >>> 16), (byte) (l >>> 8), (byte) (long) l});
        } else if (value instanceof BigInteger b) {
            byte[] bytes = b.toByteArray();
            int skip = bytes.length > 8 || bytes[0] == 0 ? 1 : 0;
            extended(9, bytes.length - skip, out);
            out.write(bytes, skip, bytes.length - skip);
        } else if (value instanceof Boolean b) {
            extended(14, b ? 1 : 0, out);
        } else if (value instanceof List<?> list) {
            extended(11, list.size(), out);
            list.forEach(v -> encode(v, out));
        } else {
            throw new IllegalArgumentException("Cannot encode " + value);
        }
    }

    private static void control(int type, int size, ByteArrayOutputStream out) {
        if (size >= 29) {
            throw new IllegalArgumentException("Sizes of 29 and more are not needed by the tests");
        }
        out.write((type << 5) | size);
    }

    private static void extended(int type, int size, ByteArrayOutputStream out) {
        control(0, size, out);
        out.write(type - 7);
    }
}
