package io.parley.api.consumer;

import io.parley.auth.ConsumerSession;
import io.parley.auth.VerifiedToken;
import io.parley.compliance.ExportComplianceFilter;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What the filters found out about the caller, as the consumer resource reads it from the
 * request: the verified token's chat session, the checked consumer session, the compliance
 * verdict on a sessionless call. Missing attributes mean the filter chain was bypassed: a bug,
 * answered as an internal error rather than served unauthenticated.
 */
public final class ConsumerCallers {

    /** The chat session (token jti) of a {@code requestEngagement} whose token the AuthFilter verified. */
    String chatSessionId(HttpServletRequest request) {
        Object token = request.getAttribute(VerifiedToken.ATTRIBUTE);
        if (!(token instanceof VerifiedToken t)) {
            throw new IllegalStateException("requestEngagement reached the resource without a verified token");
        }
        return t.jti();
    }

    /** The consumer session the AuthFilter checked. */
    ConsumerSession session(HttpServletRequest request) {
        Object s = request.getAttribute(ConsumerSession.ATTRIBUTE);
        if (!(s instanceof ConsumerSession session)) {
            throw new IllegalStateException("A session call reached the resource without a checked SessionId");
        }
        return session;
    }

    /** Whether export compliance denied this caller (only sessionless calls get this far when denied). */
    boolean complianceDenied(HttpServletRequest request) {
        return Boolean.TRUE.equals(request.getAttribute(ExportComplianceFilter.DENIED_ATTRIBUTE));
    }
}
