package dev.pulse.plan;

import dev.pulse.model.Cuped;
import dev.pulse.model.Dimensions;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.IdType;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one experiment's statement computes, engine-neutral and immutable (docs/architecture.md#data-flow):
 * exposures from the assignment source inside the window, the counted units (one group, and a
 * listed group when groups are listed), one pass per metric source, and the columns of each metric.
 *
 * @param listedGroups the groups listed in the config, or empty when groups are found in the data
 * @param passes       one per metric source, in the order the experiment's metrics first use them
 * @param metrics      in the experiment's order, without its percentile metrics: their per-unit values
 *                     depend on a group quantile and come from their own statements ({@link PercentilePlan})
 * @param cuped        when present, every pass also computes each aggregate over the pre-period
 *                     {@code [first exposure − lookback, first exposure)} of each unit, in the same scan:
 *                     CUPED's, or without CUPED the bias check's ({@link dev.pulse.model.AnalysisOptions#prePeriod})
 * @param dimensions   assignment-source columns to break the moments down by, from the same unit table
 * @param idMapping    when present, the links from another ID type to units that the {@link SourcePass#mapped}
 *                     passes read: one unit per ID, built once before the passes
 * @param timeseries   whether the statement also returns cumulative daily moments of the
 *                     {@link #seriesMetrics series metrics}, from the same scan of each source
 *                     (needs an end)
 * @param interactions other experiments whose groups break the moments down too, after the dimensions
 */
public record ExperimentPlan(
        ExperimentName experiment,
        AssignmentScan assignment,
        IdType unit,
        ExposureWindow window,
        List<String> listedGroups,
        List<SourcePass> passes,
        List<MetricColumns> metrics,
        Optional<Cuped> cuped,
        Dimensions dimensions,
        Optional<MappingScan> idMapping,
        boolean timeseries,
        Optional<TriggerScan> trigger,
        List<InteractionScan> interactions) {

    public ExperimentPlan {
        Objects.requireNonNull(experiment);
        Objects.requireNonNull(assignment);
        Objects.requireNonNull(unit);
        Objects.requireNonNull(window);
        listedGroups = List.copyOf(listedGroups);
        passes = List.copyOf(passes);
        metrics = List.copyOf(metrics);
        Objects.requireNonNull(cuped);
        Objects.requireNonNull(dimensions);
        Objects.requireNonNull(idMapping);
        Objects.requireNonNull(trigger);
        interactions = List.copyOf(interactions);
        if (idMapping.isEmpty() && passes.stream().anyMatch(SourcePass::mapped)) {
            throw new IllegalArgumentException("a mapped source pass needs an ID mapping");
        }
        if (window.end().isEmpty() && metrics.stream().anyMatch(metric -> metric.window().isPresent())) {
            throw new IllegalArgumentException("a metric window needs the experiment's end");
        }
        if (window.end().isEmpty() && passes.stream().flatMap(pass -> pass.aggregates().stream())
                .anyMatch(aggregate -> aggregate.function() == dev.pulse.model.AggregateFunction.EXPOSED_DAYS)) {
            throw new IllegalArgumentException("a participation metric's days in the experiment need its end");
        }
        if (timeseries && window.end().isEmpty()) {
            throw new IllegalArgumentException("daily results need the experiment's end");
        }
    }

    /**
     * Indices into {@link #metrics} of the metrics with daily results when {@link #timeseries} is on:
     * those without a window (a unit's value is not defined before its window closes), without
     * winsorization (the caps are quantiles of the final values) and whose X and Y are running totals
     * of daily parts ({@link dev.pulse.model.AggregateFunction#runningTotal}: not a first or latest
     * value, nor a participation's days in the experiment).
     */
    public List<Integer> seriesMetrics() {
        java.util.Set<Integer> notRunning = new java.util.HashSet<>();
        aggregates().stream().filter(aggregate -> !aggregate.function().runningTotal())
                .forEach(aggregate -> notRunning.add(aggregate.id()));
        return java.util.stream.IntStream.range(0, metrics.size())
                .filter(i -> metrics.get(i).window().isEmpty() && metrics.get(i).winsorize().isEmpty())
                .filter(i -> !notRunning.contains(metrics.get(i).x())
                        && metrics.get(i).y().stream().noneMatch(notRunning::contains))
                .boxed().toList();
    }

    /**
     * This plan without its interactions: for the statements of percentile and funnel metrics, which are not tested
     * for interactions (their results are not moments a breakdown could be compared by), so need not read the other
     * experiments' assignments.
     */
    public ExperimentPlan withoutInteractions() {
        return new ExperimentPlan(experiment, assignment, unit, window, listedGroups, passes, metrics, cuped, dimensions,
                idMapping, timeseries, trigger, List.of());
    }

    /**
     * Under CUPED with several covariates ({@link Cuped#multipleCovariates}), the indices into {@link #metrics} of
     * the metrics whose pre-period values are covariates of every metric, in the metrics' order; else empty. A metric
     * with a window is none (its values are over the units whose window closed, not every unit; the config refuses
     * one by name, and {@code all} leaves it out).
     */
    public List<Integer> covariateMetrics() {
        if (cuped.isEmpty() || !cuped.get().multipleCovariates()) {
            return List.of();
        }
        Cuped settings = cuped.get();
        return java.util.stream.IntStream.range(0, metrics.size())
                .filter(i -> metrics.get(i).window().isEmpty())
                .filter(i -> settings.allMetrics() || settings.covariates().contains(metrics.get(i).metric()))
                .boxed().toList();
    }

    /**
     * The covariates of metric {@code i} under several covariates, as indices into {@link #metrics} of the metrics
     * whose pre-period values they are: its own first, then the other covariate metrics; empty without them, and for
     * a metric with a window (adjusted by its own pre-period alone).
     */
    public List<Integer> covariatesOf(int i) {
        List<Integer> covariates = covariateMetrics();
        if (covariates.isEmpty() || metrics.get(i).window().isPresent()) {
            return List.of();
        }
        List<Integer> of = new java.util.ArrayList<>(List.of(i));
        covariates.stream().filter(j -> j != i).forEach(of::add);
        return List.copyOf(of);
    }

    /** True when the moments are broken down by dimensions or by other experiments' groups. */
    public boolean brokenDown() {
        return dimensions.any() || !interactions.isEmpty();
    }

    /** True when units are counted from their first qualifying row instead of their first exposure. */
    public boolean triggered() {
        return trigger.isPresent();
    }

    /** True when some pass reads its rows through the ID mapping. */
    public boolean mapsIds() {
        return passes.stream().anyMatch(SourcePass::mapped);
    }

    /** True when some metric's values are capped at quantiles. */
    public boolean winsorizes() {
        return metrics.stream().anyMatch(metric -> metric.winsorize().isPresent());
    }

    /** True when some metric counts only the rows inside a window after each unit's first exposure. */
    public boolean hasWindows() {
        return metrics.stream().anyMatch(metric -> metric.window().isPresent());
    }

    /** True when units of groups not listed are excluded. */
    public boolean groupsListed() {
        return !listedGroups.isEmpty();
    }

    /** Every aggregate column of every pass, ordered by id. */
    public List<AggregateColumn> aggregates() {
        return passes.stream().flatMap(pass -> pass.aggregates().stream())
                .sorted(java.util.Comparator.comparingInt(AggregateColumn::id))
                .toList();
    }

    /** The aggregate column with {@code id}, as a metric's {@link MetricColumns#x()} or {@code y()} refers to it. */
    public AggregateColumn aggregate(int id) {
        return passes.stream().flatMap(pass -> pass.aggregates().stream())
                .filter(aggregate -> aggregate.id() == id)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no aggregate " + id));
    }
}
