package dev.pulse.cli;

import dev.pulse.api.Analysis;
import dev.pulse.api.Config;
import dev.pulse.api.Format;
import dev.pulse.api.Pulse;
import dev.pulse.api.Results;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pulse analyze}: runs experiments in the warehouse and prints or writes their results, through the Java API
 * ({@link Pulse}, docs/java-api.md) as {@code pulse serve} and Spark's entry point do.
 */
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
        Config loaded = Pulse.config(config.file);
        Analysis analysis = Pulse.analysis(loaded).experiments(ConfigOption.experiments(loaded, experiments))
                .materialize(materialize);
        analysis = incremental.settings().map(analysis::incremental).orElse(analysis);
        // --out and --report are reserved before anything runs: one that cannot be written fails the
        // command before the warehouse does any work or a staging or results table is written
        try (Output.Reservation outputs = report == null ? Output.reserve(out) : Output.reserve(out, report)) {
            Results results;
            try (Progress progress = Progress.forTerminal(spec.commandLine().getErr())) {
                results = analysis.progress(progress::phase).run();
            }
            List<String> texts = new ArrayList<>(List.of(results.render(format(format))));
            if (report != null) {
                texts.add(results.render(Format.HTML));
            }
            outputs.commit(texts, spec.commandLine().getOut());
        }
        return 0;
    }

    static Format format(OutputFormat format) {
        return switch (format) {
            case TABLE -> Format.TABLE;
            case JSON -> Format.JSON;
            case CSV -> Format.CSV;
        };
    }
}
