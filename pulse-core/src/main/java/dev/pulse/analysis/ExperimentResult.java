package dev.pulse.analysis;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The results of one experiment (DESIGN §7).
 *
 * @param srm      the sample-ratio-mismatch check, empty when it is undefined (fewer than two groups)
 * @param warnings experiment-level warnings (e.g. why SRM is missing)
 * @param sql      the statement that produced the moments (for reports and review)
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
        String sql) {

    public ExperimentResult {
        Objects.requireNonNull(experiment);
        groups = List.copyOf(groups);
        metrics = List.copyOf(metrics);
        warnings = List.copyOf(warnings);
    }

    /** A group's counted units and the share the config expects of it. */
    public record GroupCount(String name, long units, double expectedShare) {
    }

    /** Pearson χ² sample-ratio check of the unit counts. */
    public record Srm(double chiSquare, int degreesOfFreedom, double pValue, boolean passed) {
    }
}
