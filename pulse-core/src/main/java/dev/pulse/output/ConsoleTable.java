package dev.pulse.output;

import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.MetricResult;
import dev.pulse.stats.AlwaysValidInference;
import dev.pulse.stats.BayesianSummary;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.Interval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Results as an aligned plain-text table for a terminal: a header per experiment (groups, exclusions,
 * SRM), then one row per metric and treatment. Significant results are marked with {@code *}; a
 * failed SRM check is printed as a banner above the table.
 */
public final class ConsoleTable {
    private static final String[] HEADER = {
        "metric", "type", "group", "control", "treatment", "abs. lift", "abs. CI", "rel. lift", "rel. CI", "p-value", ""
    };

    private ConsoleTable() {}

    /** Every experiment, one after another. */
    public static String experiments(List<ExperimentResult> results) {
        StringBuilder out = new StringBuilder();
        for (ExperimentResult result : results) {
            if (out.length() > 0) {
                out.append(System.lineSeparator());
            }
            out.append(experiment(result));
        }
        return out.toString();
    }

    /** The table for {@code pulse stats}: metrics only. */
    public static String metrics(double alpha, List<MetricResult> metrics) {
        return table(metrics, alpha);
    }

    /** As {@link #metrics(double, List)}, with the bias check's line above the table when present. */
    public static String metrics(double alpha, List<MetricResult> metrics,
                                 java.util.Optional<dev.pulse.analysis.BiasCheckResult> biasCheck) {
        return biasCheck.map(ConsoleTable::biasLine).orElse("") + table(metrics, alpha);
    }

    /** The bias check's banner ({@code !!}-marked, as a failed SRM check) or its passed line. */
    private static String biasLine(dev.pulse.analysis.BiasCheckResult check) {
        String nl = System.lineSeparator();
        return (check.banner().isPresent() ? "!! " : "") + check.summary() + nl;
    }

    private static String experiment(ExperimentResult result) {
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder();
        out.append("Experiment ").append(result.experiment())
                .append("  (unit ").append(result.unit())
                .append(", ").append(result.start()).append(" to ").append(result.end().map(Object::toString).orElse("latest data"))
                .append(", alpha ").append(plain(result.alpha()))
                .append(", ").append(result.engine()).append(")").append(nl);
        long total = result.groups().stream().mapToLong(ExperimentResult.GroupCount::units).sum();
        List<String> groups = new ArrayList<>();
        for (ExperimentResult.GroupCount group : result.groups()) {
            groups.add(String.format(Locale.ROOT, "%s %,d (%s expected %s)", group.name(), group.units(),
                    total == 0 ? "-" : percent((double) group.units() / total), percent(group.expectedShare())));
        }
        out.append("Units: ").append(String.join(", ", groups)).append(nl);
        out.append(String.format(Locale.ROOT, "Excluded units: %,d in more than one group, %,d in an unlisted group%n",
                result.excludedMultipleGroups(), result.excludedUnknownGroup()));
        result.excludedNotTriggered().ifPresent(units -> out.append(String.format(Locale.ROOT,
                "Trigger: %,d exposed units not triggered (no qualifying row after exposure), left out%n", units)));
        result.idResolution().ifPresent(ids -> out.append(String.format(Locale.ROOT,
                "ID mapping via %s: %,d %ss in more than one group excluded (%,d rows), %,d rows with an unmapped %s"
                        + " ignored, %,d units without a %s (counted with zeros)%n",
                ids.source(), ids.conflictingIds(), ids.idType(), ids.conflictingRows(), ids.unmappedRows(), ids.idType(),
                ids.unitsWithoutIds(), ids.idType())));
        for (MetricResult metric : result.metrics()) {
            metric.excludedUnitsWindowOpen().ifPresent(units -> out.append(String.format(Locale.ROOT,
                    "Metric window of %s: %,d units left out, their window had not closed by the end%n",
                    metric.metric(), units)));
            if (!metric.unitsWithValue().isEmpty()) {
                out.append(Formats.unitsWithValue(metric)).append(nl);
            }
        }
        if (result.srm().isPresent()) {
            ExperimentResult.Srm srm = result.srm().get();
            if (srm.passed()) {
                out.append(String.format(Locale.ROOT, "SRM check: passed (chi-square %.2f, p = %s)%n",
                        srm.chiSquare(), pValue(srm.pValue())));
            } else {
                out.append(String.format(Locale.ROOT,
                        "!! SAMPLE RATIO MISMATCH (chi-square %.2f, p = %s): the split differs from the expected shares;%n"
                                + "!! the assignment or the exposure logging is broken and these results are not trustworthy.%n",
                        srm.chiSquare(), pValue(srm.pValue())));
            }
        }
        result.biasCheck().ifPresent(check -> out.append(biasLine(check)));
        for (String line : Formats.decision(dev.pulse.analysis.DecisionSummary.of(result))) {
            out.append("Decision: ").append(line).append(nl);
        }
        for (String warning : result.warnings()) {
            out.append("warning: ").append(warning).append(nl);
        }
        out.append(nl).append(table(result.metrics(), result.alpha()));
        result.metrics().stream().filter(metric -> !metric.timeseries().isEmpty()).findFirst().ifPresent(metric ->
                out.append(String.format(Locale.ROOT, "Daily results (cumulative, as of each day to %s): in --format json,"
                        + " metrics[].comparisons[].timeseries; by days since exposure: days_since_exposure%n", result.end().map(Object::toString).orElse("the end"))));
        postStratified(result, out);
        dimensions(result, out);
        interactions(result, out);
        return out.toString();
    }

