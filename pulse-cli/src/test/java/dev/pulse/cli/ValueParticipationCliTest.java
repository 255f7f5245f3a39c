package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.cli.WindowsDimensionsDailyCliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * first_value, latest_value and participation metrics end to end on the demo data: the table, JSON, CSV and
 * HTML report show them, {@code pulse power} plans them, and a refused option is a config error at its line.
 */
class ValueParticipationCliTest {
    @TempDir
    static Path folder;

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
              last_purchase: {type: latest_value, source: events, value: revenue, filter: "event = 'purchase'"}
              first_purchase: {type: first_value, source: events, value: revenue, filter: "event = 'purchase'"}
              active_days: {type: participation, source: events}
            experiments:
              pricing_v2:
                assignment: exposures
                unit: org_id
                control: control
                groups: {control: 0.5, treatment: 0.5}
                start: 2026-03-01
                end: 2026-03-28
                metrics: [last_purchase, first_purchase, active_days]
            """;

    private static Path config;

    @BeforeAll
    static void makeDemo() throws IOException {
        Run demo = WindowsDimensionsDailyCliTest.run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
        config = folder.resolve("demo").resolve("values.yaml");
        Files.writeString(config, CONFIG);
    }

    @Test
    void everyOutputFormatShowsTheMetrics() throws IOException {
        Run json = WindowsDimensionsDailyCliTest.run("analyze", "--config", config.toString(), "--format", "json");
        assertEquals(0, json.code(), json.err());
        JsonNode metrics = new ObjectMapper().readTree(json.out()).get("experiments").get(0).get("metrics");
        assertEquals("latest_value", metrics.get(0).get("type").asText());
        assertEquals("first_value", metrics.get(1).get("type").asText());
        assertEquals("participation", metrics.get(2).get("type").asText());
        JsonNode withValue = metrics.get(0).get("units_with_value");
        long units = withValue.get("control").asLong() + withValue.get("treatment").asLong();
        assertTrue(units > 0, json.out());
        assertTrue(metrics.get(2).get("units_with_value") == null, json.out());
        for (JsonNode metric : metrics) {
            JsonNode comparison = metric.get("comparisons").get(0);
            assertTrue(comparison.get("p_value").isNumber(), metric.toString());
        }
        double participation = metrics.get(2).get("comparisons").get(0).get("control_mean").asDouble();
        assertTrue(participation > 0 && participation <= 1, json.out());

        Run table = WindowsDimensionsDailyCliTest.run("analyze", "--config", config.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("last_purchase") && table.out().contains("active_days"), table.out());
        assertTrue(table.out().contains("Units with a value of last_purchase: control "), table.out());

        Run csv = WindowsDimensionsDailyCliTest.run("analyze", "--config", config.toString(), "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        assertTrue(csv.out().contains("\r\npricing_v2,first_purchase,first_value,treatment,control,"), csv.out());
        assertTrue(csv.out().contains("\r\npricing_v2,active_days,participation,treatment,control,"), csv.out());

        Path report = folder.resolve("report.html");
        Run html = WindowsDimensionsDailyCliTest.run("analyze", "--config", config.toString(), "--report", report.toString());
        assertEquals(0, html.code(), html.err());
        String page = Files.readString(report);
        assertTrue(page.contains("active_days") && page.contains("Units with a value of first_purchase"), page);
    }

    @Test
    void powerPlansTheMetrics() {
        Run power = WindowsDimensionsDailyCliTest.run("power", "--config", config.toString(), "--experiment",
                "pricing_v2", "--from", "2026-03-01", "--to", "2026-03-28", "--format", "json");
        assertEquals(0, power.code(), power.err());
        assertTrue(power.out().contains("\"type\":\"participation\"") || power.out().contains("\"type\" : \"participation\""),
                power.out());
    }

    @Test
    void aRefusedOptionIsAConfigErrorAtItsLine() throws IOException {
        Path bad = folder.resolve("demo").resolve("bad.yaml");
        Files.writeString(bad, CONFIG.replace("active_days: {type: participation, source: events}",
                "active_days: {type: participation, source: events, window: {start_days: 0, end_days: 7}}"));
        Run run = WindowsDimensionsDailyCliTest.run("analyze", "--config", bad.toString());
        assertEquals(2, run.code(), run.out());
        assertTrue(run.err().contains("bad.yaml:15:62 metrics.active_days.window: window is not supported for a"
                + " participation metric"), run.err());
    }
}
