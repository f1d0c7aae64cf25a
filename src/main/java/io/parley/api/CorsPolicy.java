package io.parley.api;

import io.parley.store.Site;
import io.parley.store.SiteDirectory;
import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may call Parley: the server-wide list plus, on a site's consumer and
 * agent paths, that site's own. An entry is an exact origin ({@code https://shop.example}), an
 * origin with any port ({@code http://localhost:*}), or {@code *} for every origin.
 */
public final class CorsPolicy {

    private final List<String> serverOrigins;
    private final SiteDirectory sites;

    public CorsPolicy(List<String> serverOrigins, SiteDirectory sites) {
        this.serverOrigins = List.copyOf(serverOrigins);
        this.sites = sites;
    }

    /** Whether {@code origin} may call a path of {@code siteName} (null: a path of no site). */
    public boolean allows(String siteName, String origin) {
        if (origin == null || origin.isBlank()) {
            return false;
        }
        if (anyMatches(serverOrigins, origin)) {
            return true;
        }
        if (siteName != null) {
            return sites.byName(siteName).map(Site::origins).map(o -> anyMatches(o, origin)).orElse(false);
        }
        // Bootstrap paths name no site: an origin of any site may call them.
        return sites.all().stream().anyMatch(s -> anyMatches(s.origins(), origin));
    }

    static boolean anyMatches(List<String> patterns, String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        for (String p : patterns) {
            String pattern = p.toLowerCase(Locale.ROOT);
            if (pattern.equals("*") || pattern.equals(o)) {
                return true;
            }
            if (pattern.endsWith(":*")) {
                String host = pattern.substring(0, pattern.length() - 2);
                if (o.equals(host)) {
                    return true;
                }
                String port = o.startsWith(host + ":") ? o.substring(host.length() + 1) : "";
                if (!port.isEmpty() && port.chars().allMatch(Character::isDigit)) {
                    return true;
                }
            }
        }
        return false;
    }
}
