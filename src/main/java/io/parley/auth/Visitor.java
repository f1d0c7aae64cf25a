package io.parley.auth;

/**
 * A caller without credentials, on a path anyone may call: health, metrics, the signing keys, the
 * pages, queue statistics and pre-routing.
 *
 * @param complianceDenied export compliance denied the caller's country; the only such calls that get
 *                         this far are queue statistics, which then show no availability
 */
public record Visitor(boolean complianceDenied) implements Caller {

    @Override
    public String getName() {
        return "visitor";
    }
}
