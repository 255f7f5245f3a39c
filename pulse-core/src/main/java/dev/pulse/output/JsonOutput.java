package dev.pulse.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.analysis.BiasCheckResult;
import dev.pulse.analysis.DecisionSummary;
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
        return metrics(alpha, metrics, Optional.empty());
    }

    /** As {@link #metrics(double, List)}, with the bias check's summary and per-comparison blocks when present. */
    public static String metrics(double alpha, List<MetricResult> metrics, Optional<BiasCheckResult> biasCheck) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("alpha", alpha);
        biasCheck.ifPresent(check -> biasCheck(root.putObject("bias_check"), check));
        ArrayNode array = root.putArray("metrics");
        metrics.forEach(metric -> array.add(metric(metric, biasCheck)));
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
        result.biasCheck().ifPresent(check -> biasCheck(node.putObject("bias_check"), check));
        ArrayNode metrics = node.putArray("metrics");
        result.metrics().forEach(metric -> metrics.add(metric(metric, result.biasCheck())
                .put("role", result.role(metric.metric()).configName())));
        decision(node.putObject("decision"), DecisionSummary.of(result));
        health(node.putObject("health"), dev.pulse.analysis.ExperimentHealth.of(result));
        if (!result.dimensions().isEmpty()) {
            ArrayNode dimensions = node.putArray("dimensions");
            for (ExperimentResult.DimensionResult dimension : result.dimensions()) {
                ObjectNode d = dimensions.addObject();
                d.put("dimension", dimension.dimension());
                d.put("value", dimension.value());
                groups(d, dimension.groups());
                srm(d, dimension.srm());
                ArrayNode dimensionMetrics = d.putArray("metrics");
                for (MetricResult metric : dimension.metrics()) {
                    ObjectNode m = metric(metric).put("role", result.role(metric.metric()).configName());
                    for (com.fasterxml.jackson.databind.JsonNode c : m.withArray("comparisons")) {
                        dimension.heterogeneity(metric.metric(), c.get("group").asText())
                                .ifPresent(test -> heterogeneity(((ObjectNode) c).putObject("heterogeneity"), test));
                    }
                    dimensionMetrics.add(m);
                }
            }
        }
        if (!result.interactions().isEmpty()) {
            ArrayNode interactions = node.putArray("interactions");
            result.interactions().forEach(interaction -> interaction(interactions.addObject(), interaction));
        }
        if (!result.postStratified().isEmpty()) {
            postStratified(node.putArray("post_stratified"), result.postStratified());
        }
        ArrayNode warnings = node.putArray("warnings");
        result.warnings().forEach(warnings::add);
        return node;
    }

    /** docs/post-stratification.md: one object per metric and treatment. */
    private static void postStratified(ArrayNode array, List<ExperimentResult.PostStratified> results) {
        for (ExperimentResult.PostStratified result : results) {
            Comparison stats = result.result().comparison();
            ObjectNode p = array.addObject();
            p.put("metric", result.metric());
            p.put("group", result.group());
            p.put("control", result.control());
            p.put("dimension", result.dimension());
            p.put("strata", result.result().strataUsed());
            p.put("merged_strata", result.result().mergedStrata());
            p.put("control_mean", stats.controlMean());
            p.put("treatment_mean", stats.treatmentMean());
            interval(p.putObject("absolute"), stats.absolute());
            interval(p.putObject("relative"), stats.relative());
            p.put("p_value", stats.pValue());
            p.put("significant", stats.significant());
            p.put("degrees_of_freedom", stats.degreesOfFreedom());
            ArrayNode warnings = p.putArray("warnings");
            stats.warnings().forEach(warnings::add);
        }
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

    /**
     * The health section (docs/report.md#health): units per day and group with the SRM p-value as of each day (with
     * daily results), the exclusions by reason, the progress toward {@code planned_units} and each primary metric's
     * minimum detectable effect now and at the plan.
     */
    private static void health(ObjectNode node, dev.pulse.analysis.ExperimentHealth health) {
        ArrayNode days = node.putArray("days");
        for (dev.pulse.analysis.ExperimentHealth.Day day : health.days()) {
            ObjectNode d = days.addObject().put("date", day.date().toString());
            // group names are data: values, never keys
            ArrayNode groups = d.putArray("groups");
            day.cumulativeUnits().forEach((group, units) -> groups.addObject().put("name", group).put("units", units)
                    .put("new_units", day.newUnits().get(group)));
            if (day.srm().isPresent()) {
                d.put("srm_p_value", day.srm().get().pValue());
            } else {
                d.putNull("srm_p_value");
            }
        }
        ArrayNode exclusions = node.putArray("exclusions");
        for (dev.pulse.analysis.ExperimentHealth.Exclusion exclusion : health.exclusions()) {
            exclusions.addObject().put("reason", exclusion.key()).put("count", exclusion.count())
                    .put("counts", exclusion.what().label());
        }
        if (health.progress().isPresent()) {
            dev.pulse.analysis.ExperimentHealth.Progress progress = health.progress().get();
            node.putObject("progress").put("units", progress.units()).put("planned_units", progress.planned())
                    .put("fraction", progress.fraction());
        } else {
            node.putNull("progress");
        }
        ArrayNode detectable = node.putArray("minimum_detectable_effects");
        for (dev.pulse.analysis.ExperimentHealth.Detectable d : health.power()) {
            detectable.addObject().put("metric", d.metric()).put("group", d.group()).put("power", dev.pulse.analysis.ExperimentHealth.POWER)
                    .put("relative_now", d.now()).put("relative_at_plan", d.planned());
        }
    }

    /** The decision summary (docs/report.md#decision-summary): the same figures as the metrics', gathered by role. */
    private static void decision(ObjectNode node, DecisionSummary summary) {
        ArrayNode primary = node.putArray("primary");
        for (DecisionSummary.Primary p : summary.primary()) {
            ObjectNode entry = primary.addObject().put("metric", p.metric()).put("group", p.group())
                    .put("control", p.control());
            interval(entry.putObject("relative"), p.decision().relative());
            entry.put("p_value", p.decision().pValue());
            entry.put("significant", p.significant());
        }
        ArrayNode guardrails = node.putArray("guardrails");
        for (DecisionSummary.Guardrail g : summary.guardrails()) {
            ObjectNode entry = guardrails.addObject().put("metric", g.metric()).put("group", g.group())
                    .put("control", g.control()).put("direction", g.direction().configName());
            interval(entry.putObject("relative"), g.decision().relative());
            entry.put("harm_p_value", g.harm().pValue());
            entry.put("harmed", g.harm().harmed());
        }
        ArrayNode biased = node.putArray("biased_metrics");
        summary.biased().forEach(biased::add);
        node.put("srm_passed", summary.srm().map(ExperimentResult.Srm::passed).orElse(null));
        node.put("healthy", summary.healthy());
    }

    private static ObjectNode metric(MetricResult metric) {
        return metric(metric, Optional.empty());
    }

    private static ObjectNode metric(MetricResult metric, Optional<BiasCheckResult> biasCheck) {
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
        biasCheck.ifPresent(check -> biasEntries(node.withArray("comparisons"), metric, check));
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
                    p.put("control_mean", point.comparison().controlMean());
                    p.put("treatment_mean", point.comparison().treatmentMean());
                    interval(p.putObject("absolute"), point.comparison().absolute());
                    interval(p.putObject("relative"), point.comparison().relative());
                    p.put("p_value", point.comparison().pValue());
                }
            }
            List<MetricResult.ExposureDayPoint> byExposureDay = metric.daysSinceExposure().get(comparison.group());
            if (byExposureDay != null) {
                ArrayNode points = c.putArray("days_since_exposure");
                for (MetricResult.ExposureDayPoint point : byExposureDay) {
                    ObjectNode p = points.addObject();
                    p.put("days_since_exposure", point.daysSinceExposure());
                    p.put("control_units", point.controlUnits());
                    p.put("treatment_units", point.treatmentUnits());
                    p.put("control_mean", point.comparison().controlMean());
                    p.put("treatment_mean", point.comparison().treatmentMean());
                    interval(p.putObject("absolute"), point.comparison().absolute());
                    interval(p.putObject("relative"), point.comparison().relative());
                    p.put("p_value", point.comparison().pValue());
                }
            }
        }
    }

    /** This experiment against another on the same units (docs/interactions.md). */
    private static void interaction(ObjectNode node, ExperimentResult.Interaction interaction) {
        node.put("experiment", interaction.experiment());
        node.put("units_in_both", interaction.unitsInBoth());
        ObjectNode units = node.putObject("units");
        interaction.units().forEach((group, row) -> {
            ObjectNode r = units.putObject(group);
            row.forEach(r::put);
        });
        ObjectNode assignments = node.putObject("assignments");
        interaction.assignments().ifPresentOrElse(test -> {
            assignments.put("chi_square", test.chiSquare());
            assignments.put("degrees_of_freedom", test.degreesOfFreedom());
            assignments.put("p_value", test.pValue());
        }, () -> {
            assignments.putNull("chi_square");
            assignments.putNull("degrees_of_freedom");
            assignments.putNull("p_value");
        });
        assignments.put("dependent", interaction.assignmentsDependent());
        ArrayNode effects = node.putArray("effects");
        for (ExperimentResult.InteractionEffect effect : interaction.effects()) {
            ObjectNode e = effects.addObject();
            e.put("metric", effect.metric());
            e.put("group", effect.group());
            ObjectNode byGroup = e.putObject("by_group");
            effect.byGroup().forEach((group, comparison) -> {
                ObjectNode g = byGroup.putObject(group);
                g.put("control_units", comparison.controlUnits());
                g.put("treatment_units", comparison.treatmentUnits());
                interval(g.putObject("absolute"), comparison.absolute());
                interval(g.putObject("relative"), comparison.relative());
            });
            e.put("q", effect.test().map(dev.pulse.stats.Interactions.ChiSquare::chiSquare).orElse(null));
            e.put("degrees_of_freedom", effect.test().map(dev.pulse.stats.Interactions.ChiSquare::degreesOfFreedom).orElse(null));
            e.put("p_value", effect.test().map(dev.pulse.stats.Interactions.ChiSquare::pValue).orElse(null));
            e.put("correction", effect.correction());
            e.put("family_size", effect.familySize());
            e.put("adjusted_p_value", effect.adjustedPValue());
            e.put("flagged", effect.flagged());
            ArrayNode warnings = e.putArray("warnings");
            effect.warnings().forEach(warnings::add);
        }
    }

    /** A dimension value's effect against the rest's (docs/dimensions.md#heterogeneous-effects). */
    private static void heterogeneity(ObjectNode node, ExperimentResult.Heterogeneity test) {
        Comparison rest = test.rest();
        ObjectNode r = node.putObject("rest");
        r.put("control_mean", rest.controlMean());
        r.put("treatment_mean", rest.treatmentMean());
        r.put("control_units", rest.controlUnits());
        r.put("treatment_units", rest.treatmentUnits());
        interval(r.putObject("absolute"), rest.absolute());
        r.put("degrees_of_freedom", rest.degreesOfFreedom());
        interval(node.putObject("difference"), test.test().difference());
        node.put("degrees_of_freedom", test.test().degreesOfFreedom());
        node.put("p_value", test.test().pValue());
        node.put("correction", test.correction());
        node.put("family_size", test.familySize());
        node.put("adjusted_p_value", test.adjustedPValue());
        node.put("flagged", test.flagged());
        ArrayNode warnings = node.putArray("warnings");
        test.test().warnings().forEach(warnings::add);
    }

    /**
     * The bias check's summary: settings, family, the flagged metric × treatment pairs and the banner (null when
     * nothing is flagged).
     */
    private static void biasCheck(ObjectNode node, BiasCheckResult check) {
        if (check.lookbackDays().isPresent()) {
            node.put("lookback_days", check.lookbackDays().getAsInt());
        } else {
            node.putNull("lookback_days");
        }
        node.put("threshold", check.threshold());
        node.put("correction", BiasCheckResult.CORRECTION);
        node.put("family_size", check.familySize());
        ArrayNode imbalanced = node.putArray("imbalanced");
        for (BiasCheckResult.Entry entry : check.flagged()) {
            imbalanced.addObject().put("metric", entry.metric()).put("group", entry.group())
                    .put("cuped_corrects", entry.cupedCorrects());
        }
        node.put("message", check.banner().orElse(null));
    }

    /** Each comparison's {@code bias_check} block: the pre-period values, difference, p-values and flag. */
    private static void biasEntries(ArrayNode comparisons, MetricResult metric, BiasCheckResult check) {
        for (com.fasterxml.jackson.databind.JsonNode node : comparisons) {
            ObjectNode c = (ObjectNode) node;
            check.entry(metric.metric(), c.get("group").asText()).ifPresent(entry -> {
                Comparison pre = entry.comparison();
                ObjectNode b = c.putObject("bias_check");
                b.put("control_pre_mean", pre.controlMean());
                b.put("treatment_pre_mean", pre.treatmentMean());
                interval(b.putObject("difference"), pre.absolute());
                b.put("p_value", pre.pValue());
                b.put("adjusted_p_value", entry.adjustedPValue());
                b.put("flagged", entry.flagged());
                b.put("cuped_corrects", entry.cupedCorrects());
                ArrayNode warnings = b.putArray("warnings");
                pre.warnings().forEach(warnings::add);
            });
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
        if (!cuped.covariates().isEmpty()) {
            // several covariates (docs/regression-adjustment.md): each one's coefficient, null when not used
            ArrayNode covariates = node.putArray("covariates");
            cuped.covariates().forEach(c -> covariates.addObject().put("covariate", c.covariate()).put("theta", c.theta()));
            node.put("covariates_used", cuped.covariatesUsed());
        }
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
        node.put("method", sequential.method().configName());
        switch (sequential.method()) {
            case MSPRT -> node.put("mixing_fraction", sequential.parameter());
            case GROWTHBOOK -> {
                node.put("tuning", sequential.parameter());
                node.put("rho", sequential.rho());
            }
        }
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
