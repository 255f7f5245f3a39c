package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Arrays;
import java.util.List;

/**
 * A funnel metric end to end on the demo data: config → its own statement → the table, JSON, CSV and
 * {@code pulse sql} show the overall conversion and each step's (docs/metric-types.md#funnel, docs/cli.md).
 */
class FunnelCliTest {
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
    static void makeDemoWithFunnel() throws IOException {
        Run demo = run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
        config = folder.resolve("demo/funnel.yaml");
        String yaml = Files.readString(folder.resolve("demo/pulse.yaml"))
                .replace("  active_users:", String.join("\n",
                        "  checkout_funnel:",
                        "    type: funnel",
                        "    steps:",
                        "      - {name: viewed, source: events, filter: \"event = 'view'\"}",
                        "      - {name: bought, source: events, filter: \"event = 'purchase'\"}",
                        "      - {name: big_buy, source: events, filter: \"event = 'purchase' AND revenue > 20\"}",
                        "    window_days: 7",
                        "  active_users:"))
                .replace("orgs_spending_100]", "orgs_spending_100, checkout_funnel]");
        Files.writeString(config, yaml);
    }

    @Test
    void jsonCarriesTheOverallConversionAndItsSteps() throws IOException {
        Run run = run("analyze", "--config", config.toString(), "--format", "json");
        assertEquals(0, run.code(), run.err());
        JsonNode metrics = new ObjectMapper().readTree(run.out()).get("experiments").get(0).get("metrics");
        JsonNode funnel = metrics.get(metrics.size() - 1);
        assertEquals("checkout_funnel", funnel.get("metric").asText());
        assertEquals("funnel", funnel.get("type").asText());
        JsonNode overall = funnel.get("comparisons").get(0);
        double control = overall.get("control_mean").asDouble();
        assertTrue(control > 0 && control < 1, overall.toString());
        JsonNode steps = funnel.get("steps");
        assertEquals(2, steps.size());
        assertEquals("bought", steps.get(0).get("step").asText());
        assertEquals("big_buy", steps.get(1).get("step").asText());
        // the overall conversion is the product of the step conversions (denominator first_step)
        double product = steps.get(0).get("comparisons").get(0).get("control_mean").asDouble()
                * steps.get(1).get("comparisons").get(0).get("control_mean").asDouble();
        assertEquals(control, product, 1e-12);
        assertTrue(steps.get(0).get("comparisons").get(0).has("p_value"));
        // the other metrics have no steps
        assertTrue(!metrics.get(0).has("steps"));
    }

    @Test
    void tableAndCsvShowTheSteps() {
        Run table = run("analyze", "--config", config.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("checkout_funnel"), table.out());
        assertTrue(table.out().contains("  > bought"), table.out());
        assertTrue(table.out().contains("  > big_buy"), table.out());
        assertTrue(table.out().contains("> funnel steps: each step's conversion from the previous step"), table.out());

        Run csv = run("analyze", "--config", config.toString(), "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        List<String> lines = Arrays.asList(csv.out().split("\r\n"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int step = header.indexOf("step");
        assertEquals(header.size() - 1, step);
        // the experiment-wide rows: no dimension value, no date (the demo's dimension adds rows per country)
        assertTrue(lines.get(0).endsWith(",dimension,dimension_value,date,step"), lines.get(0));
        List<String> funnelRows = lines.stream().filter(line -> line.contains(",checkout_funnel,"))
                .filter(line -> line.matches(".*,,,,[^,\"]*")).toList();
        assertEquals(3, funnelRows.size(), csv.out());
        assertTrue(funnelRows.get(0).endsWith(","), funnelRows.get(0));
        assertTrue(funnelRows.get(1).endsWith(",bought"), funnelRows.get(1));
        assertTrue(funnelRows.get(2).endsWith(",big_buy"), funnelRows.get(2));
    }

    @Test
    void sqlShowsTheFunnelStatement() {
        Run sql = run("sql", "--config", config.toString(), "--experiment", "pricing_v2");
        assertEquals(0, sql.code(), sql.err());
        assertTrue(sql.out().contains("funnel metric 'checkout_funnel'"), sql.out());
        assertTrue(sql.out().contains("\"pulse_step_big_buy\" AS ("), sql.out());
    }

    @Test
    void reportShowsTheSteps() throws IOException {
        Path report = folder.resolve("report.html");
        Run run = run("analyze", "--config", config.toString(), "--report", report.toString());
        assertEquals(0, run.code(), run.err());
        String html = Files.readString(report);
        assertTrue(html.contains("checkout_funnel &gt; bought") || html.contains("checkout_funnel > bought"), html);
    }
}
