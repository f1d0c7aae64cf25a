package io.parley.compliance;

/**
 * The audit log of export compliance: one line per caller turned away, on its own logger
 * ({@value #LOGGER}) so that operators can route it to a file of its own. For example:
 * <pre>
 * DENY rule=DENIED_COUNTRY match=IR address=203.0.113.9 country=IR site=demo method=POST path=/engagement/api/consumer/demo/v1/getMessages answer=403
 * </pre>
 * {@code answer} is {@code 403}, {@code no-availability} (a {@code getQueueStats} call answered as
 * if no agent were available) or {@code 504} (the screening webhook could not decide; the line
 * then starts with {@code UNSCREENED}). Values are stripped of anything but printable ASCII.
 */
final class ComplianceAudit {

    /** The name of the audit logger. */
    static final String LOGGER = "io.parley.audit.compliance";

    private static final System.Logger AUDIT = System.getLogger(LOGGER);
    private static final int MAX_VALUE = 200;

    /** Where a request came from and where it went. */
    record Caller(String address, String country, String site, String method, String path) {
    }

    void denied(Denial denial, Caller caller, String answer) {
        AUDIT.log(System.Logger.Level.INFO, "DENY rule={0} match={1} address={2} country={3} site={4} method={5}"
                        + " path={6} answer={7}", denial.rule(), clean(denial.match()), clean(caller.address()),
                clean(caller.country()), clean(caller.site()), clean(caller.method()), clean(caller.path()), answer);
    }

    void unscreened(String reason, Caller caller) {
        AUDIT.log(System.Logger.Level.WARNING, "UNSCREENED rule=SCREENING_SERVICE address={0} country={1} site={2}"
                        + " method={3} path={4} answer=504 reason={5}", clean(caller.address()), clean(caller.country()),
                clean(caller.site()), clean(caller.method()), clean(caller.path()), clean(reason));
    }

    /** A value safe for one log line: printable ASCII without spaces, bounded; "-" when absent. */
    static String clean(String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), MAX_VALUE));
        for (int i = 0; i < value.length() && b.length() < MAX_VALUE; i++) {
            char c = value.charAt(i);
            b.append(c > ' ' && c < 127 ? c : '_');
        }
        return b.toString();
    }
}
