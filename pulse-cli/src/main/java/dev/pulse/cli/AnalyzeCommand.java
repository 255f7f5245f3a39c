package dev.pulse.cli;

import dev.pulse.analysis.Analyzer;
import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.ResultsTable;
import dev.pulse.analysis.Staging;
import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.CsvOutput;
import dev.pulse.output.JsonOutput;
import dev.pulse.output.html.HtmlReport;
import dev.pulse.warehouse.Warehouses;
import dev.pulse.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

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
                results = analyze(loaded, names, materialize, progress);
            }
            List<String> texts = new ArrayList<>(List.of(render(results, format)));
            if (report != null) {
                texts.add(HtmlReport.render(results));
            }
            outputs.commit(texts, spec.commandLine().getOut());
        }
        return 0;
    }

    static List<ExperimentResult> analyze(PulseConfig config, List<ExperimentName> names) {
        return analyze(config, names, false, Progress.silent());
    }

    /**
     * Analyses {@code names}; with {@code materialize} also writes their staging tables, and when the
     * config names a results table, writes the results there (one run id for the whole invocation)
     * before they are printed: a failed write fails the run.
     */
    static List<ExperimentResult> analyze(PulseConfig config, List<ExperimentName> names, boolean materialize,
            Progress progress) {
        return analyze(config, names, materialize, progress, warehouse -> { });
    }

    /**
     * As above; {@code connected} gets the warehouse once it is open (the web app cancels through it).
     * Every experiment is analysed before anything is written: when one cannot be analysed (bad input,
     * such as an experiment with no units), the others are still analysed so that every such problem is
     * reported at once, and then the run fails with all of them and writes no staging table, no results
     * table and no output. A warehouse failure stops the run at once.
     */
    static List<ExperimentResult> analyze(PulseConfig config, List<ExperimentName> names, boolean materialize,
            Progress progress, Consumer<Warehouse> connected) {
        Instant runAt = Instant.now();
        List<ExperimentResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String engine = config.warehouse().engine().name().toLowerCase(java.util.Locale.ROOT);
        progress.phase("connecting to " + engine);
        try (Warehouse warehouse = Warehouses.open(config.warehouse())) {
            connected.accept(warehouse);
            for (int i = 0; i < names.size(); i++) {
                ExperimentName name = names.get(i);
                progress.phase(which(i, names) + ": running the SQL in " + engine);
                try {
                    results.add(Analyzer.analyze(config, name, warehouse));
                } catch (PulseException e) {
                    if (e.category() != PulseException.Category.INPUT_INVALID) {
                        throw e;
                    }
                    failures.add(e.getMessage());
                }
            }
            if (failures.size() == 1) {
                throw new PulseException(PulseException.Category.INPUT_INVALID, failures.get(0)
                        + (names.size() > 1 ? "\n(nothing was written: no results, staging or results table;"
                                + " analyse the others with --experiment NAME)" : ""));
            }
            if (!failures.isEmpty()) {
                throw new PulseException(PulseException.Category.INPUT_INVALID, failures.size() + " of " + names.size()
                        + " experiments cannot be analysed, so nothing was written (no results, staging or results table):\n  "
                        + String.join("\n  ", failures));
            }
            if (materialize) {
                for (int i = 0; i < names.size(); i++) {
                    progress.phase(which(i, names) + ": writing its staging table");
                    Staging.write(config, names.get(i), warehouse);
                }
            }
            config.warehouse().resultsTable().ifPresent(table -> {
                progress.phase("writing the results table " + table);
                ResultsTable.write(table, UUID.randomUUID().toString(), runAt, results, warehouse);
            });
        }
        return results;
    }

    private static String which(int i, List<ExperimentName> names) {
        return "experiment " + (i + 1) + "/" + names.size() + " " + names.get(i);
    }

    static String render(List<ExperimentResult> results, OutputFormat format) {
        return switch (format) {
            case TABLE -> ConsoleTable.experiments(results);
            case JSON -> JsonOutput.experiments(results);
            case CSV -> CsvOutput.experiments(results);
        };
    }
}
