package io.parley.api;

import io.parley.auth.Caller;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The caller the AuthFilter checked, as a resource method asks for it: of the kind its path requires. */
public final class Callers {

    private Callers() {
    }

    /**
     * The request's caller as {@code kind}. Anything else means the request did not come through the
     * AuthFilter's check for this path: a bug, answered as an internal error rather than served.
     */
    public static <T extends Caller> T of(SecurityContext security, Class<T> kind) {
        Principal p = security.getUserPrincipal();
        if (!kind.isInstance(p)) {
            throw new IllegalStateException("A call reached the resource without a checked " + kind.getSimpleName()
                    + " (it has " + (p == null ? "no caller" : p.getClass().getSimpleName()) + ")");
        }
        return kind.cast(p);
    }
}
