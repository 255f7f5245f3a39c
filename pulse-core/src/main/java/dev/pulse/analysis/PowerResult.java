package dev.pulse.analysis;

import dev.pulse.model.Group;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A power analysis: what the historical window showed per metric, and per treatment the minimum
 * detectable effect at the planned size or, for a target effect, the units and days needed. Figures
 * that cannot be computed are {@code null} with a warning on the metric.
 *
 * @param historicalUnits units in the historical population (see {@link HistoricalPopulation})
 * @param unitsPerDay     {@code historicalUnits / windowDays}: the average daily rate of new units
 * @param plannedUnits    the planned total over every group (the historical units unless chosen)
 * @param notes           how defaults were filled in
 * @param sql             the statement that produced the moments
 */
public record PowerResult(
        String name,
        String unit,
        LocalDate from,
        LocalDate to,
        long windowDays,
        long historicalUnits,
        double unitsPerDay,
        long plannedUnits,
        double alpha,
        double power,
        OptionalDouble relativeEffect,
        String control,
        List<Group> groups,
        List<MetricPower> metrics,
        List<String> notes,
        String sql) {

    public PowerResult {
        Objects.requireNonNull(name);
        Objects.requireNonNull(unit);
        Objects.requireNonNull(from);
        Objects.requireNonNull(to);
        Objects.requireNonNull(relativeEffect);
        Objects.requireNonNull(control);
        groups = List.copyOf(groups);
        metrics = List.copyOf(metrics);
        notes = List.copyOf(notes);
        Objects.requireNonNull(sql);
    }

    /**
     * One metric.
     *
     * @param direction         {@code two_sided}, {@code increase} or {@code decrease}: the test planned
     * @param mean              the historical group value {@code R = x̄/ȳ} (x̄ for {@code Y ≡ 1}); null when ȳ = 0
     * @param standardDeviation σ, the per-unit standard deviation of the linearized metric,
     *                          {@code √((s_xx − 2R s_xy + R² s_yy)/ȳ²)}; null when undefined
     */
    public record MetricPower(
            String metric,
            String type,
            String direction,
            Double mean,
            Double standardDeviation,
            List<ComparisonPower> comparisons,
            List<String> warnings) {

        public MetricPower {
            Objects.requireNonNull(metric);
            Objects.requireNonNull(type);
            Objects.requireNonNull(direction);
            comparisons = List.copyOf(comparisons);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * One treatment against the control.
     *
     * @param controlUnits   planned control units: its share of the planned total (an expected count, not rounded)
     * @param treatmentUnits planned treatment units, likewise
     * @param standardError  the planned standard error of the absolute lift, {@code σ·√(1/n_c + 1/n_t)}
     * @param mdeAbsolute    {@code k·standardError}, k = z(1 − α/2) + z(power) (one-sided: z(1 − α))
     * @param mdeRelative    {@code mdeAbsolute/|mean|}; null when the mean is 0
     * @param needed         with a target effect: the size and duration needed
     */
    public record ComparisonPower(
            String group,
            String control,
            double controlUnits,
            double treatmentUnits,
            Double standardError,
            Double mdeAbsolute,
            Double mdeRelative,
            Optional<Needed> needed) {

        public ComparisonPower {
            Objects.requireNonNull(group);
            Objects.requireNonNull(control);
            Objects.requireNonNull(needed);
        }
    }

    /**
     * What detecting the target effect takes.
     *
     * @param absoluteEffect  {@code |θ·mean|}
     * @param controlUnits    control units needed, {@code ⌈(1 − w)·N⌉} with w the treatment's share of the pair
     * @param treatmentUnits  treatment units needed, {@code ⌈w·N⌉}
     * @param experimentUnits units over every group so that this pair gets its units at the planned split
     * @param days            {@code ⌈experimentUnits / unitsPerDay⌉}
     */
    public record Needed(double absoluteEffect, long controlUnits, long treatmentUnits, long experimentUnits, long days) {
    }
}
