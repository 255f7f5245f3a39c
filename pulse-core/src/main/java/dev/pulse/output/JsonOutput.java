package dev.pulse.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.MetricResult;
import dev.pulse.stats.AlwaysValidInference;
import dev.pulse.stats.BayesianSummary;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.GroupSequential;
import dev.pulse.stats.Interval;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Results as JSON, exactly the names of docs/cli.md#output-formats. Undefined statistics are {@code null}, never NaN.
 * Fields beyond §7 ({@code srm.chi_square}, {@code degrees_of_freedom}, {@code sql} is left out) are
 * additions, never renamings.
 */
public final class JsonOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {}

    /** {@code {"experiments": [...]}} for {@code pulse analyze}. */
    public static String experiments(List<ExperimentResult> results) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode experiments = root.putArray("experiments");
        for (ExperimentResult result : results) {
            experiments.add(experiment(result));
        }
        return write(root);
    }

    /** {@code {"alpha": …, "metrics": [...]}} for {@code pulse stats}. */
    public static String metrics(double alpha, List<MetricResult> metrics) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("alpha", alpha);
        ArrayNode array = root.putArray("metrics");
        metrics.forEach(metric -> array.add(metric(metric)));
        return write(root);
    }

    private static ObjectNode experiment(ExperimentResult result) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("experiment", result.experiment());
        node.put("unit", result.unit());
        node.put("engine", result.engine());
        node.put("start", result.start().toString());
        if (result.end().isPresent()) {
            node.put("end", result.end().get().toString());
        } else {
            node.putNull("end");
        }
        node.put("alpha", result.alpha());
        groups(node, result.groups());
        ObjectNode excludedUnits = node.putObject("excluded_units")
                .put("multiple_groups", result.excludedMultipleGroups())
                .put("unknown_group", result.excludedUnknownGroup());
        result.excludedNotTriggered().ifPresent(units -> excludedUnits.put("not_triggered", units));
        result.idResolution().ifPresent(ids -> {
            node.putObject("id_mapping")
                    .put("source", ids.source())
                    .put("id_type", ids.idType())
                    .put("units_without_ids", ids.unitsWithoutIds());
            ObjectNode excluded = node.putObject("excluded_ids");
            excluded.putObject("conflicting_groups")
                    .put("ids", ids.conflictingIds())
                    .put("rows", ids.conflictingRows());
            excluded.putObject("unmapped")
                    .put("rows", ids.unmappedRows());
        });
        srm(node, result.srm());
        ArrayNode metrics = node.putArray("metrics");
        result.metrics().forEach(metric -> metrics.add(metric(metric)));
        if (!result.dimensions().isEmpty()) {
            ArrayNode dimensions = node.putArray("dimensions");
            for (ExperimentResult.DimensionResult dimension : result.dimensions()) {
                ObjectNode d = dimensions.addObject();
                d.put("dimension", dimension.dimension());
                d.put("value", dimension.value());
                groups(d, dimension.groups());
                srm(d, dimension.srm());
                ArrayNode dimensionMetrics = d.putArray("metrics");
                dimension.metrics().forEach(metric -> dimensionMetrics.add(metric(metric)));
            }
        }
        ArrayNode warnings = node.putArray("warnings");
        result.warnings().forEach(warnings::add);
        return node;
    }

    private static void groups(ObjectNode node, List<ExperimentResult.GroupCount> counts) {
        ArrayNode groups = node.putArray("groups");
        for (ExperimentResult.GroupCount group : counts) {
            groups.addObject()
                    .put("name", group.name())
                    .put("units", group.units())
                    .put("expected_share", group.expectedShare());
        }
    }

    private static void srm(ObjectNode node, java.util.Optional<ExperimentResult.Srm> result) {
        if (result.isPresent()) {
            ExperimentResult.Srm srm = result.get();
            node.putObject("srm")
                    .put("p_value", srm.pValue())
                    .put("passed", srm.passed())
                    .put("chi_square", srm.chiSquare())
                    .put("degrees_of_freedom", srm.degreesOfFreedom());
        } else {
            node.putNull("srm");
        }
    }

    private static ObjectNode metric(MetricResult metric) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("metric", metric.metric());
        node.put("type", metric.type());
        node.put("direction", metric.direction().configName());
        metric.excludedUnitsWindowOpen().ifPresent(units -> node.put("excluded_units_window_open", units));
        if (!metric.unitsWithValue().isEmpty()) {
            ObjectNode units = node.putObject("units_with_value");
            metric.unitsWithValue().forEach(units::put);
        }
        comparisons(node.putArray("comparisons"), metric, metric.comparisons());
        if (!metric.steps().isEmpty()) {
            ArrayNode steps = node.putArray("steps");
            for (MetricResult.Step step : metric.steps()) {
                ObjectNode s = steps.addObject();
                s.put("step", step.step());
                comparisons(s.putArray("comparisons"), metric, step.comparisons());
            }
        }
        return node;
    }

    /** The comparisons' objects; a funnel step's carry the plain statistics only. */
    private static void comparisons(ArrayNode comparisons, MetricResult metric,
                                    List<MetricResult.GroupComparison> groupComparisons) {
        for (MetricResult.GroupComparison comparison : groupComparisons) {
            Comparison stats = comparison.statistics();
            ObjectNode c = comparisons.addObject();
            c.put("group", comparison.group());
            c.put("control", comparison.control());
            c.put("control_mean", stats.controlMean());
            c.put("treatment_mean", stats.treatmentMean());
            c.put("control_units", stats.controlUnits());
            c.put("treatment_units", stats.treatmentUnits());
            interval(c.putObject("absolute"), stats.absolute());
            interval(c.putObject("relative"), stats.relative());
            c.put("p_value", stats.pValue());
            c.put("significant", stats.significant());
            c.put("degrees_of_freedom", stats.degreesOfFreedom());
            ArrayNode warnings = c.putArray("warnings");
            stats.warnings().forEach(warnings::add);
            comparison.cuped().ifPresent(cuped -> cuped(c.putObject("cuped"), cuped));
            comparison.corrected().ifPresent(corrected -> corrected(c.putObject("correction"), corrected));
            comparison.sequential().ifPresent(sequential -> sequential(c.putObject("sequential"), sequential));
            comparison.bayesian().ifPresent(bayesian -> bayesian(c.putObject("bayesian"), bayesian));
            comparison.plannedLooks().ifPresent(planned -> plannedLooks(c.putObject("planned_looks"), planned));
            List<MetricResult.DailyPoint> series = metric.timeseries().get(comparison.group());
            if (series != null) {
                ArrayNode points = c.putArray("timeseries");
                for (MetricResult.DailyPoint point : series) {
                    ObjectNode p = points.addObject();
                    p.put("date", point.date().toString());
                    p.put("control_units", point.controlUnits());
                    p.put("treatment_units", point.treatmentUnits());
                    interval(p.putObject("absolute"), point.comparison().absolute());
                    interval(p.putObject("relative"), point.comparison().relative());
                    p.put("p_value", point.comparison().pValue());
                }
            }
        }
    }

    private static void interval(ObjectNode node, Interval interval) {
        node.put("estimate", interval.estimate());
        node.put("std_error", interval.stdError());
        bounds(node, interval);
    }

    /** The interval's ends; an unbounded end is null with {@code ci_*_unbounded: true}. */
    private static void bounds(ObjectNode node, Interval interval) {
        node.put("ci_lower", interval.lower());
        node.put("ci_upper", interval.upper());
        if (interval.lowerUnbounded() || interval.upperUnbounded()) {
            node.put("ci_lower_unbounded", interval.lowerUnbounded());
            node.put("ci_upper_unbounded", interval.upperUnbounded());
        }
    }

    private static void cuped(ObjectNode node, MetricResult.CupedResult cuped) {
        Comparison adjusted = cuped.adjusted();
        node.put("lookback_days", cuped.lookbackDays());
        node.put("theta", cuped.theta());
        node.put("variance_reduction", cuped.varianceReduction());
        node.put("control_mean", adjusted.controlMean());
        node.put("treatment_mean", adjusted.treatmentMean());
        interval(node.putObject("absolute"), adjusted.absolute());
        interval(node.putObject("relative"), adjusted.relative());
        node.put("p_value", adjusted.pValue());
        node.put("significant", adjusted.significant());
        node.put("degrees_of_freedom", adjusted.degreesOfFreedom());
        ArrayNode warnings = node.putArray("warnings");
        adjusted.warnings().forEach(warnings::add);
        cuped.warnings().forEach(warnings::add);
    }

    private static void corrected(ObjectNode node, MetricResult.CorrectedResult corrected) {
        node.put("method", corrected.method());
        node.put("family_size", corrected.familySize());
        node.put("p_value", corrected.pValue());
        node.put("significant", corrected.significant());
        node.put("ci_alpha", corrected.intervalAlpha());
        bounds(node.putObject("absolute"), corrected.absolute());
        bounds(node.putObject("relative"), corrected.relative());
    }

    private static void sequential(ObjectNode node, MetricResult.SequentialResult sequential) {
        node.put("mixing_fraction", sequential.mixingFraction());
        node.put("min_units", sequential.minimumUnits());
        alwaysValid(node.putObject("absolute"), sequential.result().absolute());
        alwaysValid(node.putObject("relative"), sequential.result().relative());
        ArrayNode warnings = node.putArray("warnings");
        sequential.result().warnings().forEach(warnings::add);
    }

    private static void alwaysValid(ObjectNode node, AlwaysValidInference.Result result) {
        interval(node, result.interval());
        node.put("p_value", result.pValue());
        node.put("significant", result.significant());
        node.put("tau", result.mixingStandardDeviation());
    }

    /** The group-sequential test (docs/analysis-options.md#planned-looks); decision fields null off a look. */
    private static void plannedLooks(ObjectNode node, MetricResult.PlannedLookResult planned) {
        node.put("spending", planned.position().spending().configName());
        node.put("status", planned.position().status().outputName());
        node.put("look", planned.position().look());
        ArrayNode looks = node.putArray("looks");
        for (int k = 0; k < planned.design().looks().size(); k++) {
            GroupSequential.Look look = planned.design().looks().get(k);
            ObjectNode l = looks.addObject();
            l.put("date", planned.position().dates().isEmpty() ? null : planned.position().dates().get(k).toString());
            l.put("fraction", look.fraction());
            l.put("boundary", look.boundary());
            l.put("nominal_alpha", look.nominalAlpha());
            l.put("cumulative_alpha", look.cumulativeAlpha());
        }
        Optional<GroupSequential.Result> result = planned.result();
        node.put("z", result.map(GroupSequential.Result::zStatistic).orElse(null));
        node.put("crossed", result.map(GroupSequential.Result::crossed).orElse(null));
        if (result.isPresent()) {
            interval(node.putObject("absolute"), result.get().absolute());
            interval(node.putObject("relative"), result.get().relative());
        } else {
            node.putNull("absolute");
            node.putNull("relative");
        }
        ArrayNode warnings = node.putArray("warnings");
        planned.warnings().forEach(warnings::add);
    }

    private static void bayesian(ObjectNode node, MetricResult.BayesianResult bayesian) {
        BayesianSummary.Result result = bayesian.result();
        node.putObject("prior").put("mean", bayesian.priorMean()).put("sd", bayesian.priorStandardDeviation());
        node.put("chance_to_beat_control", result.chanceToBeatControl());
        node.put("expected_loss_treatment", result.expectedLossTreatment());
        node.put("expected_loss_control", result.expectedLossControl());
        interval(node.putObject("relative"), result.posterior());
        ArrayNode warnings = node.putArray("warnings");
        result.warnings().forEach(warnings::add);
    }

    private static String write(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
