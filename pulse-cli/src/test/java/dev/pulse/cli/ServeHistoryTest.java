package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.analysis.MetricFamilies;
import dev.pulse.analysis.MomentsFetcher;
import dev.pulse.cli.serve.PulseServer;
import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse serve}'s run history over HTTP on the demo data: past runs read from the results table (and after a
 * restart), this app's runs without one, the comparison of a run with the previous one against the JSON of
 * {@code pulse analyze} on each config and the table's rows, the links from each metric to its SQL, and a missing
 * or older table.
 */
class ServeHistoryTest {
    @TempDir
    static Path folder;

    static Path demo;

    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void makeDemo() throws IOException {
        demo = folder.resolve("demo");
        ReportCliTest.Run run = ReportCliTest.run("demo", "--dir", demo.toString(), "--orgs", "300");
        assertEquals(0, run.code(), run.err());
        withoutCuped(demo);
    }

    /** The demo's config without its CUPED (and the bias check on CUPED's days), which the second run adds. */
    static void withoutCuped(Path demo) throws IOException {
        Path config = demo.resolve("pulse.yaml");
        Files.writeString(config, ReportCliTest.withoutDemoOptions(Files.readString(config), "cuped", "bias_check"));
    }

    @Test
    void theHistoryReadsTheResultsTableAndComparesTheLatestRunWithThePreviousOne() throws Exception {
        String warehouse = "warehouse: {database: history.duckdb, results_table: pulse_results}\n";
        Path config = demo.resolve("history.yaml");
        Files.writeString(config, warehouse + Files.readString(demo.resolve("pulse.yaml")));
        JsonNode plain = json(demo.resolve("pulse.yaml"), folder.resolve("plain.json"));
        Path cuped = ServeCommandTest.withSlowExperiment(demo, "history-cuped-plain.yaml", "    cuped: {lookback_days: 3}\n");
        JsonNode adjusted = json(cuped, folder.resolve("cuped.json"));
        String first;
        String second;
        try (PulseServer server = serve(config)) {
            Document empty = get(server, "/experiments/pricing_v2/history");
            assertTrue(empty.text().contains("Cannot read the results table pulse_results"), empty.text());
            assertNotNull(empty.selectFirst("[role=alert][data-problem]"), empty.html());

            first = finish(server, start(server, "pricing_v2"));
            // the config changes between the runs: pricing_v2 gains CUPED, so its figures move
            Files.writeString(config, warehouse + Files.readString(cuped));
            second = finish(server, start(server, "pricing_v2"));

            Document history = get(server, "/experiments/pricing_v2/history");
            assertEquals(List.of("table", "table"), history.select("table.history tbody tr").eachAttr("data-source"));
            assertTrue(history.text().contains("Runs read from the results table pulse_results"), history.text());
            assertEquals(List.of(second, first), history.select("table.history tbody tr th a[href^=/runs/]").eachAttr("href"));
            checkComparison(history, adjusted, plain);
            checkHistoryRows(history, List.of(adjusted, plain));
            checkSqlLinks(server, history, config);
        }
        // the table holds the latest run, with the figures the page showed
        Map<String, Double> table = new HashMap<>();
        try (Warehouse duckdb = DuckDbWarehouse.open(WarehouseConfig.duckDb(demo.resolve("history.duckdb")))) {
            QueryResult rows = duckdb.query("SELECT metric, group_name, statistic, value FROM pulse_results"
                    + " WHERE experiment = 'pricing_v2' AND metric IS NOT NULL AND group_name = 'treatment'");
            rows.rows().forEach(row -> table.put(row.getString("metric") + "/" + row.getString("statistic"),
                    row.getDouble("value")));
        }
        // after a restart, the history starts from the table: its latest run, with no report of this app
        try (PulseServer server = serve(config)) {
            Document history = get(server, "/experiments/pricing_v2/history");
            Element run = history.selectFirst("table.history tbody tr");
            assertEquals(1, history.select("table.history tbody tr").size(), history.html());
            assertEquals("table", run.attr("data-source"));
            assertTrue(run.select("th a[href^=/runs/]").isEmpty(), run.html());
            checkHistoryRows(history, List.of(adjusted));
            for (Element metric : run.select("li[data-group=treatment]")) {
                String name = metric.attr("data-metric");
                // CUPED-adjusted where the metric has CUPED (a funnel has none)
                String prefix = table.containsKey(name + "/cuped_p_value") ? name + "/cuped_" : name + "/";
                assertEquals(table.get(prefix + "relative_estimate"), value(metric, "lift"), name);
                assertEquals(table.get(prefix + "relative_ci_lower"), value(metric, "lower"), name);
                assertEquals(table.get(prefix + "p_value"), value(metric, "p-value"), name);
                assertEquals(table.get(name + "/decision_significant") == 1.0,
                        metric.text().contains("significant"), name);
            }
            assertTrue(history.text().contains("Nothing to compare"), history.text());
        }
        // a scheduled pulse analyze replaces the table's run; the app's next run replaces it again, but the app read
        // it just before, so the history keeps it
        ReportCliTest.Run scheduled = ReportCliTest.run("analyze", "--config", config.toString(), "--experiment", "pricing_v2");
        assertEquals(0, scheduled.code(), scheduled.err());
        try (PulseServer server = serve(config)) {
            String run = finish(server, start(server, "pricing_v2"));
            Document history = get(server, "/experiments/pricing_v2/history");
            List<Element> rows = history.select("table.history tbody tr");
            assertEquals(2, rows.size(), history.html());
            assertEquals(List.of(run), rows.get(0).select("th a[href^=/runs/]").eachAttr("href"));
            assertTrue(rows.get(1).select("th a[href^=/runs/]").isEmpty(), rows.get(1).html());
            checkHistoryRows(history, List.of(adjusted, adjusted));
        }
    }

