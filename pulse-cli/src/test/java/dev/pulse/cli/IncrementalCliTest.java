package dev.pulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;
import dev.pulse.warehouse.Warehouses;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code pulse analyze --incremental} from the command line: the numbers of a full run; a refresh killed before it
 * commits (a real child process, on DuckDB and PostgreSQL) leaves every state table and the results table as the
 * previous refresh left them; on PostgreSQL a second refresh of the experiment waits for the first; the options
 * that need --incremental are refused without it, and engines without DDL transactions are refused.
 */
class IncrementalCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private Path demo(String name, String... options) {
        List<String> args = new ArrayList<>(List.of("demo", "--dir", folder.resolve(name).toString(), "--orgs", "300"));
        args.addAll(List.of(options));
        CliTest.Run demo = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, demo.code(), demo.err());
        return folder.resolve(name).resolve("pulse.yaml");
    }

    @Test
    void duckDbRefreshesGiveTheFullRunsNumbersAndAKilledOneChangesNothing() throws Exception {
        Path plain = demo("duckdb");
        Path config = plain.resolveSibling("state.yaml");
        Files.writeString(config, "warehouse: {database: state.duckdb, results_table: pulse_results}\n" + Files.readString(plain));
        CliTest.Run first = CliTest.run("analyze", "--config", config.toString(), "--incremental", "--format", "json");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("incremental: state rebuilt from every day (no state yet)"), first.out());
        CliTest.Run full = CliTest.run("analyze", "--config", plain.toString(), "--format", "json");
        assertEquals(0, full.code(), full.err());
        assertSameNumbers(JSON.readTree(full.out()), JSON.readTree(first.out()), "$");

        Path database = plain.resolveSibling("state.duckdb");
        Map<String, List<String>> before;
        try (Warehouse warehouse = open(database)) {
            before = tables(warehouse, "main");
        }
        assertTrue(before.keySet().stream().anyMatch(t -> t.startsWith("pulse_state_pricing_v2__pass")), before.keySet().toString());
        // a rebuild on the same data would write the same state, but the results table gets a new run id and time:
        // a refresh that committed would show there
        killedWhilePaused(config, "--incremental", "--full-refresh");
        try (Warehouse warehouse = open(database)) {
            assertEquals(before, tables(warehouse, "main"), "every table as the first refresh left it, and no other");
        }
        CliTest.Run again = CliTest.run("analyze", "--config", config.toString(), "--incremental", "--format", "json");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("incremental: read the days from"), again.out());
        assertSameNumbers(JSON.readTree(full.out()), JSON.readTree(again.out()), "$");

        // a changed definition rebuilds the state, and says so
        Path changed = plain.resolveSibling("changed.yaml");
        Files.writeString(changed, Files.readString(config).replace("end: 2026-03-28", "end: 2026-03-27"));
        CliTest.Run rebuilt = CliTest.run("analyze", "--config", changed.toString(), "--incremental", "--format", "json");
        assertEquals(0, rebuilt.code(), rebuilt.err());
        assertTrue(rebuilt.out().contains("the experiment's definition changed since the state was built"), rebuilt.out());
    }

    @Test
    void postgresKilledRefreshChangesNothingAndASecondRefreshWaitsForTheFirst() throws Exception {
        String url = System.getenv("PULSE_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            if (System.getenv("PULSE_REQUIRE_POSTGRES") != null) {
                fail("PULSE_REQUIRE_POSTGRES is set but PULSE_TEST_PG_URL is not");
            }
            Assumptions.abort("no PostgreSQL: set PULSE_TEST_PG_URL or run .ci/run");
        }
        String user = System.getenv("PULSE_TEST_PG_USER");
        String schema = "pulse_incremental_cli_" + ProcessHandle.current().pid();
        List<String> options = new ArrayList<>(List.of("--engine", "postgres", "--url", url, "--password-env", "PGPASSWORD",
                "--schema", schema));
        if (user != null) {
            options.addAll(List.of("--user", user));
        }
        WarehouseConfig server = WarehouseConfig.postgres(new ServerConnection(url, Optional.ofNullable(user), Optional.of("PGPASSWORD")));
        try {
            Path plain = demo("postgres", options.toArray(String[]::new));
            Path config = plain.resolveSibling("state.yaml");
            Files.writeString(config, Files.readString(plain).replaceFirst("warehouse:\n",
                    "warehouse:\n  staging_schema: " + schema + "\n  results_table: " + schema + ".pulse_results\n"));
            CliTest.Run first = CliTest.run("analyze", "--config", config.toString(), "--incremental", "--format", "json");
            assertEquals(0, first.code(), first.err());
            Map<String, List<String>> before;
            try (Warehouse warehouse = Warehouses.open(server)) {
                before = tables(warehouse, schema);
            }
            assertTrue(before.containsKey("pulse_results") && before.containsKey("pulse_state_pricing_v2__exposures"),
                    before.keySet().toString());

            Process child = paused(config, "--incremental", "--full-refresh");
            CompletableFuture<CliTest.Run> second;
            try {
                // the second refresh waits at the first one's lock until the first ends
                second = CompletableFuture.supplyAsync(() ->
                        CliTest.run("analyze", "--config", config.toString(), "--incremental", "--format", "json"));
                Thread.sleep(3_000);
                assertFalse(second.isDone(), "a second refresh must wait for the first");
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child was killed");
            }
            CliTest.Run waited = second.get(120, TimeUnit.SECONDS);
            assertEquals(0, waited.code(), waited.err());
            assertTrue(waited.out().contains("incremental: read the days from"), "the killed rebuild left no trace: " + waited.out());
            assertSameNumbers(JSON.readTree(first.out()), JSON.readTree(waited.out()), "$");

            // killed alone: the tables are as the last committed refresh left them (results: its run id and time too)
            try (Warehouse warehouse = Warehouses.open(server)) {
                before = tables(warehouse, schema);
            }
            killedWhilePaused(config, "--incremental", "--full-refresh");
            try (Warehouse warehouse = Warehouses.open(server)) {
                assertEquals(before, tables(warehouse, schema), "every table as the last refresh left it, and no other");
            }
        } finally {
            try (Warehouse warehouse = Warehouses.open(server)) {
                warehouse.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
        }
    }

    @Test
    void theOptionsOfARefreshNeedIncremental() throws IOException {
        Path config = demo("options");
        for (String option : List.of("--full-refresh", "--no-history-check")) {
            CliTest.Run run = CliTest.run("analyze", "--config", config.toString(), option);
            assertEquals(2, run.code(), run.err());
            assertTrue(run.err().contains("--full-refresh, --lookback-days and --no-history-check need --incremental"), run.err());
        }
        CliTest.Run inMemory = CliTest.run("analyze", "--config", config.toString(), "--incremental");
        assertEquals(0, inMemory.code(), inMemory.err());
        assertTrue(inMemory.out().contains("the in-memory DuckDB keeps no state between runs: set warehouse.database"),
                inMemory.out());
        CliTest.Run lookback = CliTest.run("analyze", "--config", config.toString(), "--lookback-days", "3");
        assertEquals(2, lookback.code(), lookback.err());
        CliTest.Run negative = CliTest.run("analyze", "--config", config.toString(), "--incremental", "--lookback-days", "-1");
        assertEquals(2, negative.code(), negative.err());
        assertTrue(negative.err().contains("--lookback-days must be 0 to 366, got -1"), negative.err());
    }

    /** Starts a refresh in a child JVM and kills it where it pauses, inside its transaction, before the commit. */
    private static void killedWhilePaused(Path config, String... options) throws Exception {
        Process child = paused(config, options);
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child was killed");
    }

    private static Process paused(Path config, String... options) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath,
                "-D" + DuckDbWarehouse.PAUSE_BEFORE_COMMIT_PROPERTY + "=120000", "dev.pulse.cli.PulseCli",
                "analyze", "--config", config.toString()));
        command.addAll(List.of(options));
        Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String marker = CompletableFuture.supplyAsync(() -> TablesCliTest.awaitMarker(child)).get(120, TimeUnit.SECONDS);
        assertTrue(marker.startsWith(DuckDbWarehouse.PAUSE_MARKER), marker);
        assertTrue(child.isAlive(), "the child is inside its transaction");
        return child;
    }

    private static Warehouse open(Path database) {
        return DuckDbWarehouse.open(WarehouseConfig.duckDb(database));
    }

    /** Every table of {@code schema} with all its rows, in a fixed order. */
    private static Map<String, List<String>> tables(Warehouse warehouse, String schema) {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        List<String> names = warehouse.query("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                + schema + "' ORDER BY table_name").rows().stream().map(row -> row.getString("table_name")).toList();
        for (String name : names) {
            tables.put(name, warehouse.query("SELECT * FROM \"" + schema + "\".\"" + name + "\"").rows().stream()
                    .map(row -> row.values().toString()).sorted().toList());
        }
        return tables;
    }

    /** The two JSON results agree to 1e-12 in every number, and in every other field but the SQL and warnings. */
    static void assertSameNumbers(JsonNode expected, JsonNode actual, String path) {
        if (path.endsWith(".sql") || path.endsWith(".warnings")) {
            return;
        }
        if (expected.isNumber() && actual.isNumber()) {
            double x = expected.doubleValue();
            double y = actual.doubleValue();
            assertTrue(Math.abs(x - y) <= 1e-12 * Math.max(1, Math.max(Math.abs(x), Math.abs(y))), path + ": " + x + " vs " + y);
        } else if (expected.isObject()) {
            assertEquals(expected.size(), actual.size(), path);
            expected.fields().forEachRemaining(field -> assertSameNumbers(field.getValue(), actual.path(field.getKey()),
                    path + "." + field.getKey()));
        } else if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), path);
            for (int i = 0; i < expected.size(); i++) {
                assertSameNumbers(expected.get(i), actual.get(i), path + "[" + i + "]");
            }
        } else {
            assertEquals(expected, actual, path);
        }
    }
}
