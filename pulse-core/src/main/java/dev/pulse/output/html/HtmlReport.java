package dev.pulse.output.html;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.MetricResult;
import dev.pulse.model.MetricRole;
import dev.pulse.output.Formats;
import dev.pulse.stats.AlwaysValidInference;
import dev.pulse.stats.BayesianSummary;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.Interval;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Results as one self-contained HTML page (docs/report.md): CSS inline, charts as inline SVG drawn
 * here, no scripts or fonts fetched from anywhere. Per experiment: the header (dates, unit, units per
 * group, SRM, exclusions), the decision summary, the metric tables by role (primary, guardrail, secondary) with
 * each relative-lift interval on a common scale around zero, per series metric the cumulative lift and both
 * groups' values by day, the health section ({@link HealthSection}), the dimension drill-down and the SQL.
 *
 * <p>The table shows what the console table shows: the comparison decisions are made on (CUPED-adjusted
 * when CUPED is on) and, with a correction, the adjusted p-value and the intervals at the corrected level.
 * Figures are formatted by {@link Formats}, as in the console. The template
 * ({@code dev/pulse/output/html/report.mustache}) escapes every value.
 */
public final class HtmlReport {
    private static final Mustache TEMPLATE = new DefaultMustacheFactory("dev/pulse/output/html").compile("report.mustache");

    private HtmlReport() {}

    /** The page for {@code results}, in order. */
    public static String render(List<ExperimentResult> results) {
        List<ReportModel.Experiment> experiments = new ArrayList<>();
        for (ExperimentResult result : results) {
            experiments.add(experiment(result, experiments.size()));
        }
        String title = "Pulse report: " + String.join(", ", results.stream().map(ExperimentResult::experiment).toList());
        StringWriter out = new StringWriter();
        TEMPLATE.execute(out, new ReportModel.Page(title, experiments));
        return out.toString();
    }

