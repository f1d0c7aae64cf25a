package io.parley.compliance;

import io.parley.store.Site;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which countries may call: the denied-country list and the unknown-country policy of the server,
 * each replaced by a site's own when the site has one. A site's list replaces the server's
 * entirely; it does not add to it.
 */
final class CountryPolicy {

    private static final System.Logger LOG = System.getLogger(CountryPolicy.class.getName());

    private final Set<String> deniedCountries;
    private final UnknownCountryPolicy unknownCountry;
    private final Set<String> warnedPolicies = ConcurrentHashMap.newKeySet();

    CountryPolicy(Set<String> deniedCountries, UnknownCountryPolicy unknownCountry) {
        this.deniedCountries = Set.copyOf(deniedCountries);
        this.unknownCountry = unknownCountry;
    }

    /**
     * Checks a caller's country.
     *
     * @param country an upper-case ISO code, or null when unknown
     * @param site    the site the path names, or null (bootstrap paths, unknown sites): the server's rules apply
     */
    Optional<Denial> check(String country, Site site) {
        if (country == null) {
            return unknownPolicy(site) == UnknownCountryPolicy.DENY
                    ? Optional.of(new Denial(Denial.Rule.UNKNOWN_COUNTRY, null)) : Optional.empty();
        }
        Collection<String> denied = site != null && site.deniedCountries() != null ? site.deniedCountries() : deniedCountries;
        for (String d : denied) {
            if (d.equalsIgnoreCase(country)) {
                return Optional.of(new Denial(Denial.Rule.DENIED_COUNTRY, country));
            }
        }
        return Optional.empty();
    }

    private UnknownCountryPolicy unknownPolicy(Site site) {
        String own = site == null ? null : site.unknownCountryPolicy();
        if (own == null || own.isBlank()) {
            return unknownCountry;
        }
        switch (own.trim().toUpperCase(Locale.ROOT)) {
            case "ALLOW":
                return UnknownCountryPolicy.ALLOW;
            case "DENY":
                return UnknownCountryPolicy.DENY;
            default:
                // A policy nobody can read must not open the door: it counts as DENY.
                if (warnedPolicies.add(site.name() + "\u0000" + own)) {
                    LOG.log(System.Logger.Level.WARNING, "Site {0} has the unknown-country policy ''{1}'', which is"
                            + " neither ALLOW nor DENY; it is treated as DENY", site.name(), own);
                }
                return UnknownCountryPolicy.DENY;
        }
    }
}
