package io.parley.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(1_000);

    @Test
    void hashVerifiesTheSamePassword() {
        String stored = hasher.hash("s3cret".toCharArray());
        assertTrue(stored.startsWith("pbkdf2-sha256$1000$"), stored);
        assertTrue(hasher.verify("s3cret".toCharArray(), stored));
    }

    @Test
    void hashDoesNotVerifyAnotherPassword() {
        String stored = hasher.hash("s3cret".toCharArray());
        assertFalse(hasher.verify("s3cret ".toCharArray(), stored));
        assertFalse(hasher.verify(new char[0], stored));
    }

    @Test
    void samePasswordHashesDifferentlyEachTime() {
        assertNotEquals(hasher.hash("pw".toCharArray()), hasher.hash("pw".toCharArray()));
    }

    @Test
    void storedIterationCountIsHonouredWhenTheDefaultChanges() {
        String stored = new PasswordHasher(2_000).hash("pw".toCharArray());
        assertTrue(hasher.verify("pw".toCharArray(), stored));
    }

    @Test
    void malformedStoredValueNeverMatches() {
        assertFalse(hasher.verify("pw".toCharArray(), null));
        assertFalse(hasher.verify("pw".toCharArray(), ""));
        assertFalse(hasher.verify("pw".toCharArray(), "pw"));
        assertFalse(hasher.verify("pw".toCharArray(), "md5$1$abc$def"));
        assertFalse(hasher.verify("pw".toCharArray(), "pbkdf2-sha256$x$abc$def"));
        assertFalse(hasher.verify("pw".toCharArray(), "pbkdf2-sha256$1000$!!!$###"));
    }
}
