package dev.pulse.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/**
 * The few distribution functions the statistics need, on commons-math3 3.6.1. Distributions are
 * built with a {@code null} random generator: the library's default constructors seed a generator
 * from the clock, which {@code pulse-stats} must not do (STYLE: no clocks or randomness); sampling
 * is never used.
 */
final class Distributions {

    /**
     * Above this many degrees of freedom Student's t is replaced by the standard normal. The
     * difference of the 0.975 quantiles is about {@code (z³ + z)/(4ν)} (Abramowitz &amp; Stegun
     * 26.7.5), below 3·10⁻⁷ here, while the incomplete-beta evaluation of the t distribution loses
     * accuracy as ν grows.
     */
    static final double NORMAL_APPROXIMATION_DEGREES = 1e7;

    /** Absolute accuracy asked of the inverse-t solver (the library default is 1e-9). */
    private static final double INVERSE_ACCURACY = 1e-12;

    private Distributions() {}

    /**
     * The quantile {@code t(probability, ν)} of Student's t, or of the standard normal when
     * {@code ν > NORMAL_APPROXIMATION_DEGREES} or infinite.
     *
     * @param probability in (0, 1)
     * @param degreesOfFreedom {@code > 0}
     */
    static double studentQuantile(double probability, double degreesOfFreedom) {
        if (degreesOfFreedom > NORMAL_APPROXIMATION_DEGREES) {
            return normalQuantile(probability);
        }
        return new TDistribution(null, degreesOfFreedom, INVERSE_ACCURACY).inverseCumulativeProbability(probability);
    }

    /**
     * Two-sided p-value {@code 2·P(T_ν > |statistic|)}, computed as {@code 2·F(−|statistic|)} so small
     * p-values keep their relative accuracy (no {@code 1 − F} cancellation); normal tail
     * {@code erfc(|z|/√2)} above {@link #NORMAL_APPROXIMATION_DEGREES}.
     */
    static double studentTwoSidedPValue(double statistic, double degreesOfFreedom) {
        double magnitude = Math.abs(statistic);
        if (degreesOfFreedom > NORMAL_APPROXIMATION_DEGREES) {
            return Erf.erfc(magnitude / Math.sqrt(2.0));
        }
        double lowerTail = new TDistribution(null, degreesOfFreedom, INVERSE_ACCURACY).cumulativeProbability(-magnitude);
        return Math.min(1.0, 2.0 * lowerTail);
    }

    /**
     * One-sided p-value {@code P(T_ν > statistic)}, computed as {@code F(−statistic)} (no {@code 1 − F}
     * cancellation for large statistics); normal tail {@code ½·erfc(statistic/√2)} above
     * {@link #NORMAL_APPROXIMATION_DEGREES}.
     */
    static double studentUpperTail(double statistic, double degreesOfFreedom) {
        if (degreesOfFreedom > NORMAL_APPROXIMATION_DEGREES) {
            return normalUpperTail(statistic);
        }
        return new TDistribution(null, degreesOfFreedom, INVERSE_ACCURACY).cumulativeProbability(-statistic);
    }

    /** The standard normal quantile {@code z(probability)}, probability in (0, 1). */
    static double normalQuantile(double probability) {
        return new NormalDistribution(null, 0.0, 1.0, INVERSE_ACCURACY).inverseCumulativeProbability(probability);
    }

    /** {@code P(Z > statistic) = ½·erfc(statistic/√2)} for a standard normal Z, accurate in the far tail. */
    static double normalUpperTail(double statistic) {
        return 0.5 * Erf.erfc(statistic / Math.sqrt(2.0));
    }

    /**
     * Upper tail {@code P(χ²_k > statistic)} as the regularized upper incomplete gamma function
     * {@code Q(k/2, statistic/2)} (Abramowitz &amp; Stegun 26.4.19), accurate for tiny p-values.
     */
    static double chiSquareUpperTail(double statistic, int degreesOfFreedom) {
        return Gamma.regularizedGammaQ(degreesOfFreedom / 2.0, statistic / 2.0);
    }
}
