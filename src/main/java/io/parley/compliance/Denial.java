package io.parley.compliance;

/**
 * Why a caller was denied: for the audit log only, never for the client.
 *
 * @param rule  the rule that matched
 * @param match the list entry that matched (a country code, a denied-party value), or null
 */
record Denial(Rule rule, String match) {

    /** The rules that can deny a caller. */
    enum Rule {
        /** The caller's country is on the denied list (the site's own, else the server's). */
        DENIED_COUNTRY,
        /** The caller's country is unknown and the policy denies unknown countries. */
        UNKNOWN_COUNTRY,
        /** The caller's email address is a denied party. */
        DENIED_EMAIL,
        /** The domain of the caller's email address, or a parent of it, is a denied party. */
        DENIED_DOMAIN,
        /** The caller's organization (name or id) is a denied party. */
        DENIED_ORGANIZATION,
        /** The screening webhook answered DENY. */
        SCREENING_SERVICE
    }
}
