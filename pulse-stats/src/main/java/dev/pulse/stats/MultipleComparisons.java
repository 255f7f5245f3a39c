package dev.pulse.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Multiple-comparison corrections over a family of p-values (for example every treatment against
 * the control for one metric, or every metric of an experiment: the caller decides the family).
 *
 * <p>Adjusted p-values, with {@code m} the number of p-values and {@code p_(1) <= … <= p_(m)} sorted
 * (ties in any order; the results do not depend on it):
 * <ul>
 *   <li>{@link Correction#NONE}: {@code p̃ = p};</li>
 *   <li>{@link Correction#BONFERRONI}: {@code p̃ = min(1, m·p)};</li>
 *   <li>{@link Correction#HOLM} (Holm, "A simple sequentially rejective multiple test procedure",
 *       Scand. J. Statist. 6(2), 1979): step-down,
 *       {@code p̃_(i) = min(1, max_{j <= i} (m − j + 1)·p_(j))};</li>
 *   <li>{@link Correction#BENJAMINI_HOCHBERG} (Benjamini &amp; Hochberg, "Controlling the false
 *       discovery rate", JRSS B 57(1), 1995): step-up,
 *       {@code p̃_(i) = min(1, min_{j >= i} m·p_(j)/j)}.</li>
 * </ul>
 * These are the definitions of R's {@code p.adjust} (methods "bonferroni", "holm", "BH"). A
 * comparison is rejected when {@code p̃ <= alpha}, the rule of the papers (Holm: reject while
 * {@code p_(i) <= α/(m − i + 1)}; BH: reject the {@code R = max{i: p_(i) <= α·i/m}} smallest).
 *
 * <p>Level for widened confidence intervals, per comparison ({@link Result#intervalAlphas()}; recompute
 * each interval with {@code DeltaMethodComparison.Options.withAlpha}):
 * <ul>
 *   <li>NONE: {@code α};</li>
 *   <li>BONFERRONI: {@code α/m}, simultaneous intervals (Bonferroni inequality);</li>
 *   <li>HOLM: {@code α/m}, the Bonferroni simultaneous intervals. Holm's test has no simple compatible
 *       intervals that are narrower (Strassburger &amp; Bretz, Stat. Med. 27, 2008, show the compatible
 *       ones degenerate to a half-line at the hypothesis for rejected comparisons), so its intervals are
 *       Bonferroni's while its decisions are Holm's; an interval may then contain 0 for a rejected
 *       comparison;</li>
 *   <li>BENJAMINI_HOCHBERG: {@code α·max(R, 1)/m} for every comparison in the family, where R is the
 *       number BH rejects. For the R selected comparisons this is the false-coverage-rate adjusted
 *       interval of Benjamini &amp; Yekutieli ("False discovery rate-adjusted multiple confidence
 *       intervals for selected parameters", JASA 100(469), 2005, §2 Definition 1): FCR <= α. For the
 *       unselected ones the paper makes no claim; we give them the same level by convention, and
 *       Bonferroni's {@code α/m} when nothing is selected ({@code R = 0}). With this choice the
 *       intervals agree with the decisions: a selected comparison has {@code p <= α·R/m}, so its
 *       interval excludes 0, and an unselected one of rank {@code i > R} has
 *       {@code p > α·i/m >= α·max(R, 1)/m}, so its interval contains 0.</li>
 * </ul>
 *
 * <p>Undefined p-values ({@code null}, a comparison without a test) are not part of the family:
 * they stay null, m counts only the present ones, and their interval level is the family's
 * (NONE: α). A family of one p-value is unchanged by every correction.
 */
public final class MultipleComparisons {

    /** A correction for multiplicity. */
    public enum Correction {
        /** No correction: the p-values and α are used as they are. */
        NONE,
        /** Bonferroni: family-wise error rate, {@code min(1, m·p)}. */
        BONFERRONI,
        /** Holm step-down (1979): family-wise error rate, uniformly more powerful than Bonferroni. */
        HOLM,
        /** Benjamini–Hochberg step-up (1995): false discovery rate. */
        BENJAMINI_HOCHBERG
    }

    /**
     * The corrected family, in the order of the input.
     *
     * @param correction the correction applied
     * @param alpha the family's level
     * @param familySize m, the number of present (non-null) p-values
     * @param adjustedPValues {@code p̃} per comparison, null where the input was null
     * @param rejected {@code p̃ <= alpha} per comparison; false where the input was null
     * @param intervalAlphas the level at which each comparison's confidence interval should be
     *     computed to account for multiplicity (see the class comment)
     */
    public record Result(Correction correction, double alpha, int familySize, List<Double> adjustedPValues,
            List<Boolean> rejected, List<Double> intervalAlphas) {

        /** Copies the lists (the adjusted p-values may contain null). */
        public Result {
            Objects.requireNonNull(correction, "correction");
            adjustedPValues = Collections.unmodifiableList(new ArrayList<>(adjustedPValues));
            rejected = List.copyOf(rejected);
            intervalAlphas = List.copyOf(intervalAlphas);
        }

        /** Number of rejected comparisons, R. */
        public int rejections() {
            return (int) rejected.stream().filter(Boolean::booleanValue).count();
        }
    }

    private MultipleComparisons() {}

    /**
     * Adjusts a family of p-values and gives each comparison its decision and interval level; every
     * formula is in the class comment.
     *
     * @param pValues p-values in [0, 1], null for comparisons without a test
     * @param alpha the family's level, in (0, 1)
     * @param correction the correction
     * @throws IllegalArgumentException if alpha is not in (0, 1) or a p-value is outside [0, 1] or NaN
     * @throws NullPointerException if the list or the correction is null
     */
    public static Result adjust(List<Double> pValues, double alpha, Correction correction) {
        Objects.requireNonNull(pValues, "pValues");
        Objects.requireNonNull(correction, "correction");
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        List<Integer> present = new ArrayList<>();
        for (int i = 0; i < pValues.size(); i++) {
            Double p = pValues.get(i);
            if (p == null) {
                continue;
            }
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException("p-value " + i + " must be in [0, 1], got " + p);
            }
            present.add(i);
        }
        int m = present.size();
        double[] raw = new double[m];
        for (int k = 0; k < m; k++) {
            raw[k] = pValues.get(present.get(k));
        }
        double[] adjusted = adjusted(raw, correction);
        List<Double> adjustedPValues = new ArrayList<>(Collections.nCopies(pValues.size(), (Double) null));
        List<Boolean> rejected = new ArrayList<>(Collections.nCopies(pValues.size(), Boolean.FALSE));
        int rejections = 0;
        for (int k = 0; k < m; k++) {
            adjustedPValues.set(present.get(k), adjusted[k]);
            if (adjusted[k] <= alpha) {
                rejected.set(present.get(k), Boolean.TRUE);
                rejections++;
            }
        }
        double intervalAlpha = intervalAlpha(alpha, m, rejections, correction);
        return new Result(correction, alpha, m, adjustedPValues, rejected,
                Collections.nCopies(pValues.size(), intervalAlpha));
    }

    private static double intervalAlpha(double alpha, int m, int rejections, Correction correction) {
        if (m <= 1) {
            return alpha;
        }
        return switch (correction) {
            case NONE -> alpha;
            case BONFERRONI, HOLM -> alpha / m;
            case BENJAMINI_HOCHBERG -> alpha * Math.max(rejections, 1) / m;
        };
    }

    private static double[] adjusted(double[] raw, Correction correction) {
        int m = raw.length;
        Integer[] order = new Integer[m];
        for (int k = 0; k < m; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(raw[a], raw[b]));
        double[] result = new double[m];
        switch (correction) {
            case NONE -> System.arraycopy(raw, 0, result, 0, m);
            case BONFERRONI -> {
                for (int k = 0; k < m; k++) {
                    result[k] = Math.min(1.0, m * raw[k]);
                }
            }
            case HOLM -> {
                double running = 0.0;
                for (int rank = 1; rank <= m; rank++) {
                    int k = order[rank - 1];
                    running = Math.max(running, Math.min(1.0, (m - rank + 1) * raw[k]));
                    result[k] = running;
                }
            }
            case BENJAMINI_HOCHBERG -> {
                double running = 1.0;
                for (int rank = m; rank >= 1; rank--) {
                    int k = order[rank - 1];
                    // m/rank first: exact for rank = 1 and rank = m, so p̃ = m·p and p̃ = p agree with Holm there.
                    running = Math.min(running, raw[k] * ((double) m / rank));
                    result[k] = running;
                }
            }
        }
        return result;
    }
}