    /** Per metric and treatment the post-stratified relative lift, interval and p-value (docs/post-stratification.md). */
    private static void postStratified(ExperimentResult result, StringBuilder out) {
        for (ExperimentResult.PostStratified p : result.postStratified()) {
            Comparison c = p.result().comparison();
            out.append(String.format(Locale.ROOT, "%s / %s: post-stratified on %s (%d strata) relative lift %s %s, p = %s%s%s%n",
                    p.metric(), p.group(), p.dimension(), p.result().strataUsed(), signedPercent(c.relative().estimate()),
                    interval(c.relative(), true), pValue(c.pValue()), c.significant() ? " *" : "",
                    c.warnings().isEmpty() ? "" : " (" + String.join("; ", c.warnings()) + ")"));
        }
    }

    /**
     * The breakdown by dimension values, compact: per value its units per group and SRM p-value, then
     * per metric and treatment the relative lift, its interval and p-value (exploratory: uncorrected).
     */
    private static void dimensions(ExperimentResult result, StringBuilder out) {
        String dimension = null;
        for (ExperimentResult.DimensionResult value : result.dimensions()) {
            if (!value.dimension().equals(dimension)) {
                dimension = value.dimension();
                out.append(System.lineSeparator()).append("By ").append(dimension)
                        .append(" (exploratory: no correction across values; \"!!\" marks an effect that differs from")
                        .append(" the rest's after a correction across values)").append(System.lineSeparator());
            }
            List<String> groups = new ArrayList<>();
            value.groups().forEach(group -> groups.add(String.format(Locale.ROOT, "%s %,d", group.name(), group.units())));
            out.append("  ").append(value.value()).append(": ").append(String.join(", ", groups));
            value.srm().ifPresent(srm -> out.append(srm.passed()
                    ? String.format(Locale.ROOT, " (SRM p = %s)", pValue(srm.pValue()))
                    : String.format(Locale.ROOT, " (!! SAMPLE RATIO MISMATCH, p = %s)", pValue(srm.pValue()))));
            out.append(System.lineSeparator());
            for (MetricResult metric : value.metrics()) {
                for (MetricResult.GroupComparison comparison : metric.comparisons()) {
                    Comparison c = comparison.decision();
                    out.append(String.format(Locale.ROOT, "    %s / %s: %s %s, p = %s%s%n", metric.metric(),
                            comparison.group(), signedPercent(c.relative().estimate()), interval(c.relative(), true),
                            pValue(c.pValue()), c.significant() ? " *" : ""));
                    value.heterogeneity(metric.metric(), comparison.group()).filter(ExperimentResult.Heterogeneity::flagged)
                            .ifPresent(test -> out.append(String.format(Locale.ROOT,
                                    "      !! effect differs from the rest's by %s %s (absolute), %s-corrected p = %s%n",
                                    signed(test.test().difference().estimate()),
                                    interval(test.test().difference(), false), test.correction(),
                                    pValue(test.adjustedPValue()))));
                }
            }
        }
    }

