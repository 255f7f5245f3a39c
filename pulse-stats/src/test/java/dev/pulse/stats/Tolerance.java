package dev.pulse.stats;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** Closeness checks for tests: relative tolerance with an absolute floor for values near 0. */
final class Tolerance {
    private Tolerance() {}

    /** Passes when {@code |actual − expected| <= relative·|expected| + absolute}. */
    static void assertClose(double expected, Double actual, double relative, double absolute, String what) {
        assertNotNull(actual, what + " is null, expected " + expected);
        double allowed = relative * Math.abs(expected) + absolute;
        if (!(Math.abs(actual - expected) <= allowed)) {
            fail(what + ": expected " + expected + " but was " + actual + " (difference "
                    + Math.abs(actual - expected) + " > allowed " + allowed + ")");
        }
    }

    /** Relative tolerance only. */
    static void assertRelative(double expected, Double actual, double relative, String what) {
        assertClose(expected, actual, relative, 0.0, what);
    }
}
