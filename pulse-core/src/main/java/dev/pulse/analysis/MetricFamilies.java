package dev.pulse.analysis;

import dev.pulse.model.ExperimentName;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Relation;
import dev.pulse.model.SourceName;
import dev.pulse.plan.PercentilePlan;
import dev.pulse.plan.Planner;
import dev.pulse.warehouse.Warehouse;

import java.util.List;
import java.util.Map;

/**
 * The one place the analysis tells metric families apart (docs/architecture.md#metric-families): what a
 * metric runs beyond the experiment's statement, and the form its results come back in. Each method is
 * one exhaustive {@code switch} over {@link dev.pulse.model.MetricFamily}, so that the compiler flags every
 * branch a new family needs; the planner has the only other one ({@link Planner#plan}).
 */
public final class MetricFamilies {
    private MetricFamilies() {}

    /** A statement a metric runs after the experiment's, with a comment saying what it computes. */
    public record Statement(String comment, String sql) {}

    /**
     * The metric's evidence: its part of the experiment's statement ({@code data}), or what its own
     * statements return, run now in {@code warehouse}.
     */
    static MetricEvidence evidence(PulseConfig config, ExperimentName experiment, Metric metric, ExperimentData data,
                                   Warehouse warehouse) {
        return switch (metric.family()) {
            case MOMENTS -> MetricEvidence.Moments.of(data, metric.name());
            case PERCENTILE -> new MetricEvidence.Quantiles(
                    PercentileFetcher.fetch(config, experiment, metric.name(), warehouse));
            case FUNNEL -> new MetricEvidence.Funnel(FunnelFetcher.fetch(config, experiment, metric.name(), warehouse));
        };
    }

    /** The metric's statements after the experiment's one (none for a moment metric), as {@code pulse sql} shows them. */
    public static List<Statement> statements(PulseConfig config, ExperimentName experiment, MetricName metric) {
        return switch (config.metric(metric).family()) {
            case MOMENTS -> List.of();
            case PERCENTILE -> List.of(new Statement(String.format("percentile metric '%s': passes 1 and 2 (the"
                    + " group quantiles and the per-unit indicator moments);%npass 3 reads each group's quantiles at"
                    + " levels computed from this statement's result.", metric),
                    PercentileFetcher.sql(config, experiment, metric)));
            case FUNNEL -> List.of(new Statement(String.format("funnel metric '%s': one scan of each step source, then"
                    + " per step a GROUP BY unit over its rows;%nper group the units that reached each step.",
                    metric), FunnelFetcher.sql(config, experiment, metric)));
        };
    }

    /** The sources the metric's own statements read, beyond the experiment's plan: their setup runs first. */
    static Map<SourceName, Relation> ownSources(PulseConfig config, ExperimentName experiment, MetricName metric) {
        return switch (config.metric(metric).family()) {
            case MOMENTS -> Map.of();
            case PERCENTILE -> {
                PercentilePlan plan = Planner.percentile(config, experiment, metric);
                yield Map.of(plan.source(), plan.relation());
            }
            case FUNNEL -> {
                Map<SourceName, Relation> sources = new java.util.LinkedHashMap<>();
                Planner.funnel(config, experiment, metric).sources()
                        .forEach(source -> sources.put(source.source(), source.relation()));
                yield sources;
            }
        };
    }
}
