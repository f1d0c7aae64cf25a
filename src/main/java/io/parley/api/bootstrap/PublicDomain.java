package io.parley.api.bootstrap;

import java.util.Locale;

/**
 * The {@code domain} handed to clients by the bootstrap calls. Clients build the chat URL as
 * {@code scheme://domain} and add {@code :port} only when a separate {@code port} field is
 * present, so the port travels inside {@code domain} (only when it is not the scheme's default)
 * and no {@code port} field is ever sent.
 */
final class PublicDomain {

    private PublicDomain() {
    }

    /**
     * The configured {@code publicDomain} when there is one, else {@code host[:port][contextPath]}
     * of the request.
     *
     * @param configured  the {@code publicDomain} setting (may be empty)
     * @param scheme      the request's scheme
     * @param host        the host the client addressed
     * @param port        the port the client addressed
     * @param contextPath Parley's context path ({@code ""} at the root)
     */
    static String derive(String configured, String scheme, String host, int port, String contextPath) {
        if (configured != null && !configured.isBlank()) {
            String d = configured.strip();
            String lower = d.toLowerCase(Locale.ROOT);
            if (lower.startsWith("https://")) {
                d = d.substring(8);
            } else if (lower.startsWith("http://")) {
                d = d.substring(7);
            }
            while (d.endsWith("/")) {
                d = d.substring(0, d.length() - 1);
            }
            return d;
        }
        StringBuilder b = new StringBuilder(host);
        if (!isDefaultPort(scheme, port)) {
            b.append(':').append(port);
        }
        if (contextPath != null && !contextPath.isEmpty() && !contextPath.equals("/")) {
            b.append(contextPath);
        }
        return b.toString();
    }

    private static boolean isDefaultPort(String scheme, int port) {
        if (port <= 0) {
            return true;
        }
        return "https".equalsIgnoreCase(scheme) ? port == 443 : port == 80;
    }
}
