package io.parley.compliance;

import java.util.Optional;

/**
 * An IP address as one unsigned 128-bit number ({@code high}, {@code low}): IPv6 as it is, IPv4 in
 * the IPv4-mapped range {@code ::ffff:0:0/96}. One number space lets a single sorted table answer
 * for both families, and an IPv4-mapped IPv6 address is the same address as its IPv4 twin.
 *
 * <p>Only literals are parsed, never host names: nothing here ever causes a DNS lookup.
 *
 * @param high the upper 64 bits
 * @param low  the lower 64 bits
 */
public record IpAddress(long high, long low) implements Comparable<IpAddress> {

    private static final long IPV4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    /**
     * Parses an IPv4 literal ({@code 192.0.2.1}) or an IPv6 literal ({@code 2001:db8::1},
     * {@code ::ffff:192.0.2.1}, with an optional zone {@code %eth0}, which is dropped).
     *
     * @return the address, or empty when {@code text} is not an IP literal
     */
    public static Optional<IpAddress> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        if (text.indexOf(':') < 0) {
            long v4 = parseIpv4(text);
            return v4 < 0 ? Optional.empty() : Optional.of(ofIpv4(v4));
        }
        return Optional.ofNullable(parseIpv6(text));
    }

    /** The IPv4 address {@code bits} (the lower 32 bits are used). */
    static IpAddress ofIpv4(long bits) {
        return new IpAddress(0, IPV4_MAPPED_PREFIX | (bits & 0xFFFF_FFFFL));
    }

    /** Whether this is an IPv4 address (IPv4-mapped in IPv6 terms). */
    public boolean isIpv4() {
        return high == 0 && (low & 0xFFFF_FFFF_0000_0000L) == IPV4_MAPPED_PREFIX;
    }

    /** The next address, or null after the last one. */
    IpAddress next() {
        if (low != -1L) {
            return new IpAddress(high, low + 1);
        }
        return high == -1L ? null : new IpAddress(high + 1, 0);
    }

    /** The previous address, or null before the first one. */
    IpAddress previous() {
        if (low != 0) {
            return new IpAddress(high, low - 1);
        }
        return high == 0 ? null : new IpAddress(high - 1, -1L);
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    /** Dotted-quad for IPv4, full-length lower-case hex groups for IPv6. */
    @Override
    public String toString() {
        if (isIpv4()) {
            return ((low >>> 24) & 0xFF) + "." + ((low >>> 16) & 0xFF) + "." + ((low >>> 8) & 0xFF) + "." + (low & 0xFF);
        }
        StringBuilder b = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            long word = i < 4 ? high : low;
            int shift = 48 - 16 * (i % 4);
            if (i > 0) {
                b.append(':');
            }
            b.append(Long.toHexString((word >>> shift) & 0xFFFF));
        }
        return b.toString();
    }

    /** Strict dotted decimal: four parts of 0-255 without leading zeros. Returns -1 when malformed. */
    private static long parseIpv4(String s) {
        long value = 0;
        int parts = 0;
        int i = 0;
        int n = s.length();
        while (i <= n) {
            int start = i;
            int part = 0;
            while (i < n && s.charAt(i) != '.') {
                char c = s.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    return -1;
                }
                part = part * 10 + (c - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || part > 255 || (len > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | part;
            parts++;
            i++;
            if (parts == 4) {
                return i == n + 1 ? value : -1;
            }
        }
        return -1;
    }

    private static IpAddress parseIpv6(String text) {
        String s = text;
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int n = s.length();
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (n == 2) {
                return new IpAddress(0, 0);
            }
        } else if (s.startsWith(":")) {
            return null;
        }
        while (i < n) {
            if (count == 8) {
                return null;
            }
            int start = i;
            while (i < n && s.charAt(i) != ':' && s.charAt(i) != '.') {
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                long v4 = parseIpv4(s.substring(start));
                if (v4 < 0 || count > 6) {
                    return null;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = n;
                break;
            }
            int len = i - start;
            if (len == 0 || len > 4) {
                return null;
            }
            int g = 0;
            for (int k = start; k < i; k++) {
                int d = hexDigit(s.charAt(k));
                if (d < 0) {
                    return null;
                }
                g = (g << 4) | d;
            }
            groups[count++] = g;
            if (i < n) {
                i++;
                if (i < n && s.charAt(i) == ':') {
                    if (gap >= 0) {
                        return null;
                    }
                    gap = count;
                    i++;
                } else if (i == n) {
                    return null;
                }
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long high = 0;
        long low = 0;
        for (int k = 0; k < 4; k++) {
            high = (high << 16) | full[k];
            low = (low << 16) | full[k + 4];
        }
        return new IpAddress(high, low);
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
