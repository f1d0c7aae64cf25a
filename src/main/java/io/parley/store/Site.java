package io.parley.store;

import java.util.List;

/**
 * A tenant as the request path sees it.
 *
 * @param id                    database id
 * @param name                  the fqSiteName in URLs
 * @param pool                  the pool id handed to clients
 * @param defaultQueueId        where an engagement goes when neither a rule nor its queueId decides (may be null)
 * @param origins               CORS origins allowed for this site
 * @param deniedCountries       the site's own denied-country list, or null for the server's
 * @param unknownCountryPolicy  ALLOW or DENY for callers of unknown country, or null for the server's
 * @param publicDomain          where the site's clients reach Parley ({@code host[:port][/path]}), or null for the server's
 */
public record Site(long id, String name, String pool, Long defaultQueueId, List<String> origins,
                   List<String> deniedCountries, String unknownCountryPolicy, String publicDomain) {
}
