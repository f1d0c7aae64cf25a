package io.parley.auth;

import java.security.Principal;

/**
 * Who made a request, as the AuthFilter established it: the request's
 * {@link jakarta.servlet.http.HttpServletRequest#getUserPrincipal() user principal}, which resources
 * read through JAX-RS's {@code SecurityContext}. A request that reaches a resource always has one.
 *
 * <p>{@link #getName()} is safe to log: it never carries a credential (a session id is one).
 */
public sealed interface Caller extends Principal
        permits Visitor, AccountPrincipal, VerifiedToken, ConsumerCaller, AgentPrincipal {
}
