package dev.pulse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.cli.PulseCli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI on Spark: what a user sees when a table or file is missing, and the tables it writes. */
class SparkCliTest {
    @TempDir
    Path temp;

    @BeforeAll
    static void startSpark() {
        TestSpark.session();
    }

    private Path config(String events) throws IOException {
        return config(events, "");
    }

    private Path config(String events, String warehouse) throws IOException {
        Path file = temp.resolve("pulse.yaml");
        Files.writeString(file, """
                warehouse: {engine: spark, master: 'local[2]'%s}
                sources:
                  events: {%s, timestamp: ts, ids: {org_id: org}}
                  exposures: {table: pulse_cli_exposures, timestamp: ts, ids: {org_id: org}, experiment: exp_name, group: variant}
                metrics:
                  revenue: {type: sum, source: events, value: revenue}
                experiments:
                  exp: {assignment: exposures, unit: org_id, control: control, start: 2026-03-01, end: 2026-03-03, metrics: [revenue]}
                """.formatted(warehouse, events));
        TestSpark.session().sql("CREATE OR REPLACE TEMPORARY VIEW pulse_cli_exposures AS SELECT * FROM VALUES "
                + "('exp', 'control', 1, TIMESTAMP '2026-03-01 10:00:00'), ('exp', 'treat', 2, TIMESTAMP '2026-03-01 11:00:00') "
                + "AS t(exp_name, variant, org, ts)");
        return file;
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PulseCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aMissingFileIsAWarehouseErrorNamingIt() throws IOException {
        Path missing = temp.resolve("missing.parquet");
        Run run = run("analyze", "--config", config("path: " + missing).toString());
        assertEquals(3, run.code(), run.err());
        assertTrue(run.err().startsWith("error: "), run.err());
        assertTrue(run.err().contains("[PATH_NOT_FOUND]") && run.err().contains(missing.toString()), run.err());
        assertFalse(run.err().contains("== SQL"), "Spark's SQL excerpt is left out: " + run.err());
    }

    @Test
    void aMissingTableIsAWarehouseErrorNamingIt() throws IOException {
        Run run = run("analyze", "--config", config("table: analytics.no_such_events").toString());
        assertEquals(3, run.code(), run.err());
        assertTrue(run.err().contains("[TABLE_OR_VIEW_NOT_FOUND]") && run.err().contains("`analytics`.`no_such_events`"),
                run.err());
    }

    @Test
    void materializeWritesTheStagingTableOnSpark() throws IOException {
        TestSpark.session().sql("CREATE OR REPLACE TEMPORARY VIEW pulse_cli_events AS SELECT * FROM VALUES "
                + "(1, TIMESTAMP '2026-03-01 12:00:00', 5.0), (2, TIMESTAMP '2026-03-01 12:00:00', 7.0) AS t(org, ts, revenue)");
        TestSpark.session().sql("DROP DATABASE IF EXISTS pulse_cli_staging CASCADE");
        Path file = config("table: pulse_cli_events", ", staging_schema: pulse_cli_staging");
        for (int i = 0; i < 2; i++) {
            Run run = run("analyze", "--config", file.toString(), "--format", "csv", "--materialize");
            assertEquals(0, run.code(), run.err());
            assertTrue(run.out().contains("revenue"), run.out());
        }
        assertEquals(List.of("1 control 5.0", "2 treat 7.0"), TestSpark.session().sql("SELECT unit_id, group_name, "
                + "revenue__numerator FROM pulse_cli_staging.pulse_staging_exp ORDER BY unit_id").collectAsList().stream()
                .map(row -> row.get(0) + " " + row.get(1) + " " + row.get(2)).toList());
        assertEquals(List.of("pulse_staging_exp"), TestSpark.session().sql("SHOW TABLES IN pulse_cli_staging")
                .where("NOT isTemporary").collectAsList().stream().map(row -> row.getString(1)).toList(),
                "the re-run left no table beside it");
    }

    @Test
    void analyzeWritesTheResultsTableOnSpark() throws IOException {
        TestSpark.session().sql("CREATE OR REPLACE TEMPORARY VIEW pulse_cli_events AS SELECT * FROM VALUES "
                + "(1, TIMESTAMP '2026-03-01 12:00:00', 5.0), (2, TIMESTAMP '2026-03-01 12:00:00', 7.0) AS t(org, ts, revenue)");
        Path file = config("table: pulse_cli_events", ", results_table: pulse_cli_db.pulse_results");
        for (int i = 0; i < 2; i++) {
            Run run = run("analyze", "--config", file.toString(), "--format", "csv");
            assertEquals(0, run.code(), run.err());
        }
        assertEquals(1, TestSpark.session().sql("SELECT DISTINCT run_id FROM pulse_cli_db.pulse_results").count(),
                "the second run replaced the first");
        assertEquals(7.0, TestSpark.session().sql("SELECT value FROM pulse_cli_db.pulse_results WHERE experiment = 'exp' "
                + "AND metric = 'revenue' AND group_name = 'treat' AND statistic = 'mean'").first().getDouble(0));
    }

    @Test
    void theDefaultJarHasNoSpark() throws IOException {
        Path jar = Path.of("..", "pulse-cli", "target", "pulse.jar");
        assertTrue(Files.exists(jar), jar + " is missing: build with mvn -pl pulse-spark -am verify");
        try (JarFile file = new JarFile(jar.toFile())) {
            assertTrue(file.stream().noneMatch(entry -> entry.getName().startsWith("org/apache/spark/")
                    || entry.getName().startsWith("dev/pulse/spark/")), "Spark classes in " + jar);
            assertTrue(file.stream().anyMatch(entry -> entry.getName().equals("dev/pulse/cli/PulseCli.class")));
        }
    }
}
