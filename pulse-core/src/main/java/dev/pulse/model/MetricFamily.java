package dev.pulse.model;

/**
 * How a metric is computed and compared (docs/architecture.md#metric-families). A family owns its part of
 * the plan, its statements and result columns, reading its rows back, and its comparison; every other
 * place asks the metric's family in one exhaustive {@code switch}, so a new family is flagged by the
 * compiler wherever it needs a branch.
 */
public enum MetricFamily {
    /**
     * Per-unit X and Y from one pass over each source, inside the experiment's one statement, compared by
     * the delta method (with CUPED, winsorization, windows, dimensions and daily results).
     */
    MOMENTS,
    /**
     * Per-unit X that depends on a group-level quantile: its own statements after the experiment's, and a
     * cluster-aware quantile interval.
     */
    PERCENTILE,
    /**
     * Per-unit step times that need row order: its own statement (one scan of each step source, then work
     * over the step rows only), compared by the delta method for the overall and each step's conversion.
     */
    FUNNEL
}
