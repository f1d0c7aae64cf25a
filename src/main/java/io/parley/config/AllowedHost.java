package io.parley.config;

/**
 * One entry of {@code publicDomain.allowedHosts}: a host name the requests' {@code Host} header may
 * name, so that Parley hands it back to clients as its own. {@code chat.example.com} is that name
 * on any port, {@code chat.example.com:8443} only on that port, and {@code *.example.com} any name
 * below {@code example.com} (not {@code example.com} itself).
 *
 * @param host     the name (for a wildcard, the part after {@code *.}), in lower case; IPv6 in brackets
 * @param wildcard whether names below {@code host} are meant rather than {@code host} itself
 * @param port     the one port allowed, or -1 for any
 */
public record AllowedHost(String host, boolean wildcard, int port) {

    /**
     * Reads one entry.
     *
     * @throws IllegalArgumentException when it is not {@code [*.]host[:port]}
     */
    public static AllowedHost parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.equals("*")) {
            throw new IllegalArgumentException("'*' would let any Host through; list the names clients use");
        }
        if (s.contains("://") || s.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a host name with an optional port is expected, not a URL or path");
        }
        boolean wildcard = s.startsWith("*.");
        PublicAddress a = PublicAddress.parse(wildcard ? s.substring(2) : s);
        return new AllowedHost(a.host(), wildcard, a.port());
    }

    /**
     * Whether a request's {@code Host} matches.
     *
     * @param requestHost the host the request names ({@code getServerName()}), in any letter case
     * @param requestPort the port it names, or the scheme's default when it names none
     */
    public boolean matches(String requestHost, int requestPort) {
        if (requestHost == null || (port > 0 && port != requestPort)) {
            return false;
        }
        String h = PublicAddress.normalHost(requestHost);
        return wildcard ? h.endsWith("." + host) : h.equals(host);
    }

    @Override
    public String toString() {
        return (wildcard ? "*." : "") + host + (port > 0 ? ":" + port : "");
    }
}
