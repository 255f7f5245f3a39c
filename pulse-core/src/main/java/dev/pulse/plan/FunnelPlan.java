package dev.pulse.plan;

import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.Relation;
import dev.pulse.model.SourceName;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the statement of one funnel metric of one experiment reads (docs/metric-types.md#funnel): the
 * experiment's counted units, found exactly as for its other metrics, and per step source one scan of its
 * rows in each unit's analysis period, tagged with the steps they match. Engine-neutral and immutable.
 *
 * @param experiment the experiment's plan: its assignment, window, groups and dimensions give the
 *                   counted units; its source passes are not read
 * @param sources    the distinct step sources, in first-use order: each is scanned once
 * @param steps      the steps in order, each naming its source by index into {@code sources}
 * @param windowDays the conversion window in days; empty: none
 */
public record FunnelPlan(
        ExperimentPlan experiment,
        MetricName metric,
        List<StepSource> sources,
        List<Step> steps,
        OptionalInt windowDays,
        Metric.Funnel.WindowFrom windowFrom,
        boolean ordered,
        Metric.Funnel.Denominator denominator) {

    public FunnelPlan {
        Objects.requireNonNull(experiment);
        Objects.requireNonNull(metric);
        sources = List.copyOf(sources);
        steps = List.copyOf(steps);
        Objects.requireNonNull(windowDays);
        Objects.requireNonNull(windowFrom);
        Objects.requireNonNull(denominator);
        for (Step step : steps) {
            if (step.source() < 0 || step.source() >= sources.size()) {
                throw new IllegalArgumentException("step '" + step.name() + "' names no source of the plan");
            }
        }
        if (sources.stream().anyMatch(StepSource::mapped) && experiment.idMapping().isEmpty()) {
            throw new IllegalArgumentException("a mapped step source needs the experiment's ID mapping");
        }
    }

    /**
     * One scanned source.
     *
     * @param unitColumn the column for the experiment's unit ID type, or when {@code mapped} for the mapped one
     * @param mapped     whether the rows reach their unit through the experiment's ID mapping
     */
    public record StepSource(SourceName source, Relation relation, String unitColumn, String timestampColumn,
                             boolean mapped) {
        public StepSource {
            Objects.requireNonNull(source);
            Objects.requireNonNull(relation);
            Objects.requireNonNull(unitColumn);
            Objects.requireNonNull(timestampColumn);
        }
    }

    /** One step: its name, the index of its source in {@link #sources} and its filter (user SQL). */
    public record Step(String name, int source, Optional<String> filter) {
        public Step {
            Objects.requireNonNull(name);
            Objects.requireNonNull(filter);
        }
    }
}
