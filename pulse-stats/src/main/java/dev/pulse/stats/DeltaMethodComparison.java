package dev.pulse.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Welch-type comparison of two groups' ratio-of-means values with delta-method variances
 * (Deng, Knoblich &amp; Lu, "Applying the Delta Method in Metric Analytics: A Practical Guide with
 * Novel Ideas", KDD 2018, §3; Welch, Biometrika 34, 1947; Satterthwaite, Biometrics Bulletin 2, 1946).
 * docs/statistics.md is the contract; every formula is repeated on {@link #compare}.
 */
public final class DeltaMethodComparison {

    /**
     * A delta-method variance numerator {@code s_xx − 2R s_xy + R² s_yy} whose size is below this
     * fraction of {@code s_xx + 2|R s_xy| + R² s_yy} is rounding noise (the three terms cancel when
     * X is proportional to Y in every unit) and is taken as exactly 0.
     */
    static final double VARIANCE_ROUNDING = 64 * Math.ulp(1.0);

    /**
     * Moments of shifted values {@code X − c·Y} carry the rounding of forming them, about
     * {@code ε·|c·ȳ|} per unit (a warehouse can return a variance of 10⁻³³ for a column that is constant
     * after the shift): a variance numerator below {@code (SHIFT_ROUNDING·|c·ȳ|)²} is that noise and is
     * taken as exactly 0, as for raw moments of constant values.
     */
    static final double SHIFT_ROUNDING = 4 * Math.ulp(1.0);

    private DeltaMethodComparison() {}

    /**
     * What {@link #compare(GroupMoments, GroupMoments, Options)} computes besides the defaults.
     *
     * @param alpha significance level in (0, 1): two-sided level for {@link Direction#TWO_SIDED},
     *     one-sided level otherwise; the interval has confidence {@code 1 − alpha}
     * @param direction the alternative hypothesis and interval shape; default {@link Direction#TWO_SIDED}
     * @param relativeInterval how the relative-lift interval is built; default {@link RelativeInterval#DELTA}
     */
    public record Options(double alpha, Direction direction, RelativeInterval relativeInterval) {

        /**
         * Validates the options.
         *
         * @throws IllegalArgumentException if alpha is not in (0, 1)
         * @throws NullPointerException if direction or relativeInterval is null
         */
        public Options {
            if (!(alpha > 0.0 && alpha < 1.0)) {
                throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
            }
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(relativeInterval, "relativeInterval");
        }

        /** The defaults of docs/statistics.md: two-sided, delta-method relative interval, at level {@code alpha}. */
        public static Options of(double alpha) {
            return new Options(alpha, Direction.TWO_SIDED, RelativeInterval.DELTA);
        }

        /** These options with another level (e.g. a multiple-comparison adjusted one). */
        public Options withAlpha(double newAlpha) {
            return new Options(newAlpha, direction, relativeInterval);
        }

        /** These options with another direction. */
        public Options withDirection(Direction newDirection) {
            return new Options(alpha, newDirection, relativeInterval);
        }

        /** These options with another relative-interval method. */
        public Options withRelativeInterval(RelativeInterval newRelativeInterval) {
            return new Options(alpha, direction, newRelativeInterval);
        }
    }

    /**
     * Compares {@code treatment} with {@code control} at two-sided level {@code alpha}, with a
     * delta-method relative interval: {@code compare(control, treatment, Options.of(alpha))}.
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
        return compare(control, treatment, Options.of(alpha));
    }

    /**
     * Compares {@code treatment} with {@code control} as {@link #compare(GroupMoments, GroupMoments, double)}
     * does (same R, V, Δ, SE, ν, L, SE_L and the same undefined cases), with a choice of direction and
     * relative interval:
     * <ul>
     *   <li>{@link Direction#TWO_SIDED}: as above, quantile {@code t(1 − α/2, ν)};</li>
     *   <li>{@link Direction#INCREASE}: p-value {@code P(T_ν > Δ/SE)}, interval
     *       {@code [Δ − t(1 − α, ν)·SE, +∞)}, relative {@code [L − t(1 − α, ν)·SE_L, +∞)};</li>
     *   <li>{@link Direction#DECREASE}: p-value {@code P(T_ν < Δ/SE)}, interval
     *       {@code (−∞, Δ + t(1 − α, ν)·SE]}, likewise for L.</li>
     * </ul>
     * An infinite end is {@code null} with its {@link Interval} flag set (no warning). When the
     * estimate is in the tested direction the one-sided p-value is half the two-sided one; otherwise
     * it is above ½. {@code significant} is {@code p < alpha}.
     *
     * <p>{@link RelativeInterval#FIELLER}: the relative-lift interval is Fieller's (Fieller 1954,
     * JRSS B 16(2); Franz 2007, arXiv:0710.2024, eq. 6) for {@code R_t/R_c} with independent estimates,
     * variances {@code V_t, V_c} and the same quantile {@code t} as the absolute interval:
     * {@code g = t² V_c / R_c²}, {@code r = R_t/R_c}; for {@code g < 1} the limits are
     * {@code [r ± (t/|R_c|)·√((1 − g)·V_t + r² V_c)] / (1 − g) − 1}. As {@code g → 0} they tend to
     * the delta-method limits {@code L ± t·SE_L}. For a one-sided direction the quantile is
     * {@code t(1 − α, ν)} and only the lower (INCREASE) or upper (DECREASE) limit is kept: the set
     * {@code {ρ: (R_t − ρR_c)/√(V_t + ρ²V_c) ≤ t}} is exactly {@code [lower root, +∞)} when
     * {@code g < 1}. For {@code g >= 1} both ends are null and flagged unbounded, with the warning
     * "relative interval unbounded (control too noisy)". The estimate stays {@code L} and the
     * standard error stays the delta-method {@code SE_L} (Fieller's set has no standard error).
     *
     * @param control the control group's moments
     * @param treatment the treatment group's moments
     * @param options level, direction and relative-interval method
     * @throws NullPointerException if an argument is null
     */
    public static Comparison compare(GroupMoments control, GroupMoments treatment, Options options) {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(treatment, "treatment");
        Objects.requireNonNull(options, "options");
        List<String> warnings = new ArrayList<>();
        GroupEstimate c = GroupEstimate.of("control", control, warnings);
        GroupEstimate t = GroupEstimate.of("treatment", treatment, warnings);
        return fromEstimates(c, t, options, warnings);
    }

    /**
     * The comparison from each arm's value R and variance V (either null when undefined, with its
     * warning already in {@code warnings}): the arithmetic of {@link #compare(GroupMoments, GroupMoments,
     * Options)} after the per-arm step, shared with estimators that are not plain ratios of means
     * (the regression-adjusted values of {@link RegressionAdjustment}).
     */
    static Comparison fromEstimates(GroupEstimate c, GroupEstimate t, Options options, List<String> warnings) {
        double alpha = options.alpha();
        Direction direction = options.direction();

        Double difference = null;
        Double standardError = null;
        Double degrees = null;
        Double quantile = null;
        Double pValue = null;
        if (c.value() != null && t.value() != null) {
            difference = finiteOrNull(difference(c, t));
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
                double statistic = difference / standardError;
                switch (direction) {
                    case TWO_SIDED -> {
                        quantile = Distributions.studentQuantile(1.0 - alpha / 2.0, degrees);
                        pValue = Distributions.studentTwoSidedPValue(statistic, degrees);
                    }
                    case INCREASE -> {
                        quantile = Distributions.studentQuantile(1.0 - alpha, degrees);
                        pValue = Distributions.studentUpperTail(statistic, degrees);
                    }
                    case DECREASE -> {
                        quantile = Distributions.studentQuantile(1.0 - alpha, degrees);
                        pValue = Distributions.studentUpperTail(-statistic, degrees);
                    }
                }
            } else {
                standardError = 0.0;
                warnings.add("zero variance in both groups: no interval or p-value");
            }
        }
        Interval absolute = interval(difference, standardError, quantile, direction);
        Interval relative = relative(c, t, quantile, options, warnings);
        boolean significant = pValue != null && pValue < alpha;
        return new Comparison(c.value(), t.value(), c.units(), t.units(), absolute, relative, degrees, pValue,
                significant, warnings);
    }

    /**
     * The per-unit variance of a group's linearized value, {@code σ² = n·V = (s_xx − 2R s_xy + R² s_yy)/ȳ²}
     * (Deng et al. 2018, §3), with the rounding rule of {@link #VARIANCE_ROUNDING}; null when V is
     * undefined (fewer than 2 units, {@code ȳ = 0}, overflow). For {@code Y ≡ 1} it is {@code s_xx}.
     */
    static Double unitVariance(GroupMoments moments) {
        GroupEstimate estimate = GroupEstimate.of("group", moments, new ArrayList<>());
        if (estimate.variance() == null) {
            return null;
        }
        return finiteOrNull(estimate.variance() * moments.n());
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

    private static Interval relative(GroupEstimate c, GroupEstimate t, Double quantile, Options options,
            List<String> warnings) {
        Direction direction = options.direction();
        if (c.value() == null || t.value() == null) {
            return interval(null, null, null, direction);
        }
        if (!(Math.abs(c.value()) > 0.0)) {
            warnings.add("control value is zero: relative lift undefined");
            return interval(null, null, null, direction);
        }
        double ratio = t.value() / c.value();
        // (R_t − R_c)/R_c rather than R_t/R_c − 1: the difference keeps its digits when both values are large
        Double lift = finiteOrNull(difference(c, t) / c.value());
        if (lift == null) {
            warnings.add("relative lift is not finite");
            return interval(null, null, null, direction);
        }
        Double standardError = null;
        if (c.variance() != null && t.variance() != null) {
            // √(V_t/R_c² + R_t² V_c/R_c⁴) = √(V_t + (R_t/R_c)² V_c) / |R_c|, without forming R_c⁴.
            standardError = finiteOrNull(Math.sqrt(t.variance() + ratio * ratio * c.variance()) / Math.abs(c.value()));
            if (standardError == null) {
                warnings.add("standard error of the relative lift is not finite");
            }
        }
        return switch (options.relativeInterval()) {
            case DELTA -> interval(lift, standardError, quantile, direction);
            case FIELLER -> fieller(c, t, lift, standardError, quantile, direction, warnings);
        };
    }

    /**
     * Fieller's limits for {@code R_t/R_c − 1} (see {@link #compare(GroupMoments, GroupMoments, Options)}).
     * {@code g} is formed as {@code (t·√V_c/|R_c|)²} so it cannot overflow before the comparison with 1.
     */
    private static Interval fieller(GroupEstimate c, GroupEstimate t, double lift, Double standardError,
            Double quantile, Direction direction, List<String> warnings) {
        if (standardError == null || quantile == null) {
            return interval(lift, standardError, null, direction);
        }
        double controlScale = Math.abs(c.value());
        double noise = quantile * Math.sqrt(c.variance()) / controlScale;
        double g = noise * noise;
        if (!(g < 1.0)) {
            warnings.add("relative interval unbounded (control too noisy)");
            return new Interval(lift, standardError, null, null, true, true);
        }
        double ratio = t.value() / c.value();
        double halfWidth = quantile / controlScale
                * Math.sqrt((1.0 - g) * t.variance() + ratio * ratio * c.variance());
        // (r ∓ h)/(1 − g) − 1 written as (L + g ∓ h)/(1 − g) with L = r − 1 the precise lift
        Double lower = finiteOrNull((lift + g - halfWidth) / (1.0 - g));
        Double upper = finiteOrNull((lift + g + halfWidth) / (1.0 - g));
        if (lower == null || upper == null) {
            warnings.add("relative interval is not finite");
            return new Interval(lift, standardError, null, null);
        }
        return switch (direction) {
            case TWO_SIDED -> new Interval(lift, standardError, lower, upper, false, false);
            case INCREASE -> new Interval(lift, standardError, lower, null, false, true);
            case DECREASE -> new Interval(lift, standardError, null, upper, true, false);
        };
    }

    /**
     * {@code estimate ∓ quantile·SE} with the ends the direction asks for; both ends null (flags false)
     * when any input is undefined.
     */
    private static Interval interval(Double estimate, Double standardError, Double quantile, Direction direction) {
        if (estimate == null || standardError == null || quantile == null) {
            return new Interval(estimate, standardError, null, null);
        }
        double halfWidth = quantile * standardError;
        Double lower = finiteOrNull(estimate - halfWidth);
        Double upper = finiteOrNull(estimate + halfWidth);
        return switch (direction) {
            case TWO_SIDED -> new Interval(estimate, standardError, lower, upper, false, false);
            case INCREASE -> new Interval(estimate, standardError, lower, null, false, true);
            case DECREASE -> new Interval(estimate, standardError, null, upper, true, false);
        };
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /**
     * One group's value R and delta-method variance V, each null when undefined (the warning, prefixed
     * with the group's role, says why). Shared with {@link Percentiles}. The value is held as
     * {@code shift + shifted} with the shift of the group's moments ({@link GroupMoments#shift}), so that
     * two groups with the same shift are compared as {@code shifted_t − shifted_c}, without the digits
     * the shift would take.
     *
     * @param shift the constant the value is measured from (0 for raw moments)
     * @param shifted {@code R − shift}, or null when R is undefined
     * @param variance V, or null when undefined
     */
    record GroupEstimate(long units, double shift, Double shifted, Double variance) {

        /** An estimate measured from 0. */
        static GroupEstimate ofValue(long units, Double value, Double variance) {
            return new GroupEstimate(units, 0.0, value, variance);
        }

        /** {@code R = shift + shifted}, or null when undefined. */
        Double value() {
            return shifted == null ? null : finiteOrNull(shift + shifted);
        }

        /**
         * {@code R = c + x̃/ȳ} from moments of {@code X̃ = X − c·Y} ({@code c} the shift) and
         * {@code V = (s_x̃x̃ − 2(R − c) s_x̃y + (R − c)² s_yy) / (n ȳ²)}, which equals the delta-method
         * {@code (s_xx − 2R s_xy + R² s_yy) / (n ȳ²)} of raw X since {@code X − R·Y = X̃ − (R − c)·Y}.
         */
        static GroupEstimate of(String role, GroupMoments moments, List<String> warnings) {
            long n = moments.n();
            double shift = moments.shift();
            if (n == 0) {
                warnings.add(role + " has no units");
                return new GroupEstimate(n, shift, null, null);
            }
            if (!(Math.abs(moments.meanY()) > 0.0)) {
                warnings.add(role + " denominator sums to zero");
                return new GroupEstimate(n, shift, null, null);
            }
            double ratio = moments.meanX() / moments.meanY();
            if (!Double.isFinite(ratio) || !Double.isFinite(shift + ratio)) {
                warnings.add(role + " value is not finite");
                return new GroupEstimate(n, shift, null, null);
            }
            if (n < 2) {
                warnings.add(role + " has fewer than 2 units");
                return new GroupEstimate(n, shift, ratio, null);
            }
            double crossTerm = 2.0 * ratio * moments.covXY();
            double denominatorTerm = ratio * ratio * moments.varY();
            double numerator = moments.varX() - crossTerm + denominatorTerm;
            double scale = moments.varX() + Math.abs(crossTerm) + denominatorTerm;
            if (isRoundingNoise(numerator, scale, moments)) {
                numerator = 0.0;
            }
            double variance = numerator / n / moments.meanY() / moments.meanY();
            if (!Double.isFinite(variance)) {
                warnings.add(role + " variance is not finite");
                return new GroupEstimate(n, shift, ratio, null);
            }
            return new GroupEstimate(n, shift, ratio, variance);
        }
    }

    /**
     * True when a variance numerator {@code s_xx − 2R s_xy + R² s_yy} is rounding noise: below
     * {@link #VARIANCE_ROUNDING} of its terms' size {@code scale}, or below the rounding of shifted values
     * ({@link #SHIFT_ROUNDING}).
     */
    static boolean isRoundingNoise(double numerator, double scale, GroupMoments moments) {
        double shiftNoise = SHIFT_ROUNDING * moments.shift() * moments.meanY();
        return numerator <= VARIANCE_ROUNDING * scale || numerator <= shiftNoise * shiftNoise;
    }

    /**
     * {@code R_t − R_c} as {@code (shift_t − shift_c) + (shifted_t − shifted_c)}: with equal shifts only
     * the small shifted values are subtracted.
     */
    static double difference(GroupEstimate c, GroupEstimate t) {
        return (t.shift() - c.shift()) + (t.shifted() - c.shifted());
    }
}
