package dev.pulse.analysis;

import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.plan.Planner;
import dev.pulse.sql.SqlRenderer;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A distinct count's state holds each (unit, value) pair once, with its first day (layout {@code pulse-state-3}); a
 * state an earlier Pulse built holds each (unit, day, value), which read as pairs would count a value once per day.
 * Such a state is rebuilt once, says why, and gives a full run's numbers; the refresh after it reads only its days.
 */
class IncrementalLayoutTest {
    @TempDir
    Path folder;

    @Test
    void aStateOfTheEarlierLayoutIsRebuiltOnce() throws IOException {
        IncrementalSimulationTest simulation = new IncrementalSimulationTest();
        simulation.folder = folder;
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            PulseConfig config = simulation.config(WarehouseConfig.inMemoryDuckDb());
            IncrementalSimulationTest.createData(warehouse, new Random(13));
            // a user's table named like the staged rows: CREATE OR REPLACE TEMPORARY TABLE never touches it
            warehouse.execute("CREATE TABLE pulse_staged_pass0 (kept INTEGER)");
            warehouse.execute("INSERT INTO pulse_staged_pass0 VALUES (7)");
            IncrementalSimulationTest.setClock(warehouse, 12);
            refresh(config, warehouse);

            // each pair once, on its first day: as many rows as pairs
            List<String> distinct = distinctTables(warehouse);
            assertEquals(2, distinct.size(), distinct.toString()); // users (and revenue_per_user's denominator), its CUPED pre-period
            for (String table : distinct) {
                assertEquals(count(warehouse, "SELECT COUNT(*) AS n FROM (SELECT DISTINCT unit_id, pulse_value FROM " + table + ") AS p"),
                        count(warehouse, "SELECT COUNT(*) AS n FROM " + table), table);
            }

            // what an earlier Pulse kept: a value on every day the unit has it (here: on its first day and the next)
            for (String table : distinct) {
                warehouse.execute("INSERT INTO " + table + " SELECT unit_id, day + 1, pulse_value FROM " + table);
            }
            String statement = SqlRenderer.of(Dialects.forEngine(warehouse.engine()))
                    .render(Planner.plan(config, IncrementalSimulationTest.EXP));
            warehouse.execute("UPDATE pulse_state_exp__meta SET fingerprint = '"
                    + IncrementalRefresh.fingerprint("pulse-state-2", statement) + "'");

            IncrementalSimulationTest.setClock(warehouse, 13);
            List<ExperimentResult> rebuilt = refresh(config, warehouse);
            String summary = rebuilt.get(0).warnings().get(0);
            assertTrue(summary.contains("state rebuilt from every day (the state was built by an earlier version of Pulse"),
                    summary);
            assertEquals(List.of(), IncrementalSimulationTest.difference(IncrementalSimulationTest.json(rebuilt),
                    IncrementalSimulationTest.json(full(config, warehouse))));
            for (String table : distinct) {
                assertEquals(count(warehouse, "SELECT COUNT(*) AS n FROM (SELECT DISTINCT unit_id, pulse_value FROM " + table + ") AS p"),
                        count(warehouse, "SELECT COUNT(*) AS n FROM " + table), table);
            }

            IncrementalSimulationTest.setClock(warehouse, 14);
            List<ExperimentResult> next = refresh(config, warehouse);
            assertTrue(next.get(0).warnings().get(0).contains("read the days from"), next.get(0).warnings().get(0));
            assertFalse(next.get(0).warnings().get(0).contains("rebuilt"), next.get(0).warnings().get(0));
            assertEquals(List.of(), IncrementalSimulationTest.difference(IncrementalSimulationTest.json(next),
                    IncrementalSimulationTest.json(full(config, warehouse))));
            assertEquals(7L, count(warehouse, "SELECT SUM(kept) AS n FROM main.pulse_staged_pass0"));
        }
    }

    private static List<ExperimentResult> refresh(PulseConfig config, Warehouse warehouse) {
        return AnalysisRun.of(config, List.of(IncrementalSimulationTest.EXP))
                .withIncremental(IncrementalRefresh.Settings.defaults()).run(warehouse, phase -> { });
    }

    private static List<ExperimentResult> full(PulseConfig config, Warehouse warehouse) {
        return AnalysisRun.of(config, List.of(IncrementalSimulationTest.EXP)).run(warehouse, phase -> { });
    }

    private static List<String> distinctTables(Warehouse warehouse) {
        return warehouse.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE"
                + " 'pulse_state_exp__distinct%' ORDER BY table_name").rows().stream()
                .map(row -> row.getString("table_name")).toList();
    }

    private static long count(Warehouse warehouse, String sql) {
        QueryResult result = warehouse.query(sql);
        return result.rows().get(0).getLong("n");
    }
}
