package dev.pulse.output;

import dev.pulse.analysis.BiasCheckResult;
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
 * With the pre-experiment bias check, the {@code bias_*} cells of the full result's rows hold the metric's
 * pre-period values, their difference, p-value, Bonferroni-adjusted p-value, flag and whether CUPED corrects it.
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
            "sequential_relative_ci_upper", "sequential_p_value", "sequential_method", "chance_to_beat_control",
            "bias_control_pre_mean", "bias_treatment_pre_mean", "bias_difference", "bias_p_value",
            "bias_adjusted_p_value", "bias_flagged", "bias_cuped_corrects",
            "heterogeneity_difference", "heterogeneity_p_value", "heterogeneity_adjusted_p_value", "heterogeneity_flagged",
            "planned_look", "planned_look_status", "planned_look_boundary", "planned_look_nominal_alpha",
            "planned_look_z", "planned_look_crossed", "planned_look_relative_ci_lower",
            "planned_look_relative_ci_upper", "cuped_covariates",
            "excluded_units_window_open", "dimension", "dimension_value", "date", "step");
    /** The bias check's cells, after the other options'; filled on the full result's rows of a metric it covers. */
    private static final int BIAS_CELLS = 7;
    /** The planned-look cells, after the heterogeneity test's; empty on rows without them. */
    private static final int PLANNED_LOOK_CELLS = 8;
    /** The cells of the options after the plain comparison's, empty on the rows of daily results. */
    // 4: the heterogeneity test's; 1: CUPED's covariates
    private static final int OPTION_CELLS = 16 + BIAS_CELLS + 4 + PLANNED_LOOK_CELLS + 1;

    private CsvOutput() {}

    /** Several CUPED covariates as {@code revenue=0.81;purchases=0.12;sessions=} (empty: not used); else empty. */
    private static String covariates(MetricResult.CupedResult cuped) {
        return String.join(";", cuped.covariates().stream()
                .map(c -> c.metric() + "=" + (c.theta() == null ? "" : number(c.theta()))).toList());
    }

    /** Rows for {@code pulse analyze}. */
    public static String experiments(List<ExperimentResult> results) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (ExperimentResult result : results) {
            Double srm = result.srm().map(ExperimentResult.Srm::pValue).orElse(null);
            for (MetricResult metric : result.metrics()) {
                rows(out, result.experiment(), metric, srm, "", "", result.biasCheck(), null);
            }
            for (ExperimentResult.DimensionResult slice : result.dimensions()) {
                Double sliceSrm = slice.srm().map(ExperimentResult.Srm::pValue).orElse(null);
                for (MetricResult metric : slice.metrics()) {
                    rows(out, result.experiment(), metric, sliceSrm, slice.dimension(), slice.value(),
                            java.util.Optional.empty(), slice);
                }
            }
            for (MetricResult metric : result.metrics()) {
                dailyRows(out, result.experiment(), metric);
            }
            postStratifiedRows(out, result);
        }
        return out.toString();
    }

    /**
     * docs/post-stratification.md: one row per metric and treatment, the post-stratified comparison in the plain
     * cells, {@code dimension} the stratifying column and {@code dimension_value} {@value #POST_STRATIFIED}.
     */
    private static void postStratifiedRows(StringBuilder out, ExperimentResult result) {
        for (ExperimentResult.PostStratified p : result.postStratified()) {
            MetricResult metric = result.metrics().stream().filter(m -> m.metric().equals(p.metric())).findFirst()
                    .orElseThrow();
            List<String> cells = plainCells(result.experiment(), metric, p.group(), p.control(),
                    p.result().comparison(), null);
            cells.addAll(java.util.Collections.nCopies(OPTION_CELLS, ""));
            cells.addAll(List.of("", p.dimension(), POST_STRATIFIED, "", ""));
            append(out, cells);
        }
    }

    /** The {@code dimension_value} of a post-stratified row. */
    public static final String POST_STRATIFIED = "(post-stratified)";

    /** Rows for {@code pulse stats}: the experiment and SRM cells are empty. */
    public static String metrics(List<MetricResult> metrics) {
        return metrics(metrics, java.util.Optional.empty());
    }

    /** As {@link #metrics(List)}, with the bias check's cells when present. */
    public static String metrics(List<MetricResult> metrics, java.util.Optional<BiasCheckResult> biasCheck) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        metrics.forEach(metric -> rows(out, "", metric, null, "", "", biasCheck, null));
        return out.toString();
    }

    /** A metric's rows; {@code slice} is the dimension value's results on its rows, else null. */
    private static void rows(StringBuilder out, String experiment, MetricResult metric, Double srmPValue,
                             String dimension, String dimensionValue, java.util.Optional<BiasCheckResult> biasCheck,
                             ExperimentResult.DimensionResult slice) {
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
            cells.add(comparison.sequential().map(x -> x.method().configName()).orElse(""));
            cells.add(comparison.bayesian().map(x -> number(x.result().chanceToBeatControl())).orElse(""));
            biasCells(cells, biasCheck.flatMap(check -> check.entry(metric.metric(), comparison.group())));
            java.util.Optional<ExperimentResult.Heterogeneity> test = slice == null ? java.util.Optional.empty()
                    : slice.heterogeneity(metric.metric(), comparison.group());
            cells.add(test.map(t -> number(t.test().difference().estimate())).orElse(""));
            cells.add(test.map(t -> number(t.test().pValue())).orElse(""));
            cells.add(test.map(t -> number(t.adjustedPValue())).orElse(""));
            cells.add(test.map(t -> Boolean.toString(t.flagged())).orElse(""));
            cells.addAll(plannedLookCells(comparison));
            cells.add(cuped == null ? "" : covariates(cuped));
            cells.add(metric.excludedUnitsWindowOpen().isPresent()
                    ? Long.toString(metric.excludedUnitsWindowOpen().getAsLong()) : "");
            cells.addAll(List.of(dimension, dimensionValue, "", ""));
            append(out, cells);
        }
        for (MetricResult.Step step : metric.steps()) {
            for (MetricResult.GroupComparison comparison : step.comparisons()) {
                List<String> cells = plainCells(experiment, metric, comparison.group(), comparison.control(),
                        comparison.statistics(), srmPValue);
                cells.addAll(java.util.Collections.nCopies(OPTION_CELLS, ""));
                cells.addAll(List.of("", dimension, dimensionValue, "", step.step()));
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
                append(out, cells);
            }
        }
    }

    /** The bias check's cells of one comparison, empty when the check does not cover it. */
    private static void biasCells(List<String> cells, java.util.Optional<BiasCheckResult.Entry> found) {
        if (found.isEmpty()) {
            cells.addAll(java.util.Collections.nCopies(BIAS_CELLS, ""));
            return;
        }
        BiasCheckResult.Entry entry = found.get();
        cells.add(number(entry.comparison().controlMean()));
        cells.add(number(entry.comparison().treatmentMean()));
        cells.add(number(entry.comparison().absolute().estimate()));
        cells.add(number(entry.comparison().pValue()));
        cells.add(number(entry.adjustedPValue()));
        cells.add(Boolean.toString(entry.flagged()));
        cells.add(Boolean.toString(entry.cupedCorrects()));
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