    private static ReportModel.Experiment experiment(ExperimentResult result, int index) {
        long total = result.groups().stream().mapToLong(ExperimentResult.GroupCount::units).sum();
        List<ReportModel.Group> groups = new ArrayList<>();
        for (ExperimentResult.GroupCount group : result.groups()) {
            groups.add(new ReportModel.Group(group.name(), count(group.units()),
                    total == 0 ? "-" : Formats.percent((double) group.units() / total), Formats.percent(group.expectedShare())));
        }
        List<String> notes = new ArrayList<>();
        result.excludedNotTriggered().ifPresent(units -> notes.add(String.format(Locale.ROOT,
                "Trigger: %,d exposed units not triggered (no qualifying row after exposure), left out.", units)));
        for (MetricResult metric : result.metrics()) {
            metric.excludedUnitsWindowOpen().ifPresent(units -> notes.add(String.format(Locale.ROOT,
                    "Metric window of %s: %,d units left out, their window had not closed by the end.", metric.metric(), units)));
            if (!metric.unitsWithValue().isEmpty()) {
                notes.add(Formats.unitsWithValue(metric) + ".");
            }
        }
        String ids = result.idResolution().map(id -> String.format(Locale.ROOT,
                "ID mapping via %s: %,d %ss in more than one group excluded (%,d rows), %,d rows with an unmapped %s"
                        + " ignored, %,d units without a %s (counted with zeros).",
                id.source(), id.conflictingIds(), id.idType(), id.conflictingRows(), id.unmappedRows(), id.idType(),
                id.unitsWithoutIds(), id.idType())).orElse(null);

        List<Interval> shown = new ArrayList<>();
        for (MetricResult metric : withSteps(result.metrics())) {
            for (MetricResult.GroupComparison comparison : metric.comparisons()) {
                shown.add(relativeShown(comparison));
            }
        }
        double halfRange = Charts.halfRange(shown);
        java.util.Map<MetricRole, List<ReportModel.Row>> byRole = new java.util.EnumMap<>(MetricRole.class);
        List<String> tableNotes = new ArrayList<>();
        List<ReportModel.DailyMetric> series = new ArrayList<>();
        for (MetricResult metric : result.metrics()) {
            MetricRole role = result.role(metric.metric());
            for (MetricResult row : withSteps(List.of(metric))) {
                for (MetricResult.GroupComparison comparison : row.comparisons()) {
                    byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(row(row, comparison, halfRange));
                    tableNotes.addAll(extras(row, comparison));
                }
            }
            for (MetricResult.GroupComparison comparison : metric.comparisons()) {
                List<MetricResult.DailyPoint> points = metric.timeseries().get(comparison.group());
                if (points != null && !points.isEmpty()) {
                    ReportModel.Series lift = Charts.series(metric.metric(), comparison.group(), comparison.control(), points);
                    if (lift != null) {
                        List<MetricResult.ExposureDayPoint> byExposureDay = metric.daysSinceExposure().get(comparison.group());
                        ReportModel.Series sinceExposure = byExposureDay == null || byExposureDay.isEmpty() ? null
                                : Charts.sinceExposure(metric.metric(), comparison.group(), comparison.control(),
                                        byExposureDay);
                        series.add(new ReportModel.DailyMetric(metric.metric(), comparison.group(), lift,
                                means(metric.metric(), comparison, points), sinceExposure));
                    }
                }
            }
        }
        List<ReportModel.RoleTable> tables = new ArrayList<>();
        // the order a decision is read in: what it is decided on, what must not break, what explains
        for (MetricRole role : List.of(MetricRole.PRIMARY, MetricRole.GUARDRAIL, MetricRole.SECONDARY)) {
            List<ReportModel.Row> rows = byRole.get(role);
            if (rows != null) {
                String heading = switch (role) {
                    case PRIMARY -> "Primary metrics";
                    case GUARDRAIL -> "Guardrail metrics";
                    case SECONDARY -> "Secondary metrics";
                };
                tables.add(new ReportModel.RoleTable(role.configName(), heading,
                        "experiment-" + (index + 1) + "-" + role.configName(), rows));
            }
        }
        result.metrics().stream().flatMap(m -> m.comparisons().stream()).findFirst().ifPresent(first -> {
            first.cuped().ifPresent(cuped -> tableNotes.add(0, String.format(Locale.ROOT,
                    "CUPED: values, lifts and p-values are regression-adjusted with a %d-day pre-period"
                            + " (the unadjusted figures are in the JSON).", cuped.lookbackDays())));
            first.corrected().ifPresent(corrected -> tableNotes.add(0, String.format(Locale.ROOT,
                    "p-values adjusted (%s) over %d comparisons; intervals at confidence %s.",
                    corrected.method(), corrected.familySize(), Formats.percent(1 - corrected.intervalAlpha()))));
        });
        for (ExperimentResult.PostStratified p : result.postStratified()) { // docs/post-stratification.md
            Comparison c = p.result().comparison();
            tableNotes.add(String.format(Locale.ROOT, "%s / %s: post-stratified on %s (%d strata) relative interval %s, p = %s%s",
                    p.metric(), p.group(), p.dimension(), p.result().strataUsed(), Formats.interval(c.relative(), true),
                    Formats.pValue(c.pValue()), c.significant() ? ", significant" : ""));
        }
        return new ReportModel.Experiment(result.experiment(), "experiment-" + (index + 1), result.unit(), result.engine(),
                result.start().toString(), result.end().map(Object::toString).orElse("latest data"),
                Formats.plain(result.alpha()), Formats.plain(100 * (1 - result.alpha())), groups, count(total),
                count(result.excludedMultipleGroups()), count(result.excludedUnknownGroup()), ids,
                result.srm().map(HtmlReport::srm).orElse(null), notes, result.warnings(), Charts.scale(halfRange), tables,
                tableNotes, series, dimensions(result), interactions(result), result.sql(), bias(result),
                decision(result), HealthSection.of(result));
    }

    static ReportModel.Bias bias(ExperimentResult result) {
        return result.biasCheck().map(check -> new ReportModel.Bias(!check.flagged().isEmpty(), check.summary()))
                .orElse(null);
    }

    /** The two groups' cumulative values by day, or null when neither has one. */
    private static ReportModel.LineChart means(String metric, MetricResult.GroupComparison comparison,
                                               List<MetricResult.DailyPoint> points) {
        java.util.LinkedHashMap<String, List<Double>> values = new java.util.LinkedHashMap<>();
        values.put(comparison.control(), points.stream().map(p -> p.comparison().controlMean()).toList());
        values.put(comparison.group(), points.stream().map(p -> p.comparison().treatmentMean()).toList());
        MetricResult.DailyPoint last = points.get(points.size() - 1);
        String label = "Cumulative value of " + metric + " in " + comparison.control() + " and " + comparison.group()
                + ", by day";
        String description = String.format(Locale.ROOT, "One line per group: the metric's value over the units exposed"
                        + " by each day from %s to %s. On %s: %s %s, %s %s.", points.get(0).date(), last.date(), last.date(),
                comparison.control(), Formats.number(last.comparison().controlMean()), comparison.group(),
                Formats.number(last.comparison().treatmentMean()));
        return Charts.lines(label, description, points.stream().map(MetricResult.DailyPoint::date).toList(), values,
                Charts.Axis.LINEAR, null, Formats::number);
    }

