package io.parley.compliance;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * The identity bound to the caller's chat session, for screening {@code requestEngagement}
 * against the denied-party list. The engagement side implements it.
 *
 * <p>It is called by the {@link ExportComplianceFilter}, which runs before the AuthFilter: the
 * token on the request has not been verified yet. An implementation may use it only to find the
 * session (by the token's {@code jti}), never to grant anything; a token that does not verify is
 * refused by the AuthFilter afterwards anyway.
 */
@FunctionalInterface
public interface SessionIdentities {

    /**
     * The identity of the session the request's credentials name.
     *
     * @param request the request, with the client address already resolved
     * @return the identity, or empty when the request names no known session
     */
    Optional<Identity> forRequest(HttpServletRequest request);
}
