package dev.pulse.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Bayesian summary of the relative lift under a normal model, in the manner of GrowthBook's Bayesian
 * engine (GrowthBook documentation, "Bayesian statistics": a normal approximation of the relative effect
 * with an optional proper normal prior). The conjugate update is the normal model with known variance,
 * Gelman et al., <i>Bayesian Data Analysis</i>, 3rd ed., 2013, §2.5.
 *
 * <p>Model: the estimate {@code L̂ = R_t/R_c − 1} with delta-method standard error {@code SE_L}
 * (docs/statistics.md) is the likelihood {@code L̂ | L ~ N(L, SE_L²)}; the prior is {@code L ~ N(μ₀, σ₀²)}. The
 * posterior is normal with precision {@code 1/s² = 1/σ₀² + 1/SE_L²} and mean
 * {@code m = s²·(μ₀/σ₀² + L̂/SE_L²)}. A flat prior ({@code σ₀ = ∞}) gives {@code m = L̂}, {@code s = SE_L}.
 */
public final class BayesianSummary {

    private BayesianSummary() {}

    /**
     * A normal prior on the relative lift, as a fraction (0.05 = +5 %).
     *
     * @param mean μ₀, finite
     * @param standardDeviation σ₀, {@code > 0}; {@code +∞} for the flat (improper) prior
     */
    public record NormalPrior(double mean, double standardDeviation) {

        /** The flat prior: the posterior is the likelihood ({@code m = L̂}, {@code s = SE_L}). */
        public static final NormalPrior FLAT = new NormalPrior(0.0, Double.POSITIVE_INFINITY);

        /**
         * The default, weakly informative prior N(0, 0.3²): relative effects beyond ±60 % are a priori
         * unlikely (under 5 %), typical effects of a few percent are barely shrunk. GrowthBook offers the
         * same N(0, 0.3²) as its proper prior (its default is flat).
         */
        public static final NormalPrior DEFAULT = new NormalPrior(0.0, 0.3);

        /** Rejects a non-finite mean and a standard deviation that is not {@code > 0} (infinity allowed). */
        public NormalPrior {
            if (!Double.isFinite(mean)) {
                throw new IllegalArgumentException("prior mean must be finite, got " + mean);
            }
            if (!(standardDeviation > 0.0)) {
                throw new IllegalArgumentException("prior standard deviation must be > 0, got " + standardDeviation);
            }
        }
    }

    /**
     * The posterior summary of the relative lift; every figure null when undefined, with a warning.
     *
     * @param posterior posterior mean m, posterior standard deviation s (in the {@code stdError} field) and
     *     the equal-tailed credible interval {@code m ± Φ⁻¹(1 − α/2)·s}; never null itself
     * @param chanceToBeatControl {@code P(L > 0) = Φ(m/s)}, or null
     * @param expectedLossTreatment expected loss of shipping the treatment,
     *     {@code E[max(0, −L)] = s·φ(m/s) − m·Φ(−m/s)}, or null
     * @param expectedLossControl expected loss of keeping the control,
     *     {@code E[max(0, L)] = s·φ(m/s) + m·Φ(m/s)}, or null
     * @param warnings why a figure is null; copied
     */
    public record Result(Interval posterior, Double chanceToBeatControl, Double expectedLossTreatment,
            Double expectedLossControl, List<String> warnings) {

        /** Copies the warnings; requires the posterior interval. */
        public Result {
            Objects.requireNonNull(posterior, "posterior");
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * The posterior of the relative lift given its estimate and standard error (class comment for the
     * model). For {@code N(m, s²)}: {@code P(L > 0) = Φ(m/s)};
     * {@code E[max(0, L)] = m·Φ(m/s) + s·φ(m/s)} and {@code E[max(0, −L)] = −m·Φ(−m/s) + s·φ(m/s)} (the
     * first moment of a truncated normal; their difference is {@code E[L] = m}); credible interval
     * {@code m ± Φ⁻¹(1 − α/2)·s}. With the flat prior the credible interval is the normal-quantile
     * confidence interval {@code L̂ ± z·SE_L}.
     *
     * @param estimate L̂, finite
     * @param standardError SE_L, finite and {@code > 0}
     * @param prior the prior, e.g. {@link NormalPrior#DEFAULT} or {@link NormalPrior#FLAT}
     * @param alpha the credible interval has probability {@code 1 − alpha}, alpha in (0, 1)
     * @throws IllegalArgumentException if an argument breaks its precondition
     */
    public static Result summarize(double estimate, double standardError, NormalPrior prior, double alpha) {
        Objects.requireNonNull(prior, "prior");
        requireLevel(alpha);
        if (!Double.isFinite(estimate)) {
            throw new IllegalArgumentException("estimate must be finite, got " + estimate);
        }
        if (!(standardError > 0.0 && Double.isFinite(standardError))) {
            throw new IllegalArgumentException("standard error must be finite and > 0, got " + standardError);
        }
        // Precision-weighted mean; with σ₀ = ∞ the prior terms are exactly 0.
        double priorPrecision = 1.0 / (prior.standardDeviation() * prior.standardDeviation());
        double dataPrecision = 1.0 / (standardError * standardError);
        double variance = 1.0 / (priorPrecision + dataPrecision);
        double mean = variance * (prior.mean() * priorPrecision + estimate * dataPrecision);
        double sd = Math.sqrt(variance);
        if (!(Double.isFinite(mean) && sd > 0.0 && Double.isFinite(sd))) {
            return undefined("posterior is not finite");
        }
        double standardized = mean / sd;
        double density = StandardNormal.density(standardized);
        double above = StandardNormal.cumulative(standardized);
        double below = StandardNormal.cumulative(-standardized);
        double lossTreatment = Math.max(0.0, sd * density - mean * below);
        double lossControl = Math.max(0.0, sd * density + mean * above);
        double halfWidth = StandardNormal.quantile(1.0 - alpha / 2.0) * sd;
        Interval posterior = new Interval(mean, sd, mean - halfWidth, mean + halfWidth);
        return new Result(posterior, above, lossTreatment, lossControl, List.of());
    }

    /**
     * {@link #summarize(double, double, NormalPrior, double)} on a comparison's relative lift. Undefined
     * (null figures with a warning): no relative lift (e.g. zero control value) or no standard error, and a
     * standard error of 0 (a point-mass likelihood; no spread to summarize).
     *
     * @param comparison e.g. from {@link DeltaMethodComparison#compare} or {@link RegressionAdjustment#compare}
     * @param prior the prior on the relative lift
     * @param alpha level of the credible interval, in (0, 1)
     * @throws IllegalArgumentException if alpha is not in (0, 1)
     */
    public static Result summarize(Comparison comparison, NormalPrior prior, double alpha) {
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(prior, "prior");
        requireLevel(alpha);
        Interval relative = comparison.relative();
        if (relative.estimate() == null) {
            return undefined("no relative lift: no posterior");
        }
        if (relative.stdError() == null || !(relative.stdError() > 0.0)) {
            return undefined("relative lift has no positive standard error: no posterior");
        }
        return summarize(relative.estimate(), relative.stdError(), prior, alpha);
    }

    private static Result undefined(String warning) {
        List<String> warnings = new ArrayList<>();
        warnings.add(warning);
        return new Result(new Interval(null, null, null, null), null, null, null, warnings);
    }

    private static void requireLevel(double alpha) {
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
    }
}
