package dev.pulse.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Always-valid p-values and confidence intervals from the normal-mixture sequential probability ratio
 * test (mSPRT) of Johari, Koomen, Pekelis &amp; Walsh, "Always Valid Inference: Continuous Monitoring of
 * A/B Tests", Operations Research 70(3), 2022, §4 (normal data, two streams) and "Peeking at A/B Tests",
 * KDD 2017, §4. The p-value and interval may be looked at after every batch of data, and the experiment
 * stopped whenever they look convincing, without inflating the false-positive rate above α.
 *
 * <p>The estimate {@code Δ̂} (absolute or relative lift) is taken as {@code N(Δ, V)} with {@code V = SE²},
 * and the alternative is mixed over {@code Δ ~ N(0, τ²)}. The mixture likelihood ratio against
 * {@code Δ = 0} is
 * <pre>  Λ = √(V/(V + τ²)) · exp(Δ̂² τ² / (2V(V + τ²)))</pre>
 * a non-negative martingale under the null, so {@code P(sup Λ ≥ 1/α) ≤ α} (Ville's inequality). The
 * always-valid p-value is {@code p = min(1, 1/Λ)} and the interval is every Δ₀ not rejected,
 * {@code Λ(Δ₀) < 1/α}:
 * <pre>  Δ̂ ± √( V(V + τ²)/τ² · (−2 ln α − ln(V/(V + τ²))) )</pre>
 * This is the two-sided normal-mixture boundary of Howard, Ramdas, McAuliffe &amp; Sekhon,
 * "Time-uniform, nonparametric, nonasymptotic confidence sequences", Ann. Statist. 49(2), 2021, §3.5
 * ({@code |S_t| < √((V_t + ρ) ln((V_t + ρ)/(ρα²)))}) divided by the sample size, with their intrinsic time
 * {@code V_t = tσ²} and {@code ρ = σ⁴/τ²}.
 *
 * <p><b>The mixing scale τ</b> must be fixed before the data are seen. Johari et al. (2022) match it
 * to the spread of true effects in past experiments; Howard et al. (2021, §3.5) choose it so that the
 * interval is tightest when the variance reaches a planned {@code V*}:
 * {@code τ² ≈ V*·(−2 ln α + ln(1 − 2 ln α))}, about {@code (2.8·SE*)²} at α = 0.05. Here τ is one
 * fraction f of the control value: τ = f for the relative lift and τ = f·|R_c| for the absolute lift,
 * default {@link #DEFAULT_MIXING_FRACTION}. The width grows only like {@code √ln(τ²/V)} when τ is too large.
 *
 * <p>Below {@link #MINIMUM_UNITS} units in an arm the normal approximation of Δ̂ is not trusted and no
 * interval or p-value is given.
 */
public final class AlwaysValidInference {

    /** Units each arm needs before an always-valid interval or p-value is shown. */
    public static final long MINIMUM_UNITS = 100;

    /**
     * Default mixing scale as a fraction of the control value: τ = 0.05, i.e. true relative effects of a
     * few percent, the typical size in mature online experiments (Johari et al. 2022 fit τ to the effects
     * of past experiments; replace this default with such a fit when one exists).
     */
    public static final double DEFAULT_MIXING_FRACTION = 0.05;

    private AlwaysValidInference() {}

    /**
     * The always-valid figures for one estimate at one look.
     *
     * @param interval estimate, its standard error and the always-valid interval; the ends are null when
     *     undefined; never null itself
     * @param mixingStandardDeviation the τ used, or null when none could be set
     * @param logLikelihoodRatio {@code ln Λ} at this look, or null
     * @param pValue always-valid p-value in [0, 1] (for a series of looks the running minimum), or null
     * @param significant {@code pValue < alpha}; false when the p-value is null
     */
    public record Result(Interval interval, Double mixingStandardDeviation, Double logLikelihoodRatio,
            Double pValue, boolean significant) {

        /** Requires the interval. */
        public Result {
            Objects.requireNonNull(interval, "interval");
        }
    }

    /**
     * The always-valid figures of one {@link Comparison}.
     *
     * @param controlUnits units in the control arm
     * @param treatmentUnits units in the treatment arm
     * @param absolute for {@code Δ = R_t − R_c} with τ = f·|R_c|
     * @param relative for {@code L = R_t/R_c − 1} with τ = f
     * @param warnings why a figure is null; copied
     */
    public record SequentialComparison(long controlUnits, long treatmentUnits, Result absolute, Result relative,
            List<String> warnings) {

        /** Copies the warnings; requires both results. */
        public SequentialComparison {
            Objects.requireNonNull(absolute, "absolute");
            Objects.requireNonNull(relative, "relative");
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * The mSPRT at one look (class comment for the formulas). With {@code k = τ²/V} and {@code z = Δ̂/SE}:
     * {@code ln Λ = (z² k/(1 + k) − ln(1 + k))/2}, {@code p = min(1, exp(−ln Λ))}, interval
     * {@code Δ̂ ± SE·√((1 + k)/k · (ln(1 + k) − 2 ln α))}; the same expressions as the class comment
     * divided through by V, so they do not overflow.
     *
     * @param estimate Δ̂, finite
     * @param standardError SE of Δ̂, finite and {@code > 0}
     * @param mixingStandardDeviation τ, finite and {@code > 0}
     * @param alpha level, in (0, 1)
     * @throws IllegalArgumentException if an argument breaks its precondition
     */
    public static Result test(double estimate, double standardError, double mixingStandardDeviation, double alpha) {
        requireLevel(alpha);
        if (!Double.isFinite(estimate)) {
            throw new IllegalArgumentException("estimate must be finite, got " + estimate);
        }
        if (!(standardError > 0.0 && Double.isFinite(standardError))) {
            throw new IllegalArgumentException("standard error must be finite and > 0, got " + standardError);
        }
        if (!(mixingStandardDeviation > 0.0 && Double.isFinite(mixingStandardDeviation))) {
            throw new IllegalArgumentException("mixing standard deviation must be finite and > 0, got "
                    + mixingStandardDeviation);
        }
        double scale = mixingStandardDeviation / standardError;
        double k = scale * scale;
        double z = estimate / standardError;
        double shrink = k / (1.0 + k);
        double logOnePlusK = Math.log1p(k);
        double logLikelihoodRatio = 0.5 * (z * z * shrink - logOnePlusK);
        double pValue = Math.min(1.0, Math.exp(-logLikelihoodRatio));
        double halfWidth = standardError * Math.sqrt((logOnePlusK - 2.0 * Math.log(alpha)) / shrink);
        Interval interval = new Interval(estimate, standardError, finiteOrNull(estimate - halfWidth),
                finiteOrNull(estimate + halfWidth));
        return new Result(interval, mixingStandardDeviation, finiteOrNull(logLikelihoodRatio), pValue,
                pValue < alpha);
    }

    /**
     * The always-valid figures of one comparison at one look: {@link #test} on its absolute lift with
     * {@code τ = f·|R_c|} and on its relative lift (delta-method SE) with {@code τ = f}.
     *
     * <p>Undefined (null interval ends and p-value, with a warning; the estimate and SE are kept):
     * fewer than {@link #MINIMUM_UNITS} units in an arm; a null or zero standard error; a null or zero
     * control value (no τ for the absolute lift, no relative lift).
     *
     * @param comparison a fixed-horizon comparison, e.g. from {@link DeltaMethodComparison#compare}
     * @param mixingFraction f, finite and {@code > 0}; {@link #DEFAULT_MIXING_FRACTION} unless fitted
     * @param alpha level, in (0, 1)
     * @throws IllegalArgumentException if f or alpha break their preconditions
     */
    public static SequentialComparison compare(Comparison comparison, double mixingFraction, double alpha) {
        return compare(comparison, mixingFraction, MINIMUM_UNITS, alpha);
    }

    /** As {@link #compare(Comparison, double, double)} with a chosen minimum of units per arm (≥ 1). */
    public static SequentialComparison compare(Comparison comparison, double mixingFraction, long minimumUnits,
            double alpha) {
        return compareLooks(List.of(comparison), mixingFraction, minimumUnits, alpha).get(0);
    }

    /**
     * A series of looks at one experiment, earliest first (each look a comparison over all data so far):
     * each look as {@link #compare}, then the p-value is the running minimum {@code p_n = min(p_{n−1}, p̃_n)}
     * and the interval the running intersection {@code CI_n = CI_{n−1} ∩ C̃_n} (Johari et al. 2022, §3,
     * the always-valid p-value and confidence sequence from a sequential test). Looks without figures
     * (too few units) leave the running values as they were. If the intersection becomes empty, which under
     * the model happens with probability below α, the interval ends are null with a warning.
     *
     * <p>τ for the absolute lift is {@code f·|R_c|} with the control value of each look: a plug-in for a
     * constant fixed in advance that keeps the guarantee only approximately; pass a fixed τ to {@link #test}
     * where that matters.
     *
     * @param looks the comparisons, earliest first, not empty
     * @param mixingFraction f, finite and {@code > 0}
     * @param alpha level, in (0, 1)
     * @return one result per look, in the same order
     * @throws IllegalArgumentException if f or alpha break their preconditions or there are no looks
     */
    public static List<SequentialComparison> compareLooks(List<Comparison> looks, double mixingFraction,
            double alpha) {
        return compareLooks(looks, mixingFraction, MINIMUM_UNITS, alpha);
    }

    /** As {@link #compareLooks(List, double, double)} with a chosen minimum of units per arm (≥ 1). */
    public static List<SequentialComparison> compareLooks(List<Comparison> looks, double mixingFraction,
            long minimumUnits, double alpha) {
        Objects.requireNonNull(looks, "looks");
        if (minimumUnits < 1) {
            throw new IllegalArgumentException("minimum units must be at least 1, got " + minimumUnits);
        }
        requireLevel(alpha);
        if (!(mixingFraction > 0.0 && Double.isFinite(mixingFraction))) {
            throw new IllegalArgumentException("mixing fraction must be finite and > 0, got " + mixingFraction);
        }
        if (looks.isEmpty()) {
            throw new IllegalArgumentException("need at least one look");
        }
        Running absolute = new Running();
        Running relative = new Running();
        List<SequentialComparison> results = new ArrayList<>();
        for (Comparison look : looks) {
            Objects.requireNonNull(look, "look");
            List<String> warnings = new ArrayList<>();
            boolean enough = look.controlUnits() >= minimumUnits && look.treatmentUnits() >= minimumUnits;
            if (!enough) {
                warnings.add("fewer than " + minimumUnits + " units in an arm: no always-valid interval");
            }
            Double controlValue = look.controlMean();
            Double absoluteScale = controlValue == null || !(Math.abs(controlValue) > 0.0)
                    ? null : finiteOrNull(mixingFraction * Math.abs(controlValue));
            Result a = absolute.next(look.absolute(), enough, absoluteScale, alpha, "absolute", warnings);
            Result r = relative.next(look.relative(), enough, mixingFraction, alpha, "relative", warnings);
            results.add(new SequentialComparison(look.controlUnits(), look.treatmentUnits(), a, r, warnings));
        }
        return results;
    }

    /** Running minimum p-value and running intersection of intervals of one estimate over looks. */
    private static final class Running {
        private Double pValue;
        private Double lower;
        private Double upper;
        private boolean empty;

        Result next(Interval look, boolean enough, Double mixing, double alpha, String what, List<String> warnings) {
            Double estimate = look.estimate();
            Double standardError = look.stdError();
            Double logLikelihoodRatio = null;
            if (enough && estimate != null) {
                if (mixing == null) {
                    warnings.add(what + " lift: control value is zero or missing, no mixing scale");
                } else if (standardError == null || !(standardError > 0.0)) {
                    warnings.add(what + " lift: no positive standard error, no always-valid interval");
                } else {
                    Result single = test(estimate, standardError, mixing, alpha);
                    logLikelihoodRatio = single.logLikelihoodRatio();
                    pValue = pValue == null ? single.pValue() : Math.min(pValue, single.pValue());
                    lower = tighter(lower, single.interval().lower(), true);
                    upper = tighter(upper, single.interval().upper(), false);
                    empty = empty || (lower != null && upper != null && lower > upper);
                }
            }
            if (empty) {
                warnings.add(what + " lift: intervals of successive looks do not overlap");
            }
            boolean shown = !empty && lower != null && upper != null && logLikelihoodRatio != null;
            Interval interval = new Interval(estimate, standardError, shown ? lower : null, shown ? upper : null);
            Double p = logLikelihoodRatio == null ? null : pValue;
            return new Result(interval, logLikelihoodRatio == null ? null : mixing, logLikelihoodRatio, p,
                    p != null && p < alpha);
        }
    }

    /** The tighter of a running end and a new end; a null (overflowed) new end leaves the running one. */
    private static Double tighter(Double running, Double next, boolean lowerEnd) {
        if (next == null) {
            return running;
        }
        if (running == null) {
            return next;
        }
        return lowerEnd ? Math.max(running, next) : Math.min(running, next);
    }

    private static void requireLevel(double alpha) {
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
