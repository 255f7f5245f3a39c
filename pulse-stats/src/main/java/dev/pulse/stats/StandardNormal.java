package dev.pulse.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Erf;

/**
 * The standard normal density, distribution function and quantile, for the sequential and Bayesian
 * summaries. Like {@link Distributions}, the commons-math3 distribution is built with a {@code null}
 * random generator (no clock-seeded generator in {@code pulse-stats}).
 */
final class StandardNormal {

    /** Absolute accuracy asked of the inverse-normal solver (the library default is 1e-9). */
    private static final double INVERSE_ACCURACY = 1e-12;

    private static final double INVERSE_ROOT_TWO_PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private StandardNormal() {}

    /** {@code φ(x) = exp(−x²/2) / √(2π)}. */
    static double density(double x) {
        return INVERSE_ROOT_TWO_PI * Math.exp(-0.5 * x * x);
    }

    /**
     * {@code Φ(x) = erfc(−x/√2) / 2}, which keeps relative accuracy in the lower tail where
     * {@code 1 − Φ(−x)} would cancel.
     */
    static double cumulative(double x) {
        return 0.5 * Erf.erfc(-x / Math.sqrt(2.0));
    }

    /** {@code Φ⁻¹(probability)} for a probability in (0, 1). */
    static double quantile(double probability) {
        return new NormalDistribution(null, 0.0, 1.0, INVERSE_ACCURACY).inverseCumulativeProbability(probability);
    }
}
