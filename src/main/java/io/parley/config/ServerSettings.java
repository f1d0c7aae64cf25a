package io.parley.config;

import java.time.Duration;
import java.util.List;

/**
 * Settings that shape the whole server rather than one package.
 *
 * @param demo             demo mode: the demo site is loaded and its well-known credentials work
 * @param demoAllowRemote  whether demo credentials are accepted from addresses other than loopback
 * @param publicDomain     the {@code host[:port][/path]} clients use to reach Parley; empty means
 *                         "derive it from each request's Host header and context path"
 * @param seedFile         a tenant seed file (sites, queues, rules, users) applied at start, or empty
 * @param maxBodyBytes     the largest request body accepted; larger bodies get 400
 * @param maxMessageChars  the longest chat message body accepted; longer ones get 400
 * @param corsOrigins      origins allowed on every site (sites add their own), e.g. {@code https://shop.example}
 * @param concludedGrace   how long a concluded consumer session stays readable
 * @param tenantCache      how long sites, queues and routing rules are cached before they are read again
 */
public record ServerSettings(boolean demo, boolean demoAllowRemote, String publicDomain, String seedFile,
                             int maxBodyBytes, int maxMessageChars, List<String> corsOrigins,
                             Duration concludedGrace, Duration tenantCache) {

    public static ServerSettings from(Settings s) {
        return new ServerSettings(
                s.bool("demo", false),
                s.bool("demo.allowRemote", false),
                s.string("publicDomain", ""),
                s.string("seed", ""),
                s.integer("limits.maxBodyBytes", 64 * 1024, 1024, 16 * 1024 * 1024),
                s.integer("limits.maxMessageChars", 10_000, 1, 1_000_000),
                s.list("cors.allowedOrigins", ""),
                s.seconds("session.concludedGrace", 60, 0, 3600),
                s.seconds("tenants.cacheSeconds", 5, 0, 300));
    }
}
