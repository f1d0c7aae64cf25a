package io.parley.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where clients reach Parley, as the bootstrap calls hand it out in {@code domain}:
 * {@code host[:port][/path]} without a scheme (clients put {@code https://} or {@code http://} in
 * front). It is read from the {@code publicDomain} setting, a site's own public domain and the
 * seed, all through {@link #parse}, so the three accept exactly the same values.
 *
 * @param host a DNS name or IPv4 literal in lower case, or an IPv6 literal in brackets
 * @param port the port, or -1 when the scheme's default is meant
 * @param path the path Parley is deployed under ({@code /chat}), or {@code ""} at the root
 */
public record PublicAddress(String host, int port, String path) {

    private static final int MAX_LENGTH = 255;
    private static final Pattern NAME =
            Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]*:[0-9a-f:.]*]");
    private static final Pattern PATH = Pattern.compile("(?:/[A-Za-z0-9._~%!$&'()*+,;=:-]+)*");

    /**
     * Reads {@code host[:port][/path]}; a leading {@code http://} or {@code https://} and trailing
     * slashes are dropped, the host is put in lower case.
     *
     * @throws IllegalArgumentException saying what is wrong: another scheme, user information, a query or
     *                                  fragment, blanks or other characters that do not belong in a host or path
     */
    public static PublicAddress parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("it is empty");
        }
        if (s.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("it is longer than " + MAX_LENGTH + " characters");
        }
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            String name = s.substring(0, scheme).toLowerCase(Locale.ROOT);
            if (!name.equals("http") && !name.equals("https")) {
                throw new IllegalArgumentException("only http:// or https:// may stand in front, and is left out");
            }
            s = s.substring(scheme + 3);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                throw new IllegalArgumentException("it holds a blank, a control or a non-ASCII character"
                        + " (write an international name in its xn-- form)");
            }
        }
        if (s.indexOf('@') >= 0) {
            throw new IllegalArgumentException("it holds user information (@)");
        }
        if (s.indexOf('?') >= 0 || s.indexOf('#') >= 0) {
            throw new IllegalArgumentException("it holds a query or a fragment");
        }
        int slash = s.indexOf('/');
        String authority = slash < 0 ? s : s.substring(0, slash);
        String path = slash < 0 ? "" : s.substring(slash);
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!PATH.matcher(path).matches() || path.contains("/../") || path.endsWith("/..")
                || path.contains("/./") || path.endsWith("/.")) {
            throw new IllegalArgumentException("'" + path + "' is not a plain path such as /chat");
        }
        return authority(authority, path);
    }

    private static PublicAddress authority(String authority, String path) {
        String a = authority.toLowerCase(Locale.ROOT);
        int colon = a.startsWith("[") ? a.indexOf(':', a.indexOf(']')) : a.indexOf(':');
        String host = colon < 0 ? a : a.substring(0, colon);
        int port = -1;
        if (colon >= 0) {
            String digits = a.substring(colon + 1);
            port = digits.matches("[0-9]{1,5}") ? Integer.parseInt(digits) : 0;
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + digits + "' is not a port from 1 to 65535");
            }
        }
        boolean valid = host.startsWith("[") ? IPV6.matcher(host).matches()
                : host.length() <= 253 && NAME.matcher(host).matches();
        if (!valid) {
            throw new IllegalArgumentException("'" + host + "' is not a host name or IP address");
        }
        return new PublicAddress(host, port, path);
    }

    /**
     * A request's host ({@code getServerName()}) as Parley compares and writes hosts: in lower case, an
     * IPv6 literal in brackets (containers differ in whether they keep them).
     */
    public static String normalHost(String serverName) {
        String h = serverName.toLowerCase(Locale.ROOT);
        return h.indexOf(':') >= 0 && !h.startsWith("[") ? "[" + h + "]" : h;
    }

    /** {@code host[:port][/path]}, as clients are given it. */
    @Override
    public String toString() {
        return host + (port > 0 ? ":" + port : "") + path;
    }
}
