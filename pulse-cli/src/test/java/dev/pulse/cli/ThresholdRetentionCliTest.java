package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threshold and retention metrics end to end on the demo data, with the YAML of docs/metric-types.md:
 * the table, JSON, CSV and HTML report show them, a retention metric gives the numbers of the windowed
 * unit count it is defined as, and {@code pulse power} and {@code pulse stats} accept both types.
 */
class ThresholdRetentionCliTest {
    @TempDir
    static Path folder;

    private static Path config;

    private static final String CONFIG = """
            sources:
              events:
                path: data/events.parquet
                timestamp: ts
                ids: {org_id: org_id, user_id: user_id}
              exposures:
                path: data/exposures.parquet
                timestamp: exposed_at
                ids: {org_id: org_id}
                experiment: experiment_name
                group: variant
            metrics:
              big_spenders:
                type: threshold
                source: events
                aggregate: sum
                value: revenue
                threshold: 100
                comparison: ">="
              frequent_purchasers:
                type: threshold
                source: events
                aggregate: count
                filter: "event = 'purchase'"
                threshold: 2
                comparison: ">"
              week_3_retention:
                type: retention
                source: events
                start_days: 14
                end_days: 21
              active_in_week_3:
                type: unit_count
                source: events
                window: {start_days: 14, end_days: 21}
            experiments:
              pricing_v2:
                assignment: exposures
                unit: org_id
                control: control
                groups: {control: 0.5, treatment: 0.5}
                start: 2026-03-01
                end: 2026-03-28
                metrics: [big_spenders, frequent_purchasers, week_3_retention, active_in_week_3]
            """;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PulseCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void makeDemo() throws IOException {
        Run demo = run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
        config = folder.resolve("demo").resolve("threshold-retention.yaml");
        Files.writeString(config, CONFIG);
    }

    @Test
    void jsonAndTheReportShowBothTypesAndRetentionIsTheWindowedUnitCount() throws IOException {
        Path json = folder.resolve("results.json");
        Path html = folder.resolve("report.html");
        Run run = run("analyze", "--config", config.toString(), "--format", "json", "--out", json.toString(),
                "--report", html.toString());
        assertEquals(0, run.code(), run.err());
        JsonNode metrics = new ObjectMapper().readTree(json.toFile()).get("experiments").get(0).get("metrics");
        assertEquals("threshold", metrics.get(0).get("type").asText());
        assertEquals("threshold", metrics.get(1).get("type").asText());
        assertEquals("retention", metrics.get(2).get("type").asText());
        double share = metrics.get(0).get("comparisons").get(0).get("control_mean").asDouble();
        assertTrue(share > 0 && share < 1, "a share of units: " + share);
        // the same definition under two names: the same units left out, the same comparison
        JsonNode retention = metrics.get(2);
        JsonNode unitCount = metrics.get(3);
        assertTrue(retention.get("excluded_units_window_open").asLong() > 0, retention.toString());
        assertEquals(unitCount.get("excluded_units_window_open"), retention.get("excluded_units_window_open"));
        assertEquals(unitCount.get("comparisons"), retention.get("comparisons"));

        String page = Files.readString(html);
        for (String text : new String[] {"big_spenders", "frequent_purchasers", "week_3_retention", "threshold", "retention"}) {
            assertTrue(page.contains(text), text);
        }
    }

    @Test
    void theTableAndCsvShowBothTypes() {
        Run table = run("analyze", "--config", config.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("big_spenders"), table.out());
        assertTrue(table.out().contains("threshold"), table.out());
        assertTrue(table.out().contains("Metric window of week_3_retention:"), table.out());

        Run csv = run("analyze", "--config", config.toString(), "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        String[] lines = csv.out().split("\n");
        assertTrue(lines[0].contains("excluded_units_window_open"), lines[0]);
        assertTrue(csv.out().contains(",big_spenders,threshold,"), csv.out());
        assertTrue(csv.out().contains(",week_3_retention,retention,"), csv.out());
    }

    @Test
    void powerPlansBothTypesFromTheHistory() throws IOException {
        Run run = run("power", "--config", config.toString(), "--experiment", "pricing_v2", "--format", "json");
        assertEquals(0, run.code(), run.err());
        JsonNode metrics = new ObjectMapper().readTree(run.out()).get("metrics");
        assertEquals("threshold", metrics.get(0).get("type").asText());
        assertEquals("retention", metrics.get(2).get("type").asText());
        double mean = metrics.get(0).get("mean").asDouble();
        assertTrue(mean >= 0 && mean <= 1, run.out());
    }

    @Test
    void statsTakesBothTypes() throws IOException {
        Path input = folder.resolve("stats.json");
        Files.writeString(input, """
                {"alpha": 0.05, "control": "control",
                 "metrics": [{"metric": "big_spenders", "type": "threshold",
                   "groups": [{"name": "control", "n": 1000, "sum_x": 400, "sum_x2": 400},
                              {"name": "treatment", "n": 1000, "sum_x": 450, "sum_x2": 450}]},
                  {"metric": "d7_retention", "type": "retention",
                   "groups": [{"name": "control", "n": 800, "sum_x": 200, "sum_x2": 200},
                              {"name": "treatment", "n": 820, "sum_x": 230, "sum_x2": 230}]}]}
                """);
        Run run = run("stats", "--input", input.toString(), "--format", "json");
        assertEquals(0, run.code(), run.err());
        JsonNode metrics = new ObjectMapper().readTree(run.out()).get("metrics");
        assertEquals("threshold", metrics.get(0).get("type").asText());
        assertEquals(0.05, metrics.get(0).get("comparisons").get(0).get("absolute").get("estimate").asDouble(), 1e-12);
        assertEquals("retention", metrics.get(1).get("type").asText());
    }
}
