package io.parley.auth;

import java.time.Instant;

/**
 * A token that passed every check: signed by one of Parley's keys with an accepted algorithm,
 * issued by this Parley, meant for {@code site}, and valid now.
 *
 * @param jti       the token id: the id of the chat session the bootstrap call opened
 * @param site      the site (fqSiteName) the token is for
 * @param subject   who the token was issued for ({@code authUserName}, or the chat session id for anonymous consumers)
 * @param expiresAt when the token stops being accepted
 */
public record VerifiedToken(String jti, String site, String subject, Instant expiresAt) implements TokenCheck, Caller {

    /** The token's subject: a user name, or the chat session of an anonymous consumer (not a credential). */
    @Override
    public String getName() {
        return subject;
    }
}
