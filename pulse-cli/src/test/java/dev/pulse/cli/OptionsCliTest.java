package dev.pulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analysis options of issue 3 wired end to end: config → SQL → statistics → JSON, table and
 * {@code pulse stats}. The statistics themselves are checked against independent numbers in
 * pulse-stats; here the checks are the wiring, recomputed by hand from the plain figures.
 */
class OptionsCliTest {
    @TempDir
    static Path folder;

    static Path config;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PulseCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void makeDemoWithOptions() throws IOException {
        Run demo = run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "600");
        assertEquals(0, demo.code(), demo.err());
        config = folder.resolve("demo/options.yaml");
        // the demo's own CUPED line makes way for this test's (the same: 3 days)
        String yaml = ReportCliTest.withoutDemoOptions(Files.readString(folder.resolve("demo/pulse.yaml")), "cuped")
                .replace("  purchases:          {type: count, source: events, filter: \"event = 'purchase'\"}",
                        "  purchases:          {type: count, source: events, filter: \"event = 'purchase'\", direction: increase}")
                .replace("  active_users:", "  p90_purchase:       {type: percentile, source: events, value: revenue, percentile: 0.9,"
                        + " filter: \"event = 'purchase'\"}\n  active_users:")
                .replace("orgs_spending_100]", "orgs_spending_100, p90_purchase]")
                .replace("    alpha: 0.05\n", """
                            alpha: 0.05
                            cuped: {lookback_days: 3}
                            correction: holm
                            sequential: {min_units: 50}
                            method: bayesian
                            prior: {mean: 0, sd: 0.5}
                        """);
        Files.writeString(config, yaml);
    }

    @Test
    void everyOptionAppearsInTheJson() throws IOException {
        Run run = run("analyze", "--config", config.toString(), "--format", "json");
        assertEquals(0, run.code(), run.err());
        JsonNode metrics = new ObjectMapper().readTree(run.out()).get("experiments").get(0).get("metrics");
        assertEquals(10, metrics.size());

        List<Double> decisionP = new ArrayList<>();
        for (JsonNode metric : metrics) {
            JsonNode comparison = metric.get("comparisons").get(0);
            JsonNode cuped = comparison.get("cuped");
            if (List.of("percentile", "funnel").contains(metric.get("type").asText())) {
                assertNull(cuped, metric.get("metric").asText()); // CUPED applies to neither quantiles nor funnels
                decisionP.add(comparison.get("p_value").asDouble());
            } else {
                assertNotNull(cuped, metric.get("metric").asText());
                assertEquals(3, cuped.get("lookback_days").asInt());
                decisionP.add(cuped.get("p_value").asDouble());
            }
            assertNotNull(comparison.get("sequential").get("relative").get("ci_lower"));
            double chance = comparison.get("bayesian").get("chance_to_beat_control").asDouble();
            assertTrue(chance >= 0 && chance <= 1);
            assertEquals(0.5, comparison.get("bayesian").get("prior").get("sd").asDouble());
        }
        // revenue per user: orgs' pre-period revenue predicts their revenue after exposure
        JsonNode revenuePerUser = metrics.get(0).get("comparisons").get(0);
        assertTrue(revenuePerUser.get("cuped").get("variance_reduction").asDouble() > 0.1,
                revenuePerUser.get("cuped").toString());
        assertTrue(revenuePerUser.get("cuped").get("absolute").get("std_error").asDouble()
                < revenuePerUser.get("absolute").get("std_error").asDouble());

        // Holm over the family of the 10 decision p-values, by its definition: sorted ascending,
        // p̃_(i) = min(1, max_{j<=i} (m − j + 1)·p_(j)).
        int m = decisionP.size();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble(decisionP::get));
        double[] holm = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order.get(rank);
            running = Math.max(running, Math.min(1, (m - rank) * decisionP.get(i)));
            holm[i] = running;
        }
        for (int i = 0; i < m; i++) {
            JsonNode correction = metrics.get(i).get("comparisons").get(0).get("correction");
            assertEquals("holm", correction.get("method").asText());
            assertEquals(m, correction.get("family_size").asInt());
            assertEquals(holm[i], correction.get("p_value").asDouble(), 1e-12);
            assertEquals(0.05 / m, correction.get("ci_alpha").asDouble(), 1e-15);
        }

        // one-sided metric: direction recorded and the plain interval's upper end unbounded
        JsonNode purchases = metrics.get(2);
        assertEquals("increase", purchases.get("direction").asText());
        JsonNode absolute = purchases.get("comparisons").get(0).get("absolute");
        assertTrue(absolute.get("ci_upper").isNull());
        assertTrue(absolute.get("ci_upper_unbounded").asBoolean());
        assertFalse(absolute.get("ci_lower").isNull());
    }

    @Test
    void percentileMetricIsTheGroupsDiscreteQuantile() throws IOException {
        Run run = run("analyze", "--config", config.toString(), "--format", "json");
        JsonNode p90 = new ObjectMapper().readTree(run.out()).get("experiments").get(0).get("metrics").get(9);
        assertEquals("p90_purchase", p90.get("metric").asText());
        JsonNode comparison = p90.get("comparisons").get(0);
        // independently: the 0.9 discrete quantile of purchase revenue in the counted orgs' windows
        Path data = folder.resolve("demo/data");
        try (var warehouse = dev.pulse.warehouse.DuckDbWarehouse.open(dev.pulse.model.WarehouseConfig.inMemoryDuckDb())) {
            var rows = warehouse.query("""
                    WITH x AS (
                      SELECT org_id, MIN(exposed_at) AS t0, MIN(variant) AS v, COUNT(DISTINCT variant) AS k
                      FROM read_parquet('%1$s/exposures.parquet')
                      WHERE experiment_name = 'pricing_v2' AND exposed_at >= TIMESTAMP '2026-03-01' AND exposed_at < TIMESTAMP '2026-03-29'
                      GROUP BY org_id)
                    SELECT x.v, QUANTILE_DISC(e.revenue, 0.9) AS q
                    FROM x JOIN read_parquet('%1$s/events.parquet') e
                      ON e.org_id = x.org_id AND e.ts >= x.t0 AND e.ts < TIMESTAMP '2026-03-29'
                    WHERE x.k = 1 AND e.event = 'purchase' AND e.revenue IS NOT NULL
                    GROUP BY x.v ORDER BY x.v""".formatted(data));
            assertEquals(rows.rows().get(0).getDouble("q"), comparison.get("control_mean").asDouble(), 0.0);
            assertEquals(rows.rows().get(1).getDouble("q"), comparison.get("treatment_mean").asDouble(), 0.0);
        }
        assertTrue(comparison.get("absolute").get("std_error").asDouble() > 0);
    }

    @Test
    void tableShowsTheOptions() {
        Run run = run("analyze", "--config", config.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("CUPED: values, lifts and p-values are regression-adjusted with a 3-day pre-period"), run.out());
        assertTrue(run.out().contains("p-values corrected (holm) over 10 comparisons"), run.out());
        assertTrue(run.out().contains("always-valid relative CI"), run.out());
        assertTrue(run.out().contains("Bayesian: chance to beat control"), run.out());
        assertTrue(run.out().contains("purchases (>)"), run.out());
        Run csv = run("analyze", "--config", config.toString(), "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        assertTrue(csv.out().split("\r\n")[0].contains("cuped_variance_reduction"));
    }

    @Test
    void statsAcceptsTheOptions() throws IOException {
        Path input = folder.resolve("sums.json");
        // Two Y≡1 metrics, 4 units each; revenue: control 1,2,3,4 / treatment Σ14, Σx² 54 (p ≈ 0.2947
        // two-sided); clicks identical in both groups (p = 1). Bonferroni: p̃ = min(1, 2p).
        Files.writeString(input, """
                {"alpha": 0.05, "control": "control", "correction": "bonferroni", "method": "bayesian",
                 "sequential": {"min_units": 2},
                 "metrics": [
                   {"metric": "revenue", "type": "sum", "direction": "increase",
                    "groups": [{"name": "control", "n": 4, "sum_x": 10, "sum_x2": 30},
                               {"name": "treatment", "n": 4, "sum_x": 14, "sum_x2": 54}]},
                   {"metric": "clicks", "type": "sum",
                    "groups": [{"name": "control", "n": 4, "sum_x": 10, "sum_x2": 30},
                               {"name": "treatment", "n": 4, "sum_x": 10, "sum_x2": 30}]}]}""");
        Run run = run("stats", "--input", input.toString(), "--format", "json");
        assertEquals(0, run.code(), run.err());
        JsonNode metrics = new ObjectMapper().readTree(run.out()).get("metrics");
        JsonNode revenue = metrics.get(0).get("comparisons").get(0);
        assertEquals("increase", metrics.get(0).get("direction").asText());
        double p = revenue.get("p_value").asDouble();
        // one-sided: t = 1/√(5/6) = 1.0954 on ν = 6 → P(T_6 > 1.0954) = 0.15769 (Student t table, ν = 6)
        assertEquals(0.15769, p, 5e-5);
        assertEquals(Math.min(1, 2 * p), revenue.get("correction").get("p_value").asDouble(), 1e-12);
        assertEquals(1.0, metrics.get(1).get("comparisons").get(0).get("correction").get("p_value").asDouble(), 1e-12);
        assertNotNull(revenue.get("bayesian").get("chance_to_beat_control"));
        assertNotNull(revenue.get("sequential"));

        Files.writeString(input, """
                {"control": "control", "correction": "bonferoni",
                 "metrics": [{"metric": "m", "type": "sum", "groups": [{"name": "control", "n": 2, "sum_x": 1, "sum_x2": 1},
                   {"name": "t", "n": 2, "sum_x": 1, "sum_x2": 1}]}]}""");
        Run bad = run("stats", "--input", input.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("correction: expected one of none, bonferroni, holm, benjamini_hochberg"), bad.err());
    }
}
