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
 * Metric windows, dimensions and daily results end to end on the demo data, with the configs of
 * docs/metric-windows.md, docs/dimensions.md and docs/daily-results.md.
 */
class WindowsDimensionsDailyCliTest {
    @TempDir
    static Path folder;

    private static final String SOURCES = """
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
              revenue_per_user:
                type: ratio
                numerator:   {source: events, agg: sum, value: revenue}
                denominator: {source: events, agg: count_distinct, value: user_id}
              purchasing_orgs: {type: unit_count, source: events, filter: "event = 'purchase'"}
              purchased_in_week_3:
                type: unit_count
                source: events
                filter: "event = 'purchase'"
                window: {start_days: 14, end_days: 21}
            experiments:
              pricing_v2:
                assignment: exposures
                unit: org_id
                control: control
                groups: {control: 0.5, treatment: 0.5}
                start: 2026-03-01
                end: 2026-03-28
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
    static void makeDemo() {
        Run demo = run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
    }

    private static Path config(String name, String experimentLines) throws IOException {
        Path file = folder.resolve("demo").resolve(name);
        Files.writeString(file, SOURCES + experimentLines);
        return file;
    }

    @Test
    void aWindowedMetricReportsItsExcludedUnitsAndUsesItsOwnN() throws IOException {
        Path file = config("windows.yaml", "    metrics: [purchasing_orgs, purchased_in_week_3]\n");
        Run run = run("analyze", "--config", file.toString(), "--format", "json");
        assertEquals(0, run.code(), run.err());
        JsonNode experiment = new ObjectMapper().readTree(run.out()).get("experiments").get(0);
        JsonNode windowed = experiment.get("metrics").get(1);
        long excluded = windowed.get("excluded_units_window_open").asLong();
        assertTrue(excluded > 0, run.out());
        long units = experiment.get("groups").get(0).get("units").asLong() + experiment.get("groups").get(1).get("units").asLong();
        JsonNode comparison = windowed.get("comparisons").get(0);
        assertEquals(units - excluded, comparison.get("control_units").asLong() + comparison.get("treatment_units").asLong());
        assertTrue(experiment.get("metrics").get(0).get("excluded_units_window_open") == null);
    }

    @Test
    void dimensionsFromTheDemoExposures() throws IOException {
        Path file = config("dimensions.yaml",
                "    metrics: [revenue_per_user]\n    dimensions: [country, platform]\n    dimension_values: 3\n");
        Run run = run("analyze", "--config", file.toString(), "--format", "json");
        assertEquals(0, run.code(), run.err());
        JsonNode experiment = new ObjectMapper().readTree(run.out()).get("experiments").get(0);
        JsonNode dimensions = experiment.get("dimensions");
        // 3 countries + (other); web, ios, android
        assertEquals(7, dimensions.size(), run.out());
        assertEquals("(other)", dimensions.get(3).get("value").asText());
        long total = 0;
        for (int i = 0; i < 4; i++) {
            for (JsonNode group : dimensions.get(i).get("groups")) {
                total += group.get("units").asLong();
            }
        }
        assertEquals(experiment.get("groups").get(0).get("units").asLong()
                + experiment.get("groups").get(1).get("units").asLong(), total);
        assertTrue(experiment.get("warnings").toString().contains("exploratory"), run.out());
    }

    @Test
    void aDimensionTheAssignmentSourceLacksIsAWarehouseError() throws IOException {
        Path file = config("continent.yaml", "    metrics: [revenue_per_user]\n    dimensions: [continent]\n");
        Run run = run("analyze", "--config", file.toString());
        assertEquals(3, run.code(), run.out());
        assertTrue(run.err().contains("source 'exposures'"), run.err());
        assertTrue(run.err().contains("continent"), run.err());
    }

    @Test
    void dailyResultsEndAtTheFullResult() throws IOException {
        Path file = config("daily.yaml", "    metrics: [revenue_per_user, purchased_in_week_3]\n    timeseries: true\n");
        Run run = run("analyze", "--config", file.toString(), "--format", "json");
        assertEquals(0, run.code(), run.err());
        JsonNode metric = new ObjectMapper().readTree(run.out()).get("experiments").get(0).get("metrics").get(0);
        JsonNode comparison = metric.get("comparisons").get(0);
        JsonNode series = comparison.get("timeseries");
        assertEquals(28, series.size());
        assertEquals("2026-03-01", series.get(0).get("date").asText());
        JsonNode last = series.get(27);
        assertEquals("2026-03-28", last.get("date").asText());
        assertEquals(comparison.get("control_units").asLong(), last.get("control_units").asLong());
        double expected = comparison.get("relative").get("estimate").asDouble();
        assertEquals(expected, last.get("relative").get("estimate").asDouble(), 1e-12 * Math.abs(expected));
        // a windowed metric has no series
        JsonNode windowed = new ObjectMapper().readTree(run.out()).get("experiments").get(0).get("metrics").get(1);
        assertTrue(windowed.get("comparisons").get(0).get("timeseries") == null);

        Run sql = run("sql", "--config", file.toString(), "--experiment", "pricing_v2");
        assertEquals(0, sql.code(), sql.err());
        // the daily results come from the experiment's one statement
        assertTrue(sql.out().contains("\"pulse_unit_days\" AS ("), sql.out());
        assertEquals(1, sql.out().split(";\\s*(\\n|$)", -1).length - 1, sql.out());
    }

    /** CSV carries what the JSON has: the window's excluded units, the dimension rows and the daily rows. */
    @Test
    void csvHasTheWindowDimensionAndDailyRowsOfTheJson() throws IOException {
        Path file = config("all.yaml", "    metrics: [revenue_per_user, purchased_in_week_3]\n"
                + "    dimensions: [platform]\n    timeseries: true\n");
        Run json = run("analyze", "--config", file.toString(), "--format", "json");
        Run csv = run("analyze", "--config", file.toString(), "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        JsonNode experiment = new ObjectMapper().readTree(json.out()).get("experiments").get(0);
        String[] lines = csv.out().split("\r\n");
        java.util.List<String> header = java.util.List.of(lines[0].split(",", -1));
        java.util.List<java.util.Map<String, String>> rows = new java.util.ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1); // the demo's cells hold no commas or quotes
            assertEquals(header.size(), cells.length, lines[i]);
            java.util.Map<String, String> row = new java.util.HashMap<>();
            for (int c = 0; c < cells.length; c++) {
                row.put(header.get(c), cells[c]);
            }
            rows.add(row);
        }
        var full = rows.stream().filter(row -> row.get("dimension").isEmpty() && row.get("date").isEmpty()).toList();
        var sliced = rows.stream().filter(row -> !row.get("dimension").isEmpty()).toList();
        var daily = rows.stream().filter(row -> !row.get("date").isEmpty()).toList();
        assertEquals(2, full.size(), csv.out());
        // the windowed metric's excluded units, empty for the other
        assertEquals(experiment.get("metrics").get(1).get("excluded_units_window_open").asText(),
                full.get(1).get("excluded_units_window_open"));
        assertEquals("", full.get(0).get("excluded_units_window_open"));
        // per platform value, both metrics, that value's SRM p-value
        JsonNode dimensions = experiment.get("dimensions");
        assertEquals(2 * dimensions.size(), sliced.size(), csv.out());
        for (int i = 0; i < dimensions.size(); i++) {
            JsonNode slice = dimensions.get(i);
            var row = sliced.get(2 * i);
            assertEquals(slice.get("value").asText(), row.get("dimension_value"));
            assertEquals(slice.get("srm").get("p_value").asDouble(), Double.parseDouble(row.get("srm_p_value")));
            // two runs: DuckDB's parallel sums may differ in the last bits
            assertRelativelyClose(slice.get("metrics").get(0).get("comparisons").get(0).get("relative").get("estimate")
                    .asDouble(), Double.parseDouble(row.get("relative_estimate")));
        }
        // the series of the unwindowed metric, 28 days; the last equals the full row
        JsonNode series = experiment.get("metrics").get(0).get("comparisons").get(0).get("timeseries");
        assertEquals(series.size(), daily.size(), csv.out());
        assertEquals(28, daily.size());
        assertEquals("2026-03-28", daily.get(27).get("date"));
        assertRelativelyClose(series.get(27).get("relative").get("ci_lower").asDouble(),
                Double.parseDouble(daily.get(27).get("relative_ci_lower")));
        assertRelativelyClose(Double.parseDouble(full.get(0).get("relative_estimate")),
                Double.parseDouble(daily.get(27).get("relative_estimate")));
    }

    private static void assertRelativelyClose(double expected, double actual) {
        assertEquals(expected, actual, 1e-12 * Math.abs(expected));
    }
}
