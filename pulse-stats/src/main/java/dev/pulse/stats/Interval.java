package dev.pulse.stats;

/**
 * An estimate with its standard error and confidence interval. Any field is {@code null} when
 * undefined (docs/statistics.md#undefined-cases), never NaN or infinite.
 *
 * <p><b>Unbounded ends.</b> A one-sided interval ({@link Direction#INCREASE} or
 * {@link Direction#DECREASE}) and a Fieller interval whose control is too noisy
 * ({@link RelativeInterval#FIELLER}) have an end at −∞ or +∞. Such an end is {@code null} <em>and</em>
 * its flag ({@link #lowerUnbounded()} or {@link #upperUnbounded()}) is {@code true}. A {@code null}
 * end with a {@code false} flag is undefined (too few units, zero variance …; a warning says why).
 * An interval that could not be computed at all has both ends null and both flags false, whatever
 * the direction.
 *
 * @param estimate the point estimate, or null
 * @param stdError its standard error, {@code >= 0}, or null
 * @param lower lower end of the confidence interval, or null (undefined, or −∞ when
 *     {@code lowerUnbounded})
 * @param upper upper end of the confidence interval, or null (undefined, or +∞ when
 *     {@code upperUnbounded})
 * @param lowerUnbounded true when the interval extends to −∞; then {@code lower} is null
 * @param upperUnbounded true when the interval extends to +∞; then {@code upper} is null
 */
public record Interval(Double estimate, Double stdError, Double lower, Double upper, boolean lowerUnbounded,
        boolean upperUnbounded) {

    /**
     * Rejects values that are present but not finite, a negative standard error, and an unbounded
     * flag next to a present end.
     *
     * @throws IllegalArgumentException if a present value is NaN or infinite, stdError is negative,
     *     or an end is both present and flagged unbounded
     */
    public Interval {
        requireFiniteOrNull("estimate", estimate);
        requireFiniteOrNull("stdError", stdError);
        requireFiniteOrNull("lower", lower);
        requireFiniteOrNull("upper", upper);
        if (stdError != null && stdError < 0.0) {
            throw new IllegalArgumentException("stdError must be >= 0, got " + stdError);
        }
        if (lowerUnbounded && lower != null) {
            throw new IllegalArgumentException("an unbounded lower end must be null, got " + lower);
        }
        if (upperUnbounded && upper != null) {
            throw new IllegalArgumentException("an unbounded upper end must be null, got " + upper);
        }
    }

    /**
     * A two-sided interval whose ends, when null, are undefined (not unbounded): the original
     * four-component form.
     *
     * @throws IllegalArgumentException if a present value is NaN or infinite, or stdError is negative
     */
    public Interval(Double estimate, Double stdError, Double lower, Double upper) {
        this(estimate, stdError, lower, upper, false, false);
    }

    private static void requireFiniteOrNull(String name, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite or null, got " + value);
        }
    }
}
