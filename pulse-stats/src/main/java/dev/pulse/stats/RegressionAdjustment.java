package dev.pulse.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CUPED / regression adjustment of ratio-of-means metrics with a pre-period covariate (Deng, Xu,
 * Kohavi &amp; Walker, "Improving the Sensitivity of Online Controlled Experiments by Utilizing
 * Pre-Experiment Data", WSDM 2013, §3.2 and Appendix B; ratio metrics linearized first with the delta
 * method of Deng, Knoblich &amp; Lu, KDD 2018, §3). Inputs are one {@link CovariateMoments} per arm;
 * every formula is repeated on {@link #compare}.
 */
public final class RegressionAdjustment {

    /** As {@code DeltaMethodComparison.VARIANCE_ROUNDING}: a variance numerator this small next to its terms is 0. */
    static final double VARIANCE_ROUNDING = 64 * Math.ulp(1.0);

    /**
     * A negative adjusted variance {@code V − 2θC + θ²V₀} larger than this fraction of
     * {@code V + |2θC| + θ²V₀} cannot come from rounding: the cross covariances contradict the variances.
     */
    static final double INCONSISTENCY_TOLERANCE = 1e-8;
    /** Rounding of a variance of values near {@code v}, in ulps of {@code v²}. */
    static final double NOISE_ULPS = 1024;

    private RegressionAdjustment() {}

    /**
     * The adjustment over all arms of one metric.
     *
     * @param control name of the control arm
     * @param theta the pooled regression coefficient θ used (0 when no adjustment was possible); never null
     * @param pooledPreValue {@code R̄₀ = Σ n_g x̄₀_g / Σ n_g ȳ₀_g}, the pre-period value over all units, or
     *     null when it is undefined (pre-period denominator sums to zero)
     * @param comparisons one per treatment arm, in the iteration order of the input map; copied
     * @param warnings why θ is 0 when no adjustment was possible; the per-comparison warnings are in each
     *     {@link Comparison}; copied
     */
    public record Result(String control, double theta, Double pooledPreValue, List<AdjustedComparison> comparisons,
            List<String> warnings) {

        /** Copies the lists; requires a control name. */
        public Result {
            Objects.requireNonNull(control, "control");
            comparisons = List.copyOf(comparisons);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * One treatment arm against the control, adjusted and not.
     *
     * @param treatment name of the treatment arm
     * @param adjusted the comparison of the adjusted values {@code R_adj} (its control and treatment means
     *     are the adjusted values)
     * @param unadjusted {@link DeltaMethodComparison#compare} of the analysis-period moments alone
     * @param varianceReduction {@code 1 − (V_t,adj + V_c,adj) / (V_t + V_c)} for the absolute lift, or null when
     *     either variance sum is undefined or the unadjusted sum is 0
     */
    public record AdjustedComparison(String treatment, Comparison adjusted, Comparison unadjusted,
            Double varianceReduction) {

        /** Requires every component. */
        public AdjustedComparison {
            Objects.requireNonNull(treatment, "treatment");
            Objects.requireNonNull(adjusted, "adjusted");
            Objects.requireNonNull(unadjusted, "unadjusted");
        }
    }

    /**
     * Compares every arm with {@code control} after regression adjustment on the pre-period value.
     *
     * <p><b>Linearization</b> (Deng et al. 2013, Appendix B; Deng et al. 2018, §3). Per arm, with
     * {@code R = x̄/ȳ} and {@code R₀ = x̄₀/ȳ₀}, each unit's value is replaced by its first-order
     * influence {@code zᵢ = (Xᵢ − R Yᵢ)/ȳ} and {@code z₀ᵢ = (X₀ᵢ − R₀ Y₀ᵢ)/ȳ₀}, whose sample moments are
     * <pre>
     *   s_zz   = (s_xx − 2R s_xy + R² s_yy) / ȳ²
     *   s_z₀z₀ = (s_x₀x₀ − 2R₀ s_x₀y₀ + R₀² s_y₀y₀) / ȳ₀²
     *   s_zz₀  = (cov(X,X₀) − R₀ cov(X,Y₀) − R cov(Y,X₀) + R R₀ cov(Y,Y₀)) / (ȳ ȳ₀)
     * </pre>
     * so that {@code V = var(R) ≈ s_zz/n} (the gradient {@code g = (1/ȳ, −R/ȳ)} applied to the
     * covariance of (X, Y)), {@code V₀ = var(R₀) ≈ s_z₀z₀/n} and {@code C = cov(R, R₀) ≈ s_zz₀/n}.
     *
     * <p><b>θ, pooled over all arms</b>: {@code θ = Σ_g (n_g − 1) s_zz₀,g / Σ_g (n_g − 1) s_z₀z₀,g}, the
     * within-arm least-squares slope of z on z₀ (one intercept per arm). Deng et al. 2013, §3.2, take
     * {@code θ = cov(Y, X)/var(X)} over the pooled data; the within-arm slope differs from it only by
     * terms of the order of the squared treatment effect and, unlike it, does not absorb a treatment effect
     * on the covariate scale. Arms with fewer than 2 units (weight 0) or an undefined analysis-period value
     * do not contribute. θ and {@code R̄₀} are treated as known constants in the variances below (their
     * estimation error is of smaller order in n, as in Deng et al. 2013).
     *
     * <p><b>Adjusted values</b>: {@code R_adj = R − θ(R₀ − R̄₀)} with the pre-period value over all units
     * {@code R̄₀ = Σ n_g x̄₀_g / Σ n_g ȳ₀_g}, and {@code V_adj = V − 2θC + θ²V₀ = var(z − θz₀)/n}.
     * Then, exactly as {@link DeltaMethodComparison#compare} (docs/statistics.md) with {@code (R_adj, V_adj)} in
     * place of {@code (R, V)}: {@code Δ = R_t,adj − R_c,adj}, {@code SE = √(V_t,adj + V_c,adj)},
     * Welch–Satterthwaite {@code ν = (V_t,adj + V_c,adj)² / (V_t,adj²/(n_t − 1) + V_c,adj²/(n_c − 1))} (no
     * degree of freedom is taken off for θ: one parameter fitted on all arms' units changes ν by less than
     * one), CI {@code Δ ± t(1 − α/2, ν)·SE}, p-value {@code 2·P(T_ν > |Δ/SE|)}; relative lift
     * {@code L = R_t,adj / R_c,adj − 1} with the delta-method gradient of that ratio,
     * {@code SE_L = √(V_t,adj/R_c,adj² + R_t,adj² V_c,adj/R_c,adj⁴)}, CI {@code L ± t·SE_L}.
     *
     * <p><b>No adjustment</b> ({@code θ = 0} and a warning on the result; each comparison then equals the
     * unadjusted one exactly):
     * <ul>
     *   <li>the pre-period covariate has no variance in any arm ({@code Σ (n_g − 1) s_z₀z₀,g = 0}), e.g. no
     *       unit has pre-period data, every arm has fewer than 2 units, or the pre-period value is constant;</li>
     *   <li>an arm with units has a pre-period denominator summing to zero ({@code ȳ₀ = 0}: {@code R₀}
     *       undefined), e.g. a ratio metric with no pre-period data in that arm.</li>
     * </ul>
     * Units without pre-period data enter the moments of a mean or ratio metric with {@code X₀ = Y₀ = 0}
     * (the warehouse's {@code COALESCE(…, 0)}); their {@code z₀} is 0, so they are adjusted by the arm-level
     * term only. For a metric with {@code Y ≡ 1} (and {@code Y₀ ≡ 1}) they enter with {@code X₀ = 0},
     * {@code Y₀ = 1}: {@code z₀ = −R₀}, a pre-period value of 0 like any other. The estimate stays unbiased because the pre-period is fixed before randomization (Deng et al. 2013 discuss
     * such new users and the alternative of an extra indicator covariate). Undefined per-arm figures follow {@link DeltaMethodComparison#compare}
     * with the same warnings (no units, zero denominator, fewer than 2 units, zero variance, zero control value).
     *
     * @param groups each arm's moments by arm name, at least two arms including {@code control}
     * @param control name of the control arm, a key of {@code groups}
     * @param alpha two-sided level, in (0, 1)
     * @throws IllegalArgumentException if alpha is not in (0, 1), there are fewer than two arms, the control
     *     is not among them, or an arm's cross covariances contradict its variances (adjusted variance
     *     negative beyond rounding, see {@link #INCONSISTENCY_TOLERANCE})
     * @throws NullPointerException if an argument or an arm's moments are null
     */
    public static Result compare(Map<String, CovariateMoments> groups, String control, double alpha) {
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        return compare(groups, control, DeltaMethodComparison.Options.of(alpha));
    }

    /**
     * As {@link #compare(Map, String, double)}, with the direction and relative interval of
     * {@code options} applied to the adjusted (and the unadjusted) comparisons exactly as
     * {@link DeltaMethodComparison#compare(GroupMoments, GroupMoments, DeltaMethodComparison.Options)}
     * applies them: one-sided tests use {@code t(1 − α, ν)}, Fieller's interval uses the adjusted
     * values and variances.
     */
    public static Result compare(Map<String, CovariateMoments> groups, String control,
            DeltaMethodComparison.Options options) {
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(options, "options");
        if (groups.size() < 2) {
            throw new IllegalArgumentException("need the control and at least one treatment, got " + groups.keySet());
        }
        if (!groups.containsKey(control)) {
            throw new IllegalArgumentException("control '" + control + "' is not among the groups " + groups.keySet());
        }
        // every arm measured from the control's shifts, so that values and pre-period values are compared shifted
        GroupMoments controlPost = Objects.requireNonNull(groups.get(control), control).post();
        GroupMoments controlPre = groups.get(control).pre();
        Map<String, CovariateMoments> shifted = new LinkedHashMap<>();
        groups.forEach((name, moments) -> shifted.put(name,
                Objects.requireNonNull(moments, name).withShifts(controlPost.shift(), controlPre.shift())));
        groups = shifted;
        Map<String, Linearized> linearized = new LinkedHashMap<>();
        groups.forEach((name, moments) -> linearized.put(name, Linearized.of(moments)));

        List<String> warnings = new ArrayList<>();
        Double pooledPreShifted = pooledPreValue(groups);
        double theta = theta(linearized, pooledPreShifted, warnings);

        Map<String, EstimateComparison.Estimate> adjusted = new LinkedHashMap<>();
        linearized.forEach((name, group) -> adjusted.put(name, group.adjust(name, theta, pooledPreShifted)));
        Double pooledPreValue = pooledPreShifted == null ? null : finiteOrNull(controlPre.shift() + pooledPreShifted);
        List<AdjustedComparison> comparisons = new ArrayList<>();
        CovariateMoments controlMoments = groups.get(control);
        for (Map.Entry<String, CovariateMoments> entry : groups.entrySet()) {
            if (entry.getKey().equals(control)) {
                continue;
            }
            Comparison plain = DeltaMethodComparison.compare(controlMoments.post(), entry.getValue().post(), options);
            EstimateComparison.Estimate c = adjusted.get(control);
            EstimateComparison.Estimate t = adjusted.get(entry.getKey());
            Comparison adjustedComparison = EstimateComparison.compare(c, t, options);
            comparisons.add(new AdjustedComparison(entry.getKey(), adjustedComparison, plain,
                    varianceReduction(linearized.get(control), linearized.get(entry.getKey()), c, t)));
        }
        return new Result(control, theta, pooledPreValue, comparisons, warnings);
    }

    /**
     * {@code Σ n_g x̃₀_g / Σ n_g ȳ₀_g}: the pooled pre-period value less the arms' common pre-period shift
     * (the moments of {@code X₀ − c₀·Y₀}).
     */
    private static Double pooledPreValue(Map<String, CovariateMoments> groups) {
        double numerator = 0.0;
        double denominator = 0.0;
        for (CovariateMoments moments : groups.values()) {
            numerator += moments.pre().n() * moments.pre().meanX();
            denominator += moments.pre().n() * moments.pre().meanY();
        }
        if (!(Math.abs(denominator) > 0.0)) {
            return null;
        }
        double value = numerator / denominator;
        return Double.isFinite(value) ? value : null;
    }

    private static double theta(Map<String, Linearized> groups, Double pooledPreValue, List<String> warnings) {
        for (Map.Entry<String, Linearized> entry : groups.entrySet()) {
            if (entry.getValue().units() > 0 && entry.getValue().preValue() == null) {
                warnings.add(entry.getKey() + " pre-period denominator sums to zero: no adjustment (theta = 0)");
                return 0.0;
            }
        }
        if (pooledPreValue == null) {
            warnings.add("pooled pre-period value is undefined: no adjustment (theta = 0)");
            return 0.0;
        }
        double crossProducts = 0.0;
        double squares = 0.0;
        for (Linearized group : groups.values()) {
            if (group.units() >= 2 && group.value() != null) {
                crossProducts += (group.units() - 1) * group.unitCovariance();
                squares += (group.units() - 1) * group.unitPreVariance();
            }
        }
        if (!(squares > 0.0)) {
            warnings.add("pre-period covariate has zero variance: no adjustment (theta = 0)");
            return 0.0;
        }
        double theta = crossProducts / squares;
        if (!Double.isFinite(theta)) {
            warnings.add("regression coefficient is not finite: no adjustment (theta = 0)");
            return 0.0;
        }
        return theta;
    }

    private static Double varianceReduction(Linearized control, Linearized treatment, EstimateComparison.Estimate c,
            EstimateComparison.Estimate t) {
        if (control.variance() == null || treatment.variance() == null || c.variance() == null
                || t.variance() == null) {
            return null;
        }
        double plain = control.variance() + treatment.variance();
        if (!(plain > 0.0) || !Double.isFinite(plain)) {
            return null;
        }
        double reduction = 1.0 - (c.variance() + t.variance()) / plain;
        return Double.isFinite(reduction) ? reduction : null;
    }

    /**
     * One arm's linearized estimates: value R and V = var(R) as DeltaMethodComparison computes them
     * (same operations, so θ = 0 reproduces its figures bit for bit), the pre-period value R₀, V₀ = var(R₀),
     * C = cov(R, R₀), and the per-unit moments s_zz₀ and s_z₀z₀ for pooling θ. Null when undefined.
     * R and R₀ are held less the shifts of the moments ({@code x̃/ȳ} for moments of {@code X − c·Y}): the
     * formulas above hold with them in place of R and R₀, since {@code X − R·Y = X̃ − (R − c)·Y}.
     */
    private record Linearized(CovariateMoments moments, Double value, Double variance, Double preValue,
            Double preVariance, Double covariance, double unitCovariance, double unitPreVariance) {

        long units() {
            return moments.post().n();
        }

        static Linearized of(CovariateMoments moments) {
            GroupMoments post = moments.post();
            GroupMoments pre = moments.pre();
            long n = post.n();
            Double value = ratio(post);
            Double preValue = ratio(pre);
            Double variance = null;
            Double preVariance = null;
            Double covariance = null;
            double unitCovariance = 0.0;
            double unitPreVariance = 0.0;
            if (n >= 2 && value != null) {
                variance = finiteOrNull(varianceNumerator(post, value) / n / post.meanY() / post.meanY());
            }
            if (n >= 2 && preValue != null) {
                unitPreVariance = varianceNumerator(pre, preValue) / pre.meanY() / pre.meanY();
                preVariance = finiteOrNull(unitPreVariance / n);
                if (value != null) {
                    unitCovariance = (moments.covXX0() - preValue * moments.covXY0() - value * moments.covYX0()
                            + value * preValue * moments.covYY0()) / (post.meanY() * pre.meanY());
                    covariance = finiteOrNull(unitCovariance / n);
                }
            }
            return new Linearized(moments, value, variance, preValue, preVariance, covariance,
                    Double.isFinite(unitCovariance) ? unitCovariance : 0.0,
                    Double.isFinite(unitPreVariance) ? unitPreVariance : 0.0);
        }

        /** {@code R_adj = R − θ(R₀ − R̄₀)} and {@code V_adj = V − 2θC + θ²V₀}; θ = 0 keeps R and V exactly. */
        EstimateComparison.Estimate adjust(String name, double theta, Double pooledPreValue) {
            double shift = moments.post().shift();
            if (!(Math.abs(theta) > 0.0)) {
                return new EstimateComparison.Estimate(moments.post(), shift, value, variance);
            }
            Double adjustedValue = value == null ? null : finiteOrNull(value - theta * (preValue - pooledPreValue));
            Double adjustedVariance = null;
            if (variance != null && preVariance != null && covariance != null) {
                double cross = 2.0 * theta * covariance;
                double square = theta * theta * preVariance;
                double sum = variance - cross + square;
                double scale = variance + Math.abs(cross) + square;
                // variances of nearly constant values are rounding of the order ulp(1)·value² (each engine rounds its
                // own way): a sum below that is no contradiction, and no variance either
                double pre = preValue == null ? 0.0 : preValue;
                double level = (value == null ? 0.0 : value * value) + theta * theta * pre * pre;
                double noise = NOISE_ULPS * Math.ulp(1.0) * (Double.isFinite(level) ? level : 0.0);
                if (sum < -INCONSISTENCY_TOLERANCE * scale - noise) {
                    throw new IllegalArgumentException("cross covariances of " + name
                            + " contradict its variances: adjusted variance " + sum + " < 0");
                }
                adjustedVariance = finiteOrNull(sum <= VARIANCE_ROUNDING * scale + noise ? 0.0 : sum);
            }
            return new EstimateComparison.Estimate(moments.post(), shift, adjustedValue, adjustedVariance);
        }

        private static Double ratio(GroupMoments moments) {
            if (moments.n() == 0 || !(Math.abs(moments.meanY()) > 0.0)) {
                return null;
            }
            return finiteOrNull(moments.meanX() / moments.meanY());
        }

        /** {@code s_xx − 2R s_xy + R² s_yy}, 0 when it cancels to rounding noise (as DeltaMethodComparison). */
        private static double varianceNumerator(GroupMoments moments, double ratio) {
            double crossTerm = 2.0 * ratio * moments.covXY();
            double denominatorTerm = ratio * ratio * moments.varY();
            double numerator = moments.varX() - crossTerm + denominatorTerm;
            double scale = moments.varX() + Math.abs(crossTerm) + denominatorTerm;
            return DeltaMethodComparison.isRoundingNoise(numerator, scale, moments) ? 0.0 : numerator;
        }
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
