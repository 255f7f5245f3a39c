package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's two example configs end to end: ID resolution (docs/id-resolution.md), checked against
 * plain SQL written independently against the Parquet files, and event-level outcomes
 * (docs/event-level-outcomes.md).
 */
class IdentityCliTest {
    @TempDir
    static Path folder;

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
        Run demo = run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "200");
        assertEquals(0, demo.code(), demo.err());
        assertTrue(demo.out().contains(folder.resolve("demo/id-resolution.yaml").toString()), demo.out());
    }

    @Test
    void idResolutionMatchesPlainSql() throws IOException {
        String config = folder.resolve("demo/id-resolution.yaml").toString();
        Run json = run("analyze", "--config", config, "--format", "json");
        assertEquals(0, json.code(), json.err());
        JsonNode experiment = new ObjectMapper().readTree(json.out()).get("experiments").get(0);
        JsonNode revenue = experiment.get("metrics").get(0);
        assertEquals("revenue", revenue.get("metric").asText());
        JsonNode comparison = revenue.get("comparisons").get(0);

        // Independently: counted devices; a user's links (logins before 03-29) to counted devices; users
        // whose devices are in two groups excluded; else the user's device is the one exposed first.
        Path data = folder.resolve("demo/data");
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            QueryResult rows = warehouse.query("""
                    WITH d AS (
                      SELECT stable_id, MIN(exposed_at) AS t0, MIN(variant) AS v
                      FROM read_parquet('%1$s/device_exposures.parquet')
                      WHERE experiment_name = 'checkout_v1' AND exposed_at >= TIMESTAMP '2026-03-01'
                        AND exposed_at < TIMESTAMP '2026-03-29'
                      GROUP BY stable_id HAVING COUNT(DISTINCT variant) = 1),
                    links AS (
                      SELECT DISTINCT i.user_id, d.stable_id, d.t0, d.v
                      FROM read_parquet('%1$s/identify.parquet') i JOIN d USING (stable_id)
                      WHERE i.ts < TIMESTAMP '2026-03-29'),
                    users AS (
                      SELECT user_id, COUNT(DISTINCT v) AS groups, FIRST(stable_id ORDER BY t0, stable_id) AS device
                      FROM links GROUP BY user_id),
                    e AS (
                      SELECT * FROM read_parquet('%1$s/events.parquet')
                      WHERE ts >= TIMESTAMP '2026-03-01' AND ts < TIMESTAMP '2026-03-29'),
                    per_device AS (
                      SELECT d.stable_id, d.v, COALESCE(SUM(e.revenue), 0) AS revenue
                      FROM d
                      LEFT JOIN users u ON u.device = d.stable_id AND u.groups = 1
                      LEFT JOIN e ON e.user_id = u.user_id AND e.ts >= d.t0
                      GROUP BY d.stable_id, d.v)
                    SELECT v, COUNT(*) AS n, AVG(revenue) AS mean,
                           (SELECT COUNT(*) FROM users WHERE groups > 1) AS conflicting_ids,
                           (SELECT COUNT(*) FROM e JOIN users u USING (user_id) WHERE u.groups > 1) AS conflicting_rows,
                           (SELECT COUNT(*) FROM e WHERE user_id NOT IN (SELECT user_id FROM users)) AS unmapped_rows,
                           (SELECT COUNT(*) FROM d WHERE stable_id NOT IN
                              (SELECT device FROM users WHERE groups = 1)) AS without_ids
                    FROM per_device GROUP BY v ORDER BY v""".formatted(data));
            QueryResult.Row control = rows.rows().get(0);
            QueryResult.Row treatment = rows.rows().get(1);
            assertEquals(control.getLong("n"), comparison.get("control_units").asLong());
            assertEquals(treatment.getLong("n"), comparison.get("treatment_units").asLong());
            assertClose(control.getDouble("mean"), comparison.get("control_mean").asDouble());
            assertClose(treatment.getDouble("mean"), comparison.get("treatment_mean").asDouble());
            JsonNode excluded = experiment.get("excluded_ids");
            assertEquals(control.getLong("conflicting_ids"), excluded.get("conflicting_groups").get("ids").asLong());
            assertEquals(control.getLong("conflicting_rows"), excluded.get("conflicting_groups").get("rows").asLong());
            assertEquals(control.getLong("unmapped_rows"), excluded.get("unmapped").get("rows").asLong());
            assertEquals(control.getLong("without_ids"), experiment.get("id_mapping").get("units_without_ids").asLong());
            // the demo has every case: users in both groups, users who never log in, anonymous devices
            assertTrue(control.getLong("conflicting_ids") > 0);
            assertTrue(control.getLong("unmapped_rows") > 0);
            assertTrue(control.getLong("without_ids") >= 200);
            assertEquals("identify", experiment.get("id_mapping").get("source").asText());
            assertEquals("user_id", experiment.get("id_mapping").get("id_type").asText());
        }

        Run table = run("analyze", "--config", config);
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("ID mapping via identify: "), table.out());
    }

    @Test
    void eventLevelOutcomesRunPerUser() throws IOException {
        Run json = run("analyze", "--config", folder.resolve("demo/event-level.yaml").toString(), "--format", "json");
        assertEquals(0, json.code(), json.err());
        JsonNode experiment = new ObjectMapper().readTree(json.out()).get("experiments").get(0);
        assertEquals("user_id", experiment.get("unit").asText());
        assertEquals(5, experiment.get("metrics").size());
        assertTrue(experiment.get("id_mapping") == null, "no mapping, no mapping fields");
        for (JsonNode metric : experiment.get("metrics")) {
            JsonNode comparison = metric.get("comparisons").get(0);
            assertTrue(comparison.get("absolute").get("std_error").isNumber(), metric.get("metric").asText());
        }
    }

    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)));
    }
}
