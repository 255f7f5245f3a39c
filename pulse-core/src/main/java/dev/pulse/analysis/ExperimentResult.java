package dev.pulse.analysis;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The results of one experiment (docs/cli.md#output-formats).
 *
 * @param srm      the sample-ratio-mismatch check, empty when it is undefined (fewer than two groups)
 * @param warnings experiment-level warnings (e.g. why SRM is missing)
 * @param sql        the statement that produced the moments (for reports and review)
 * @param dimensions the breakdown by dimension values, exploratory (no correction across values);
 *                   empty without dimensions
 * @param idResolution with an ID mapping: the IDs and rows it excluded and the units it gave no ID
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
        Optional<IdResolution> idResolution) {

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
    }

    /** Results without an ID mapping. */
    public ExperimentResult(String experiment, String unit, String engine, LocalDate start, Optional<LocalDate> end,
                            double alpha, List<GroupCount> groups, long excludedMultipleGroups, long excludedUnknownGroup,
                            Optional<Srm> srm, List<MetricResult> metrics, List<String> warnings, String sql,
                            List<DimensionResult> dimensions) {
        this(experiment, unit, engine, start, end, alpha, groups, excludedMultipleGroups, excludedUnknownGroup, srm,
                metrics, warnings, sql, dimensions, Optional.empty());
    }

    /** Results without dimensions. */
    public ExperimentResult(String experiment, String unit, String engine, LocalDate start, Optional<LocalDate> end,
                            double alpha, List<GroupCount> groups, long excludedMultipleGroups, long excludedUnknownGroup,
                            Optional<Srm> srm, List<MetricResult> metrics, List<String> warnings, String sql) {
        this(experiment, unit, engine, start, end, alpha, groups, excludedMultipleGroups, excludedUnknownGroup, srm,
                metrics, warnings, sql, List.of());
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
}
