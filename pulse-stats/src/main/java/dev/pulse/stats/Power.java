package dev.pulse.stats;

import java.util.Objects;

/**
 * Minimum detectable effect (MDE) and sample size for a two-group comparison, by the normal
 * approximation to the test of docs/statistics.md (e.g. Chow, Shao &amp; Wang, <i>Sample Size Calculations in
 * Clinical Research</i>, 2nd ed., 2008, §3.2.1; for online experiments Kohavi, Tang &amp; Xu,
 * <i>Trustworthy Online Controlled Experiments</i>, 2020, ch. 17; Deng et al., KDD 2018, §3 for the
 * per-unit variance of ratio metrics).
 *
 * <p>The metric's per-unit variance σ² is the variance of its linearized value: for a group with
 * moments, {@code σ² = n·V = (s_xx − 2R s_xy + R² s_yy)/ȳ²} ({@link #unitVariance}), so the
 * delta-method variance of a group of n units is {@code σ²/n}. This is cluster-aware: units are the
 * randomization units, and rows inside a unit may be correlated. σ² is assumed equal in both groups.
 *
 * <p>With {@code k = z(1 − α/2) + z(power)} (two-sided) or {@code k = z(1 − α) + z(power)} (one-sided,
 * {@link Direction#INCREASE} or {@link Direction#DECREASE}):
 * {@code MDE = k·σ·√(1/n_c + 1/n_t)}. The two-sided form ignores the rejection region on the wrong
 * side (its probability is below α/2) and uses z instead of Student's t, so it is a large-sample
 * approximation: with a few dozen units per group the true power is slightly lower.
 *
 * <p>Caveat for planning in days: for ratio metrics over returning users or sessions σ² changes as
 * units accumulate rows, so σ² should be estimated on a period as long as the planned one.
 */
public final class Power {

    /** Relative slack before rounding a unit or day count up, so that 100.000000000001 stays 100. */
    private static final double ROUNDING_SLACK = 1e-12;

    /**
     * A minimum detectable effect.
     *
     * @param absolute the absolute MDE, {@code k·σ·√(1/n_c + 1/n_t)}
     * @param relative {@code absolute/|controlMean|} as a fraction, or null when the control mean is 0
     * @param standardError the planned standard error of Δ, {@code σ·√(1/n_c + 1/n_t)}
     * @param multiplier {@code k}, the sum of the two normal quantiles
     */
    public record MinimumDetectableEffect(double absolute, Double relative, double standardError, double multiplier) {}

    /**
     * Units needed per group and in total.
     *
     * @param totalUnits {@code controlUnits + treatmentUnits}
     * @param controlUnits {@code ⌈(1 − w)·N⌉}
     * @param treatmentUnits {@code ⌈w·N⌉}
     */
    public record SampleSize(long totalUnits, long controlUnits, long treatmentUnits) {}

    private Power() {}

    /**
     * The per-unit variance {@code σ² = n·V = (s_xx − 2R s_xy + R² s_yy)/ȳ²} of a group's linearized
     * value (Deng et al. 2018, §3), for example from a pre-period or an A/A run; {@code s_xx} for
     * {@code Y ≡ 1}.
     *
     * @throws IllegalArgumentException if the group has fewer than 2 units, a zero denominator mean, or
     *     the variance overflows
     */
    public static double unitVariance(GroupMoments moments) {
        Objects.requireNonNull(moments, "moments");
        Double variance = DeltaMethodComparison.unitVariance(moments);
        if (variance == null) {
            throw new IllegalArgumentException("per-unit variance undefined: need n >= 2 units and a non-zero "
                    + "denominator mean, got n = " + moments.n() + ", mean Y = " + moments.meanY());
        }
        return variance;
    }

    /**
     * {@code MDE = k·σ·√(1/n_c + 1/n_t)} (see the class comment for k and the approximation).
     *
     * @param unitVariance σ², finite and {@code >= 0}
     * @param controlMean the control group's expected value μ_c, finite (for the relative MDE)
     * @param controlUnits n_c, {@code >= 1}
     * @param treatmentUnits n_t, {@code >= 1}
     * @param alpha significance level in (0, 1) (two-sided for {@link Direction#TWO_SIDED})
     * @param power target power in (0, 1); the conventional 0.8
     * @param direction sidedness of the planned test
     * @throws IllegalArgumentException on an argument outside its range, or {@code k <= 0} (power so low
     *     that no positive effect is needed)
     */
    public static MinimumDetectableEffect minimumDetectableEffect(double unitVariance, double controlMean,
            long controlUnits, long treatmentUnits, double alpha, double power, Direction direction) {
        if (controlUnits < 1 || treatmentUnits < 1) {
            throw new IllegalArgumentException("need at least 1 unit per group, got " + controlUnits + " and "
                    + treatmentUnits);
        }
        return mde(unitVariance, controlMean, 1.0 / controlUnits + 1.0 / treatmentUnits, alpha, power, direction);
    }

