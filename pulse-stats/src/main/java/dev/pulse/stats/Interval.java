package dev.pulse.stats;

/**
 * An estimate with its standard error and two-sided confidence interval. Any field is {@code null}
 * when undefined (DESIGN §5), never NaN.
 *
 * @param estimate the point estimate, or null
 * @param stdError its standard error, {@code >= 0}, or null
 * @param lower lower end of the confidence interval, or null
 * @param upper upper end of the confidence interval, or null
 */
public record Interval(Double estimate, Double stdError, Double lower, Double upper) {

    /**
     * Rejects values that are present but not finite, and a negative standard error.
     *
     * @throws IllegalArgumentException if a present value is NaN or infinite, or stdError is negative
     */
    public Interval {
        requireFiniteOrNull("estimate", estimate);
        requireFiniteOrNull("stdError", stdError);
        requireFiniteOrNull("lower", lower);
        requireFiniteOrNull("upper", upper);
        if (stdError != null && stdError < 0.0) {
            throw new IllegalArgumentException("stdError must be >= 0, got " + stdError);
        }
    }

    private static void requireFiniteOrNull(String name, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite or null, got " + value);
        }
    }
}
