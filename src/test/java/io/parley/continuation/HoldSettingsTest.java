package io.parley.continuation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The default cap on held requests follows the process's open-file limit, within what the heap carries. */
class HoldSettingsTest {

    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    void theOpenFileLimitDecidesWhenTheHeapIsLargeEnough() {
        assertEquals(19_400, HoldSettings.defaultMaxHeld(OptionalLong.of(20_000), 6 * GIB));
        assertEquals(65_536 - 600, HoldSettings.defaultMaxHeld(OptionalLong.of(65_536), 16 * GIB));
    }

    @Test
    void aSmallHeapCapsItWhateverTheOpenFileLimit() {
        assertEquals(5_242, HoldSettings.defaultMaxHeld(OptionalLong.of(1_048_576), GIB));
        assertEquals(1_966, HoldSettings.defaultMaxHeld(OptionalLong.of(20_000), 384L * 1024 * 1024));
    }

    @Test
    void withoutALimitToReadItKeepsTheFormerDefault() {
        assertEquals(15_000, HoldSettings.defaultMaxHeld(OptionalLong.empty(), 6 * GIB));
    }

    @Test
    void neverBelowAHundred() {
        assertEquals(100, HoldSettings.defaultMaxHeld(OptionalLong.of(256), 6 * GIB));
    }

    @Test
    void thisProcessHasALimitToRead() {
        // Linux, as everywhere Parley is tested and run.
        assertTrue(HoldSettings.openFileLimit().isPresent());
    }
}
