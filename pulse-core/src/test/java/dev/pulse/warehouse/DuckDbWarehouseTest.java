package dev.pulse.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.WarehouseConfig;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbWarehouseTest {

    @Test
    void queriesReturnTypedRowsInOrder() {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            assertEquals(Engine.DUCKDB, warehouse.engine());
            QueryResult result = warehouse.query("SELECT 'a' AS name, 2 AS n, 1.5::DOUBLE AS x, NULL::DOUBLE AS v");
            assertEquals(List.of("name", "n", "x", "v"), result.columns());
            assertEquals(1, result.rows().size());
            QueryResult.Row row = result.rows().get(0);
            assertEquals("a", row.getString("name"));
            assertEquals(2, row.getLong("n"));
            assertEquals(1.5, row.getDouble("x"));
            assertNull(row.getDouble("v"));
            assertThrows(IllegalArgumentException.class, () -> row.get("missing"));
        }
    }

    @Test
    void aFailedQueryIsAWarehouseErrorAndTheConnectionStaysUsable() {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            PulseException failure = assertThrows(PulseException.class, () -> warehouse.query("SELECT * FROM nowhere"));
            assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
            assertTrue(failure.getMessage().contains("nowhere"), failure.getMessage());
            assertEquals(1, warehouse.query("SELECT 1 AS one").rows().get(0).getLong("one"));
        }
    }

    @Test
    void aDatabaseFileKeepsItsTables(@TempDir Path temp) {
        WarehouseConfig config = WarehouseConfig.duckDb(temp.resolve("pulse.duckdb"));
        try (Warehouse warehouse = DuckDbWarehouse.open(config)) {
            warehouse.execute("CREATE TABLE t AS SELECT 42 AS answer");
        }
        try (Warehouse warehouse = DuckDbWarehouse.open(config)) {
            assertEquals(42, warehouse.query("SELECT answer FROM t").rows().get(0).getLong("answer"));
        }
    }

    /**
     * The opt-in profiling hook (bench/README.md): one JSON profile per statement Pulse runs, in order, each naming
     * its statement, with the rows it scanned (1000 rows of t, by construction) — also inside a transaction, whose
     * BEGIN and COMMIT get files of their own rather than replacing a statement's.
     */
    @Test
    void aProfileFolderReceivesOneJsonProfilePerStatement(@TempDir Path temp) throws Exception {
        Path profiles = temp.resolve("profiles");
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.duckDb(temp.resolve("p.duckdb")),
                java.util.Optional.of(profiles))) {
            warehouse.execute("CREATE TABLE t AS SELECT range AS x FROM range(1000)");
            assertEquals(499500, warehouse.query("SELECT SUM(x) AS s FROM t").rows().get(0).getLong("s"));
            warehouse.transaction(tx -> tx.execute("INSERT INTO t SELECT x + 1000 FROM t WHERE x < 10"));
        }
        List<String> statements = new java.util.ArrayList<>();
        try (var list = java.nio.file.Files.list(profiles)) {
            for (Path file : list.sorted().toList()) {
                String profile = java.nio.file.Files.readString(file);
                // the driver's transaction control has files of its own
                if (!profile.contains("\"sql\": \"BEGIN TRANSACTION\"") && !profile.contains("\"sql\": \"COMMIT\"")) {
                    statements.add(profile);
                }
            }
        }
        assertEquals(3, statements.size(), statements.toString());
        String create = statements.get(0);
        String sum = statements.get(1);
        String insert = statements.get(2);
        assertTrue(create.contains("\"sql\": \"CREATE TABLE t AS"), create);
        assertTrue(sum.contains("\"sql\": \"SELECT SUM(x) AS s FROM t\"") && sum.contains("\"total_rows_scanned\": 1000"), sum);
        assertTrue(insert.contains("\"sql\": \"INSERT INTO t") && insert.contains("\"total_rows_scanned\": 1000"), insert);
    }

    @Test
    void withoutTheProfileFolderNothingIsProfiled() {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            assertEquals("false", warehouse.query("SELECT current_setting('enable_profiling') IS NOT NULL"
                    + " AND current_setting('enable_profiling') <> '' AS on").rows().get(0).getString("on"));
        }
    }

    @Test
    void theSessionRunsInUtc() {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            assertEquals("UTC", warehouse.query("SELECT current_setting('TimeZone') AS tz").rows().get(0).getString("tz"));
        }
    }

    @Test
    void cancelAbortsTheQueryInFlightAndRefusesLaterStatements() throws Exception {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            // 3e10 rows: about 40 s on two cores (1e9 rows take 1.4 s)
            Cancelling.abortsTheQueryInFlight(warehouse, "SELECT count(*) AS n FROM range(30000000000) WHERE range = -1",
                    "Interrupted");
        }
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            Cancelling.stopsTheNextStatement(warehouse);
        }
    }
}