    @Test
    void withoutAResultsTableTheHistoryIsThisAppsRunsAndSaysWhatKeepsIt() throws Exception {
        Path config = demo.resolve("memory.yaml");
        Files.writeString(config, Files.readString(demo.resolve("pulse.yaml")));
        JsonNode plain = json(config, folder.resolve("memory.json"));
        try (PulseServer server = serve(config)) {
            String first = finish(server, start(server, "pricing_v2"));
            String second = finish(server, start(server, "pricing_v2"));
            Document history = get(server, "/experiments/pricing_v2/history");
            assertTrue(history.text().contains("This config has no results table"), history.text());
            assertTrue(history.text().contains("set warehouse.results_table"), history.text());
            assertEquals(List.of("app", "app"), history.select("table.history tbody tr").eachAttr("data-source"));
            assertEquals(List.of(second, first), history.select("table.history tbody tr th a[href^=/runs/]").eachAttr("href"));
            checkComparison(history, plain, plain);
            // the same data twice: nothing changed (but in the last bits of a sum), shown unsigned, nothing highlighted
            for (Element change : history.select("#comparison [data-name$=-change]")) {
                assertEquals(0.0, Double.parseDouble(change.attr("data-value")), 1e-12, change.outerHtml());
                assertTrue(change.text().matches("0(\\.0+)?( pp)?"), change.outerHtml());
            }
            assertTrue(history.select("#comparison tr.changed").isEmpty(), history.html());
            // the older run compared with the one before it: there is none
            Document older = get(server, "/experiments/pricing_v2/history?run=app-" + first.substring("/runs/".length()));
            assertTrue(older.text().contains("Nothing to compare"), older.text());
            // the list links every experiment to its history; a finished run links to its history and its SQL
            Document list = get(server, "/");
            assertEquals("/experiments/pricing_v2/history", list.selectFirst("tr[data-experiment=pricing_v2] a.history").attr("href"));
            Document report = get(server, second);
            assertNotNull(report.selectFirst("nav.pulse-serve a[href=/experiments/pricing_v2/history]"), report.html());
            assertNotNull(report.selectFirst("nav.pulse-serve a[href=" + second + "/sql]"), report.html());
            assertEquals(404, CLIENT.send(request(server, "/experiments/nope/history"), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
        }
    }

    @Test
    void aResultsTableOfAnOlderLayoutIsAClearMessageNotACrash() throws Exception {
        try (Warehouse duckdb = DuckDbWarehouse.open(WarehouseConfig.duckDb(demo.resolve("old.duckdb")))) {
            duckdb.execute("CREATE TABLE old_results (run_id VARCHAR, experiment VARCHAR, value DOUBLE)");
        }
        Path config = demo.resolve("old.yaml");
        Files.writeString(config, "warehouse: {database: old.duckdb, results_table: old_results}\n"
                + Files.readString(demo.resolve("pulse.yaml")));
        try (PulseServer server = serve(config)) {
            HttpResponse<String> response = CLIENT.send(request(server, "/experiments/pricing_v2/history"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            Element alert = Jsoup.parse(response.body()).selectFirst("[role=alert][data-problem]");
            assertNotNull(alert, response.body());
            assertTrue(alert.text().contains("The results table old_results has another layout than this version of Pulse"
                    + " writes: it lacks the columns run_at, metric, group_name, statistic"), alert.text());
        }
    }

    /**
     * The comparison on {@code page} shows {@code current}'s figures against {@code previous}'s (the JSON of each
     * run), and each change is their difference.
     */
    static void checkComparison(Document page, JsonNode current, JsonNode previous) {
        Element comparison = page.selectFirst("#comparison");
        assertNotNull(comparison, page.html());
        int rows = 0;
        for (Element row : comparison.select("table.comparison tbody tr")) {
            JsonNode now = comparison(current, row.attr("data-metric"), row.attr("data-group"));
            JsonNode before = comparison(previous, row.attr("data-metric"), row.attr("data-group"));
            for (String[] figure : new String[][] {{"lift", "estimate"}, {"lower", "ci_lower"}, {"upper", "ci_upper"}}) {
                double expected = decision(now).get("relative").get(figure[1]).asDouble();
                double was = decision(before).get("relative").get(figure[1]).asDouble();
                assertClose(expected, value(row, figure[0]), row.attr("data-metric") + " " + figure[0]);
                assertClose(was, value(row, figure[0] + "-previous"), row.attr("data-metric") + " " + figure[0]);
                assertClose(expected - was, value(row, figure[0] + "-change"), row.attr("data-metric") + " " + figure[0]);
            }
            assertClose(decision(now).get("p_value").asDouble(), value(row, "p-value"));
            assertClose(decision(before).get("p_value").asDouble(), value(row, "p-value-previous"));
            assertEquals(now.get("control_units").asDouble(), value(row, "control-units"));
            assertEquals(now.get("treatment_units").asDouble(), value(row, "treatment-units"));
            boolean significant = significant(now);
            boolean wasSignificant = significant(before);
            String flip = row.selectFirst("[data-flip]").attr("data-flip");
            assertEquals(significant == wasSignificant ? "same" : significant ? "significant" : "not-significant", flip);
            assertEquals(significant != wasSignificant, row.hasClass("changed"), row.outerHtml());
            rows++;
        }
        assertEquals(comparisons(current), rows, comparison.html());
        for (JsonNode group : current.get("groups")) {
            Element row = comparison.selectFirst("table.units tr[data-group=" + group.get("name").asText() + "]");
            assertEquals(group.get("units").asDouble(), value(row, "units"), group.toString());
        }
        assertClose(current.get("srm").get("p_value").asDouble(), value(comparison.selectFirst("tr[data-srm]"), "srm-p-value"));
        assertClose(previous.get("srm").get("p_value").asDouble(),
                value(comparison.selectFirst("tr[data-srm]"), "srm-p-value-previous"));
    }

    /** The history table's rows, newest first, show the figures of {@code runs} (each run's JSON). */
    static void checkHistoryRows(Document page, List<JsonNode> runs) {
        List<Element> rows = page.select("table.history tbody tr");
        assertEquals(runs.size(), rows.size(), page.html());
        for (int i = 0; i < runs.size(); i++) {
            List<Element> metrics = rows.get(i).select("li[data-metric]");
            assertEquals(comparisons(runs.get(i)), metrics.size(), rows.get(i).html());
            for (Element metric : metrics) {
                JsonNode json = comparison(runs.get(i), metric.attr("data-metric"), metric.attr("data-group"));
                assertClose(decision(json).get("relative").get("estimate").asDouble(), value(metric, "lift"));
                assertClose(decision(json).get("relative").get("ci_lower").asDouble(), value(metric, "lower"));
                assertClose(decision(json).get("relative").get("ci_upper").asDouble(), value(metric, "upper"));
                assertClose(decision(json).get("p_value").asDouble(), value(metric, "p-value"));
            }
        }
    }

    /**
     * Each metric's link goes to a section of a SQL page that names the metric's columns, whose lines are marked
     * in the statement; the statement is the one {@code pulse sql} prints for {@code config}.
     */
    private static void checkSqlLinks(PulseServer server, Document history, Path config) throws Exception {
        PulseConfig loaded = ConfigLoader.load(config);
        ExperimentName experiment = new ExperimentName("pricing_v2");
        String expected = MomentsFetcher.sql(loaded, experiment).stripTrailing() + ";";
        List<Element> links = history.select("#comparison a[href*=#metric-]");
        assertFalse(links.isEmpty(), history.html());
        for (Element link : links) {
            String[] target = link.attr("href").split("#", 2);
            Document sql = get(server, target[0]);
            Element section = sql.getElementById(target[1]);
            assertNotNull(section, link.attr("href") + ": " + sql.html());
            List<String> columns = section.select("p code").eachText();
            String metric = section.selectFirst("h3").text();
            List<MetricFamilies.Statement> own = MetricFamilies.statements(loaded, experiment, new MetricName(metric));
            // a percentile or funnel metric: its own statement, as pulse sql prints it; else its columns
            assertEquals(own.stream().map(statement -> statement.sql().stripTrailing() + ";").toList(),
                    section.select("pre.sql").eachText().stream().toList(), metric);
            assertEquals(own.isEmpty(), !columns.isEmpty(), section.html());
            List<String> lines = section.select("a[href^=#s1-L]").eachAttr("href");
            for (String line : lines) {
                Element marked = sql.getElementById(line.substring(1));
                assertTrue(columns.stream().anyMatch(marked.text()::contains), marked.text() + " names none of " + columns);
            }
            // the link marks this metric's lines, and only those
            assertEquals(lines, sql.select("span.line:has(mark)").eachAttr("id").stream().map(id -> "#" + id).toList(),
                    metric);
            String statement = sql.select("#statement-1 ~ pre span.line").stream()
                    .map(line -> line.wholeText().substring(5)).collect(Collectors.joining("\n"));
            assertEquals(expected, statement.replaceAll("\n$", ""));
        }
    }

    private static JsonNode comparison(JsonNode experiment, String metric, String group) {
        for (JsonNode m : experiment.get("metrics")) {
            if (m.get("metric").asText().equals(metric)) {
                for (JsonNode c : m.get("comparisons")) {
                    if (c.get("group").asText().equals(group)) {
                        return c;
                    }
                }
            }
        }
        throw new AssertionError("no comparison " + metric + "/" + group + " in " + experiment);
    }

    private static int comparisons(JsonNode experiment) {
        int count = 0;
        for (JsonNode metric : experiment.get("metrics")) {
            count += metric.get("comparisons").size();
        }
        return count;
    }

    /** The comparison decisions are made on: CUPED-adjusted when present. */
    private static JsonNode decision(JsonNode comparison) {
        return comparison.has("cuped") ? comparison.get("cuped") : comparison;
    }

    private static boolean significant(JsonNode comparison) {
        return comparison.has("correction") ? comparison.get("correction").get("significant").asBoolean()
                : decision(comparison).get("significant").asBoolean();
    }

    static double value(Element scope, String name) {
        Element number = scope.selectFirst("[data-name=" + name + "]");
        assertNotNull(number, name + " in " + scope.outerHtml());
        return Double.parseDouble(number.attr("data-value"));
    }

    /**
     * The app's figure against a figure of another run of the same data, to 1e-12 relative: DuckDB's parallel sums
     * can differ in their last bits from one run to the next.
     */
    static void assertClose(double expected, double actual, String... what) {
        assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)), String.join(" ", what));
    }

    /** The JSON of {@code pulse analyze} on {@code config}'s pricing_v2. */
    static JsonNode json(Path config, Path out) throws IOException {
        ReportCliTest.Run analyze = ReportCliTest.run("analyze", "--config", config.toString(), "--experiment", "pricing_v2",
                "--format", "json", "--out", out.toString());
        assertEquals(0, analyze.code(), analyze.err());
        return new ObjectMapper().readTree(out.toFile()).get("experiments").get(0);
    }

    private static PulseServer serve(Path config) {
        return ServeCommand.start(config, InetAddress.getLoopbackAddress(), 0);
    }

    private static HttpRequest request(PulseServer server, String path) {
        return HttpRequest.newBuilder(server.uri().resolve(path)).GET().build();
    }

    static Document get(PulseServer server, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(request(server, path), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return Jsoup.parse(response.body());
    }

    static String start(PulseServer server, String experiment) throws IOException, InterruptedException {
        HttpResponse<String> started = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/run?experiment=" + experiment))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, started.statusCode(), started.body());
        return started.headers().firstValue("Location").orElseThrow();
    }

    /** Waits for the run to end and checks that it is done; returns its path. */
    static String finish(PulseServer server, String run) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (true) {
            Document page = get(server, run);
            if (page.select("meta[http-equiv=refresh]").isEmpty()) {
                assertEquals("done", page.selectFirst("nav.pulse-serve").attr("data-status"), page.html());
                return run;
            }
            assertTrue(System.nanoTime() < deadline, run + " still running after 90 s");
            Thread.sleep(100);
        }
    }
}
