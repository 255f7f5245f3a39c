package dev.pulse.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cluster-aware confidence intervals for a quantile of row values (percentile metrics, docs/metric-types.md#percentile),
 * by the outer confidence interval of Deng, Knoblich &amp; Lu, "Applying the Delta Method in Metric
 * Analytics: A Practical Guide with Novel Ideas", KDD 2018, §4. Rows (sessions, page loads …) are
 * clustered in randomization units, so the rows are not independent and the textbook order-statistic
 * interval is too narrow.
 *
 * <p><b>Three-pass protocol</b> (per group; the warehouse does every pass, the JVM only sees a few
 * numbers):
 * <ol>
 *   <li>Pass 1: the sample quantile {@code Q̂ = Q(p)} of the group's row values. Use the discrete
 *       quantile, the smallest value v with {@code F̂(v) >= p} ({@code PERCENTILE_DISC(p)},
 *       {@code quantile_disc}; numpy {@code method="inverted_cdf"}).</li>
 *   <li>Pass 2: per unit i, {@code X_i} = number of the unit's rows with {@code value <= Q̂} (ties at
 *       Q̂ count) and {@code Y_i} = number of the unit's rows with a non-null value (the records);
 *       their {@link GroupMoments} over the group's units (units without rows have X = Y = 0). Then
 *       {@code p̂ = ΣX/ΣY = F̂(Q̂)} and {@link #levels} gives its delta-method standard error σ
 *       (Deng et al. §3 applied to the ratio ΣX/ΣY) and the probability levels
 *       {@code p ± z(1 − α/2)·σ}, clipped to [0, 1].</li>
 *   <li>Pass 3: the discrete quantiles of the same rows at those two levels; {@link #interval} turns
 *       them into the interval {@code [Q(p − zσ), Q(p + zσ)]} and the standard error
 *       {@code (upper − lower)/(2z)} (Deng et al. §4: by Bahadur's representation the quantile's
 *       standard error is σ/f(Q), and the width of the outer interval estimates {@code 2zσ/f(Q)}
 *       without estimating the density f).</li>
 * </ol>
 * {@link #compare} then takes the two groups' intervals: {@code Δ = Q̂_t − Q̂_c},
 * {@code SE = √(SE_t² + SE_c²)}, normal interval and p-value.
 *
 * <p><b>Ties.</b> When many rows equal Q̂, {@code p̂ = F̂(Q̂)} exceeds p (the indicator counts
 * {@code value <= Q̂}). The levels are still centred on the target p, as in Deng et al.; σ is computed
 * at p̂, the share the indicator actually measures. With heavy ties both levels often fall on the
 * same value and the interval has zero width: the quantile is then known exactly at this precision.
 *
 * <p>Normal quantiles {@code z(1 − α/2)} are used throughout (the method is asymptotic).
 */
public final class Percentiles {

    /**
     * Output of pass 2: the probability levels at which the warehouse reads the quantiles of pass 3.
     *
     * @param probability the target probability p of the quantile
     * @param observedProbability {@code p̂ = ΣX/ΣY = F̂(Q̂)}, or null when the group has no records
     * @param standardError σ, the delta-method standard error of p̂, or null (fewer than 2 units, no records)
     * @param lowerLevel {@code max(0, p − z·σ)}, or null with σ
     * @param upperLevel {@code min(1, p + z·σ)}, or null with σ
     * @param warnings why a figure is null, or that σ is 0; copied
     */
    public record Levels(double probability, Double observedProbability, Double standardError, Double lowerLevel,
            Double upperLevel, List<String> warnings) {

        /** Copies the warnings. */
        public Levels {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Difference of two groups' quantiles (normal approximation).
     *
     * @param controlQuantile {@code Q̂_c}
     * @param treatmentQuantile {@code Q̂_t}
     * @param absolute {@code Δ = Q̂_t − Q̂_c}, {@code SE = √(SE_t² + SE_c²)}, interval {@code Δ ± z(1 − α/2)·SE}
     *     (one-sided: {@code [Δ − z(1 − α)·SE, +∞)} or {@code (−∞, Δ + z(1 − α)·SE]}, the open end null and
     *     flagged unbounded); SE and interval null when a group's SE is null, interval null when SE = 0
     * @param relative {@code Q̂_t/Q̂_c − 1}, {@code SE = √(SE_t² + (Q̂_t/Q̂_c)²·SE_c²)/|Q̂_c|} (delta method),
     *     normal interval of the same shape; estimate null when {@code Q̂_c = 0}
     * @param pValue {@code 2·P(Z > |Δ/SE|)} (one-sided: {@code P(Z > Δ/SE)} for an increase,
     *     {@code P(Z < Δ/SE)} for a decrease), or null when SE is null or 0
     * @param significant {@code pValue < alpha}
     * @param warnings why a figure is null; copied
     */
    public record QuantileComparison(double controlQuantile, double treatmentQuantile, Interval absolute,
            Interval relative, Double pValue, boolean significant, List<String> warnings) {

        /** Copies the warnings; requires both intervals. */
        public QuantileComparison {
            Objects.requireNonNull(absolute, "absolute");
            Objects.requireNonNull(relative, "relative");
            warnings = List.copyOf(warnings);
        }
    }

    /** Slack for rounding when checking {@code x̄ <= ȳ} (indicator counts never exceed records). */
    private static final double COUNT_SLACK = 1e-9;

    private Percentiles() {}

    /**
     * Pass 2 → levels for pass 3: {@code p̂ = x̄/ȳ}, {@code σ² = (s_xx − 2p̂ s_xy + p̂² s_yy)/(n ȳ²)}
     * (Deng et al. 2018, §3–§4), levels {@code max(0, p − zσ)} and {@code min(1, p + zσ)} with
     * {@code z = z(1 − α/2)}.
     *
     * <p>Undefined: no units or no records ({@code ȳ = 0}): p̂, σ and levels null ("group has no
     * units", "group denominator sums to zero"); one unit: σ and levels null ("group has fewer than 2
     * units"). σ = 0 (every unit has the same share, e.g. p̂ = 1) gives both levels equal to p and the
     * warning "indicator share has zero variance: the interval has zero width".
     *
     * @param probability target probability p, in (0, 1)
     * @param indicatorMoments per-unit moments of X = rows with {@code value <= Q̂} and Y = rows (records)
     * @param alpha two-sided level, in (0, 1)
     * @throws IllegalArgumentException if p or alpha is not in (0, 1), or the moments are not counts
     *     ({@code x̄ < 0} or {@code x̄ > ȳ})
     */
    public static Levels levels(double probability, GroupMoments indicatorMoments, double alpha) {
        Objects.requireNonNull(indicatorMoments, "indicatorMoments");
        requireOpenUnit("probability", probability);
        requireOpenUnit("alpha", alpha);
        if (indicatorMoments.meanX() < 0.0 || indicatorMoments.meanY() < 0.0
                || indicatorMoments.meanX() > indicatorMoments.meanY() * (1.0 + COUNT_SLACK)) {
            throw new IllegalArgumentException("indicator counts must satisfy 0 <= mean X <= mean Y, got "
                    + indicatorMoments.meanX() + " and " + indicatorMoments.meanY());
        }
        List<String> warnings = new ArrayList<>();
        DeltaMethodComparison.GroupEstimate estimate =
                DeltaMethodComparison.GroupEstimate.of("group", indicatorMoments, warnings);
        Double share = estimate.value() == null ? null : Math.min(1.0, estimate.value());
        if (estimate.variance() == null) {
            return new Levels(probability, share, null, null, null, warnings);
        }
        double sigma = Math.sqrt(estimate.variance());
        if (!(sigma > 0.0)) {
            warnings.add("indicator share has zero variance: the interval has zero width");
        }
        double halfWidth = Distributions.normalQuantile(1.0 - alpha / 2.0) * sigma;
        return new Levels(probability, share, sigma, Math.max(0.0, probability - halfWidth),
                Math.min(1.0, probability + halfWidth), warnings);
    }

    /**
     * Pass 3 → one group's interval: estimate {@code Q̂}, interval {@code [lowerQuantile, upperQuantile]},
     * standard error {@code (upperQuantile − lowerQuantile)/(2·z(1 − α/2))} (Deng et al. 2018, §4).
     * When the levels were undefined pass the quantiles as null: the result has the estimate only.
     *
     * @param quantile {@code Q̂} from pass 1, finite
     * @param lowerQuantile the quantile at {@link Levels#lowerLevel()}, or null
     * @param upperQuantile the quantile at {@link Levels#upperLevel()}, or null
     * @param alpha the level used for the levels, in (0, 1)
     * @throws IllegalArgumentException if a value is not finite, exactly one quantile is null, or
     *     {@code lowerQuantile <= quantile <= upperQuantile} fails (the quantile function is monotone)
     */
    public static Interval interval(double quantile, Double lowerQuantile, Double upperQuantile, double alpha) {
        requireOpenUnit("alpha", alpha);
        if (!Double.isFinite(quantile)) {
            throw new IllegalArgumentException("quantile must be finite, got " + quantile);
        }
        if (lowerQuantile == null && upperQuantile == null) {
            return new Interval(quantile, null, null, null);
        }
        if (lowerQuantile == null || upperQuantile == null) {
            throw new IllegalArgumentException("pass both quantiles or neither");
        }
        if (!(lowerQuantile <= quantile && quantile <= upperQuantile)) {
            throw new IllegalArgumentException("quantiles must satisfy lower <= estimate <= upper, got "
                    + lowerQuantile + ", " + quantile + ", " + upperQuantile);
        }
        double width = upperQuantile - lowerQuantile;
        if (!Double.isFinite(width)) {
            throw new IllegalArgumentException("quantile interval width is not finite");
        }
        double standardError = width / (2.0 * Distributions.normalQuantile(1.0 - alpha / 2.0));
        return new Interval(quantile, standardError, lowerQuantile, upperQuantile);
    }

    /**
     * Compares two groups' quantiles, two-sided: {@link #compare(Interval, Interval, double, Direction)}
     * with {@link Direction#TWO_SIDED}.
     *
     * @param alpha two-sided level, in (0, 1)
     */
    public static QuantileComparison compare(Interval control, Interval treatment, double alpha) {
        return compare(control, treatment, alpha, Direction.TWO_SIDED);
    }

    /**
     * Compares two groups' quantiles (see {@link QuantileComparison} for every formula), normal
     * throughout, {@code SE = √(SE_t² + SE_c²)}:
     * <ul>
     *   <li>{@code TWO_SIDED}: interval {@code Δ ± z(1 − α/2)·SE}, p-value {@code 2·P(Z > |Δ/SE|)};</li>
     *   <li>{@code INCREASE}: interval {@code [Δ − z(1 − α)·SE, +∞)}, p-value {@code P(Z > Δ/SE)};</li>
     *   <li>{@code DECREASE}: interval {@code (−∞, Δ + z(1 − α)·SE]}, p-value {@code P(Z < Δ/SE)}.</li>
     * </ul>
     * The relative difference takes the same shape with its own SE. A one-sided p-value is half the
     * two-sided one when Δ lies in the tested direction and {@code 1 −} half of it otherwise; a one-sided
     * bound at α is the two-sided one at 2α (for α &lt; ½). Undefined: a group's SE null → SE, intervals and
     * p-value null ("control quantile has no standard error"); SE = 0 → intervals and p-value null ("zero
     * standard error in both groups: no interval or p-value"); {@code Q̂_c = 0} → relative null ("control
     * quantile is zero: relative difference undefined"). An interval that is not computed has both ends null
     * and neither flagged, whatever the direction.
     *
     * @param control the control group's {@link #interval}
     * @param treatment the treatment group's {@link #interval}
     * @param alpha level of the test, in (0, 1): two-sided for {@code TWO_SIDED}, one-sided otherwise
     * @param direction the alternative
     * @throws IllegalArgumentException if alpha is not in (0, 1) or an interval has no estimate
     */
    public static QuantileComparison compare(Interval control, Interval treatment, double alpha, Direction direction) {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(treatment, "treatment");
        Objects.requireNonNull(direction, "direction");
        requireOpenUnit("alpha", alpha);
        if (control.estimate() == null || treatment.estimate() == null) {
            throw new IllegalArgumentException("both groups need a quantile estimate");
        }
        List<String> warnings = new ArrayList<>();
        double qc = control.estimate();
        double qt = treatment.estimate();
        double z = Distributions.normalQuantile(direction == Direction.TWO_SIDED ? 1.0 - alpha / 2.0 : 1.0 - alpha);
        if (control.stdError() == null) {
            warnings.add("control quantile has no standard error");
        }
        if (treatment.stdError() == null) {
            warnings.add("treatment quantile has no standard error");
        }
        boolean haveErrors = control.stdError() != null && treatment.stdError() != null;
        double difference = qt - qc;
        Double standardError = null;
        Double pValue = null;
        if (haveErrors) {
            standardError = Math.hypot(treatment.stdError(), control.stdError());
            if (standardError > 0.0) {
                double statistic = difference / standardError;
                pValue = switch (direction) {
                    case TWO_SIDED -> Math.min(1.0, 2.0 * Distributions.normalUpperTail(Math.abs(statistic)));
                    case INCREASE -> Distributions.normalUpperTail(statistic);
                    case DECREASE -> Distributions.normalUpperTail(-statistic);
                };
            } else {
                warnings.add("zero standard error in both groups: no interval or p-value");
            }
        }
        Interval absolute = normalInterval(finite(difference), standardError, z, direction);
        Interval relative;
        if (!(Math.abs(qc) > 0.0)) {
            warnings.add("control quantile is zero: relative difference undefined");
            relative = new Interval(null, null, null, null);
        } else {
            double ratio = qt / qc;
            Double relativeError = haveErrors
                    ? finite(Math.hypot(treatment.stdError(), ratio * control.stdError()) / Math.abs(qc))
                    : null;
            // (Q̂_t − Q̂_c)/Q̂_c rather than Q̂_t/Q̂_c − 1: keeps its digits when both quantiles are large
            relative = normalInterval(finite(difference / qc), relativeError, z, direction);
        }
        boolean significant = pValue != null && pValue < alpha;
        return new QuantileComparison(qc, qt, absolute, relative, pValue, significant, warnings);
    }

    private static Interval normalInterval(Double estimate, Double standardError, double z, Direction direction) {
        if (estimate == null || standardError == null || !(standardError > 0.0)) {
            return new Interval(estimate, standardError, null, null);
        }
        Double lower = finite(estimate - z * standardError);
        Double upper = finite(estimate + z * standardError);
        return switch (direction) {
            case TWO_SIDED -> new Interval(estimate, standardError, lower, upper);
            case INCREASE -> new Interval(estimate, standardError, lower, null, false, true);
            case DECREASE -> new Interval(estimate, standardError, null, upper, true, false);
        };
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static void requireOpenUnit(String name, double value) {
        if (!(value > 0.0 && value < 1.0)) {
            throw new IllegalArgumentException(name + " must be in (0, 1), got " + value);
        }
    }
}
