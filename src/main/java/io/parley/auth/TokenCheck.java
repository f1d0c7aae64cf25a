package io.parley.auth;

/** The outcome of {@link TokenService#verify}: a {@link VerifiedToken} or a {@link TokenRejection}. */
public sealed interface TokenCheck permits VerifiedToken, TokenRejection {
}
