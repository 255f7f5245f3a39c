package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;
import dev.pulse.warehouse.Warehouses;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code pulse analyze} processes writing the same tables at once (issue 10 §4; docs/staging-and-results-tables.md,
 * "Two runs at once"). The first runs in a child JVM with the test hook {@code pulse.test.pauseBeforeCommitMillis},
 * so it sits inside its write transaction — its lock taken, its rows written, not committed — when the second child
 * JVM starts writing. On PostgreSQL the second must wait for the first's commit and then replace its rows: the
 * results table (written by an earlier run) holds exactly one run's rows afterwards (without the lock: both runs',
 * as READ COMMITTED let the second DELETE miss the first's uncommitted rows), and a staging table created by both
 * at once is there once, both runs succeeding (without the lock the second CREATE failed with {@code duplicate key
 * value violates unique constraint "pg_type_typname_nsp_index"}: exit 3). On one DuckDB file the second process cannot open the database
 * while the first holds it: exit 3 naming the lock, the first run's rows intact.
 */
class ConcurrentRunsCliTest {
    private static final long PAUSE_MILLIS = 8000;

    @TempDir
    static Path folder;

    private static final List<String> SCHEMAS = new ArrayList<>();

    @AfterAll
    static void dropSchemas() {
        if (!SCHEMAS.isEmpty()) {
            try (Warehouse warehouse = Warehouses.open(postgres())) {
                for (String schema : SCHEMAS) {
                    warehouse.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
                }
            }
        }
    }

    @Test
    void twoRunsWritingOneResultsTableOnPostgresLeaveOneRunsRows() throws Exception {
        String schema = "pulse_concurrent_results_" + ProcessHandle.current().pid();
        Path config = postgresDemo(schema, "  results_table: " + schema + ".pulse_results\n");
        // a run before: the table exists, with rows both racing runs delete
        CliTest.Run before = CliTest.run("analyze", "--config", config.toString(), "--format", "json");
        assertEquals(0, before.code(), before.err());
        // the first run pauses twice: creating the schema, then writing the table
        Outcome[] outcomes = race(config, 2);
        for (Outcome outcome : outcomes) {
            assertEquals(0, outcome.code(), outcome.err());
        }
        try (Warehouse warehouse = Warehouses.open(postgres())) {
            long runs = count(warehouse, "SELECT COUNT(DISTINCT run_id) AS n FROM \"" + schema + "\".pulse_results");
            assertEquals(1, runs, "exactly one run's rows remain");
            assertTrue(count(warehouse, "SELECT COUNT(*) AS n FROM \"" + schema + "\".pulse_results") > 50);
        }
    }

    @Test
    void twoRunsCreatingOneStagingTableOnPostgresBothSucceed() throws Exception {
        String schema = "pulse_concurrent_staging_" + ProcessHandle.current().pid();
        String staging = schema + "_tables";
        SCHEMAS.add(staging);
        Path config = postgresDemo(schema, "  staging_schema: " + staging + "\n");
        // the first run pauses twice: creating the staging schema, then building the staging table
        Outcome[] outcomes = race(config, 2, "--materialize");
        for (Outcome outcome : outcomes) {
            assertEquals(0, outcome.code(), outcome.err());
        }
        try (Warehouse warehouse = Warehouses.open(postgres())) {
            String table = "\"" + staging + "\".pulse_staging_pricing_v2";
            long rows = count(warehouse, "SELECT COUNT(*) AS n FROM " + table);
            assertTrue(rows > 50, "units: " + rows);
            assertEquals(rows, count(warehouse, "SELECT COUNT(DISTINCT unit_id) AS n FROM " + table), "one row per unit");
        }
    }

