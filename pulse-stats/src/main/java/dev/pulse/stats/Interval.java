package dev.pulse.stats;

/**
 * An estimate with its standard error and two-sided confidence interval. Any field is {@code null}
 * when undefined (DESIGN §5), never NaN.
 */
public record Interval(Double estimate, Double stdError, Double lower, Double upper) {
}
