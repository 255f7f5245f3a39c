package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analysis use case on DuckDB, over {@link StagingTest}'s fixture: it writes the staging and results
 * tables only when asked and only when every experiment could be analysed, and a warehouse failure stops
 * it at once.
 */
class AnalysisRunTest {
    private static final ExperimentName EXP = new ExperimentName("exp");
    /** Not in the assignment source: no units, so it cannot be analysed (bad input). */
    private static final ExperimentName GHOST = new ExperimentName("ghost");
    /** Its assignment source is a table that does not exist: the warehouse fails. */
    private static final ExperimentName BROKEN = new ExperimentName("broken");
    private static final TableName RESULTS = new TableName(List.of("pulse_results"));

    private Warehouse warehouse;
    private final List<String> phases = new ArrayList<>();

    @BeforeEach
    void open() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        StagingTest.createData(warehouse);
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    /** {@link StagingTest}'s config, writing {@link #RESULTS}, with the experiments ghost and broken beside exp. */
    private static PulseConfig config(WarehouseConfig warehouseConfig) {
        PulseConfig base = StagingTest.config(false, WarehouseConfig.inMemoryDuckDb());
        Experiment exp = base.experiment(EXP);
        Map<ExperimentName, Experiment> experiments = new LinkedHashMap<>(base.experiments());
        experiments.put(GHOST, exp.toBuilder().name(GHOST).build());
        Map<SourceName, Source> sources = new LinkedHashMap<>(base.sources());
        sources.put(new SourceName("missing"), assignment("missing", table("no_such_table")));
        experiments.put(BROKEN, exp.toBuilder().name(BROKEN).assignment(new SourceName("missing")).build());
        return new PulseConfig(base.file(), warehouseConfig, sources, base.metrics(), experiments);
    }


    private long tables() {
        return warehouse.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name IN"
                + " ('pulse_results', 'pulse_staging_exp')").rows().get(0).getLong("n");
    }

    @Test
    void writesTheStagingAndResultsTablesWhenAsked() {
        List<ExperimentResult> results = AnalysisRun.of(config(WarehouseConfig.inMemoryDuckDb().withResultsTable(RESULTS)), List.of(EXP))
                .withMaterialize(true).run(warehouse, phases::add);

        assertEquals(List.of("exp"), results.stream().map(ExperimentResult::experiment).toList());
        // control orgs 1, 2, 3, 7 and treat orgs 4, 5 (StagingTest): one row each
        assertEquals(6L, warehouse.query("SELECT COUNT(*) AS n FROM pulse_staging_exp").rows().get(0).getLong("n"));
        assertEquals(ResultsTable.rows(results.get(0)).size(), warehouse.query(
                "SELECT COUNT(*) AS n FROM pulse_results WHERE experiment = 'exp'").rows().get(0).getLong("n"));
        assertEquals(1L, warehouse.query("SELECT COUNT(DISTINCT run_id) AS n FROM pulse_results").rows().get(0).getLong("n"));
        assertEquals(List.of("experiment 1/1 exp: running the SQL in duckdb", "experiment 1/1 exp: writing its staging table",
                "writing the results table pulse_results"), phases);
    }

    @Test
    void writesNoStagingTableUnlessAskedNorResultsTableUnlessNamed() {
        AnalysisRun.of(config(WarehouseConfig.inMemoryDuckDb()), List.of(EXP)).run(warehouse, phases::add);
        assertEquals(0L, tables());
        assertEquals(List.of("experiment 1/1 exp: running the SQL in duckdb"), phases);
    }

    @Test
    void writesNothingWhenAnExperimentCannotBeAnalysedAndNamesEveryFailure() {
        AnalysisRun run = AnalysisRun.of(config(WarehouseConfig.inMemoryDuckDb().withResultsTable(RESULTS)), List.of(GHOST, EXP, GHOST))
                .withMaterialize(true);
        PulseException failure = assertThrows(PulseException.class, () -> run.run(warehouse, phases::add));

        assertEquals(PulseException.Category.INPUT_INVALID, failure.category());
        assertTrue(failure.getMessage().startsWith("2 of 3 experiments cannot be analysed, so nothing was written"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("experiment 'ghost' has no units"), failure.getMessage());
        assertEquals(0L, tables());
        assertEquals(3, phases.size(), "every experiment is analysed before the run fails: " + phases);
    }

    @Test
    void oneFailureAmongSeveralSaysNothingWasWritten() {
        PulseException failure = assertThrows(PulseException.class, () ->
                AnalysisRun.of(config(WarehouseConfig.inMemoryDuckDb().withResultsTable(RESULTS)), List.of(EXP, GHOST)).run(warehouse, phases::add));
        assertTrue(failure.getMessage().startsWith("experiment 'ghost' has no units"), failure.getMessage());
        assertTrue(failure.getMessage().endsWith("\n(nothing was written: no results, staging or results table;"
                + " analyse the others with --experiment NAME)"), failure.getMessage());
        assertEquals(0L, tables());
    }

    @Test
    void aWarehouseFailureStopsTheRunAtOnce() {
        PulseException failure = assertThrows(PulseException.class, () ->
                AnalysisRun.of(config(WarehouseConfig.inMemoryDuckDb().withResultsTable(RESULTS)), List.of(GHOST, BROKEN, EXP)).withMaterialize(true)
                        .run(warehouse, phases::add));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertEquals(List.of("experiment 1/3 ghost: running the SQL in duckdb",
                "experiment 2/3 broken: running the SQL in duckdb"), phases);
        assertEquals(0L, tables());
    }

    @Test
    void opensTheConfigsWarehouseAndHandsItOver(@TempDir Path folder) {
        Path database = folder.resolve("pulse.duckdb");
        WarehouseConfig onFile = WarehouseConfig.duckDb(database).withResultsTable(RESULTS);
        try (Warehouse file = DuckDbWarehouse.open(onFile)) {
            StagingTest.createData(file);
        }
        List<Warehouse> connected = new ArrayList<>();
        List<ExperimentResult> results = AnalysisRun.of(config(onFile), List.of(EXP)).run(phases::add, connected::add);

        assertEquals(1, results.size());
        assertEquals(1, connected.size());
        assertNotNull(connected.get(0));
        assertEquals("connecting to duckdb", phases.get(0));
        try (Warehouse file = DuckDbWarehouse.open(onFile)) {
            assertEquals(ResultsTable.rows(results.get(0)).size(), file.query("SELECT COUNT(*) AS n FROM pulse_results")
                    .rows().get(0).getLong("n"));
        }
    }
}
