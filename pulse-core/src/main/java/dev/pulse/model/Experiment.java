package dev.pulse.model;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An experiment: who was assigned (an assignment source and the unit's ID type), its groups and
 * control, its dates (UTC, both inclusive) and the metrics to analyse.
 *
 * @param groups  the listed groups with shares summing to 1, or empty: groups are found in the data
 *                and expected to split equally
 * @param end     the last day, inclusive; empty means up to the latest data
 * @param options    how its metrics are analysed (CUPED, corrections, sequential, Bayesian)
 * @param dimensions assignment-source columns to break results down by ({@link Dimensions#NONE}: none)
 * @param timeseries whether to report cumulative daily results from start to end (needs an end)
 * @param idMapping  when present, metric sources keyed by another ID type are read through it
 */
public record Experiment(
        ExperimentName name,
        SourceName assignment,
        IdType unit,
        String control,
        List<Group> groups,
        LocalDate start,
        Optional<LocalDate> end,
        double alpha,
        List<MetricName> metrics,
        AnalysisOptions options,
        Dimensions dimensions,
        boolean timeseries,
        Optional<IdMapping> idMapping) {

    public Experiment {
        Objects.requireNonNull(name);
        Objects.requireNonNull(assignment);
        Objects.requireNonNull(unit);
        Objects.requireNonNull(control);
        groups = List.copyOf(groups);
        Objects.requireNonNull(start);
        Objects.requireNonNull(end);
        metrics = List.copyOf(metrics);
        Objects.requireNonNull(options);
        Objects.requireNonNull(dimensions);
        Objects.requireNonNull(idMapping);
        if (idMapping.isPresent() && idMapping.get().idType().equals(unit)) {
            throw new IllegalArgumentException("an ID mapping links another ID type than the unit's own");
        }
        if (timeseries && end.isEmpty()) {
            throw new IllegalArgumentException("daily results need an end date");
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1): " + alpha);
        }
        if (end.isPresent() && end.get().isBefore(start)) {
            throw new IllegalArgumentException("start " + start + " is after end " + end.get());
        }
        if (!groups.isEmpty() && groups.stream().noneMatch(g -> g.name().equals(control))) {
            throw new IllegalArgumentException("control '" + control + "' is not among the groups");
        }
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("an experiment needs at least one metric");
        }
    }

    /** An experiment without an ID mapping. */
    public Experiment(ExperimentName name, SourceName assignment, IdType unit, String control, List<Group> groups,
                      LocalDate start, Optional<LocalDate> end, double alpha, List<MetricName> metrics,
                      AnalysisOptions options, Dimensions dimensions, boolean timeseries) {
        this(name, assignment, unit, control, groups, start, end, alpha, metrics, options, dimensions, timeseries,
                Optional.empty());
    }

    /** An experiment with the default {@link AnalysisOptions}. */
    public Experiment(ExperimentName name, SourceName assignment, IdType unit, String control, List<Group> groups,
                      LocalDate start, Optional<LocalDate> end, double alpha, List<MetricName> metrics) {
        this(name, assignment, unit, control, groups, start, end, alpha, metrics, AnalysisOptions.DEFAULT);
    }

    /** An experiment without a breakdown by dimensions. */
    public Experiment(ExperimentName name, SourceName assignment, IdType unit, String control, List<Group> groups,
                      LocalDate start, Optional<LocalDate> end, double alpha, List<MetricName> metrics,
                      AnalysisOptions options) {
        this(name, assignment, unit, control, groups, start, end, alpha, metrics, options, Dimensions.NONE, false);
    }

    /** An experiment without daily results. */
    public Experiment(ExperimentName name, SourceName assignment, IdType unit, String control, List<Group> groups,
                      LocalDate start, Optional<LocalDate> end, double alpha, List<MetricName> metrics,
                      AnalysisOptions options, Dimensions dimensions) {
        this(name, assignment, unit, control, groups, start, end, alpha, metrics, options, dimensions, false);
    }

    /** This experiment with other analysis options. */
    public Experiment withOptions(AnalysisOptions newOptions) {
        return new Experiment(name, assignment, unit, control, groups, start, end, alpha, metrics, newOptions, dimensions,
                timeseries, idMapping);
    }

    /** This experiment broken down by other dimensions. */
    public Experiment withDimensions(Dimensions newDimensions) {
        return new Experiment(name, assignment, unit, control, groups, start, end, alpha, metrics, options, newDimensions,
                timeseries, idMapping);
    }

    /** This experiment with or without daily results. */
    public Experiment withTimeseries(boolean daily) {
        return new Experiment(name, assignment, unit, control, groups, start, end, alpha, metrics, options, dimensions,
                daily, idMapping);
    }

    /** This experiment reading metric sources keyed by another ID type through {@code mapping}. */
    public Experiment withIdMapping(Optional<IdMapping> mapping) {
        return new Experiment(name, assignment, unit, control, groups, start, end, alpha, metrics, options, dimensions,
                timeseries, mapping);
    }

    /** True when the groups are listed in the config (then other groups in the data are excluded). */
    public boolean groupsListed() {
        return !groups.isEmpty();
    }
}
