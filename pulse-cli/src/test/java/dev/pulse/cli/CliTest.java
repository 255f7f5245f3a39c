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

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI end to end on the demo data: exit codes, outputs, and numbers checked against plain SQL. */
class CliTest {
    @TempDir
    static Path folder;

    static Path config;
    static Run demo;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PulseCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void makeDemo() {
        demo = run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "400");
        config = folder.resolve("demo/pulse.yaml");
    }

    @Test
    void demoAnalysesAndContrastsWithTheNaiveAnalysis() throws IOException {
        assertEquals(0, demo.code(), demo.err());
        assertTrue(demo.out().contains("Experiment pricing_v2"), demo.out());
        assertTrue(demo.out().contains("revenue_per_user"), demo.out());
        assertTrue(demo.out().contains("naive t-test (users as independent units)"), demo.out());
        assertTrue(demo.out().contains("./pulse analyze --config"), demo.out());
        assertTrue(Files.exists(folder.resolve("demo/data/events.parquet")));
        assertTrue(Files.exists(folder.resolve("demo/results.json")));
        // written through a temporary file, but an ordinary file in the end: readable by others
        assertTrue(Files.getPosixFilePermissions(folder.resolve("demo/results.json"))
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ));
    }

    @Test
    void analyzeJsonMatchesPlainSqlOnTheSameFiles() throws IOException {
        Run run = run("analyze", "--config", config.toString(), "--format", "json");
        assertEquals(0, run.code(), run.err());
        assertEquals("", run.err(), "no progress line when not on a terminal");
        JsonNode experiment = new ObjectMapper().readTree(run.out()).get("experiments").get(0);
        assertEquals("pricing_v2", experiment.get("experiment").asText());
        assertEquals("org_id", experiment.get("unit").asText());
        assertEquals("duckdb", experiment.get("engine").asText());
        assertEquals("2026-03-01", experiment.get("start").asText());
        assertEquals("2026-03-28", experiment.get("end").asText());
        JsonNode comparison = experiment.get("metrics").get(0).get("comparisons").get(0);
        assertEquals("revenue_per_user", experiment.get("metrics").get(0).get("metric").asText());
        assertEquals("treatment", comparison.get("group").asText());
        for (String field : new String[] {"estimate", "std_error", "ci_lower", "ci_upper"}) {
            assertTrue(comparison.get("absolute").get(field).isNumber(), field);
            assertTrue(comparison.get("relative").get(field).isNumber(), field);
        }

        // Independently: revenue per user as Σ revenue / Σ distinct users over orgs exposed to exactly one
        // group, rows in [first exposure, 2026-03-29), written by hand against the Parquet files.
        Path data = folder.resolve("demo/data");
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            QueryResult rows = warehouse.query("""
                    WITH x AS (
                      SELECT org_id, MIN(exposed_at) AS t0, MIN(variant) AS v, COUNT(DISTINCT variant) AS k
                      FROM read_parquet('%1$s/exposures.parquet')
                      WHERE experiment_name = 'pricing_v2' AND exposed_at >= TIMESTAMP '2026-03-01' AND exposed_at < TIMESTAMP '2026-03-29'
                      GROUP BY org_id),
                    o AS (
                      SELECT x.org_id, x.v, COALESCE(SUM(e.revenue), 0) AS rev, COUNT(DISTINCT e.user_id) AS users
                      FROM x LEFT JOIN read_parquet('%1$s/events.parquet') e
                        ON e.org_id = x.org_id AND e.ts >= x.t0 AND e.ts < TIMESTAMP '2026-03-29'
                      WHERE x.k = 1 GROUP BY x.org_id, x.v)
                    SELECT v, COUNT(*) AS n, SUM(rev) / SUM(users) AS value,
                           (SELECT COUNT(*) FROM x WHERE k > 1) AS multiple
                    FROM o GROUP BY v ORDER BY v""".formatted(data));
            QueryResult.Row control = rows.rows().get(0);
            QueryResult.Row treatment = rows.rows().get(1);
            assertClose(control.getDouble("value"), comparison.get("control_mean").asDouble());
            assertClose(treatment.getDouble("value"), comparison.get("treatment_mean").asDouble());
            assertEquals(control.getLong("n"), comparison.get("control_units").asLong());
            assertEquals(treatment.getLong("n"), comparison.get("treatment_units").asLong());
            assertEquals(control.getLong("multiple"), experiment.get("excluded_units").get("multiple_groups").asLong());
            assertTrue(control.getLong("multiple") > 0, "the demo has orgs exposed to both groups");
            assertClose(treatment.getDouble("value") - control.getDouble("value"),
                    comparison.get("absolute").get("estimate").asDouble());
        }
    }

    @Test
    void csvAndTableFormats() {
        Run csv = run("analyze", "--config", config.toString(), "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        String[] lines = csv.out().split("\r\n");
        assertTrue(lines[0].startsWith("experiment,metric,type,group,control,"), lines[0]);
        // a row per metric and treatment (9 metrics, one treatment), and one more for the funnel's step; the demo's
        // daily results and dimension values add rows with a date or a dimension value
        // (the last columns are dimension, dimension_value, date, step: empty but for the step row's step)
        assertTrue(lines[0].endsWith(",dimension,dimension_value,date,step"), lines[0]);
        long overall = java.util.Arrays.stream(lines).skip(1).filter(line -> line.matches(".*,,,,[^,\"]*")).count();
        assertEquals(9 + 1, overall, csv.out());
        Run table = run("analyze", "--config", config.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("SRM check: passed"), table.out());
    }

    @Test
    void sqlPrintsOneStatement() {
        Run run = run("sql", "--config", config.toString(), "--experiment", "pricing_v2");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("read_parquet"), run.out());
        assertTrue(run.out().contains("VAR_SAMP"), run.out());
    }

    @Test
    void validateReportsValidConfig() {
        Run run = run("validate", "--config", config.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("is valid"), run.out());
    }

    /** {@code pulse schema} prints the schema editors use, the one checked in as schema/pulse.schema.json. */
    @Test
    void schemaPrintsTheCheckedInSchema() throws IOException {
        Run run = run("schema");
        assertEquals(0, run.code(), run.err());
        assertEquals(Files.readString(Path.of("..", "schema", "pulse.schema.json")), run.out());
        assertTrue(run.out().contains("\"$schema\": \"http://json-schema.org/draft-07/schema#\""), run.out());
    }

    @Test
    void badConfigExitsTwoWithPositionAndWritesNothing() throws IOException {
        Path bad = folder.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(config).replace("metrics:\n  # Revenue", "metircs:\n  # Revenue"));
        Path out = folder.resolve("never.json");
        Run run = run("analyze", "--config", bad.toString(), "--format", "json", "--out", out.toString());
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("bad.yaml:"), run.err());
        assertTrue(run.err().contains("did you mean 'metrics'?"), run.err());
        assertFalse(Files.exists(out));
        Run validate = run("validate", "--config", bad.toString());
        assertEquals(2, validate.code());
    }

    @Test
    void warehouseFailureExitsThreeNamingTheSource() throws IOException {
        Path broken = folder.resolve("demo/broken.yaml");
        Files.writeString(broken, Files.readString(config).replace("data/events.parquet", "data/missing.parquet"));
        Path out = folder.resolve("never2.json");
        Run run = run("analyze", "--config", broken.toString(), "--out", out.toString());
        assertEquals(3, run.code(), run.err());
        assertTrue(run.err().contains("events"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --verbose: " + run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownExperimentIsBadInput() {
        Run run = run("analyze", "--config", config.toString(), "--experiment", "pricing_v3");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("pricing_v3"), run.err());
    }

    @Test
    void badArgumentsAreBadInput() {
        assertEquals(2, run("analyze").code());
        assertEquals(2, run("analyze", "--config", config.toString(), "--format", "xml").code());
    }

    @Test
    void statsFromSums() throws IOException {
        Path input = folder.resolve("sums.json");
        Files.writeString(input, """
                {"alpha": 0.05, "control": "control",
                 "metrics": [{"metric": "revenue", "type": "sum",
                   "groups": [{"name": "control", "n": 4, "sum_x": 10, "sum_x2": 30},
                              {"name": "treatment", "n": 4, "sum_x": 14, "sum_x2": 54}]}]}""");
        Run run = run("stats", "--input", input.toString(), "--format", "json");
        assertEquals(0, run.code(), run.err());
        JsonNode comparison = new ObjectMapper().readTree(run.out()).get("metrics").get(0).get("comparisons").get(0);
        // Control x = 1,2,3,4 (Σ 10, Σx² 30): mean 2.5, s² = 5/3; treatment Σ 14, Σx² 54: mean 3.5, s² = (54 − 49)/3 = 5/3.
        // Δ = 1, SE = √(5/12 + 5/12) = √(5/6), ν = 6 (equal variances and sizes).
        assertClose(1.0, comparison.get("absolute").get("estimate").asDouble());
        assertClose(Math.sqrt(5.0 / 6.0), comparison.get("absolute").get("std_error").asDouble());
        assertClose(3.5 / 2.5 - 1, comparison.get("relative").get("estimate").asDouble());

        Files.writeString(input, "{\"control\": \"control\", \"metrics\": [}");
        Run bad = run("stats", "--input", input.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("sums.json:1:"), bad.err());
    }

    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)));
    }
}