    /**
     * The MDE for {@code totalUnits} split with share w to treatment: {@code n_t = w·N}, {@code n_c = (1 − w)·N}
     * (not rounded), {@code MDE = k·σ/√(N·w·(1 − w))}.
     *
     * @param totalUnits N, {@code >= 2}
     * @param treatmentShare w, in (0, 1)
     * @throws IllegalArgumentException as {@link #minimumDetectableEffect(double, double, long, long, double, double, Direction)}
     */
    public static MinimumDetectableEffect minimumDetectableEffect(double unitVariance, double controlMean,
            long totalUnits, double treatmentShare, double alpha, double power, Direction direction) {
        if (totalUnits < 2) {
            throw new IllegalArgumentException("need at least 2 units, got " + totalUnits);
        }
        requireOpenUnit("treatmentShare", treatmentShare);
        double inverseUnits = 1.0 / (totalUnits * treatmentShare * (1.0 - treatmentShare));
        return mde(unitVariance, controlMean, inverseUnits, alpha, power, direction);
    }

    /**
     * Units needed to detect a relative effect θ (so {@code δ = |θ·μ_c|}):
     * {@code N = k²·σ²/(w·(1 − w)·δ²)}, then {@code n_c = ⌈(1 − w)·N⌉}, {@code n_t = ⌈w·N⌉} (each group gets
     * at least its share, so the planned MDE is at most δ; values within 10⁻¹² relative of an integer
     * are not rounded up).
     *
     * @param unitVariance σ², finite and {@code > 0}
     * @param controlMean μ_c, finite and non-zero
     * @param relativeEffect θ as a fraction (0.02 = 2 %), non-zero
     * @param treatmentShare w, in (0, 1)
     * @throws IllegalArgumentException on an argument outside its range, or more units than a long holds
     */
    public static SampleSize unitsNeeded(double unitVariance, double controlMean, double relativeEffect,
            double treatmentShare, double alpha, double power, Direction direction) {
        requireFinite("unitVariance", unitVariance);
        if (!(unitVariance > 0.0)) {
            throw new IllegalArgumentException("unitVariance must be > 0, got " + unitVariance);
        }
        requireFinite("controlMean", controlMean);
        requireFinite("relativeEffect", relativeEffect);
        requireOpenUnit("treatmentShare", treatmentShare);
        double effect = Math.abs(relativeEffect * controlMean);
        if (!(effect > 0.0)) {
            throw new IllegalArgumentException("the effect |relativeEffect·controlMean| must be > 0");
        }
        double k = multiplier(alpha, power, direction);
        double ratio = k / effect;
        double total = ratio * ratio * unitVariance / (treatmentShare * (1.0 - treatmentShare));
        long control = roundUp(total * (1.0 - treatmentShare));
        long treatment = roundUp(total * treatmentShare);
        return new SampleSize(Math.addExact(control, treatment), control, treatment);
    }

    /**
     * Days needed to reach {@code totalUnits}: {@code ⌈totalUnits/unitsPerDay⌉}, assuming new units arrive at a
     * steady rate (values within 10⁻¹² relative of an integer are not rounded up).
     *
     * @param totalUnits units needed, {@code >= 0}
     * @param unitsPerDay new units entering the experiment per day, finite and {@code > 0}
     * @throws IllegalArgumentException on an argument outside its range
     */
    public static long daysNeeded(long totalUnits, double unitsPerDay) {
        if (totalUnits < 0) {
            throw new IllegalArgumentException("totalUnits must be >= 0, got " + totalUnits);
        }
        requireFinite("unitsPerDay", unitsPerDay);
        if (!(unitsPerDay > 0.0)) {
            throw new IllegalArgumentException("unitsPerDay must be > 0, got " + unitsPerDay);
        }
        return roundUp(totalUnits / unitsPerDay);
    }

    private static MinimumDetectableEffect mde(double unitVariance, double controlMean, double inverseUnits,
            double alpha, double power, Direction direction) {
        requireFinite("unitVariance", unitVariance);
        if (unitVariance < 0.0) {
            throw new IllegalArgumentException("unitVariance must be >= 0, got " + unitVariance);
        }
        requireFinite("controlMean", controlMean);
        double k = multiplier(alpha, power, direction);
        double standardError = Math.sqrt(unitVariance * inverseUnits);
        double absolute = k * standardError;
        Double relative = Math.abs(controlMean) > 0.0 ? absolute / Math.abs(controlMean) : null;
        if (relative != null && !Double.isFinite(relative)) {
            relative = null;
        }
        return new MinimumDetectableEffect(absolute, relative, standardError, k);
    }

    private static double multiplier(double alpha, double power, Direction direction) {
        requireOpenUnit("alpha", alpha);
        requireOpenUnit("power", power);
        Objects.requireNonNull(direction, "direction");
        double significance = switch (direction) {
            case TWO_SIDED -> Distributions.normalQuantile(1.0 - alpha / 2.0);
            case INCREASE, DECREASE -> Distributions.normalQuantile(1.0 - alpha);
        };
        double k = significance + Distributions.normalQuantile(power);
        if (!(k > 0.0)) {
            throw new IllegalArgumentException("z(1 - alpha) + z(power) must be > 0, got " + k);
        }
        return k;
    }

    private static long roundUp(double value) {
        if (!(value < Long.MAX_VALUE)) {
            throw new IllegalArgumentException("more units or days than a long holds: " + value);
        }
        double nearest = Math.rint(value);
        if (Math.abs(value - nearest) <= ROUNDING_SLACK * Math.max(1.0, Math.abs(value))) {
            return (long) nearest;
        }
        return (long) Math.ceil(value);
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
    }

    private static void requireOpenUnit(String name, double value) {
        if (!(value > 0.0 && value < 1.0)) {
            throw new IllegalArgumentException(name + " must be in (0, 1), got " + value);
        }
    }
}
