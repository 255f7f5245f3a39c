package dev.pulse.model;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * An always-valid sequential test instead of a fixed-horizon test: the normal-mixture SPRT (default) or
 * GrowthBook's asymptotic confidence sequence.
 *
 * @param minUnits units each group needs before the test is evaluated, at least 1
 * @param method   which sequential method
 * @param tau      {@code msprt} only: the mixing distribution's standard deviation on the absolute-lift
 *                 scale, as a fraction of the control value; empty: the statistics core's default
 * @param tuning   {@code growthbook} only: the tuning parameter N*, the total sample size at which the
 *                 interval is tightest; empty: GrowthBook's default 5000
 */
public record Sequential(long minUnits, SequentialMethod method, OptionalDouble tau, OptionalDouble tuning) {
    /** Units each group needs before always-valid figures are shown, when the config gives none. */
    public static final long DEFAULT_MIN_UNITS = 100;

    public Sequential {
        Objects.requireNonNull(method);
        Objects.requireNonNull(tau);
        Objects.requireNonNull(tuning);
        if (minUnits < 1) {
            throw new IllegalArgumentException("min units must be at least 1: " + minUnits);
        }
        requirePositive("tau", tau);
        requirePositive("tuning", tuning);
        if (tau.isPresent() && method != SequentialMethod.MSPRT) {
            throw new IllegalArgumentException("tau applies only to the msprt method");
        }
        if (tuning.isPresent() && method != SequentialMethod.GROWTHBOOK) {
            throw new IllegalArgumentException("tuning applies only to the growthbook method");
        }
    }

    /** The mixture SPRT with the given tau. */
    public Sequential(long minUnits, OptionalDouble tau) {
        this(minUnits, SequentialMethod.MSPRT, tau, OptionalDouble.empty());
    }

    /** The mixture SPRT with the default tau. */
    public Sequential(long minUnits) {
        this(minUnits, OptionalDouble.empty());
    }

    /** GrowthBook's confidence sequence with the given tuning parameter N* (empty: 5000). */
    public static Sequential growthBook(long minUnits, OptionalDouble tuning) {
        return new Sequential(minUnits, SequentialMethod.GROWTHBOOK, OptionalDouble.empty(), tuning);
    }

    private static void requirePositive(String name, OptionalDouble value) {
        if (value.isPresent() && !(value.getAsDouble() > 0 && Double.isFinite(value.getAsDouble()))) {
            throw new IllegalArgumentException(name + " must be a positive finite number: " + value.getAsDouble());
        }
    }
}