    /**
     * The decision summary: an entry per primary metric and per guardrail (the table prints only harmed guardrails;
     * the page lists each), then the table's other lines. The JSON's {@code decision} holds the same figures.
     */
    private static ReportModel.Decision decision(ExperimentResult result) {
        dev.pulse.analysis.DecisionSummary summary = dev.pulse.analysis.DecisionSummary.of(result);
        List<ReportModel.DecisionEntry> entries = new ArrayList<>();
        for (dev.pulse.analysis.DecisionSummary.Primary p : summary.primary()) {
            entries.add(new ReportModel.DecisionEntry("primary", p.metric(), p.group(), Formats.primary(p),
                    Charts.exact(p.decision().relative().estimate()), Charts.exact(p.decision().pValue()), p.significant()));
        }
        for (dev.pulse.analysis.DecisionSummary.Guardrail g : summary.guardrails()) {
            entries.add(new ReportModel.DecisionEntry("guardrail", g.metric(), g.group(), Formats.guardrail(g),
                    Charts.exact(g.decision().relative().estimate()), Charts.exact(g.harm().pValue()), g.harm().harmed()));
        }
        List<String> lines = new ArrayList<>();
        if (!summary.guardrails().isEmpty() && summary.guardrails().stream().noneMatch(g -> g.harm().harmed())) {
            lines.add(Formats.guardrailsUnharmed(summary));
        }
        lines.addAll(Formats.health(summary));
        return new ReportModel.Decision(entries, lines, summary.healthy());
    }

    /** The interactions with a flagged finding; the others are in the JSON and the console table. */
    private static List<ReportModel.Interaction> interactions(ExperimentResult result) {
        List<ReportModel.Interaction> interactions = new ArrayList<>();
        for (ExperimentResult.Interaction interaction : result.interactions()) {
            if (!interaction.assignmentsDependent() && interaction.effects().stream().noneMatch(ExperimentResult.InteractionEffect::flagged)) {
                continue;
            }
            List<ReportModel.InteractionRow> rows = new ArrayList<>();
            for (ExperimentResult.InteractionEffect effect : interaction.effects()) {
                List<String> groups = new ArrayList<>();
                effect.byGroup().forEach((group, c) -> groups.add(group + " " + Formats.signedPercent(c.relative().estimate())
                        + " " + Formats.interval(c.relative(), true)));
                rows.add(new ReportModel.InteractionRow(effect.metric(), effect.group(), String.join("; ", groups),
                        Formats.pValue(effect.adjustedPValue()), effect.flagged()));
            }
            interactions.add(new ReportModel.Interaction(interaction.experiment(), count(interaction.unitsInBoth()),
                    interaction.assignments().map(test -> Formats.pValue(test.pValue())).orElse("-"),
                    interaction.assignmentsDependent(), rows));
        }
        return interactions;
    }

    /**
     * The metrics with each funnel step after its funnel, as a row of its own: {@code funnel > step}, type
     * {@code funnel step}, its plain (uncorrected) comparisons.
     */
    private static List<MetricResult> withSteps(List<MetricResult> metrics) {
        List<MetricResult> rows = new ArrayList<>();
        for (MetricResult metric : metrics) {
            rows.add(metric);
            for (MetricResult.Step step : metric.steps()) {
                rows.add(new MetricResult(metric.metric() + " > " + step.step(), "funnel step", metric.direction(),
                        step.comparisons()));
            }
        }
        return rows;
    }

    private static ReportModel.Row row(MetricResult metric, MetricResult.GroupComparison comparison, double halfRange) {
        Comparison c = comparison.decision();
        Interval absolute = comparison.corrected().map(MetricResult.CorrectedResult::absolute).orElse(c.absolute());
        Interval relative = relativeShown(comparison);
        Double p = comparison.corrected().map(MetricResult.CorrectedResult::pValue).orElse(c.pValue());
        String direction = switch (metric.direction()) {
            case TWO_SIDED -> "";
            case INCREASE -> "one-sided (increase)";
            case DECREASE -> "one-sided (decrease)";
        };
        String label = String.format(Locale.ROOT, "%s, %s vs %s: relative lift %s, interval %s%s", metric.metric(),
                comparison.group(), comparison.control(), Formats.signedPercent(c.relative().estimate()),
                Formats.interval(relative, true), comparison.significant() ? ", significant" : ", not significant");
        List<String> warnings = new ArrayList<>(c.warnings());
        return new ReportModel.Row(metric.metric(), direction, metric.type(), comparison.group(),
                Formats.number(c.controlMean()), Formats.number(c.treatmentMean()), Formats.signed(c.absolute().estimate()),
                Formats.interval(absolute, false), Formats.signedPercent(c.relative().estimate()),
                Formats.interval(relative, true), Formats.pValue(p), comparison.corrected().isPresent(),
                comparison.significant(), tone(comparison.significant(), c.relative().estimate()),
                Charts.interval(relative, halfRange, label), warnings);
    }

