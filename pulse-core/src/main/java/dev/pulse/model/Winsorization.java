package dev.pulse.model;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Caps each per-unit value of a metric (X, and Y for mean and ratio; their pre-period values under
 * CUPED too) at its {@code lower} and {@code upper} quantiles over all counted units of the
 * experiment, every group pooled.
 *
 * @param lower the quantile below which values are raised to it, in (0, 1); empty: no lower cap
 * @param upper the quantile above which values are lowered to it, in (0, 1); empty: no upper cap
 */
public record Winsorization(OptionalDouble lower, OptionalDouble upper) {
    public Winsorization {
        Objects.requireNonNull(lower);
        Objects.requireNonNull(upper);
        if (lower.isEmpty() && upper.isEmpty()) {
            throw new IllegalArgumentException("winsorization needs a lower or an upper quantile");
        }
        checkQuantile("lower", lower);
        checkQuantile("upper", upper);
        if (lower.isPresent() && upper.isPresent() && !(lower.getAsDouble() < upper.getAsDouble())) {
            throw new IllegalArgumentException("lower quantile " + lower.getAsDouble()
                    + " must be below upper quantile " + upper.getAsDouble());
        }
    }

    /** Caps on both sides. */
    public static Winsorization between(double lower, double upper) {
        return new Winsorization(OptionalDouble.of(lower), OptionalDouble.of(upper));
    }

    private static void checkQuantile(String which, OptionalDouble quantile) {
        if (quantile.isPresent() && !(quantile.getAsDouble() > 0 && quantile.getAsDouble() < 1)) {
            throw new IllegalArgumentException(which + " quantile must be in (0, 1): " + quantile.getAsDouble());
        }
    }
}
