package io.parley.auth;

/**
 * Why a token was refused. The reason is for the log; the client learns only that the token is
 * not valid (or that it expired).
 *
 * @param reason the first problem found
 */
public record TokenRejection(Reason reason) implements TokenCheck {

    /** The problems a token can have. */
    public enum Reason {
        /** Longer than {@code jwt.maxTokenBytes}; refused before parsing. */
        TOO_LARGE,
        /** Not a compact JWS at all, or unreadable parts or claims. */
        MALFORMED,
        /** A JWE (five parts): Parley issues signed tokens only. */
        NOT_JWS,
        /** {@code alg} is {@code none}, HMAC or another algorithm not in {@code jwt.algorithms}. */
        ALGORITHM_NOT_ALLOWED,
        /** No {@code kid}, or one that is not among Parley's keys. */
        UNKNOWN_KEY,
        /** The signature does not verify with the key the {@code kid} names. */
        BAD_SIGNATURE,
        /** {@code exp} has passed (beyond the clock skew). */
        EXPIRED,
        /** {@code nbf} lies in the future (beyond the clock skew). */
        NOT_YET_VALID,
        /** {@code iss} is not this Parley's issuer. */
        WRONG_ISSUER,
        /** {@code aud} is not the site of the request. */
        WRONG_AUDIENCE,
        /** A required claim ({@code exp}, {@code iss}, {@code aud}, {@code sub}, {@code jti}) is absent. */
        MISSING_CLAIM
    }
}
