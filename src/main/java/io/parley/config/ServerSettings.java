package io.parley.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Settings that shape the whole server rather than one package.
 *
 * @param demo             demo mode: the demo site is loaded and its well-known credentials work
 * @param demoAllowRemote  whether demo credentials are accepted from addresses other than loopback
 * @param publicDomain     the {@code host[:port][/path]} clients use to reach Parley, for every site without one
 *                         of its own; empty: the request's Host decides, when {@code allowedHosts} lists it
 * @param allowedHosts     the host names a request's Host may name for Parley to hand it back to clients
 * @param seedFile         a tenant seed file (sites, queues, rules, users) applied at start, or empty
 * @param maxBodyBytes     the largest request body accepted; larger bodies get 400
 * @param maxMessageChars  the longest chat message body accepted; longer ones get 400
 * @param corsOrigins      origins allowed on every site (sites add their own), e.g. {@code https://shop.example}
 * @param concludedGrace   how long a concluded consumer session stays readable
 * @param tenantCache      how long sites, queues and routing rules are cached before they are read again
 * @param hstsMaxAge       the {@code max-age} (seconds) of {@code Strict-Transport-Security} on answers to
 *                         requests that came over TLS; 0 sends none
 */
public record ServerSettings(boolean demo, boolean demoAllowRemote, Optional<PublicAddress> publicDomain,
                             List<AllowedHost> allowedHosts, String seedFile,
                             int maxBodyBytes, int maxMessageChars, List<String> corsOrigins,
                             Duration concludedGrace, Duration tenantCache, long hstsMaxAge) {

    /** One year, as browsers' HSTS preload lists ask at least. */
    static final int DEFAULT_HSTS_MAX_AGE = 31_536_000;

    public static ServerSettings from(Settings s) {
        return new ServerSettings(
                s.bool("demo", false),
                s.bool("demo.allowRemote", false),
                publicDomain(s.string("publicDomain", "")),
                allowedHosts(s.list("publicDomain.allowedHosts", "")),
                s.string("seed", ""),
                s.integer("limits.maxBodyBytes", 64 * 1024, 1024, 16 * 1024 * 1024),
                s.integer("limits.maxMessageChars", 10_000, 1, 1_000_000),
                s.list("cors.allowedOrigins", ""),
                s.seconds("session.concludedGrace", 60, 0, 3600),
                s.seconds("tenants.cacheSeconds", 5, 0, 300),
                s.integer("hsts.maxAge", DEFAULT_HSTS_MAX_AGE, 0, 2 * DEFAULT_HSTS_MAX_AGE));
    }

    private static Optional<PublicAddress> publicDomain(String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(PublicAddress.parse(value));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("publicDomain", "must be host[:port][/path], such as chat.example.com or"
                    + " chat.example.com:8443/parley, not '" + value + "': " + e.getMessage());
        }
    }

    private static List<AllowedHost> allowedHosts(List<String> values) {
        List<AllowedHost> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(AllowedHost.parse(v));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("publicDomain.allowedHosts", "must list host names, each with an optional"
                        + " port or a leading *. (chat.example.com, chat.example.com:8443, *.example.com), not '" + v
                        + "': " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }
}
