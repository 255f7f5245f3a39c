package dev.pulse.output;

import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.MetricResult;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.Interval;

import java.util.ArrayList;
import java.util.List;

/**
 * Results as CSV (RFC 4180), one long table with the field names of docs/cli.md#output-formats flattened
 * ({@code absolute_ci_lower}); undefined statistics are empty cells. Per experiment: one row per
 * metric and treatment for the full result ({@code dimension} and {@code date} empty); with dimensions,
 * the same rows per dimension value ({@code dimension}, {@code dimension_value}, and that value's SRM
 * p-value); with daily results, one row per day of each series ({@code date}, and only the plain
 * comparison's cells); for a funnel, after its rows one row per step and treatment ({@code step}, and only the
 * plain comparison's cells). Filter on empty {@code dimension}, {@code date} and {@code step} for the full result.
 */
public final class CsvOutput {
    private static final List<String> COLUMNS = List.of(
            "experiment", "metric", "type", "group", "control", "control_units", "treatment_units",
            "control_mean", "treatment_mean",
            "absolute_estimate", "absolute_std_error", "absolute_ci_lower", "absolute_ci_upper",
            "relative_estimate", "relative_std_error", "relative_ci_lower", "relative_ci_upper",
            "p_value", "significant", "srm_p_value", "warnings",
            "direction", "cuped_theta", "cuped_variance_reduction", "cuped_absolute_estimate", "cuped_absolute_ci_lower",
            "cuped_absolute_ci_upper", "cuped_relative_estimate", "cuped_relative_ci_lower", "cuped_relative_ci_upper",
            "cuped_p_value", "corrected_p_value", "corrected_significant", "sequential_relative_ci_lower",
            "sequential_relative_ci_upper", "sequential_p_value", "chance_to_beat_control",
            "excluded_units_window_open", "dimension", "dimension_value", "date", "step",
            "planned_look", "planned_look_status", "planned_look_boundary", "planned_look_nominal_alpha",
            "planned_look_z", "planned_look_crossed", "planned_look_relative_ci_lower",
            "planned_look_relative_ci_upper");
    /** The planned-look cells at the end of each row, empty on rows without them. */
    private static final int PLANNED_LOOK_CELLS = 8;
    /** The cells of the options after the plain comparison's, empty on the rows of daily results. */
    private static final int OPTION_CELLS = 15;

    private CsvOutput() {}

