package dev.pulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pulse analyze} writing the staging and results tables into a DuckDB file database over the
 * demo data: the tables agree with the JSON results, a failed write exits 3 and changes nothing, and a
 * run killed inside its write transaction leaves the previous results complete.
 */
class TablesCliTest {
    private static final double TOLERANCE = 1e-12;

    @TempDir
    static Path folder;

    static Path demoConfig;

    @BeforeAll
    static void makeDemo() {
        CliTest.Run demo = CliTest.run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
        demoConfig = folder.resolve("demo/pulse.yaml");
    }

    /** The demo config with a warehouse section, in the demo folder (so its relative paths still resolve). */
    private static Path config(String name, String warehouse) throws IOException {
        Path file = folder.resolve("demo").resolve(name + ".yaml");
        Files.writeString(file, "warehouse: " + warehouse + "\n" + Files.readString(demoConfig));
        return file;
    }

    private static Warehouse open(Path database) {
        return DuckDbWarehouse.open(WarehouseConfig.duckDb(database));
    }

    @Test
    void theTablesAgreeWithTheJsonResults() throws IOException {
        Path config = config("tables", "{database: tables.duckdb, results_table: pulse_results}");
        CliTest.Run run = CliTest.run("analyze", "--config", config.toString(), "--format", "json", "--materialize");
        assertEquals(0, run.code(), run.err());
        JsonNode comparison = new ObjectMapper().readTree(run.out())
                .get("experiments").get(0).get("metrics").get(0).get("comparisons").get(0);
        try (Warehouse warehouse = open(folder.resolve("demo/tables.duckdb"))) {
            // staging: the group values recomputed from the per-org numerators and denominators
            QueryResult groups = warehouse.query("""
                    SELECT group_name, COUNT(*) AS n,
                           SUM(revenue_per_user__numerator) / SUM(revenue_per_user__denominator) AS value
                    FROM pulse_staging_pricing_v2 GROUP BY group_name ORDER BY group_name""");
            QueryResult.Row control = groups.rows().get(0);
            QueryResult.Row treatment = groups.rows().get(1);
            assertEquals("control", control.getString("group_name"));
            assertEquals(comparison.get("control_units").asLong(), control.getLong("n"));
            assertEquals(comparison.get("treatment_units").asLong(), treatment.getLong("n"));
            assertClose(comparison.get("control_mean").asDouble(), control.getDouble("value"));
            assertClose(comparison.get("treatment_mean").asDouble(), treatment.getDouble("value"));

            // results: the same figures as the JSON, in long form
            QueryResult figures = warehouse.query("""
                    SELECT statistic, value FROM pulse_results
                    WHERE experiment = 'pricing_v2' AND metric = 'revenue_per_user' AND group_name = 'treatment'""");
            assertEquals(1, warehouse.query("SELECT COUNT(DISTINCT run_id) AS n FROM pulse_results").rows().get(0).getLong("n"));
            assertClose(comparison.get("absolute").get("estimate").asDouble(), figure(figures, "absolute_estimate"));
            assertClose(comparison.get("absolute").get("ci_lower").asDouble(), figure(figures, "absolute_ci_lower"));
            assertClose(comparison.get("relative").get("ci_upper").asDouble(), figure(figures, "relative_ci_upper"));
            assertClose(comparison.get("p_value").asDouble(), figure(figures, "p_value"));
        }
    }

    @Test
    void noTablesUnlessTheConfigAsks() throws IOException {
        Path config = config("no-tables", "{database: no-tables.duckdb}");
        CliTest.Run run = CliTest.run("analyze", "--config", config.toString(), "--format", "json");
        assertEquals(0, run.code(), run.err());
        try (Warehouse warehouse = open(folder.resolve("demo/no-tables.duckdb"))) {
            assertEquals(0, warehouse.query("SELECT COUNT(*) AS n FROM duckdb_tables()").rows().get(0).getLong("n"));
        }
    }

    @Test
    void aFailedWriteExitsThreeNamingTheTableAndChangesNothing() throws IOException {
        Path database = folder.resolve("demo/failing.duckdb");
        try (Warehouse warehouse = open(database)) {
            warehouse.execute("CREATE TABLE pulse_results (note VARCHAR)");
            warehouse.execute("INSERT INTO pulse_results VALUES ('mine')");
        }
        Path config = config("failing", "{database: failing.duckdb, results_table: pulse_results}");
        CliTest.Run run = CliTest.run("analyze", "--config", config.toString());
        assertEquals(3, run.code(), run.err());
        assertTrue(run.err().contains("cannot write results table pulse_results"), run.err());
        assertEquals("", run.out(), "no results are printed when the table write fails");
        try (Warehouse warehouse = open(database)) {
            assertEquals(List.of("mine"), warehouse.query("SELECT note FROM pulse_results").rows().stream()
                    .map(row -> row.getString("note")).toList());
        }
    }

    /**
     * A second run in a child JVM pauses inside its write transaction (the test hook
     * {@code pulse.test.pauseBeforeCommitMillis}) after deleting the previous rows and inserting its
     * own; it is killed there. The database must hold exactly the first run's rows.
     */
    @Test
    void aRunKilledWhileWritingLeavesThePreviousResultsComplete() throws Exception {
        Path database = folder.resolve("demo/crash.duckdb");
        Path config = config("crash", "{database: crash.duckdb, results_table: pulse_results}");
        CliTest.Run first = CliTest.run("analyze", "--config", config.toString());
        assertEquals(0, first.code(), first.err());
        String all = "SELECT run_id, CAST(run_at AS VARCHAR) AS run_at, experiment, metric, group_name, statistic, value "
                + "FROM pulse_results ORDER BY ALL";
        QueryResult before;
        try (Warehouse warehouse = open(database)) {
            before = warehouse.query(all);
        }
        assertTrue(before.rows().size() > 50, "the first run wrote its results");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath,
                "-Dpulse.test.pauseBeforeCommitMillis=120000", "dev.pulse.cli.PulseCli",
                "analyze", "--config", config.toString()));
        Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            CompletableFuture<String> paused = CompletableFuture.supplyAsync(() -> awaitMarker(child));
            String marker = paused.get(90, TimeUnit.SECONDS);
            assertTrue(marker.startsWith(DuckDbWarehouse.PAUSE_MARKER), marker);
            assertTrue(child.isAlive(), "the child is inside its write transaction");
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child was killed");
        }

        try (Warehouse warehouse = open(database)) {
            assertEquals(before.rows(), warehouse.query(all).rows(), "the first run's rows, all of them and nothing else");
        }
    }

    /** The child's stderr line announcing the pause (or everything it printed, if it never pauses). */
    static String awaitMarker(Process child) {
        StringBuilder seen = new StringBuilder();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                if (line.startsWith(DuckDbWarehouse.PAUSE_MARKER)) {
                    return line;
                }
                seen.append(line).append('\n');
            }
        } catch (IOException e) {
            seen.append(e);
        }
        return seen.toString();
    }

    private static double figure(QueryResult figures, String statistic) {
        return figures.rows().stream().filter(row -> row.getString("statistic").equals(statistic))
                .findFirst().orElseThrow(() -> new AssertionError("no " + statistic)).getDouble("value");
    }

    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)));
    }
}
