package dev.pulse.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a treatment's effect among the units of one subpopulation (one dimension value) differs from its effect
 * among all the other units of the experiment: a test of interaction between the treatment and the subpopulation.
 * The two effects are estimated over disjoint units, so they are independent, and the difference of two independent
 * estimates is tested as Altman &amp; Bland describe ("Interaction revisited: the difference between two estimates",
 * BMJ 326:219, 2003):
 *
 * <pre>
 *   D = Δ_value − Δ_rest,   SE(D) = √(SE_value² + SE_rest²)
 * </pre>
 *
 * <p>Each Δ is the absolute effect (treatment value minus control value) of a {@link Comparison}, whose degrees of
 * freedom ν are Welch–Satterthwaite's over its two groups. Over the four groups together Welch–Satterthwaite gives
 * (Satterthwaite, Biometrics Bulletin 2(6), 1946)
 *
 * <pre>
 *   ν = (V_value + V_rest)² / (V_value²/ν_value + V_rest²/ν_rest),   V = SE²
 * </pre>
 *
 * <p>since {@code V²/ν = Σ V_g²/(n_g − 1)} over a comparison's groups. The p-value is two-sided against Student's t
 * with ν (the standard normal when either comparison has no ν, as regression-adjusted comparisons may): a difference
 * in either direction is worth flagging, whatever the metric's tested direction. This is the comparison Statsig's
 * Differential Impact Detection makes (a Welch test of a segment's effect against the rest's).
 */
public final class EffectHeterogeneity {
    private EffectHeterogeneity() {}

    /**
     * The test's figures; null when undefined, with the reason among {@code warnings}.
     *
     * @param difference       {@code D = Δ_value − Δ_rest} with its standard error and two-sided {@code 1 − alpha} interval
     * @param degreesOfFreedom ν, or null when the normal reference was used or nothing could be tested
     * @param pValue           two-sided p-value of {@code D = 0}, or null
     */
    public record Result(Interval difference, Double degreesOfFreedom, Double pValue, List<String> warnings) {
        public Result {
            Objects.requireNonNull(difference);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Tests the difference of two independent effects, each an {@link Interval} of an absolute effect with its
     * degrees of freedom (null: unknown, the normal reference).
     *
     * @param alpha level of the difference's interval, in (0, 1)
     */
    public static Result compare(Interval value, Double valueDegrees, Interval rest, Double restDegrees, double alpha) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(rest, "rest");
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        List<String> warnings = new ArrayList<>();
        Interval none = new Interval(null, null, null, null);
        if (value.estimate() == null || rest.estimate() == null) {
            warnings.add(value.estimate() == null ? "no effect among the value's units" : "no effect among the other units");
            return new Result(none, null, null, warnings);
        }
        double difference = value.estimate() - rest.estimate();
        if (value.stdError() == null || rest.stdError() == null) {
            warnings.add("no standard error of the value's or the other units' effect");
            return new Result(new Interval(difference, null, null, null), null, null, warnings);
        }
        double valueVariance = value.stdError() * value.stdError();
        double restVariance = rest.stdError() * rest.stdError();
        double variance = valueVariance + restVariance;
        if (!(variance > 0.0) || !Double.isFinite(variance)) {
            warnings.add("zero variance of both effects: no interval or p-value");
            return new Result(new Interval(difference, variance == 0.0 ? 0.0 : null, null, null), null, null, warnings);
        }
        double standardError = Math.sqrt(variance);
        Double degrees = null;
        if (valueDegrees != null && restDegrees != null) {
            // a comparison with zero variance contributes nothing to either sum
            double denominator = (valueVariance == 0.0 ? 0.0 : valueVariance * valueVariance / valueDegrees)
                    + (restVariance == 0.0 ? 0.0 : restVariance * restVariance / restDegrees);
            degrees = variance * variance / denominator;
        }
        double reference = degrees == null ? Double.POSITIVE_INFINITY : degrees;
        double quantile = Distributions.studentQuantile(1.0 - alpha / 2.0, reference);
        double pValue = Distributions.studentTwoSidedPValue(difference / standardError, reference);
        return new Result(new Interval(difference, standardError, difference - quantile * standardError,
                difference + quantile * standardError), degrees, pValue, warnings);
    }
}
