package dev.pulse.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The pre-experiment bias check: were the groups already different before their first exposure?
 * Each metric's pre-period value (the same metric over each unit's {@code [first exposure − lookback,
 * first exposure)}) is compared between every treatment and the control with the plain comparison of
 * {@link DeltaMethodComparison} (Welch's t on the difference of the pre-period values, ratio metrics
 * through the delta method), and imbalance is flagged when the Bonferroni-adjusted p-value over the
 * whole family (every metric × every treatment with a p-value) is below the threshold.
 *
 * <p>Sources: Statsig, "Pre-Experiment Bias" (docs.statsig.com/stats-engine/pre-experiment-bias): the
 * standard analysis run on each unit's pre-exposure window (Statsig Warehouse Native: the CUPED
 * lookback), a p-value for "the groups are identical", a warning on the affected results; the threshold
 * p &lt; 0.001 with a Bonferroni correction across the metrics and comparisons is GrowthBook's, as
 * issue 14 states it ({@link #DEFAULT_THRESHOLD}). Under random assignment the pre-period values of the
 * groups have the same distribution, so each p-value is (asymptotically) uniform and by Bonferroni's
 * inequality the chance of any flag is at most the threshold, whatever the dependence between metrics.
 * CUPED on the same pre-period removes the part of an imbalance that the pre-period value explains
 * (Deng, Xu, Kohavi &amp; Walker, WSDM 2013, §3.2: the adjusted estimator is unbiased conditionally on
 * the covariate to first order), so a flag on a metric analysed with CUPED is corrected in expectation.
 */
public final class PreExperimentBias {

    /** GrowthBook's family-wise threshold: flag when the Bonferroni-adjusted p-value is below 0.001. */
    public static final double DEFAULT_THRESHOLD = 0.001;

    private PreExperimentBias() {}

    /**
     * One test of the family: a treatment's pre-period moments against the control's, for one metric.
     *
     * @param metric    the metric's name
     * @param treatment the treatment's name
     * @param control   the control's pre-period moments (X₀, Y₀)
     * @param treated   the treatment's pre-period moments
     */
    public record Input(String metric, String treatment, GroupMoments control, GroupMoments treated) {
        /** Requires every component. */
        public Input {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(treatment, "treatment");
            Objects.requireNonNull(control, "control");
            Objects.requireNonNull(treated, "treated");
        }
    }

    /**
     * One test's outcome.
     *
     * @param comparison     {@link DeltaMethodComparison#compare} of the pre-period moments, two-sided, at the
     *                       per-test level {@code threshold / m} (so its interval excludes 0 exactly when the
     *                       raw p-value is below that level); its means are the pre-period values
     * @param adjustedPValue Bonferroni {@code min(1, m·p)}, or null when the comparison has no p-value
     * @param flagged        {@code adjustedPValue < threshold}; false when it is null
     */
    public record Finding(Input input, Comparison comparison, Double adjustedPValue, boolean flagged) {
        /** Requires the input and the comparison. */
        public Finding {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(comparison, "comparison");
        }
    }

    /**
     * The family's outcome.
     *
     * @param threshold  the family-wise level
     * @param familySize m, the tests with a p-value
     * @param findings   one per input, in input order; copied
     */
    public record Result(double threshold, int familySize, List<Finding> findings) {
        /** Copies the findings. */
        public Result {
            findings = List.copyOf(findings);
        }

        /** Whether any test is flagged. */
        public boolean anyFlagged() {
            return findings.stream().anyMatch(Finding::flagged);
        }
    }

    /**
     * Tests every input: {@code Δ₀ = R₀,t − R₀,c} with {@code SE = √(V₀,t + V₀,c)} and Welch–Satterthwaite
     * ν, p-value {@code 2·P(T_ν > |Δ₀/SE|)} (the formulas of {@link DeltaMethodComparison#compare}, the same
     * undefined cases and warnings), then Bonferroni over the {@code m} tests with a p-value:
     * {@code p̃ = min(1, m·p)}, flagged when {@code p̃ < threshold}.
     *
     * @param inputs    the family, every metric × treatment
     * @param threshold family-wise level, in (0, 1)
     * @throws IllegalArgumentException if the threshold is not in (0, 1)
     * @throws NullPointerException     if an argument is null
     */
    public static Result check(List<Input> inputs, double threshold) {
        Objects.requireNonNull(inputs, "inputs");
        if (!(threshold > 0.0 && threshold < 1.0)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
        }
        List<Double> pValues = new ArrayList<>();
        for (Input input : inputs) {
            // the p-value does not depend on the level; the interval is recomputed below at threshold / m
            pValues.add(DeltaMethodComparison.compare(input.control(), input.treated(), threshold).pValue());
        }
        MultipleComparisons.Result corrected = MultipleComparisons.adjust(pValues, threshold,
                MultipleComparisons.Correction.BONFERRONI);
        int m = corrected.familySize();
        double perTest = threshold / Math.max(1, m);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Input input = inputs.get(i);
            Comparison comparison = DeltaMethodComparison.compare(input.control(), input.treated(), perTest);
            Double adjusted = corrected.adjustedPValues().get(i);
            findings.add(new Finding(input, comparison, adjusted, adjusted != null && adjusted < threshold));
        }
        return new Result(threshold, m, findings);
    }
}
