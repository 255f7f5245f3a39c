package dev.pulse.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The comparison of DESIGN §5 from each arm's value and variance instead of its moments, for estimators
 * that are not plain ratios of means (the regression-adjusted values of {@link RegressionAdjustment}).
 * The arithmetic and warnings are those of {@link DeltaMethodComparison#compare}, operation for operation,
 * so the same inputs give the same {@link Comparison} bit for bit.
 */
final class EstimateComparison {

    private EstimateComparison() {}

    /**
     * One arm's estimate of its value and the variance of that estimate, each null when undefined.
     *
     * @param moments the arm's analysis-period moments (for n and for the reason a figure is undefined)
     * @param value the arm's value, or null
     * @param variance the variance of {@code value}, {@code >= 0}, or null
     */
    record Estimate(GroupMoments moments, Double value, Double variance) {
    }

    /**
     * As {@link DeltaMethodComparison#compare} with {@code (R, V)} taken from the estimates: Δ, SE,
     * Welch–Satterthwaite ν, CI, p-value, relative lift with {@code SE_L = √(V_t + (R_t/R_c)² V_c) / |R_c|}.
     */
    static Comparison compare(Estimate control, Estimate treatment, double alpha) {
        List<String> warnings = new ArrayList<>();
        Estimate c = checked("control", control, warnings);
        Estimate t = checked("treatment", treatment, warnings);
        Double difference = null;
        Double standardError = null;
        Double degrees = null;
        Double quantile = null;
        Double pValue = null;
        if (c.value() != null && t.value() != null) {
            difference = finiteOrNull(t.value() - c.value());
            if (difference == null) {
                warnings.add("difference of the group values is not finite");
            }
        }
        if (difference != null && c.variance() != null && t.variance() != null) {
            double total = t.variance() + c.variance();
            if (!Double.isFinite(total)) {
                warnings.add("variance of the difference is not finite");
            } else if (total > 0.0) {
                standardError = Math.sqrt(total);
                double a = t.variance() / total;
                double b = c.variance() / total;
                degrees = 1.0 / (a * a / (t.moments().n() - 1) + b * b / (c.moments().n() - 1));
                quantile = Distributions.studentQuantile(1.0 - alpha / 2.0, degrees);
                pValue = Distributions.studentTwoSidedPValue(difference / standardError, degrees);
            } else {
                standardError = 0.0;
                warnings.add("zero variance in both groups: no interval or p-value");
            }
        }
        Interval absolute = interval(difference, standardError, quantile);
        Interval relative = relative(c, t, quantile, warnings);
        boolean significant = pValue != null && pValue < alpha;
        return new Comparison(c.value(), t.value(), control.moments().n(), treatment.moments().n(), absolute,
                relative, degrees, pValue, significant, warnings);
    }

    /** The estimate with the warning DeltaMethodComparison gives for the first reason a figure is missing. */
    private static Estimate checked(String role, Estimate estimate, List<String> warnings) {
        GroupMoments moments = estimate.moments();
        if (moments.n() == 0) {
            warnings.add(role + " has no units");
            return new Estimate(moments, null, null);
        }
        if (!(Math.abs(moments.meanY()) > 0.0)) {
            warnings.add(role + " denominator sums to zero");
            return new Estimate(moments, null, null);
        }
        if (estimate.value() == null) {
            warnings.add(role + " value is not finite");
            return new Estimate(moments, null, null);
        }
        if (moments.n() < 2) {
            warnings.add(role + " has fewer than 2 units");
            return new Estimate(moments, estimate.value(), null);
        }
        if (estimate.variance() == null) {
            warnings.add(role + " variance is not finite");
        }
        return estimate;
    }

    private static Interval relative(Estimate c, Estimate t, Double quantile, List<String> warnings) {
        if (c.value() == null || t.value() == null) {
            return interval(null, null, null);
        }
        if (!(Math.abs(c.value()) > 0.0)) {
            warnings.add("control value is zero: relative lift undefined");
            return interval(null, null, null);
        }
        double ratio = t.value() / c.value();
        Double lift = finiteOrNull(ratio - 1.0);
        if (lift == null) {
            warnings.add("relative lift is not finite");
            return interval(null, null, null);
        }
        Double standardError = null;
        if (c.variance() != null && t.variance() != null) {
            standardError = finiteOrNull(Math.sqrt(t.variance() + ratio * ratio * c.variance()) / Math.abs(c.value()));
            if (standardError == null) {
                warnings.add("standard error of the relative lift is not finite");
            }
        }
        return interval(lift, standardError, quantile);
    }

    private static Interval interval(Double estimate, Double standardError, Double quantile) {
        if (estimate == null || standardError == null || quantile == null) {
            return new Interval(estimate, standardError, null, null);
        }
        double halfWidth = quantile * standardError;
        return new Interval(estimate, standardError, finiteOrNull(estimate - halfWidth), finiteOrNull(estimate + halfWidth));
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
