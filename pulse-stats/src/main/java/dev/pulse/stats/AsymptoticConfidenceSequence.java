package dev.pulse.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The asymptotic confidence sequence GrowthBook uses for its sequential testing, so that numbers can be
 * reconciled with GrowthBook's: Waudby-Smith, Arnold, Wu, Ramdas et al., "Time-uniform central limit
 * theory and asymptotic confidence sequences", arXiv:2103.06476 (2021; v7, 2023): Theorem 2.2 with eq. (9)
 * (the two-sided asymptotic confidence sequence), the appendix on choosing ρ (eq. (161)) and the mixture
 * e-value (eq. (155)); equation numbers as GrowthBook's code cites them, not checked against the printed
 * paper. GrowthBook's {@code gbstats} ({@code frequentist/tests.py},
 * {@code SequentialTwoSidedTTest}) applies it to the two-sample estimate with {@code t = n_c + n_t} and
 * {@code σ̂² = t·SE²}.
 *
 * <p>With the tuning parameter {@code N*} (the sample size at which the interval is tightest; GrowthBook's
 * default 5000):
 * <pre>
 *   ρ²       = (−2 ln α + ln(1 − 2 ln α)) / N*
 *   halfwidth = σ̂ · √( 2(tρ² + 1)/(t²ρ²) · ln(√(tρ² + 1)/α) ) = SE · √( 2(k + 1)/k · ln(√(k + 1)/α) ),  k = tρ²
 *   E        = exp( ρ² t (Δ̂/σ̂)² t / (2(tρ² + 1)) ) / √(tρ² + 1) = exp(z² k/(2(1 + k))) / √(1 + k),  z = Δ̂/SE
 *   p        = min(1, 1/E)
 * </pre>
 * This is algebraically the normal-mixture SPRT of {@link AlwaysValidInference#test} with the mixing
 * variance {@code τ² = k·SE² = ρ²σ̂²}: the mixing scale follows the estimate's own per-unit spread
 * σ̂ instead of a fraction of the control value, so it is evaluated through that method. The guarantee is
 * asymptotic (σ̂ is estimated, the estimate only approximately normal): coverage over all looks is
 * approximately ≥ 1 − α.
 *
 * <p>As in GrowthBook, each look is evaluated on its own (no running intersection or running minimum),
 * and the relative lift uses its delta-method SE from the {@link Comparison}. Below a chosen minimum of
 * units per arm no interval or p-value is given.
 */
public final class AsymptoticConfidenceSequence {

    /** GrowthBook's default tuning parameter N* ({@code sequential_tuning_parameter = 5000}). */
    public static final double DEFAULT_TUNING = 5000;

    private AsymptoticConfidenceSequence() {}

    /**
     * The mixture parameter {@code ρ = √((−2 ln α + ln(1 − 2 ln α))/N*)} that makes the two-sided
     * confidence sequence tightest at about {@code t = N*} (Waudby-Smith et al., eq. (161)).
     *
     * @param alpha level, in (0, 1)
     * @param tuning N*, finite and {@code > 0}
     * @throws IllegalArgumentException if an argument breaks its precondition
     */
    public static double rho(double alpha, double tuning) {
        requireLevel(alpha);
        requireTuning(tuning);
        double minusTwoLogAlpha = -2.0 * Math.log(alpha);
        return Math.sqrt((minusTwoLogAlpha + Math.log1p(minusTwoLogAlpha)) / tuning);
    }

    /**
     * One look at one estimate (class comment for the formulas).
     *
     * @param estimate Δ̂, finite
     * @param standardError SE of Δ̂, finite and {@code > 0}
     * @param totalUnits t, units in both arms together, at least 1
     * @param tuning N*, finite and {@code > 0}
     * @param alpha level, in (0, 1)
     * @return the interval, p-value (= 1/E) and {@code ln E} (as {@code logLikelihoodRatio}); the
     *     {@code mixingStandardDeviation} is the equivalent mSPRT τ = ρσ̂ = ρ·SE·√t
     * @throws IllegalArgumentException if an argument breaks its precondition
     */
    public static AlwaysValidInference.Result test(double estimate, double standardError, long totalUnits,
            double tuning, double alpha) {
        if (totalUnits < 1) {
            throw new IllegalArgumentException("total units must be at least 1, got " + totalUnits);
        }
        if (!(standardError > 0.0 && Double.isFinite(standardError))) {
            throw new IllegalArgumentException("standard error must be finite and > 0, got " + standardError);
        }
        double tau = rho(alpha, tuning) * standardError * Math.sqrt((double) totalUnits);
        return AlwaysValidInference.test(estimate, standardError, tau, alpha);
    }

    /**
     * The confidence sequence of one comparison at one look: {@link #test} on its absolute lift and on its
     * relative lift (delta-method SE), with {@code t = n_c + n_t}.
     *
     * <p>Undefined (null interval ends and p-value, with a warning; the estimate and SE are kept): fewer
     * than {@code minimumUnits} units in an arm; a null or zero standard error.
     *
     * @param comparison a fixed-horizon comparison, e.g. from {@link DeltaMethodComparison#compare}
     * @param tuning N*, finite and {@code > 0}; {@link #DEFAULT_TUNING} as in GrowthBook
     * @param minimumUnits units each arm needs, at least 1
     * @param alpha level, in (0, 1)
     * @throws IllegalArgumentException if an argument breaks its precondition
     */
    public static AlwaysValidInference.SequentialComparison compare(Comparison comparison, double tuning,
            long minimumUnits, double alpha) {
        Objects.requireNonNull(comparison, "comparison");
        requireLevel(alpha);
        requireTuning(tuning);
        if (minimumUnits < 1) {
            throw new IllegalArgumentException("minimum units must be at least 1, got " + minimumUnits);
        }
        List<String> warnings = new ArrayList<>();
        boolean enough = comparison.controlUnits() >= minimumUnits && comparison.treatmentUnits() >= minimumUnits;
        if (!enough) {
            warnings.add("fewer than " + minimumUnits + " units in an arm: no confidence sequence");
        }
        long totalUnits = comparison.controlUnits() + comparison.treatmentUnits();
        AlwaysValidInference.Result absolute = one(comparison.absolute(), enough, totalUnits, tuning, alpha,
                "absolute", warnings);
        AlwaysValidInference.Result relative = one(comparison.relative(), enough, totalUnits, tuning, alpha,
                "relative", warnings);
        return new AlwaysValidInference.SequentialComparison(comparison.controlUnits(), comparison.treatmentUnits(),
                absolute, relative, warnings);
    }

    private static AlwaysValidInference.Result one(Interval look, boolean enough, long totalUnits, double tuning,
            double alpha, String what, List<String> warnings) {
        Double estimate = look.estimate();
        Double standardError = look.stdError();
        if (enough && estimate != null) {
            if (standardError != null && standardError > 0.0) {
                return test(estimate, standardError, totalUnits, tuning, alpha);
            }
            warnings.add(what + " lift: no positive standard error, no confidence sequence");
        }
        return new AlwaysValidInference.Result(new Interval(estimate, standardError, null, null), null, null, null,
                false);
    }

    private static void requireLevel(double alpha) {
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
    }

    private static void requireTuning(double tuning) {
        if (!(tuning > 0.0 && Double.isFinite(tuning))) {
            throw new IllegalArgumentException("tuning parameter N* must be finite and > 0, got " + tuning);
        }
    }
}
