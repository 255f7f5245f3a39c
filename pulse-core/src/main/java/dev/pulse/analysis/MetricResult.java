package dev.pulse.analysis;

import dev.pulse.stats.Comparison;

import java.util.List;

/** One metric's comparisons: every treatment against the control. */
public record MetricResult(String metric, String type, List<GroupComparison> comparisons) {

    public MetricResult {
        comparisons = List.copyOf(comparisons);
    }

    /** One treatment against the control, named. */
    public record GroupComparison(String group, String control, Comparison statistics) {
    }
}
