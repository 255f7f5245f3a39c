package dev.pulse.api;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * An effect with its confidence interval. A figure that is undefined (too few units, zero variance, a control mean
 * of 0 for a relative effect …) is empty, never NaN; the comparison's warnings say why. A one-sided test or a
 * Fieller interval can have an end at infinity: that end is {@link Double#NEGATIVE_INFINITY} or
 * {@link Double#POSITIVE_INFINITY}.
 *
 * @param estimate      the point estimate
 * @param standardError its standard error
 * @param lower         the interval's lower end
 * @param upper         the interval's upper end
 */
public record Estimate(OptionalDouble estimate, OptionalDouble standardError, OptionalDouble lower,
                       OptionalDouble upper) {

    /**
     * Requires every part (empty, not null, when undefined).
     *
     * @param estimate the point estimate
     * @param standardError its standard error
     * @param lower the interval's lower end
     * @param upper the interval's upper end
     */
    public Estimate {
        Objects.requireNonNull(estimate, "estimate");
        Objects.requireNonNull(standardError, "standardError");
        Objects.requireNonNull(lower, "lower");
        Objects.requireNonNull(upper, "upper");
    }
}
