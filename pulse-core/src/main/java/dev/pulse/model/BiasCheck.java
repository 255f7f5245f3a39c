package dev.pulse.model;

/**
 * The pre-experiment bias check (docs/cuped-sequential-bayesian.md §4): every metric's pre-period value,
 * over each unit's {@code [first exposure − lookbackDays, first exposure)}, compared between each treatment
 * and the control, imbalance flagged when the Bonferroni-adjusted p-value is below {@code threshold}. The
 * pre-period comes from the same pass over each source as the analysis period (and as CUPED's).
 *
 * @param lookbackDays length of the pre-period in days, at least 1; with CUPED, CUPED's
 * @param threshold    family-wise level over every metric × treatment, in (0, 1); GrowthBook's 0.001 by default
 */
public record BiasCheck(int lookbackDays, double threshold) {

    /** GrowthBook's threshold: p &lt; 0.001 after a Bonferroni correction. */
    public static final double DEFAULT_THRESHOLD = 0.001;

    public BiasCheck {
        if (lookbackDays < 1) {
            throw new IllegalArgumentException("bias check lookback must be at least 1 day: " + lookbackDays);
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("bias check threshold must be in (0, 1): " + threshold);
        }
    }
}
