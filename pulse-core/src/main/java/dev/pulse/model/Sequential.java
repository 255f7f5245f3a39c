package dev.pulse.model;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * An always-valid sequential test (mixture SPRT with a normal mixing distribution) instead of a
 * fixed-horizon test.
 *
 * @param minUnits units each group needs before the test is evaluated, at least 1
 * @param tau      the mixing distribution's standard deviation on the absolute-lift scale, as a
 *                 fraction of the control value; empty: the statistics core's default
 */
public record Sequential(long minUnits, OptionalDouble tau) {
    /** Units each group needs before always-valid figures are shown, when the config gives none. */
    public static final long DEFAULT_MIN_UNITS = 100;

    public Sequential {
        Objects.requireNonNull(tau);
        if (minUnits < 1) {
            throw new IllegalArgumentException("min units must be at least 1: " + minUnits);
        }
        if (tau.isPresent() && !(tau.getAsDouble() > 0 && Double.isFinite(tau.getAsDouble()))) {
            throw new IllegalArgumentException("tau must be a positive finite number: " + tau.getAsDouble());
        }
    }

    /** A sequential test with the default tau. */
    public Sequential(long minUnits) {
        this(minUnits, OptionalDouble.empty());
    }
}
