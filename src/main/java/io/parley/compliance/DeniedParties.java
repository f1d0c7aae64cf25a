package io.parley.compliance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A denied-party list, ready to match identities against: the rows of {@code denied_party} at one
 * moment. Matching is by exact, normalised value:
 * <ul>
 *   <li>{@code EMAIL}: the address, case-insensitive;</li>
 *   <li>{@code DOMAIN}: the domain of an email address or any parent of it ({@code example.com}
 *       matches {@code a@example.com} and {@code a@mail.example.com}, not {@code a@badexample.com});</li>
 *   <li>{@code ORGANIZATION}: the organization's name or id, case-insensitive.</li>
 * </ul>
 * A row without a site applies to every site; a row with one only to that site.
 */
final class DeniedParties {

    /** The kinds of denied-party rows. */
    enum Kind { EMAIL, DOMAIN, ORGANIZATION }

    /**
     * A row of the list.
     *
     * @param siteId the site it applies to, or null for every site
     * @param kind   what it matches
     * @param value  the value, normalised with {@link #normalise}
     */
    record Entry(Long siteId, Kind kind, String value) {
    }

    /** Where a value is denied: on every site, or on some. */
    private static final class Scope {
        private boolean everySite;
        private final Set<Long> sites = new HashSet<>();

        boolean covers(Long siteId) {
            return everySite || (siteId != null && sites.contains(siteId));
        }
    }

    static final DeniedParties NONE = new DeniedParties(List.of());

    private final Map<Kind, Map<String, Scope>> byKind = new EnumMap<>(Kind.class);
    private final int size;

    DeniedParties(List<Entry> entries) {
        for (Kind k : Kind.values()) {
            byKind.put(k, new HashMap<>());
        }
        for (Entry e : entries) {
            Scope scope = byKind.get(e.kind()).computeIfAbsent(e.value(), v -> new Scope());
            if (e.siteId() == null) {
                scope.everySite = true;
            } else {
                scope.sites.add(e.siteId());
            }
        }
        this.size = entries.size();
    }

    int size() {
        return size;
    }

    /**
     * The first row that {@code identity} matches.
     *
     * @param siteId the site the caller addresses, or null when unknown (only rows of every site apply)
     */
    Optional<Denial> match(Identity identity, Long siteId) {
        for (String email : emails(identity)) {
            if (covered(Kind.EMAIL, email, siteId)) {
                return Optional.of(new Denial(Denial.Rule.DENIED_EMAIL, email));
            }
            String domain = normalise(Kind.DOMAIN, email.substring(email.lastIndexOf('@') + 1));
            while (domain != null && !domain.isEmpty()) {
                if (covered(Kind.DOMAIN, domain, siteId)) {
                    return Optional.of(new Denial(Denial.Rule.DENIED_DOMAIN, domain));
                }
                int dot = domain.indexOf('.');
                domain = dot < 0 ? "" : domain.substring(dot + 1);
            }
        }
        for (String org : new String[] {identity.organizationName(), identity.organizationId()}) {
            String value = normalise(Kind.ORGANIZATION, org);
            if (value != null && covered(Kind.ORGANIZATION, value, siteId)) {
                return Optional.of(new Denial(Denial.Rule.DENIED_ORGANIZATION, value));
            }
        }
        return Optional.empty();
    }

    private boolean covered(Kind kind, String value, Long siteId) {
        Scope s = byKind.get(kind).get(value);
        return s != null && s.covers(siteId);
    }

    /** The email address and, when it has the shape of one, the user name. */
    private static List<String> emails(Identity identity) {
        List<String> out = new ArrayList<>(2);
        for (String candidate : new String[] {identity.email(), identity.userName()}) {
            String e = normalise(Kind.EMAIL, candidate);
            if (e != null && e.indexOf('@') > 0 && e.indexOf('@') < e.length() - 1 && !out.contains(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The form in which a value is stored and compared: trimmed and lower-case; a domain without a
     * leading {@code @}, {@code *.} or {@code .} and without a trailing dot; an organization with
     * its inner white space collapsed.
     *
     * @return the normalised value, or null when nothing is left
     */
    static String normalise(Kind kind, String raw) {
        if (raw == null) {
            return null;
        }
        String v = raw.trim().toLowerCase(Locale.ROOT);
        switch (kind) {
            case DOMAIN:
                v = v.replaceFirst("^(\\*\\.|@|\\.)+", "");
                while (v.endsWith(".")) {
                    v = v.substring(0, v.length() - 1);
                }
                break;
            case ORGANIZATION:
                v = v.replaceAll("\\s+", " ");
                break;
            default:
                break;
        }
        return v.isEmpty() ? null : v;
    }
}
