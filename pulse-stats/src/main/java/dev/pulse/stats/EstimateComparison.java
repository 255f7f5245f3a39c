package dev.pulse.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The comparison of docs/statistics.md from each arm's value and variance instead of its moments, for estimators
 * that are not plain ratios of means (the regression-adjusted values of {@link RegressionAdjustment}).
 * The per-arm warnings are those of {@link DeltaMethodComparison#compare}, and the arithmetic after them
 * is the same code ({@link DeltaMethodComparison#fromEstimates}), so the same inputs give the same
 * {@link Comparison} bit for bit.
 */
final class EstimateComparison {

    private EstimateComparison() {}

    /**
     * One arm's estimate of its value and the variance of that estimate, each null when undefined. The value
     * is {@code shift + shifted}, as in {@link DeltaMethodComparison.GroupEstimate}: arms with the same shift
     * are compared on their shifted values.
     *
     * @param moments the arm's analysis-period moments (for n and for the reason a figure is undefined)
     * @param shift the constant the value is measured from
     * @param shifted the arm's value less {@code shift}, or null
     * @param variance the variance of the value, {@code >= 0}, or null
     */
    record Estimate(GroupMoments moments, double shift, Double shifted, Double variance) {

        /** {@code shift + shifted}, or null. */
        Double value() {
            return shifted == null ? null : shift + shifted;
        }
    }

    /**
     * As {@link DeltaMethodComparison#compare} with {@code (R, V)} taken from the estimates: Δ, SE,
     * Welch–Satterthwaite ν, CI, p-value, relative lift with {@code SE_L = √(V_t + (R_t/R_c)² V_c) / |R_c|},
     * in the direction and with the relative interval of {@code options}.
     */
    static Comparison compare(Estimate control, Estimate treatment, DeltaMethodComparison.Options options) {
        List<String> warnings = new ArrayList<>();
        Estimate c = checked("control", control, warnings);
        Estimate t = checked("treatment", treatment, warnings);
        return DeltaMethodComparison.fromEstimates(
                new DeltaMethodComparison.GroupEstimate(control.moments().n(), c.shift(), c.shifted(), c.variance()),
                new DeltaMethodComparison.GroupEstimate(treatment.moments().n(), t.shift(), t.shifted(), t.variance()),
                options, warnings);
    }

    /** The estimate with the warning DeltaMethodComparison gives for the first reason a figure is missing. */
    private static Estimate checked(String role, Estimate estimate, List<String> warnings) {
        GroupMoments moments = estimate.moments();
        if (moments.n() == 0) {
            warnings.add(role + " has no units");
            return new Estimate(moments, estimate.shift(), null, null);
        }
        if (!(Math.abs(moments.meanY()) > 0.0)) {
            warnings.add(role + " denominator sums to zero");
            return new Estimate(moments, estimate.shift(), null, null);
        }
        if (estimate.value() == null || !Double.isFinite(estimate.value())) {
            warnings.add(role + " value is not finite");
            return new Estimate(moments, estimate.shift(), null, null);
        }
        if (moments.n() < 2) {
            warnings.add(role + " has fewer than 2 units");
            return new Estimate(moments, estimate.shift(), estimate.shifted(), null);
        }
        if (estimate.variance() == null) {
            warnings.add(role + " variance is not finite");
        }
        return estimate;
    }
}