    @Test
    void aSecondProcessOnOneDuckDbFileStopsWithExit3() throws Exception {
        CliTest.Run demo = CliTest.run("demo", "--dir", folder.resolve("duckdb").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
        Path config = folder.resolve("duckdb/concurrent.yaml");
        Files.writeString(config, "warehouse: {database: concurrent.duckdb, results_table: pulse_results}\n"
                + Files.readString(folder.resolve("duckdb/pulse.yaml")));
        Outcome[] outcomes = race(config, 1);
        assertEquals(0, outcomes[0].code(), outcomes[0].err());
        assertEquals(3, outcomes[1].code(), outcomes[1].err());
        assertTrue(outcomes[1].err().contains("cannot open DuckDB database") && outcomes[1].err().contains("lock"),
                outcomes[1].err());
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.duckDb(
                folder.resolve("duckdb/concurrent.duckdb")))) {
            assertEquals(1, count(warehouse, "SELECT COUNT(DISTINCT run_id) AS n FROM pulse_results"));
        }
    }

    /** The exit code and stderr of one child run. */
    private record Outcome(int code, String err) {}

    /**
     * Runs {@code pulse analyze --config config} in a child JVM that pauses before each commit, and once it has
     * announced {@code pauses} pauses (it is inside its last write transaction), the same in a second child JVM
     * without pauses. Returns both outcomes, first run first.
     */
    private static Outcome[] race(Path config, int pauses, String... options) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("analyze", "--config", config.toString(), "--format", "json"));
        arguments.addAll(List.of(options));
        Process first = start(arguments, PAUSE_MILLIS);
        StringBuilder firstErr = new StringBuilder();
        CountDownLatch paused = new CountDownLatch(pauses);
        Thread reader = new Thread(() -> read(first, firstErr, paused));
        reader.start();
        try {
            assertTrue(paused.await(120, TimeUnit.SECONDS), "the first run never paused: " + firstErr);
            Process second = start(arguments, 0);
            StringBuilder secondErr = new StringBuilder();
            Thread secondReader = new Thread(() -> read(second, secondErr, new CountDownLatch(0)));
            secondReader.start();
            assertTrue(second.waitFor(180, TimeUnit.SECONDS), "the second run did not end");
            assertTrue(first.waitFor(180, TimeUnit.SECONDS), "the first run did not end");
            reader.join();
            secondReader.join();
            return new Outcome[] {new Outcome(first.exitValue(), firstErr.toString()),
                    new Outcome(second.exitValue(), secondErr.toString())};
        } finally {
            first.destroyForcibly();
        }
    }

    private static Process start(List<String> arguments, long pauseMillis) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath));
        if (pauseMillis > 0) {
            command.add("-D" + DuckDbWarehouse.PAUSE_BEFORE_COMMIT_PROPERTY + "=" + pauseMillis);
        }
        command.add("dev.pulse.cli.PulseCli");
        command.addAll(arguments);
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Collects the child's stderr, counting down {@code paused} at each announced pause. */
    private static void read(Process child, StringBuilder err, CountDownLatch paused) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (err) {
                    err.append(line).append('\n');
                }
                if (line.startsWith(DuckDbWarehouse.PAUSE_MARKER)) {
                    paused.countDown();
                }
            }
        } catch (IOException e) {
            err.append(e);
        }
    }

    /** The demo's tables in PostgreSQL schema {@code schema}, and its config with {@code warehouseLines} added. */
    private static Path postgresDemo(String schema, String warehouseLines) throws IOException {
        SCHEMAS.add(schema);
        WarehouseConfig server = postgres();
        ServerConnection connection = server.server().orElseThrow();
        List<String> args = new ArrayList<>(List.of("demo", "--dir", folder.resolve(schema).toString(), "--orgs", "300",
                "--engine", "postgres", "--url", connection.url(), "--password-env", "PGPASSWORD", "--schema", schema));
        connection.user().ifPresent(user -> args.addAll(List.of("--user", user)));
        CliTest.Run demo = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, demo.code(), demo.err());
        Path config = folder.resolve(schema).resolve("pulse.yaml");
        String yaml = Files.readString(config);
        assertTrue(yaml.contains("  engine: postgres\n"), yaml);
        Files.writeString(config, yaml.replace("  engine: postgres\n", "  engine: postgres\n" + warehouseLines));
        return config;
    }

    /** The test server of {@code PULSE_TEST_PG_URL} (as {@link PostgresCliTest}): skipped without one, unless required. */
    private static WarehouseConfig postgres() {
        String url = System.getenv("PULSE_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            if (System.getenv("PULSE_REQUIRE_POSTGRES") != null) {
                fail("PULSE_REQUIRE_POSTGRES is set but PULSE_TEST_PG_URL is not: no PostgreSQL to test against");
            }
            Assumptions.abort("no PostgreSQL: set PULSE_TEST_PG_URL (and PULSE_TEST_PG_USER, PGPASSWORD) or run .ci/run");
        }
        return WarehouseConfig.postgres(new ServerConnection(url, Optional.ofNullable(System.getenv("PULSE_TEST_PG_USER")),
                Optional.of("PGPASSWORD")));
    }

    private static long count(Warehouse warehouse, String sql) {
        return ((Number) warehouse.query(sql).rows().get(0).get("n")).longValue();
    }
}
