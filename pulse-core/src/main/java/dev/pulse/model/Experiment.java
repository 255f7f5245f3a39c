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
 * @param trigger    when present, each unit's analysis starts at its first qualifying row instead of its
 *                   first exposure, and units that never qualify are left out (docs/triggered-analysis.md)
 * @param interactions other experiments of the config on the same unit to test this one's interactions with:
 *                   whether assignments depend on each other, and whether this one's effects differ across the other's
 *                   groups (docs/interactions.md)
 * @param roles      each metric's role (docs/report.md#decision-summary); a metric given none is
 *                   {@link MetricRole#SECONDARY} when some metric is primary, else {@link MetricRole#PRIMARY}
 * @param plannedUnits the units the experiment plans to count over every group ({@code planned_units}), for the
 *                   report's progress bar (docs/report.md#health); empty without a plan
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
        Optional<IdMapping> idMapping,
        Optional<Trigger> trigger,
        List<ExperimentName> interactions,
        java.util.Map<MetricName, MetricRole> roles,
        java.util.OptionalLong plannedUnits) {

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
        Objects.requireNonNull(trigger);
        interactions = List.copyOf(interactions);
        if (interactions.contains(name) || new java.util.HashSet<>(interactions).size() != interactions.size()) {
            throw new IllegalArgumentException("interactions name other experiments, each once: " + interactions);
        }
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
        Objects.requireNonNull(plannedUnits);
        if (plannedUnits.isPresent() && plannedUnits.getAsLong() < 2) {
            throw new IllegalArgumentException("planned units must be at least 2: " + plannedUnits.getAsLong());
        }
        // a metric given no role explains when some metric is primary; else every one is (docs/report.md)
        boolean somePrimary = false;
        for (MetricName metric : metrics) {
            somePrimary |= roles.get(metric) == MetricRole.PRIMARY;
        }
        MetricRole unnamed = somePrimary ? MetricRole.SECONDARY : MetricRole.PRIMARY;
        java.util.Map<MetricName, MetricRole> all = new java.util.LinkedHashMap<>();
        for (MetricName metric : metrics) {
            all.put(metric, roles.getOrDefault(metric, unnamed));
        }
        // roles of metrics not analysed are dropped: a copy with fewer metrics (toBuilder) keeps the others'; the
        // config refuses a role for a metric the experiment does not list
        roles = java.util.Collections.unmodifiableMap(all);
    }

    /** The role of {@code metric}, one of {@link #metrics}. */
    public MetricRole role(MetricName metric) {
        return roles.getOrDefault(metric, MetricRole.PRIMARY);
    }

    /** A builder of an experiment: every optional part at its default until set (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this experiment's parts, to change some of them. */
    public Builder toBuilder() {
        return new Builder().name(name).assignment(assignment).unit(unit).control(control).groups(groups).start(start)
                .end(end).alpha(alpha).metrics(metrics).options(options).dimensions(dimensions).timeseries(timeseries)
                .interactions(interactions).roles(roles).plannedUnits(plannedUnits)
                .idMapping(idMapping).trigger(trigger);
    }

    /** This experiment with other analysis options. */
    public Experiment withOptions(AnalysisOptions newOptions) {
        return toBuilder().options(newOptions).build();
    }

    /** This experiment broken down by other dimensions. */
    public Experiment withDimensions(Dimensions newDimensions) {
        return toBuilder().dimensions(newDimensions).build();
    }

    /** This experiment with or without daily results. */
    public Experiment withTimeseries(boolean daily) {
        return toBuilder().timeseries(daily).build();
    }

    /** This experiment reading metric sources keyed by another ID type through {@code mapping}. */
    public Experiment withIdMapping(Optional<IdMapping> mapping) {
        return toBuilder().idMapping(mapping).build();
    }

    /** True when the groups are listed in the config (then other groups in the data are excluded). */
    public boolean groupsListed() {
        return !groups.isEmpty();
    }

    /**
     * Collects an experiment's parts by name; {@link #build} checks them in the record's constructor. Name,
     * assignment, unit, control, start, alpha and metrics must be set; the others default to: no listed
     * groups, no end, {@link AnalysisOptions#DEFAULT}, {@link Dimensions#NONE}, no daily results, no ID mapping, no trigger.
     */
    public static final class Builder {
        private ExperimentName name;
        private SourceName assignment;
        private IdType unit;
        private String control;
        private List<Group> groups = List.of();
        private LocalDate start;
        private Optional<LocalDate> end = Optional.empty();
        private double alpha = Double.NaN;
        private List<MetricName> metrics = List.of();
        private AnalysisOptions options = AnalysisOptions.DEFAULT;
        private Dimensions dimensions = Dimensions.NONE;
        private boolean timeseries;
        private Optional<IdMapping> idMapping = Optional.empty();
        private Optional<Trigger> trigger = Optional.empty();
        private List<ExperimentName> interactions = List.of();
        private java.util.Map<MetricName, MetricRole> roles = java.util.Map.of();
        private java.util.OptionalLong plannedUnits = java.util.OptionalLong.empty();

        /** The planned units over every group; empty without a plan. */
        public Builder plannedUnits(java.util.OptionalLong value) {
            plannedUnits = value;
            return this;
        }

        private Builder() {}

        /** The metrics' roles; see {@link Experiment#roles} for a metric not named. */
        public Builder roles(java.util.Map<MetricName, MetricRole> value) {
            roles = value;
            return this;
        }

        public Builder name(ExperimentName value) {
            name = value;
            return this;
        }

        public Builder assignment(SourceName value) {
            assignment = value;
            return this;
        }

        public Builder unit(IdType value) {
            unit = value;
            return this;
        }

        public Builder control(String value) {
            control = value;
            return this;
        }

        public Builder groups(List<Group> value) {
            groups = value;
            return this;
        }

        public Builder start(LocalDate value) {
            start = value;
            return this;
        }

        public Builder end(Optional<LocalDate> value) {
            end = value;
            return this;
        }

        public Builder end(LocalDate value) {
            return end(Optional.of(value));
        }

        public Builder alpha(double value) {
            alpha = value;
            return this;
        }

        public Builder metrics(List<MetricName> value) {
            metrics = value;
            return this;
        }

        public Builder options(AnalysisOptions value) {
            options = value;
            return this;
        }

        public Builder dimensions(Dimensions value) {
            dimensions = value;
            return this;
        }

        public Builder timeseries(boolean value) {
            timeseries = value;
            return this;
        }

        public Builder idMapping(Optional<IdMapping> value) {
            idMapping = value;
            return this;
        }

        public Builder trigger(Optional<Trigger> value) {
            trigger = value;
            return this;
        }

        public Builder interactions(List<ExperimentName> value) {
            interactions = value;
            return this;
        }

        public Experiment build() {
            return new Experiment(name, assignment, unit, control, groups, start, end, alpha, metrics, options, dimensions,
                    timeseries, idMapping, trigger, interactions, roles, plannedUnits);
        }
    }
}
