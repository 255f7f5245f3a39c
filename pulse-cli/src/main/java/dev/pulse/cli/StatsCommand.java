package dev.pulse.cli;

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

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SufficientStatistics.Input parsed = SufficientStatistics.read(input);
        List<MetricResult> results = SufficientStatistics.analyze(parsed);
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