    /** Rows for {@code pulse analyze}. */
    public static String experiments(List<ExperimentResult> results) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (ExperimentResult result : results) {
            Double srm = result.srm().map(ExperimentResult.Srm::pValue).orElse(null);
            for (MetricResult metric : result.metrics()) {
                rows(out, result.experiment(), metric, srm, "", "");
            }
            for (ExperimentResult.DimensionResult slice : result.dimensions()) {
                Double sliceSrm = slice.srm().map(ExperimentResult.Srm::pValue).orElse(null);
                for (MetricResult metric : slice.metrics()) {
                    rows(out, result.experiment(), metric, sliceSrm, slice.dimension(), slice.value());
                }
            }
            for (MetricResult metric : result.metrics()) {
                dailyRows(out, result.experiment(), metric);
            }
        }
        return out.toString();
    }

    /** Rows for {@code pulse stats}: the experiment and SRM cells are empty. */
    public static String metrics(List<MetricResult> metrics) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        metrics.forEach(metric -> rows(out, "", metric, null, "", ""));
        return out.toString();
    }

    private static void rows(StringBuilder out, String experiment, MetricResult metric, Double srmPValue,
                             String dimension, String dimensionValue) {
        for (MetricResult.GroupComparison comparison : metric.comparisons()) {
            List<String> cells = plainCells(experiment, metric, comparison.group(), comparison.control(),
                    comparison.statistics(), srmPValue);
            MetricResult.CupedResult cuped = comparison.cuped().orElse(null);
            cells.add(cuped == null ? "" : number(cuped.theta()));
            cells.add(cuped == null ? "" : number(cuped.varianceReduction()));
            for (Interval interval : cuped == null ? List.<Interval>of() : List.of(cuped.adjusted().absolute(), cuped.adjusted().relative())) {
                cells.add(number(interval.estimate()));
                cells.add(number(interval.lower()));
                cells.add(number(interval.upper()));
            }
            if (cuped == null) {
                cells.addAll(List.of("", "", "", "", "", ""));
            }
            cells.add(cuped == null ? "" : number(cuped.adjusted().pValue()));
            cells.add(comparison.corrected().map(x -> number(x.pValue())).orElse(""));
            cells.add(comparison.corrected().map(x -> Boolean.toString(x.significant())).orElse(""));
            cells.add(comparison.sequential().map(x -> number(x.result().relative().interval().lower())).orElse(""));
            cells.add(comparison.sequential().map(x -> number(x.result().relative().interval().upper())).orElse(""));
            cells.add(comparison.sequential().map(x -> number(x.result().relative().pValue())).orElse(""));
            cells.add(comparison.bayesian().map(x -> number(x.result().chanceToBeatControl())).orElse(""));
            cells.add(metric.excludedUnitsWindowOpen().isPresent()
                    ? Long.toString(metric.excludedUnitsWindowOpen().getAsLong()) : "");
            cells.addAll(List.of(dimension, dimensionValue, "", ""));
            cells.addAll(plannedLookCells(comparison));
            append(out, cells);
        }
        for (MetricResult.Step step : metric.steps()) {
            for (MetricResult.GroupComparison comparison : step.comparisons()) {
                List<String> cells = plainCells(experiment, metric, comparison.group(), comparison.control(),
                        comparison.statistics(), srmPValue);
                cells.addAll(java.util.Collections.nCopies(OPTION_CELLS, ""));
                cells.addAll(List.of("", dimension, dimensionValue, "", step.step()));
                cells.addAll(java.util.Collections.nCopies(PLANNED_LOOK_CELLS, ""));
                append(out, cells);
            }
        }
    }

    /** One row per day of each of the metric's series: the plain comparison as of that day. */
    private static void dailyRows(StringBuilder out, String experiment, MetricResult metric) {
        for (MetricResult.GroupComparison comparison : metric.comparisons()) {
            for (MetricResult.DailyPoint point : metric.timeseries().getOrDefault(comparison.group(), List.of())) {
                List<String> cells = plainCells(experiment, metric, comparison.group(), comparison.control(),
                        point.comparison(), null);
                cells.addAll(java.util.Collections.nCopies(OPTION_CELLS, ""));
                cells.addAll(List.of("", "", "", point.date().toString(), ""));
                cells.addAll(java.util.Collections.nCopies(PLANNED_LOOK_CELLS, ""));
                append(out, cells);
            }
        }
    }

    /** The cells from {@code experiment} to {@code direction}: the plain comparison's. */
    private static List<String> plainCells(String experiment, MetricResult metric, String group, String control,
                                           Comparison c, Double srmPValue) {
        List<String> cells = new ArrayList<>();
        cells.add(experiment);
        cells.add(metric.metric());
        cells.add(metric.type());
        cells.add(group);
        cells.add(control);
        cells.add(Long.toString(c.controlUnits()));
        cells.add(Long.toString(c.treatmentUnits()));
        cells.add(number(c.controlMean()));
        cells.add(number(c.treatmentMean()));
        addInterval(cells, c.absolute());
        addInterval(cells, c.relative());
        cells.add(number(c.pValue()));
        cells.add(Boolean.toString(c.significant()));
        cells.add(number(srmPValue));
        cells.add(String.join("; ", c.warnings()));
        cells.add(metric.direction().configName());
        return cells;
    }

    private static void append(StringBuilder out, List<String> cells) {
        if (cells.size() != COLUMNS.size()) {
            throw new IllegalStateException(cells.size() + " cells for " + COLUMNS.size() + " columns");
        }
        out.append(String.join(",", cells.stream().map(CsvOutput::quote).toList())).append("\r\n");
    }

    private static void addInterval(List<String> cells, Interval interval) {
        cells.add(number(interval.estimate()));
        cells.add(number(interval.stdError()));
        cells.add(number(interval.lower()));
        cells.add(number(interval.upper()));
    }

    /** Full precision, so CSV loses nothing against JSON. */
    /** Look, status, boundary, nominal α, z, crossed, repeated relative CI; only the first four off a look. */
    private static List<String> plannedLookCells(MetricResult.GroupComparison comparison) {
        if (comparison.plannedLooks().isEmpty()) {
            return java.util.Collections.nCopies(PLANNED_LOOK_CELLS, "");
        }
        MetricResult.PlannedLookResult planned = comparison.plannedLooks().get();
        int look = planned.position().look();
        List<String> cells = new java.util.ArrayList<>(List.of(Integer.toString(look),
                planned.position().status().outputName()));
        if (planned.result().isEmpty()) {
            cells.addAll(java.util.Collections.nCopies(PLANNED_LOOK_CELLS - 2, ""));
            return cells;
        }
        dev.pulse.stats.GroupSequential.Result result = planned.result().get();
        dev.pulse.stats.GroupSequential.Look at = planned.design().looks().get(look - 1);
        cells.add(number(at.boundary()));
        cells.add(number(at.nominalAlpha()));
        cells.add(number(result.zStatistic()));
        cells.add(result.crossed() == null ? "" : Boolean.toString(result.crossed()));
        cells.add(number(result.relative().lower()));
        cells.add(number(result.relative().upper()));
        return cells;
    }

    private static String number(Double value) {
        return value == null ? "" : Double.toString(value);
    }

    private static String quote(String cell) {
        if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
            return "\"" + cell.replace("\"", "\"\"") + "\"";
        }
        return cell;
    }
}