    /**
     * Per interacting experiment: the units in both, the independence test of the assignments, and per metric and
     * treatment the relative lift within each of the other's groups and the corrected test of their equality.
     */
    private static void interactions(ExperimentResult result, StringBuilder out) {
        for (ExperimentResult.Interaction interaction : result.interactions()) {
            out.append(System.lineSeparator()).append("Interaction with experiment ").append(interaction.experiment())
                    .append(String.format(Locale.ROOT, " (%,d units in both", interaction.unitsInBoth()));
            interaction.assignments().ifPresent(test -> out.append(interaction.assignmentsDependent()
                    ? String.format(Locale.ROOT, "; !! ASSIGNMENTS NOT INDEPENDENT, p = %s", pValue(test.pValue()))
                    : String.format(Locale.ROOT, "; assignments independent, p = %s", pValue(test.pValue()))));
            out.append(")").append(System.lineSeparator());
            for (ExperimentResult.InteractionEffect effect : interaction.effects()) {
                List<String> groups = new ArrayList<>();
                effect.byGroup().forEach((group, c) -> groups.add(group + " " + signedPercent(c.relative().estimate())));
                out.append(String.format(Locale.ROOT, "  %s%s / %s: %s; %s across %s's groups, %s-corrected p = %s%n",
                        effect.flagged() ? "!! " : "", effect.metric(), effect.group(), String.join(", ", groups),
                        effect.flagged() ? "effect differs" : "no evidence the effect differs", interaction.experiment(),
                        effect.correction(), pValue(effect.adjustedPValue())));
            }
        }
    }

    private static String table(List<MetricResult> metrics, double alpha) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        List<String> notes = new ArrayList<>();
        List<String> extras = new ArrayList<>();
        for (MetricResult metric : metrics) {
            for (MetricResult.GroupComparison comparison : metric.comparisons()) {
                Comparison c = comparison.decision();
                Interval absolute = comparison.corrected().map(MetricResult.CorrectedResult::absolute).orElse(c.absolute());
                Interval relative = comparison.corrected().map(MetricResult.CorrectedResult::relative).orElse(c.relative());
                Double p = comparison.corrected().map(MetricResult.CorrectedResult::pValue).orElse(c.pValue());
                String name = metric.metric() + switch (metric.direction()) {
                    case TWO_SIDED -> "";
                    case INCREASE -> " (>)";
                    case DECREASE -> " (<)";
                };
                rows.add(new String[] {
                    name,
                    metric.type(),
                    comparison.group(),
                    number(c.controlMean()),
                    number(c.treatmentMean()),
                    signed(c.absolute().estimate()),
                    interval(absolute, false),
                    signedPercent(c.relative().estimate()),
                    interval(relative, true),
                    pValue(p),
                    comparison.significant() ? "*" : ""
                });
                for (String warning : c.warnings()) {
                    notes.add(metric.metric() + " / " + comparison.group() + ": " + warning);
                }
                extras(metric, comparison, extras);
            }
            for (MetricResult.Step step : metric.steps()) {
                for (MetricResult.GroupComparison comparison : step.comparisons()) {
                    // a funnel step: its conversion from the previous step, plain (uncorrected)
                    Comparison c = comparison.statistics();
                    rows.add(new String[] {
                        "  > " + step.step(), "step", comparison.group(), number(c.controlMean()),
                        number(c.treatmentMean()), signed(c.absolute().estimate()), interval(c.absolute(), false),
                        signedPercent(c.relative().estimate()), interval(c.relative(), true), pValue(c.pValue()),
                        c.significant() ? "*" : ""
                    });
                    c.warnings().forEach(w -> notes.add(metric.metric() + " > " + step.step() + " / "
                            + comparison.group() + ": " + w));
                }
            }
        }
        if (metrics.stream().anyMatch(m -> !m.steps().isEmpty())) {
            extras.add("> funnel steps: each step's conversion from the previous step (uncorrected)");
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i >= 3 && i <= 9;
                String cell = numeric && row != HEADER ? pad(row[i], widths[i], true) : pad(row[i], widths[i], false);
                line.append(cell).append(i + 1 < row.length ? "  " : "");
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        out.append(String.format(Locale.ROOT, "* significant at alpha %s; intervals are %s%% confidence intervals"
                + " (two-sided unless marked (>) increase or (<) decrease: one-sided)%n", plain(alpha), plain(100 * (1 - alpha))));
        metrics.stream().flatMap(m -> m.comparisons().stream()).findFirst().ifPresent(first -> {
            first.cuped().ifPresent(cuped -> out.append(String.format(Locale.ROOT,
                    "CUPED: values, lifts and p-values are regression-adjusted with a %d-day pre-period (unadjusted in JSON)%n",
                    cuped.lookbackDays())));
            first.corrected().ifPresent(corrected -> out.append(String.format(Locale.ROOT,
                    "p-values corrected (%s) over %d comparisons; intervals at confidence %s%n",
                    corrected.method(), corrected.familySize(), percent(1 - corrected.intervalAlpha()))));
        });
        extras.forEach(line -> out.append(line).append(System.lineSeparator()));
        for (String note : notes) {
            out.append("warning: ").append(note).append(System.lineSeparator());
        }
        return out.toString();
    }

