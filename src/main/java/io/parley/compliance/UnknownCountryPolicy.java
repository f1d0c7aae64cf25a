package io.parley.compliance;

/** What happens to a caller whose country cannot be determined. */
public enum UnknownCountryPolicy {
    /** The caller is let through. */
    ALLOW,
    /** The caller is denied, as if their country were on the denied list. */
    DENY
}
