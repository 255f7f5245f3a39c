package dev.pulse.api;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One experiment's results: its groups, the sample-ratio check and each metric's lifts. The JSON of
 * {@link Format#JSON} holds these and every further figure (exclusions, dimensions, interactions, daily results, …).
 *
 * @param name        the experiment's name in the config
 * @param unit        the unit of randomization (an ID type of the config, such as {@code org_id})
 * @param engine      the warehouse engine's config name ({@code duckdb}, {@code postgres}, …)
 * @param start       the experiment's first day
 * @param end         its last day; empty for an experiment still running
 * @param alpha       the significance level of its tests and intervals
 * @param groups      its groups with their units, in the report's order
 * @param sampleRatio the sample-ratio-mismatch check; empty when undefined (fewer than two groups)
 * @param metrics     its metrics, in the config's order
     * @param warnings    experiment-level warnings (why the sample-ratio check is missing, what an incremental
     *     refresh read, …)
 * @param sql         the statement that computed the moments, as run in the warehouse
 */
public record ExperimentSummary(String name, String unit, String engine, LocalDate start, Optional<LocalDate> end,
                                double alpha, List<GroupUnits> groups, Optional<SampleRatio> sampleRatio,
                                List<MetricSummary> metrics, List<String> warnings, String sql) {

    /**
     * Requires every part and copies the lists.
     *
     * @param name the experiment's name in the config
     * @param unit the unit of randomization (an ID type of the config, such as {@code org_id})
     * @param engine the warehouse engine's config name ({@code duckdb}, {@code postgres}, …)
     * @param start the experiment's first day
     * @param end its last day; empty for an experiment still running
     * @param alpha the significance level of its tests and intervals
     * @param groups its groups with their units, in the report's order
     * @param sampleRatio the sample-ratio-mismatch check; empty when undefined (fewer than two groups)
     * @param metrics its metrics, in the config's order
     * @param warnings experiment-level warnings (why the sample-ratio check is missing, what an incremental
     *     refresh read, …)
     * @param sql the statement that computed the moments, as run in the warehouse
     */
    public ExperimentSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        groups = List.copyOf(groups);
        Objects.requireNonNull(sampleRatio, "sampleRatio");
        metrics = List.copyOf(metrics);
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(sql, "sql");
    }

    /**
     * The results of metric {@code name}.
     *
     * @param name a metric's name in the config
     * @return its results, or empty when the experiment has no such metric
     */
    public Optional<MetricSummary> metric(String name) {
        return metrics.stream().filter(metric -> metric.name().equals(name)).findFirst();
    }
}
