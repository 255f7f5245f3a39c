package dev.pulse.analysis;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The results of one experiment (docs/cli.md#output-formats).
 *
 * @param srm      the sample-ratio-mismatch check, empty when it is undefined (fewer than two groups)
 * @param warnings experiment-level warnings (e.g. why SRM is missing)
 * @param sql        the statement that produced the moments (for reports and review)
 * @param dimensions the breakdown by dimension values, exploratory (no correction across values);
 *                   empty without dimensions
 * @param idResolution with an ID mapping: the IDs and rows it excluded and the units it gave no ID
 * @param excludedNotTriggered with a trigger: the exposed units left out because they never qualified;
 *                             empty without a trigger
 * @param postStratified with {@code post_stratify}: each moment metric's comparison post-stratified on that
 *                       dimension (docs/post-stratification.md); empty without it
 */
public record ExperimentResult(
        String experiment,
        String unit,
        String engine,
        LocalDate start,
        Optional<LocalDate> end,
        double alpha,
        List<GroupCount> groups,
        long excludedMultipleGroups,
        long excludedUnknownGroup,
        Optional<Srm> srm,
        List<MetricResult> metrics,
        List<String> warnings,
        String sql,
        List<DimensionResult> dimensions,
        Optional<IdResolution> idResolution,
        OptionalLong excludedNotTriggered,
        List<PostStratified> postStratified) {

    /**
     * One treatment's comparison of one metric, post-stratified on a dimension.
     *
     * @param metric    the metric's name
     * @param group     the treatment
     * @param control   the control
     * @param dimension the assignment-source column whose values are the strata
     * @param result    the estimate, with the strata used and merged
     */
    public record PostStratified(String metric, String group, String control, String dimension,
            dev.pulse.stats.PostStratification.Result result) {
        public PostStratified {
            Objects.requireNonNull(metric);
            Objects.requireNonNull(group);
            Objects.requireNonNull(control);
            Objects.requireNonNull(dimension);
            Objects.requireNonNull(result);
        }
    }

    /** Says what the breakdown by dimension values is worth; printed with it. */
    public static final String DIMENSIONS_WARNING = "dimension results are exploratory: each value's comparisons"
            + " are tested on their own, with no correction across values or dimensions, so some will look"
            + " significant by chance; use them to form hypotheses, not to decide";

    public ExperimentResult {
        Objects.requireNonNull(experiment);
        groups = List.copyOf(groups);
        metrics = List.copyOf(metrics);
        warnings = List.copyOf(warnings);
        dimensions = List.copyOf(dimensions);
        Objects.requireNonNull(idResolution);
        Objects.requireNonNull(excludedNotTriggered);
        postStratified = List.copyOf(postStratified);
    }

    /** A builder of results: the optional parts empty or 0 until set (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these results' parts, to change some of them. */
    public Builder toBuilder() {
        return new Builder().experiment(experiment).unit(unit).engine(engine).start(start).end(end).alpha(alpha)
                .groups(groups).excludedMultipleGroups(excludedMultipleGroups).excludedUnknownGroup(excludedUnknownGroup)
                .srm(srm).metrics(metrics).warnings(warnings).sql(sql).dimensions(dimensions).idResolution(idResolution)
                .excludedNotTriggered(excludedNotTriggered).postStratified(postStratified);
    }

    /** These results with other metric results (e.g. the same metrics with their daily series added). */
    public ExperimentResult withMetrics(List<MetricResult> newMetrics) {
        return toBuilder().metrics(newMetrics).build();
    }

    /**
     * The units with one value of one dimension: their counts per group, SRM check and every metric's
     * comparisons over those units alone.
     *
     * @param value the value at the units' first exposure, {@code (null)}, or the {@code (other)} bucket
     *              of the values outside the top ones
     */
    public record DimensionResult(String dimension, String value, List<GroupCount> groups, Optional<Srm> srm,
                                  List<MetricResult> metrics) {
        public DimensionResult {
            Objects.requireNonNull(dimension);
            Objects.requireNonNull(value);
            groups = List.copyOf(groups);
            Objects.requireNonNull(srm);
            metrics = List.copyOf(metrics);
        }
    }

    /** A group's counted units and the share the config expects of it. */
    public record GroupCount(String name, long units, double expectedShare) {
    }

    /** Pearson χ² sample-ratio check of the unit counts. */
    public record Srm(double chiSquare, int degreesOfFreedom, double pValue, boolean passed) {
    }

    /**
     * Collects the parts of results by name. Experiment, unit, engine, start, alpha and sql are set by the
     * caller; the others default to: no end, no groups, no exclusions, no SRM check, no metrics, no warnings,
     * no dimensions, no ID resolution.
     */
    public static final class Builder {
        private String experiment;
        private String unit;
        private String engine;
        private LocalDate start;
        private Optional<LocalDate> end = Optional.empty();
        private double alpha = Double.NaN;
        private List<GroupCount> groups = List.of();
        private long excludedMultipleGroups;
        private long excludedUnknownGroup;
        private Optional<Srm> srm = Optional.empty();
        private List<MetricResult> metrics = List.of();
        private List<String> warnings = List.of();
        private String sql;
        private List<DimensionResult> dimensions = List.of();
        private Optional<IdResolution> idResolution = Optional.empty();
        private OptionalLong excludedNotTriggered = OptionalLong.empty();
        private List<PostStratified> postStratified = List.of();

        private Builder() {}

        public Builder experiment(String value) {
            experiment = value;
            return this;
        }

        public Builder unit(String value) {
            unit = value;
            return this;
        }

        public Builder engine(String value) {
            engine = value;
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

        public Builder alpha(double value) {
            alpha = value;
            return this;
        }

        public Builder groups(List<GroupCount> value) {
            groups = value;
            return this;
        }

        public Builder excludedMultipleGroups(long value) {
            excludedMultipleGroups = value;
            return this;
        }

        public Builder excludedUnknownGroup(long value) {
            excludedUnknownGroup = value;
            return this;
        }

        public Builder srm(Optional<Srm> value) {
            srm = value;
            return this;
        }

        public Builder metrics(List<MetricResult> value) {
            metrics = value;
            return this;
        }

        public Builder warnings(List<String> value) {
            warnings = value;
            return this;
        }

        public Builder sql(String value) {
            sql = value;
            return this;
        }

        public Builder dimensions(List<DimensionResult> value) {
            dimensions = value;
            return this;
        }

        public Builder idResolution(Optional<IdResolution> value) {
            idResolution = value;
            return this;
        }

        public Builder excludedNotTriggered(OptionalLong value) {
            excludedNotTriggered = value;
            return this;
        }

        public Builder postStratified(List<PostStratified> value) {
            postStratified = value;
            return this;
        }

        public ExperimentResult build() {
            return new ExperimentResult(experiment, unit, engine, start, end, alpha, groups, excludedMultipleGroups,
                    excludedUnknownGroup, srm, metrics, warnings, sql, dimensions, idResolution, excludedNotTriggered,
                    postStratified);
        }
    }
}
