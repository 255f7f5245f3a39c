package dev.pulse.api.internal;

import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.MetricResult;
import dev.pulse.api.Estimate;
import dev.pulse.api.ExperimentSummary;
import dev.pulse.api.Format;
import dev.pulse.api.GroupUnits;
import dev.pulse.api.Lift;
import dev.pulse.api.MetricSummary;
import dev.pulse.api.Results;
import dev.pulse.api.Role;
import dev.pulse.api.SampleRatio;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.CsvOutput;
import dev.pulse.output.JsonOutput;
import dev.pulse.output.html.HtmlReport;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.Interval;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The API's {@link Results}: the analysis's records, and the summaries made from them. {@link #records()} is for
 * Pulse's own modules ({@code pulse serve} keeps the records of a run).
 */
public record AnalysisResults(List<ExperimentResult> records, List<ExperimentSummary> experiments) implements Results {

    public AnalysisResults {
        records = List.copyOf(records);
        experiments = List.copyOf(experiments);
    }

    /** The results of {@code records}, summarized. */
    public AnalysisResults(List<ExperimentResult> records) {
        this(records, records.stream().map(AnalysisResults::summary).toList());
    }

    /** The analysis's records behind {@code results}, which Pulse made. */
    public static List<ExperimentResult> records(Results results) {
        return ((AnalysisResults) results).records();
    }

    @Override
    public String render(Format format) {
        return switch (format) {
            case TABLE -> ConsoleTable.experiments(records);
            case JSON -> JsonOutput.experiments(records);
            case CSV -> CsvOutput.experiments(records);
            case HTML -> HtmlReport.render(records);
        };
    }

    private static ExperimentSummary summary(ExperimentResult result) {
        return new ExperimentSummary(result.experiment(), result.unit(), result.engine(), result.start(), result.end(),
                result.alpha(),
                result.groups().stream().map(g -> new GroupUnits(g.name(), g.units(), g.expectedShare())).toList(),
                result.srm().map(srm -> new SampleRatio(srm.chiSquare(), srm.degreesOfFreedom(), srm.pValue(), srm.passed())),
                result.metrics().stream().map(metric -> metric(metric, role(result.role(metric.metric())))).toList(),
                result.warnings(), result.sql());
    }

    private static Role role(dev.pulse.model.MetricRole role) {
        return switch (role) {
            case PRIMARY -> Role.PRIMARY;
            case SECONDARY -> Role.SECONDARY;
            case GUARDRAIL -> Role.GUARDRAIL;
        };
    }

    private static MetricSummary metric(MetricResult metric, Role role) {
        return new MetricSummary(metric.metric(), metric.type(), role, metric.comparisons().stream().map(comparison -> {
            Comparison decision = comparison.decision();
            return new Lift(comparison.group(), comparison.control(), decision.controlUnits(), decision.treatmentUnits(),
                    optional(decision.controlMean()), optional(decision.treatmentMean()),
                    estimate(decision.absolute()), estimate(decision.relative()), optional(decision.pValue()),
                    comparison.significant(), comparison.cuped().isPresent(), decision.warnings());
        }).toList());
    }

    private static Estimate estimate(Interval interval) {
        return new Estimate(optional(interval.estimate()), optional(interval.stdError()),
                interval.lowerUnbounded() ? OptionalDouble.of(Double.NEGATIVE_INFINITY) : optional(interval.lower()),
                interval.upperUnbounded() ? OptionalDouble.of(Double.POSITIVE_INFINITY) : optional(interval.upper()));
    }

    private static OptionalDouble optional(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
