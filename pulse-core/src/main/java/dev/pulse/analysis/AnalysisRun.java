package dev.pulse.analysis;

import dev.pulse.model.Engine;
import dev.pulse.model.TableName;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.TableStatements;
import dev.pulse.sql.dialect.Dialects;
import java.util.Optional;

import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.warehouse.Transaction;
import dev.pulse.warehouse.Warehouse;
import dev.pulse.warehouse.Warehouses;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The analysis use case of {@code pulse analyze}, {@code pulse serve} and Spark's entry point: analyse
 * experiments, then write their staging tables when asked and the config's results table when it names
 * one. All or nothing: every experiment is analysed before anything is written.
 *
 * <pre>{@code
 * List<ExperimentResult> results = AnalysisRun.of(config, names).withMaterialize(true).run(phase);
 * }</pre>
 *
 * @param experiments the experiments to analyse, in the order of the results
 * @param materialize whether to also write each experiment's staging table
 *                    ({@link dev.pulse.model.WarehouseConfig#stagingTable})
 */
public record AnalysisRun(PulseConfig config, List<ExperimentName> experiments, boolean materialize,
                          Optional<IncrementalRefresh.Settings> incremental) {

    public AnalysisRun {
        Objects.requireNonNull(config);
        experiments = List.copyOf(experiments);
        Objects.requireNonNull(incremental);
    }

    /** A run of {@code experiments} that writes no staging tables and reads every day. */
    public static AnalysisRun of(PulseConfig config, List<ExperimentName> experiments) {
        return new AnalysisRun(config, experiments, false, Optional.empty());
    }

    /** This run, writing staging tables or not. */
    public AnalysisRun withMaterialize(boolean writeStaging) {
        return new AnalysisRun(config, experiments, writeStaging, incremental);
    }

    /**
     * This run as an incremental refresh ({@code pulse analyze --incremental}, docs/incremental.md): each experiment's
     * state is brought up to date and its results computed from it, all experiments' state and the results table in
     * one transaction.
     */
    public AnalysisRun withIncremental(IncrementalRefresh.Settings settings) {
        return new AnalysisRun(config, experiments, materialize, Optional.of(settings));
    }

    /** Opens the config's warehouse and runs there, telling {@code phase} each step (see below). */
    public List<ExperimentResult> run(Consumer<String> phase) {
        return run(phase, warehouse -> { });
    }

    /**
     * Opens the config's warehouse and runs there (see {@link #run(Warehouse, Consumer)}); {@code connected}
     * gets the warehouse once it is open, so that a caller can cancel through it ({@link Warehouse#cancel}).
     *
     * @param phase told each step, e.g. {@code "experiment 1/2 pricing_v2: running the SQL in duckdb"}; it may
     *              throw to stop the run there (the web app's cancel does)
     */
    public List<ExperimentResult> run(Consumer<String> phase, Consumer<Warehouse> connected) {
        Instant runAt = Instant.now();
        phase.accept("connecting to " + engine());
        try (Warehouse warehouse = Warehouses.open(config.warehouse())) {
            connected.accept(warehouse);
            return run(warehouse, phase, runAt);
        }
    }

    /**
     * Analyses the experiments in {@code warehouse}; with {@link #materialize} also writes their staging
     * tables, and when the config names a results table writes the results there (one run id for the
     * whole run). When one experiment cannot be analysed (bad input, such as an experiment with no units),
     * the others are still analysed so that every such problem is reported at once, and then the run fails
     * with all of them and writes no staging table and no results table. A warehouse failure stops the run
     * at once. A failed write fails the run.
     *
     * @throws PulseException INPUT_INVALID naming every experiment that cannot be analysed; WAREHOUSE_FAILED
     */
    public List<ExperimentResult> run(Warehouse warehouse, Consumer<String> phase) {
        return run(warehouse, phase, Instant.now());
    }

    /** {@code runAt}: when the run started, before connecting, as the results table records it. */
    private List<ExperimentResult> run(Warehouse warehouse, Consumer<String> phase, Instant runAt) {
        if (incremental.isPresent()) {
            return runIncremental(warehouse, phase, runAt, incremental.get());
        }
        List<ExperimentResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < experiments.size(); i++) {
            phase.accept(which(i) + ": running the SQL in " + engine());
            try {
                results.add(Analyzer.analyze(config, experiments.get(i), warehouse));
            } catch (PulseException e) {
                if (e.category() != PulseException.Category.INPUT_INVALID) {
                    throw e;
                }
                failures.add(e.getMessage());
            }
        }
        failIfAny(failures);
        if (materialize) {
            for (int i = 0; i < experiments.size(); i++) {
                phase.accept(which(i) + ": writing its staging table");
                Staging.write(config, experiments.get(i), warehouse);
            }
        }
        config.warehouse().resultsTable().ifPresent(table -> {
            phase.accept("writing the results table " + table);
            ResultsTable.write(table, UUID.randomUUID().toString(), runAt, results, warehouse);
        });
        return results;
    }

    /*
     * Every experiment's refresh and the results table in one transaction: a failure or a killed process leaves
     * every state and the results table as the last committed run left them. The schemas are created first, each
     * in a transaction of its own, as the staging and results tables' are. Without transactions (Spark) each
     * statement commits on its own, a refresh marks its state incomplete until it is written (the next one rebuilds
     * a state left so), and the results table's partitions are overwritten after every state is written
     * (docs/spark.md#incremental-refreshes-on-spark).
     */
    private List<ExperimentResult> runIncremental(Warehouse warehouse, Consumer<String> phase, Instant runAt,
                                                  IncrementalRefresh.Settings settings) {
        Dialect dialect = Dialects.forEngine(warehouse.engine());
        if (!dialect.keepsIncrementalState()) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, "--incremental needs an engine whose"
                    + " transactions hold DDL (duckdb, postgres) or Spark's partition overwrite; engine " + engine()
                    + " has neither yet: run without --incremental (docs/incremental.md#engines)");
        }
        boolean transactional = dialect.transactionalDdl();
        TableStatements statements = TableStatements.of(dialect);
        List<TableName> tables = new ArrayList<>();
        experiments.forEach(name -> tables.add(IncrementalRefresh.state(config, name).meta()));
        config.warehouse().resultsTable().ifPresent(tables::add);
        for (TableName table : tables) {
            List<String> schema = statements.createSchema(table);
            if (!schema.isEmpty() && transactional) {
                warehouse.transaction(transaction -> schema.forEach(transaction::execute));
            } else {
                schema.forEach(warehouse::execute);
            }
        }
        List<ExperimentResult> results = new ArrayList<>();
        String runId = UUID.randomUUID().toString();
        Consumer<Transaction> refresh = transaction -> {
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < experiments.size(); i++) {
                phase.accept(which(i) + ": refreshing its state in " + engine());
                ExperimentName name = experiments.get(i);
                IncrementalRefresh.Outcome outcome = IncrementalRefresh.refresh(config, name, warehouse, transaction, settings);
                try {
                    ExperimentResult result = Analyzer.analyze(config, name, warehouse, outcome.data());
                    // an in-memory DuckDB forgets the state when the run ends: every refresh rebuilds
                    String memory = config.warehouse().engine() == Engine.DUCKDB && config.warehouse().database().isEmpty()
                            ? " (the in-memory DuckDB keeps no state between runs: set warehouse.database to a file)" : "";
                    List<String> warnings = new ArrayList<>(List.of(outcome.summary() + memory));
                    warnings.addAll(result.warnings());
                    results.add(result.toBuilder().warnings(warnings).build());
                } catch (PulseException e) {
                    if (e.category() != PulseException.Category.INPUT_INVALID) {
                        throw e;
                    }
                    failures.add(e.getMessage());
                }
            }
            failIfAny(failures);
            config.warehouse().resultsTable().ifPresent(table -> {
                phase.accept("writing the results table " + table);
                if (transactional) {
                    ResultsTable.writeIn(transaction, dialect, table, runId, runAt, results);
                } else {
                    ResultsTable.write(table, runId, runAt, results, warehouse);
                }
            });
        };
        if (transactional) {
            warehouse.transaction(refresh);
        } else {
            refresh.accept(IncrementalRefresh.eachOnItsOwn(warehouse));
        }
        if (materialize) {
            for (int i = 0; i < experiments.size(); i++) {
                phase.accept(which(i) + ": writing its staging table");
                Staging.write(config, experiments.get(i), warehouse);
            }
        }
        return results;
    }

    private void failIfAny(List<String> failures) {
        if (failures.size() == 1) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, failures.get(0)
                    + (experiments.size() > 1 ? "\n(nothing was written: no results, staging or results table;"
                            + " analyse the others with --experiment NAME)" : ""));
        }
        if (!failures.isEmpty()) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, failures.size() + " of " + experiments.size()
                    + " experiments cannot be analysed, so nothing was written (no results, staging or results table):\n  "
                    + String.join("\n  ", failures));
        }
    }

    private String engine() {
        return config.warehouse().engine().name().toLowerCase(Locale.ROOT);
    }

    private String which(int i) {
        return "experiment " + (i + 1) + "/" + experiments.size() + " " + experiments.get(i);
    }
}
