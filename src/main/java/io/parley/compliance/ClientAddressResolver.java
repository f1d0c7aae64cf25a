package io.parley.compliance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Finds the client address of a request, as Tomcat's {@code RemoteIpFilter} does: the connection's
 * address, unless the connection comes from a trusted proxy. Then the forwarding header is walked
 * from right to left, skipping the trusted proxies, and the first address that is not one is the
 * client. Entries to its left were written by the client or by proxies nobody vouches for, so they
 * are never read. When every entry is a trusted proxy, the left-most one is the client.
 */
final class ClientAddressResolver {

    private final List<Cidr> trusted;
    private final ForwardedHeader header;

    ClientAddressResolver(List<Cidr> trustedProxies, ForwardedHeader header) {
        this.trusted = List.copyOf(trustedProxies);
        this.header = header;
    }

    /**
     * Resolves the client of a request.
     *
     * @param peer    the address of the connection ({@code getRemoteAddr()})
     * @param headers all values of a request header, by name (an empty list when absent)
     */
    ClientAddress resolve(String peer, Function<String, List<String>> headers) {
        IpAddress peerIp = IpAddress.parse(peer).orElse(null);
        if (peerIp == null || !isTrusted(peerIp)) {
            return ClientAddress.direct(peer);
        }
        List<Hop> hops = hops(headers);
        String address = peer;
        IpAddress ip = peerIp;
        String hopProto = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Hop hop = hops.get(i);
            address = hop.address();
            ip = IpAddress.parse(address).orElse(null);
            hopProto = hop.proto();
            if (ip == null || !isTrusted(ip)) {
                break;
            }
        }
        String scheme = scheme(headers.apply("X-Forwarded-Proto"), hopProto);
        return new ClientAddress(address, ip, true, scheme, scheme == null ? -1 : port(headers.apply("X-Forwarded-Port")));
    }

    boolean isTrusted(IpAddress ip) {
        for (Cidr c : trusted) {
            if (c.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    /** One entry of the forwarding header: the address a proxy received the request from, and (RFC 7239) its protocol. */
    private record Hop(String address, String proto) {
    }

    private List<Hop> hops(Function<String, List<String>> headers) {
        List<String> xff = header == ForwardedHeader.FORWARDED ? List.of() : nonBlank(headers.apply("X-Forwarded-For"));
        if (!xff.isEmpty() || header == ForwardedHeader.X_FORWARDED_FOR) {
            List<Hop> out = new ArrayList<>();
            for (String value : xff) {
                for (String entry : value.split(",", -1)) {
                    out.add(new Hop(node(entry), null));
                }
            }
            return out;
        }
        List<Hop> out = new ArrayList<>();
        for (String value : nonBlank(headers.apply("Forwarded"))) {
            for (String element : splitOutsideQuotes(value, ',')) {
                String forValue = null;
                String proto = null;
                for (String pair : splitOutsideQuotes(element, ';')) {
                    int eq = pair.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String name = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                    String v = unquote(pair.substring(eq + 1).trim());
                    if (name.equals("for")) {
                        forValue = v;
                    } else if (name.equals("proto")) {
                        proto = v;
                    }
                }
                // An element without for= names no hop; it ends the walk like an unknown address.
                out.add(new Hop(forValue == null ? "unknown" : node(forValue), proto));
            }
        }
        return out;
    }

    /** A node as forwarding headers write it, without quotes, brackets or port: {@code "[2001:db8::1]:443"} → {@code 2001:db8::1}. */
    static String node(String raw) {
        String s = unquote(raw.trim());
        if (s.isEmpty()) {
            return "unknown";
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            return close < 0 ? s : s.substring(1, close);
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && colon == s.lastIndexOf(':')) {
            return s.substring(0, colon);
        }
        return s;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return s;
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == separator && !quoted) {
                out.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(s.substring(start).trim());
        return out;
    }

    /**
     * The scheme the client used: {@code X-Forwarded-Proto} (https only when every hop says https,
     * as Tomcat reads it), else the RFC 7239 {@code proto} of the client's hop, else null.
     */
    private static String scheme(List<String> forwardedProto, String hopProto) {
        List<String> values = nonBlank(forwardedProto);
        if (values.isEmpty()) {
            return hopProto == null ? null : normalisedScheme(hopProto);
        }
        boolean allHttps = true;
        for (String v : values) {
            for (String p : v.split(",")) {
                String scheme = normalisedScheme(p.trim());
                if (scheme == null) {
                    return null;
                }
                allHttps &= scheme.equals("https");
            }
        }
        return allHttps ? "https" : "http";
    }

    private static String normalisedScheme(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.equals("http") || lower.equals("https") ? lower : null;
    }

    private static int port(List<String> values) {
        List<String> v = nonBlank(values);
        if (v.size() != 1) {
            return -1;
        }
        try {
            int p = Integer.parseInt(v.get(0).trim());
            return p > 0 && p < 65536 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static List<String> nonBlank(List<String> values) {
        if (values == null) {
            return List.of();
        }
        return values.stream().filter(v -> v != null && !v.isBlank()).toList();
    }
}