    /** The relative interval the table shows: at the corrected level when there is a correction. */
    private static Interval relativeShown(MetricResult.GroupComparison comparison) {
        Interval decision = comparison.decision().relative();
        return comparison.corrected()
                .map(corrected -> new Interval(decision.estimate(), decision.stdError(), corrected.relative().lower(),
                        corrected.relative().upper(), corrected.relative().lowerUnbounded(), corrected.relative().upperUnbounded()))
                .orElse(decision);
    }

    /** The CUPED variance reduction, the sequential test and the Bayesian summary, one line each. */
    private static List<String> extras(MetricResult metric, MetricResult.GroupComparison comparison) {
        List<String> lines = new ArrayList<>();
        String who = metric.metric() + " / " + comparison.group() + ": ";
        comparison.cuped().ifPresent(cuped -> lines.add(who + Formats.cuped(cuped)));
        comparison.sequential().ifPresent(sequential -> {
            AlwaysValidInference.Result relative = sequential.result().relative();
            lines.add(String.format(Locale.ROOT, "%ssequential (always-valid) relative interval %s, p = %s%s [%s]%s", who,
                    Formats.interval(relative.interval(), true), Formats.pValue(relative.pValue()),
                    relative.significant() ? ", significant" : "", sequential.label(),
                    sequential.result().warnings().isEmpty() ? "" : " (" + String.join("; ", sequential.result().warnings()) + ")"));
        });
        comparison.plannedLooks().ifPresent(planned -> lines.add(who + Formats.plannedLooks(planned)));
        comparison.bayesian().ifPresent(bayesian -> {
            BayesianSummary.Result result = bayesian.result();
            lines.add(String.format(Locale.ROOT,
                    "%sBayesian: chance to beat control %s, relative lift %s credible interval %s, expected loss %s (ship) / %s (keep)",
                    who, result.chanceToBeatControl() == null ? "-" : Formats.percent(result.chanceToBeatControl()),
                    Formats.signedPercent(result.posterior().estimate()), Formats.interval(result.posterior(), true),
                    Formats.signedPercent(result.expectedLossTreatment()), Formats.signedPercent(result.expectedLossControl())));
        });
        return lines;
    }

    private static List<ReportModel.Dimension> dimensions(ExperimentResult result) {
        List<ReportModel.Dimension> dimensions = new ArrayList<>();
        String name = null;
        List<ReportModel.DimensionValue> values = new ArrayList<>();
        boolean flagged = false;
        for (ExperimentResult.DimensionResult value : result.dimensions()) {
            if (!value.dimension().equals(name)) {
                if (name != null) {
                    dimensions.add(new ReportModel.Dimension(name, values, flagged));
                }
                name = value.dimension();
                values = new ArrayList<>();
                flagged = false;
            }
            List<String> groups = new ArrayList<>();
            value.groups().forEach(group -> groups.add(group.name() + " " + count(group.units())));
            List<ReportModel.DimensionRow> rows = new ArrayList<>();
            for (MetricResult metric : value.metrics()) {
                for (MetricResult.GroupComparison comparison : metric.comparisons()) {
                    Comparison c = comparison.decision();
                    java.util.Optional<ExperimentResult.Heterogeneity> test =
                            value.heterogeneity(metric.metric(), comparison.group());
                    boolean heterogeneous = test.map(ExperimentResult.Heterogeneity::flagged).orElse(false);
                    flagged |= heterogeneous;
                    rows.add(new ReportModel.DimensionRow(metric.metric(), comparison.group(),
                            Formats.signedPercent(c.relative().estimate()), Formats.interval(c.relative(), true),
                            Formats.pValue(c.pValue()), c.significant(), tone(c.significant(), c.relative().estimate()),
                            test.map(t -> Formats.signed(t.test().difference().estimate())).orElse("-"),
                            test.map(t -> Formats.pValue(t.adjustedPValue())).orElse("-"), heterogeneous,
                            Charts.exact(test.map(ExperimentResult.Heterogeneity::adjustedPValue).orElse(null))));
                }
            }
            values.add(new ReportModel.DimensionValue(value.dimension(), value.value(), String.join(", ", groups),
                    value.srm().map(HtmlReport::srm).orElse(null),
                    Charts.exact(value.srm().map(ExperimentResult.Srm::pValue).orElse(null)), rows));
        }
        if (name != null) {
            dimensions.add(new ReportModel.Dimension(name, values, flagged));
        }
        return dimensions;
    }

    static ReportModel.Srm srm(ExperimentResult.Srm srm) {
        return new ReportModel.Srm(!srm.passed(), String.format(Locale.ROOT, "%.2f", srm.chiSquare()), Formats.pValue(srm.pValue()));
    }

    /** The colour class: a significant increase, a significant decrease, or neither. */
    private static String tone(boolean significant, Double estimate) {
        if (!significant || estimate == null) {
            return "neutral";
        }
        return estimate > 0 ? "increase" : estimate < 0 ? "decrease" : "neutral";
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
