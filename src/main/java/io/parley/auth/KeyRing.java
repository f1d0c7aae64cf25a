package io.parley.auth;

import java.security.PublicKey;
import java.util.Optional;

/**
 * Parley's own signing keys, as the {@link TokenService} needs them: the key that signs new
 * tokens, and the public key behind a {@code kid}. No other source of keys exists: a key named or
 * embedded in a token's header ({@code jku}, {@code x5u}, {@code jwk}) is never used.
 */
public interface KeyRing {

    /** The key new tokens are signed with. */
    SigningKey signer();

    /**
     * The public key with this {@code kid}, if Parley has one that may still verify tokens (active,
     * or retired less than a token lifetime ago).
     */
    Optional<PublicKey> verificationKey(String kid);
}
