package dev.pulse.api;

import dev.pulse.analysis.AnalysisRun;
import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.IncrementalRefresh;
import dev.pulse.api.internal.AnalysisResults;
import dev.pulse.api.internal.LoadedConfig;
import dev.pulse.config.Suggestions;
import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * What to analyse and how, made by {@link Pulse#analysis(Config)}: every experiment of the config by default,
 * changed with the {@code with}-style methods below, each of which returns a new {@code Analysis}. Immutable: one
 * {@code Analysis} can be run any number of times, from any thread, also at once (each run opens its own
 * connection to the warehouse). {@link #run()} is what {@code pulse analyze}, {@code pulse serve} and Spark's
 * entry point run.
 *
 * <pre>{@code
 * Results results = Pulse.analysis(config)
 *         .experiments("pricing_v2")
 *         .progress(System.err::println)
 *         .run();
 * }</pre>
 */
public final class Analysis {
    private final LoadedConfig config;
    private final List<ExperimentName> experiments;
    private final boolean materialize;
    private final Optional<Incremental> incremental;
    private final Consumer<String> progress;
    private final Optional<Cancellation> cancellation;

    private Analysis(LoadedConfig config, List<ExperimentName> experiments, boolean materialize,
                     Optional<Incremental> incremental, Consumer<String> progress, Optional<Cancellation> cancellation) {
        this.config = config;
        this.experiments = List.copyOf(experiments);
        this.materialize = materialize;
        this.incremental = incremental;
        this.progress = progress;
        this.cancellation = cancellation;
    }

    static Analysis of(LoadedConfig config) {
        return new Analysis(config, List.copyOf(config.model().experiments().keySet()), false, Optional.empty(),
                phase -> { }, Optional.empty());
    }

    /**
     * This analysis of the named experiments only, in this order.
     *
     * @param names experiments of the config; none means every experiment
     * @return the new analysis
     * @throws PulseException INPUT_INVALID naming an unknown experiment, with the closest name and the known ones
     */
    public Analysis experiments(String... names) {
        return experiments(List.of(names));
    }

    /**
     * This analysis of the named experiments only, in this order.
     *
     * @param names experiments of the config; an empty list means every experiment
     * @return the new analysis
     * @throws PulseException INPUT_INVALID naming an unknown experiment, with the closest name and the known ones
     */
    public Analysis experiments(List<String> names) {
        if (names.isEmpty()) {
            return new Analysis(config, List.copyOf(config.model().experiments().keySet()), materialize, incremental,
                    progress, cancellation);
        }
        List<String> known = config.experiments();
        List<ExperimentName> chosen = new ArrayList<>();
        for (String name : names) {
            Objects.requireNonNull(name, "an experiment's name");
            chosen.add(config.model().experiments().keySet().stream()
                    .filter(experiment -> experiment.value().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new PulseException(PulseException.Category.INPUT_INVALID, String.format(
                            "experiment %s: no such experiment in %s (%sexperiments: %s)",
                            Suggestions.shortened(name), config.file().getFileName(),
                            Suggestions.closest(name, known).map(match -> "did you mean '" + match + "'? ").orElse(""),
                            String.join(", ", known)))));
        }
        return new Analysis(config, chosen, materialize, incremental, progress, cancellation);
    }

    /**
     * This analysis, also writing each experiment's per-unit values to its staging table or not
     * ({@code pulse analyze --materialize}, docs/staging-and-results-tables.md).
     *
     * @param writeStaging whether to write the staging tables (default: false)
     * @return the new analysis
     */
    public Analysis materialize(boolean writeStaging) {
        return new Analysis(config, experiments, writeStaging, incremental, progress, cancellation);
    }

    /**
     * This analysis as an incremental refresh ({@code pulse analyze --incremental}, docs/incremental.md).
     *
     * @param settings the refresh's settings, e.g. {@link Incremental#defaults()}
     * @return the new analysis
     */
    public Analysis incremental(Incremental settings) {
        return withIncremental(Optional.of(settings));
    }

    private Analysis withIncremental(Optional<Incremental> settings) {
        return new Analysis(config, experiments, materialize, settings, progress, cancellation);
    }

    /**
     * This analysis, telling {@code listener} each step as it starts, e.g.
     * {@code "experiment 1/2 pricing_v2: running the SQL in duckdb"}. The listener runs on the thread of
     * {@link #run()}; it may throw {@link CancellationException} to stop the run there.
     *
     * @param listener told each step (default: nobody)
     * @return the new analysis
     */
    public Analysis progress(Consumer<String> listener) {
        return new Analysis(config, experiments, materialize, incremental, Objects.requireNonNull(listener), cancellation);
    }

    /**
     * This analysis, stopped by {@code token}: see {@link Cancellation}.
     *
     * @param token cancels the run from another thread
     * @return the new analysis
     */
    public Analysis cancellation(Cancellation token) {
        return withCancellation(Optional.of(token));
    }

    private Analysis withCancellation(Optional<Cancellation> token) {
        return new Analysis(config, experiments, materialize, incremental, progress, token);
    }

    /**
     * The names of the experiments this analysis runs.
     *
     * @return the names, in the order of the results
     */
    public List<String> experimentNames() {
        return experiments.stream().map(ExperimentName::value).toList();
    }

    /**
     * Opens the config's warehouse, analyses the experiments there, writes the staging tables when asked and the
     * config's results table when it names one, and closes the warehouse. All or nothing: when one experiment cannot
     * be analysed, the others are still analysed so that every such problem is reported at once, and nothing is
     * written. Blocks the calling thread until done.
     *
     * @return the results, one experiment summary per experiment
     * @throws PulseException        CONFIG_INVALID, INPUT_INVALID (naming every experiment that cannot be analysed),
     *                               WAREHOUSE_FAILED or SQL_UNSUPPORTED; {@link PulseException.Category#exitCode()}
     *                               is the exit code {@code pulse analyze} gives
     * @throws CancellationException when cancelled through the {@link Cancellation} token or the progress listener
     */
    public Results run() {
        Cancellation token = cancellation.orElseGet(Cancellation::new);
        token.check();
        AnalysisRun run = AnalysisRun.of(config.model(), experiments).withMaterialize(materialize);
        if (incremental.isPresent()) {
            Incremental settings = incremental.get();
            run = run.withIncremental(new IncrementalRefresh.Settings(settings.lookbackDays(), settings.fullRefresh(),
                    settings.checkHistory()));
        }
        try {
            List<ExperimentResult> results = run.run(phase -> {
                token.check();
                progress.accept(phase);
            }, token::connected);
            token.check();
            return new AnalysisResults(results);
        } catch (PulseException e) {
            if (token.isCancelled()) {
                // the aborted query's own failure: the run was cancelled, it did not fail
                CancellationException cancelled = new CancellationException("the analysis was cancelled");
                cancelled.initCause(e);
                throw cancelled;
            }
            throw e;
        } finally {
            token.closed();
        }
    }
}
