package io.parley.auth;

import java.security.PrivateKey;

/**
 * A key that signs tokens.
 *
 * @param kid        the key id written into each token's header
 * @param algorithm  the JWS algorithm, e.g. {@code RS256}
 * @param privateKey the private key
 */
public record SigningKey(String kid, String algorithm, PrivateKey privateKey) {

    /** Never prints the private key. */
    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", algorithm=" + algorithm + "]";
    }
}