    /** One line each for the CUPED variance reduction, the sequential test and the Bayesian summary. */
    private static void extras(MetricResult metric, MetricResult.GroupComparison comparison, List<String> lines) {
        String who = metric.metric() + " / " + comparison.group() + ": ";
        comparison.cuped().ifPresent(cuped -> lines.add(who + Formats.cuped(cuped)));
        comparison.sequential().ifPresent(sequential -> {
            AlwaysValidInference.Result relative = sequential.result().relative();
            lines.add(String.format(Locale.ROOT, "%salways-valid relative CI %s, p = %s%s [%s]%s", who,
                    interval(relative.interval(), true), pValue(relative.pValue()), relative.significant() ? " *" : "",
                    sequential.label(),
                    sequential.result().warnings().isEmpty() ? "" : " (" + String.join("; ", sequential.result().warnings()) + ")"));
        });
        comparison.plannedLooks().ifPresent(planned -> lines.add(who + Formats.plannedLooks(planned)));
        comparison.bayesian().ifPresent(bayesian -> {
            BayesianSummary.Result result = bayesian.result();
            lines.add(String.format(Locale.ROOT,
                    "%sBayesian: chance to beat control %s, relative lift %s credible interval %s, expected loss %s (ship) / %s (keep)",
                    who, result.chanceToBeatControl() == null ? "-" : percent(result.chanceToBeatControl()),
                    signedPercent(result.posterior().estimate()), interval(result.posterior(), true),
                    signedPercent(result.expectedLossTreatment()), signedPercent(result.expectedLossControl())));
        });
    }

    private static String pad(String text, int width, boolean right) {
        String spaces = " ".repeat(width - text.length());
        return right ? spaces + text : text + spaces;
    }

    private static String interval(Interval interval, boolean percent) {
        return Formats.interval(interval, percent);
    }

    static String number(Double value) {
        return Formats.number(value);
    }

    private static String plain(double value) {
        return Formats.plain(value);
    }

    private static String signed(Double value) {
        return Formats.signed(value);
    }

    private static String percent(double fraction) {
        return Formats.percent(fraction);
    }

    private static String signedPercent(Double fraction) {
        return Formats.signedPercent(fraction);
    }

    private static String pValue(Double p) {
        return Formats.pValue(p);
    }
}
