package dev.pulse.cli;

import dev.pulse.analysis.LookPosition;
import dev.pulse.analysis.MetricResult;
import dev.pulse.analysis.SufficientStatistics;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.CsvOutput;
import dev.pulse.output.JsonOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code pulse stats}: results from per-group sufficient statistics, without a warehouse
 * (docs/cli.md#pulse-stats-input).
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Compute results from per-group sums over units given as JSON.")
final class StatsCommand implements Callable<Integer> {
    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "The JSON input (see docs/cli.md).")
    Path input;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the results to FILE instead of stdout.")
    Path out;

    @Option(names = "--look-fractions", split = ",", paramLabel = "T1,T2,...",
            description = "Planned looks: a group-sequential test at these information fractions, such as 0.25,0.5,1"
                    + " (docs/analysis-options.md#planned-looks).")
    List<Double> lookFractions;

    @Option(names = "--look", paramLabel = "K", defaultValue = "0",
            description = "With --look-fractions: which look the input is, 1-based (default: the last).")
    int look;

    @Option(names = "--spending", paramLabel = "FUNCTION", defaultValue = "obrien_fleming",
            description = "With --look-fractions: obrien_fleming or pocock (default: ${DEFAULT-VALUE}).")
    String spending;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SufficientStatistics.Input parsed = SufficientStatistics.read(input);
        if (lookFractions == null && (spec.commandLine().getParseResult().hasMatchedOption("--look")
                || spec.commandLine().getParseResult().hasMatchedOption("--spending"))) {
            throw new dev.pulse.error.PulseException(dev.pulse.error.PulseException.Category.INPUT_INVALID,
                    "--look and --spending need --look-fractions (the information fractions of the planned looks)");
        }
        Optional<LookPosition> looks = lookFractions == null ? Optional.empty()
                : Optional.of(SufficientStatistics.plannedLooks(lookFractions, look, spending));
        List<MetricResult> results = SufficientStatistics.analyze(parsed, looks);
        java.util.Optional<dev.pulse.analysis.BiasCheckResult> biasCheck = SufficientStatistics.biasCheck(parsed);
        String text = switch (format) {
            case TABLE -> ConsoleTable.metrics(parsed.alpha(), results, biasCheck);
            case JSON -> JsonOutput.metrics(parsed.alpha(), results, biasCheck);
            case CSV -> CsvOutput.metrics(results, biasCheck);
        };
        Output.write(text, out, spec.commandLine().getOut());
        return 0;
    }
}
