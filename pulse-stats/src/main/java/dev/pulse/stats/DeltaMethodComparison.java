package dev.pulse.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Welch-type comparison of two groups' ratio-of-means values with delta-method variances
 * (Deng, Knoblich &amp; Lu, "Applying the Delta Method in Metric Analytics: A Practical Guide with
 * Novel Ideas", KDD 2018, §3; Welch, Biometrika 34, 1947; Satterthwaite, Biometrics Bulletin 2, 1946).
 * DESIGN §5 is the contract; every formula is repeated on {@link #compare}.
 */
public final class DeltaMethodComparison {

    /**
     * A delta-method variance numerator {@code s_xx − 2R s_xy + R² s_yy} whose size is below this
     * fraction of {@code s_xx + 2|R s_xy| + R² s_yy} is rounding noise (the three terms cancel when
     * X is proportional to Y in every unit) and is taken as exactly 0.
     */
    static final double VARIANCE_ROUNDING = 64 * Math.ulp(1.0);

    private DeltaMethodComparison() {}

    /**
     * Compares {@code treatment} with {@code control} at two-sided level {@code alpha}.
     *
     * <p>Per group: value {@code R = x̄ / ȳ} and delta-method variance
     * {@code V = (s_xx − 2R s_xy + R² s_yy) / (n ȳ²)} (Deng et al. 2018, §3; for {@code Y ≡ 1},
     * {@code s_xx / n}). Absolute lift {@code Δ = R_t − R_c}, {@code SE = √(V_t + V_c)}, Welch–Satterthwaite
     * {@code ν = (V_t + V_c)² / (V_t²/(n_t − 1) + V_c²/(n_c − 1))}, CI {@code Δ ± t(1 − α/2, ν)·SE},
     * p-value {@code 2·P(T_ν > |Δ/SE|)}. Relative lift {@code L = R_t/R_c − 1},
     * {@code SE_L = √(V_t/R_c² + R_t² V_c/R_c⁴)}, CI {@code L ± t(1 − α/2, ν)·SE_L} with the same ν.
     * {@code significant} is {@code p < alpha}. Above 10⁷ degrees of freedom the normal distribution
     * replaces Student's t.
     *
     * <p>Undefined figures are {@code null}, never NaN, each with a warning; what is still defined is kept:
     * <ul>
     *   <li>a group with no units: its value is null ("control has no units");</li>
     *   <li>a group with zero denominator sum ({@code ȳ = 0}, n ≥ 1): its value is null
     *       ("treatment denominator sums to zero");</li>
     *   <li>a value or variance that overflows: null ("… value is not finite");</li>
     *   <li>a group with exactly 1 unit: its value is kept, its variance is undefined, so every SE,
     *       ν, interval and p-value is null ("control has fewer than 2 units");</li>
     *   <li>{@code V_t + V_c = 0} (no spread in either group): Δ and L are kept with standard error 0,
     *       but ν, intervals and p-value are null ("zero variance in both groups: no interval or
     *       p-value"). If only one V is 0, its term drops out of ν, which is then {@code n − 1} of the
     *       other group;</li>
     *   <li>{@code R_c = 0}: the relative lift is null ("control value is zero: relative lift undefined").</li>
     * </ul>
     * A variance numerator that cancels to rounding noise counts as 0 (see {@link #VARIANCE_ROUNDING}).
     *
     * @param control the control group's moments
     * @param treatment the treatment group's moments
     * @param alpha two-sided level, in (0, 1)
     * @throws IllegalArgumentException if alpha is not in (0, 1)
     * @throws NullPointerException if a group is null
     */
    public static Comparison compare(GroupMoments control, GroupMoments treatment, double alpha) {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(treatment, "treatment");
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        List<String> warnings = new ArrayList<>();
        GroupEstimate c = GroupEstimate.of("control", control, warnings);
        GroupEstimate t = GroupEstimate.of("treatment", treatment, warnings);

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
                degrees = welchSatterthwaite(t.variance() / total, t.units(), c.variance() / total, c.units());
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
        return new Comparison(c.value(), t.value(), control.n(), treatment.n(), absolute, relative, degrees, pValue,
                significant, warnings);
    }

    /**
     * {@code ν = 1 / (a²/(n_t − 1) + b²/(n_c − 1))} with {@code a = V_t/(V_t + V_c)}, {@code b = V_c/(V_t + V_c)}:
     * the Welch–Satterthwaite formula divided through by {@code (V_t + V_c)²}, which cannot overflow.
     */
    private static double welchSatterthwaite(double treatmentShare, long treatmentUnits, double controlShare,
            long controlUnits) {
        return 1.0 / (treatmentShare * treatmentShare / (treatmentUnits - 1)
                + controlShare * controlShare / (controlUnits - 1));
    }

    private static Interval relative(GroupEstimate c, GroupEstimate t, Double quantile, List<String> warnings) {
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
            // √(V_t/R_c² + R_t² V_c/R_c⁴) = √(V_t + (R_t/R_c)² V_c) / |R_c|, without forming R_c⁴.
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

    /** One group's value R and delta-method variance V, each null when undefined. */
    private record GroupEstimate(long units, Double value, Double variance) {

        static GroupEstimate of(String role, GroupMoments moments, List<String> warnings) {
            long n = moments.n();
            if (n == 0) {
                warnings.add(role + " has no units");
                return new GroupEstimate(n, null, null);
            }
            if (!(Math.abs(moments.meanY()) > 0.0)) {
                warnings.add(role + " denominator sums to zero");
                return new GroupEstimate(n, null, null);
            }
            double ratio = moments.meanX() / moments.meanY();
            if (!Double.isFinite(ratio)) {
                warnings.add(role + " value is not finite");
                return new GroupEstimate(n, null, null);
            }
            if (n < 2) {
                warnings.add(role + " has fewer than 2 units");
                return new GroupEstimate(n, ratio, null);
            }
            double crossTerm = 2.0 * ratio * moments.covXY();
            double denominatorTerm = ratio * ratio * moments.varY();
            double numerator = moments.varX() - crossTerm + denominatorTerm;
            double scale = moments.varX() + Math.abs(crossTerm) + denominatorTerm;
            if (numerator <= VARIANCE_ROUNDING * scale) {
                numerator = 0.0;
            }
            double variance = numerator / n / moments.meanY() / moments.meanY();
            if (!Double.isFinite(variance)) {
                warnings.add(role + " variance is not finite");
                return new GroupEstimate(n, ratio, null);
            }
            return new GroupEstimate(n, ratio, variance);
        }
    }
}
