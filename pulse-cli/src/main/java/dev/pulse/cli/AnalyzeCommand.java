package dev.pulse.cli;

import dev.pulse.analysis.AnalysisRun;
import dev.pulse.analysis.ExperimentResult;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.CsvOutput;
import dev.pulse.output.JsonOutput;
import dev.pulse.output.html.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code pulse analyze}: runs experiments in the warehouse and prints or writes their results. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyze the named experiments, or every experiment in the config.")
final class AnalyzeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = {"-e", "--experiment"}, paramLabel = "NAME", description = "An experiment to analyze (repeatable; default: all).")
    List<String> experiments = new ArrayList<>();

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the results to FILE instead of stdout (only when every experiment succeeded).")
    Path out;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write a self-contained HTML report to FILE"
            + " (only when every experiment succeeded).")
    Path report;

    @Option(names = "--materialize", description = "Also write each experiment's per-unit values to the warehouse table "
            + "[staging_schema.]pulse_staging_<experiment>, replacing it atomically (on Spark: built beside, then renamed over it).")
    boolean materialize;

    @Mixin
    IncrementalOptions incremental;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PulseConfig loaded = config.load();
        List<ExperimentName> names = ConfigOption.experiments(loaded, experiments);
        // --out and --report are reserved before anything runs: one that cannot be written fails the
        // command before the warehouse does any work or a staging or results table is written
        try (Output.Reservation outputs = report == null ? Output.reserve(out) : Output.reserve(out, report)) {
            List<ExperimentResult> results;
            try (Progress progress = Progress.forTerminal(spec.commandLine().getErr())) {
                results = incremental.apply(AnalysisRun.of(loaded, names).withMaterialize(materialize))
                        .run(progress::phase);
            }
            List<String> texts = new ArrayList<>(List.of(render(results, format)));
            if (report != null) {
                texts.add(HtmlReport.render(results));
            }
            outputs.commit(texts, spec.commandLine().getOut());
        }
        return 0;
    }

    static String render(List<ExperimentResult> results, OutputFormat format) {
        return switch (format) {
            case TABLE -> ConsoleTable.experiments(results);
            case JSON -> JsonOutput.experiments(results);
            case CSV -> CsvOutput.experiments(results);
        };
    }
}
