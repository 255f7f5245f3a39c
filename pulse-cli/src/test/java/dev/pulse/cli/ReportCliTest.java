package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.output.Formats;
import dev.pulse.stats.Interval;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report end to end on the demo data: the page is parsed and its figures are checked
 * against the JSON of the same run, formatted as the report formats them.
 */
class ReportCliTest {
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
              purchasing_orgs: {type: unit_count, source: events, filter: "event = 'purchase'", direction: increase}
            experiments:
              pricing_v2:
                assignment: exposures
                unit: org_id
                control: control
                start: 2026-03-01
                end: 2026-03-28
                metrics: [revenue_per_user, purchasing_orgs]
            """;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PulseCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run demo;

    @BeforeAll
    static void makeDemo() {
        demo = run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
    }

    /**
     * The demo's config without some of the options it turns on for its report ({@code cuped}, {@code bias_check},
     * {@code timeseries}, {@code dimensions}, {@code roles}, {@code planned_units}): each is one line of pricing_v2,
     * removed here (and checked to be there), so that a test can set its own.
     */
    static String withoutDemoOptions(String yaml, String... keys) {
        String result = yaml;
        for (String key : keys) {
            java.util.regex.Matcher line = java.util.regex.Pattern.compile("(?m)^    " + key + ": .*\\n").matcher(result);
            assertTrue(line.find(), "the demo config has no '" + key + "' line");
            result = line.replaceFirst("");
        }
        return result;
    }

    private static Path config(String name, String experimentLines) throws IOException {
        Path file = folder.resolve("demo").resolve(name);
        Files.writeString(file, SOURCES + experimentLines);
        return file;
    }

    /** Runs analyze with --format json --out and --report, and returns the JSON's first experiment and the page. */
    private static Report analyze(Path config) throws IOException {
        Path json = folder.resolve(config.getFileName() + ".json");
        Path html = folder.resolve(config.getFileName() + ".html");
        Run run = run("analyze", "--config", config.toString(), "--format", "json", "--out", json.toString(),
                "--report", html.toString());
        assertEquals(0, run.code(), run.err());
        return new Report(new ObjectMapper().readTree(json.toFile()).get("experiments").get(0), Jsoup.parse(html.toFile()),
                Files.readString(html));
    }

    record Report(JsonNode experiment, Document page, String html) {
    }

    @Test
    void theDemoReportShowsTheNumbersOfItsJson() throws IOException {
        Path folderOfDemo = folder.resolve("demo");
        assertTrue(demo.out().contains("The HTML report: " + folderOfDemo.resolve("report.html").toAbsolutePath()), demo.out());
        JsonNode experiment = new ObjectMapper().readTree(folderOfDemo.resolve("results.json").toFile()).get("experiments").get(0);
        Document page = Jsoup.parse(folderOfDemo.resolve("report.html").toFile());
        assertEquals("en", page.select("html").attr("lang"));
        assertTrue(page.title().contains("pricing_v2"));
        checkAgainstJson(experiment, page);
        assertTrue(experiment.get("srm").get("passed").asBoolean());
        assertEquals(1, page.select("[data-srm=passed]").size());
        assertTrue(page.select(".srm-failed").isEmpty());
        assertEquals(String.format(Locale.ROOT, "Excluded units: %,d in more than one group, %,d in an unlisted group.",
                        experiment.get("excluded_units").get("multiple_groups").asLong(),
                        experiment.get("excluded_units").get("unknown_group").asLong()),
                page.selectFirst("p.excluded").text());
        assertTrue(page.selectFirst("details.sql code").text().contains("SELECT"));
        selfContained(page, Files.readString(folderOfDemo.resolve("report.html")));
        everySvgIsLabelled(page);
    }

    @Test
    void theSrmBannerAppearsExactlyWhenTheCheckFails() throws IOException {
        Report wrong = analyze(config("srm-wrong.yaml", "    groups: {control: 0.8, treatment: 0.2}\n"));
        assertFalse(wrong.experiment().get("srm").get("passed").asBoolean(), wrong.experiment().toString());
        Element banner = wrong.page().selectFirst(".srm-failed");
        assertTrue(banner != null, wrong.html());
        assertTrue(banner.text().contains("Sample ratio mismatch"));
        assertTrue(banner.text().contains("p = " + Formats.pValue(wrong.experiment().get("srm").get("p_value").asDouble())));
        assertTrue(wrong.page().select("[data-srm=passed]").isEmpty());
        checkAgainstJson(wrong.experiment(), wrong.page());

        Report right = analyze(config("srm-right.yaml", "    groups: {control: 0.5, treatment: 0.5}\n"));
        assertTrue(right.experiment().get("srm").get("passed").asBoolean());
        assertTrue(right.page().select(".srm-failed").isEmpty());
        assertEquals(1, right.page().select("[data-srm=passed]").size());
    }

    @Test
    void dailyResultsDimensionsAndOptionsAreShown() throws IOException {
        Report report = analyze(config("everything.yaml", """
                    groups: {control: 0.5, treatment: 0.5}
                    timeseries: true
                    dimensions: [country, platform]
                    dimension_values: 3
                    correction: holm
                    sequential: {min_units: 100}
                """));
        Document page = report.page();
        checkAgainstJson(report.experiment(), page);
        // one chart of the cumulative lift per metric and treatment, with its band, one of both groups' values, and a
        // table of their days
        assertEquals(2, page.select("figure.lift svg").size(), report.html());
        for (Element chart : page.select("figure.lift svg")) {
            assertFalse(chart.selectFirst("polyline").attr("points").isBlank());
            assertFalse(chart.selectFirst("polygon.band").attr("points").isBlank());
            assertTrue(chart.selectFirst("desc") != null);
        }
        assertEquals(2, page.select("figure.means svg").size(), report.html());
        for (Element chart : page.select("figure.means svg")) {
            assertEquals(2, chart.select("polyline").size());
            assertTrue(chart.selectFirst("desc") != null);
        }
        assertEquals(28, page.selectFirst("section.daily table.days").select("tbody tr").size());
        // by days since exposure: a lift chart with its band and caption per metric and treatment, and a table of its
        // 28 points (k = 0 … 27), the units and lifts of the JSON's days_since_exposure
        assertEquals(2, page.select("figure.since-exposure svg[role=img]").size(), report.html());
        for (Element chart : page.select("figure.since-exposure svg")) {
            assertFalse(chart.selectFirst("polyline").attr("points").isBlank());
            assertFalse(chart.selectFirst("polygon.band").attr("points").isBlank());
            assertTrue(chart.selectFirst("desc").text().startsWith("Line: relative lift of each unit's value through"));
        }
        JsonNode byExposureDay = report.experiment().get("metrics").get(0).get("comparisons").get(0)
                .get("days_since_exposure");
        List<Element> points = page.selectFirst("section.daily table.since-exposure").select("tbody tr");
        assertEquals(28, points.size());
        for (int k = 0; k < points.size(); k++) {
            JsonNode point = byExposureDay.get(k);
            assertEquals(String.valueOf(k), points.get(k).attr("data-days-since-exposure"));
            assertEquals(String.format(Locale.ROOT, "%,d / %,d", point.get("control_units").asLong(),
                    point.get("treatment_units").asLong()), points.get(k).select("td").get(0).text());
            assertEquals(Formats.signedPercent(point.get("relative").get("estimate").isNull() ? null
                    : point.get("relative").get("estimate").asDouble()), points.get(k).select("td").get(3).text());
        }
        // the health section's charts: new units per day, the SRM p-value by day
        assertEquals(2, page.select("section.health figure svg[role=img]").size());
        assertEquals(28, page.select("section.health table.health-days tbody tr").size());
        // the one-sided metric's interval runs to +inf: an arrow at the end of its chart
        Element oneSided = page.selectFirst("tr[data-metric=purchasing_orgs]");
        assertTrue(oneSided.selectFirst("td.relative-interval").text().endsWith("+inf]"), oneSided.outerHtml());
        assertEquals(1, oneSided.select("td.chart path").size());
        assertTrue(oneSided.selectFirst("td.p-value").text().contains("(adj.)"));
        assertTrue(page.text().contains("p-values adjusted (holm) over 2 comparisons"), page.text());
        assertTrue(page.text().contains("sequential (always-valid) relative interval"));
        // the drill-down: one collapsible section per dimension
        assertEquals(2, page.select("details.dimension").size());
        assertEquals("By country", page.selectFirst("details.dimension summary").text());
        JsonNode firstValue = report.experiment().get("dimensions").get(0);
        Element firstTable = page.selectFirst("details.dimension table");
        assertTrue(firstTable.selectFirst("caption").text().startsWith("country = " + firstValue.get("value").asText()));
        JsonNode relative = firstValue.get("metrics").get(0).get("comparisons").get(0).get("relative");
        assertEquals(Formats.signedPercent(relative.get("estimate").asDouble()), firstTable.selectFirst("td.lift").text());
        selfContained(page, report.html());
        everySvgIsLabelled(page);
    }

    /** A percentile metric is broken down like the others: the drill-down shows each value's comparison of the JSON. */
    @Test
    void percentileMetricsAreInTheDrillDown() throws IOException {
        Path file = folder.resolve("demo").resolve("percentile-dimensions.yaml");
        Files.writeString(file, SOURCES
                .replace("  purchasing_orgs: {", "  p90_purchase: {type: percentile, source: events, value: revenue,"
                        + " percentile: 0.9, filter: \"event = 'purchase'\"}\n  purchasing_orgs: {")
                .replace("metrics: [revenue_per_user, purchasing_orgs]", "metrics: [revenue_per_user, p90_purchase]")
                + "    dimensions: [country, platform]\n    dimension_values: 3\n");
        Report report = analyze(file);
        Document page = report.page();
        checkAgainstJson(report.experiment(), page);
        JsonNode values = report.experiment().get("dimensions");
        List<Element> tables = page.select("details.dimension table");
        assertEquals(values.size(), tables.size());
        int percentileRows = 0;
        for (int i = 0; i < values.size(); i++) {
            JsonNode value = values.get(i);
            Element table = tables.get(i);
            assertTrue(table.selectFirst("caption").text().startsWith(value.get("dimension").asText() + " = "
                    + value.get("value").asText() + ":"), table.selectFirst("caption").text());
            List<Element> rows = table.select("tbody tr");
            int row = 0;
            for (JsonNode metric : value.get("metrics")) {
                for (JsonNode comparison : metric.get("comparisons")) {
                    Element cells = rows.get(row++);
                    assertEquals(metric.get("metric").asText(), cells.selectFirst("th").text());
                    JsonNode relative = comparison.get("relative");
                    assertEquals(Formats.signedPercent(number(relative.get("estimate"))), cells.selectFirst("td.lift").text());
                    assertEquals(Formats.interval(interval(relative), true), cells.select("td").get(2).text());
                    assertEquals(Formats.pValue(number(comparison.get("p_value"))), cells.select("td").get(3).text());
                    if (metric.get("type").asText().equals("percentile")) {
                        percentileRows++;
                    }
                }
            }
            assertEquals(rows.size(), row);
        }
        // one percentile comparison (treatment against control) per value
        assertEquals(values.size(), percentileRows);
    }

    @Test
    void aFailedAnalysisWritesNoReport() throws IOException {
        Path html = folder.resolve("failed.html");
        Run run = run("analyze", "--config", config("failing.yaml", "    dimensions: [continent]\n").toString(),
                "--report", html.toString());
        assertEquals(3, run.code(), run.out());
        assertFalse(Files.exists(html));
    }

    /**
     * Every group's units and every comparison's figures, as the report formats them from the JSON's numbers:
     * the CUPED-adjusted comparison when there is one (the report decides on it), and the corrected p-value and
     * intervals when there is a correction.
     */
    static void checkAgainstJson(JsonNode experiment, Document page) {
        for (JsonNode group : experiment.get("groups")) {
            Element row = page.select("table.groups tbody tr").stream()
                    .filter(r -> r.selectFirst("th").text().equals(group.get("name").asText())).findFirst().orElseThrow();
            assertEquals(String.format(Locale.ROOT, "%,d", group.get("units").asLong()), row.selectFirst("td.units").text());
        }
        int rows = 0;
        for (JsonNode metric : experiment.get("metrics")) {
            for (JsonNode comparison : metric.get("comparisons")) {
                rows++;
                Element row = page.selectFirst("tr[data-metric=" + metric.get("metric").asText() + "][data-group="
                        + comparison.get("group").asText() + "]");
                assertTrue(row != null, metric.get("metric").asText());
                JsonNode decision = comparison.has("cuped") ? comparison.get("cuped") : comparison;
                assertEquals(Formats.number(decision.get("control_mean").asDouble()), row.selectFirst("td.control").text());
                assertEquals(Formats.number(decision.get("treatment_mean").asDouble()), row.selectFirst("td.treatment").text());
                JsonNode correction = comparison.get("correction");
                JsonNode absolute = decision.get("absolute");
                JsonNode relative = decision.get("relative");
                assertEquals(Formats.signed(absolute.get("estimate").asDouble()), row.selectFirst("td.absolute-lift").text());
                assertEquals(Formats.signedPercent(relative.get("estimate").asDouble()), row.selectFirst("td.relative-lift").text());
                assertEquals(Formats.interval(interval(correction == null ? absolute : correction.get("absolute")), false),
                        row.selectFirst("td.absolute-interval").text());
                assertEquals(Formats.interval(interval(correction == null ? relative : correction.get("relative")), true),
                        row.selectFirst("td.relative-interval").text());
                String p = Formats.pValue((correction == null ? decision : correction).get("p_value").asDouble());
                assertEquals(correction == null ? p : p + " (adj.)", row.selectFirst("td.p-value").text());
                boolean significant = (correction == null ? decision : correction).get("significant").asBoolean();
                assertEquals(significant ? "yes" : "no", row.select("td").last().text());
                assertEquals(significant, !row.hasClass("neutral"));
            }
        }
        for (JsonNode metric : experiment.get("metrics")) {
            // a funnel's step conversions are rows of their own after it, named "funnel > step"
            for (JsonNode step : metric.path("steps")) {
                for (JsonNode comparison : step.get("comparisons")) {
                    rows++;
                    Element row = page.selectFirst("tr[data-metric=\"" + metric.get("metric").asText() + " > "
                            + step.get("step").asText() + "\"][data-group=" + comparison.get("group").asText() + "]");
                    assertTrue(row != null, metric.get("metric").asText() + " > " + step.get("step").asText());
                    assertEquals(Formats.number(comparison.get("treatment_mean").asDouble()),
                            row.selectFirst("td.treatment").text());
                }
            }
        }
        assertEquals(rows, page.select("table.metrics tbody tr[data-metric]").size());
    }

    private static Interval interval(JsonNode node) {
        return new Interval(null, null, number(node.get("ci_lower")), number(node.get("ci_upper")),
                node.path("ci_lower_unbounded").asBoolean(false), node.path("ci_upper_unbounded").asBoolean(false));
    }

    private static Double number(JsonNode node) {
        return node == null || node.isNull() ? null : node.asDouble();
    }

    /** No reference to anything on the network: no src or href to http(s) or a protocol-relative URL, no CSS url(). */
    static void selfContained(Document page, String html) {
        for (Element element : page.select("[src], [href]")) {
            for (String attribute : new String[] {"src", "href"}) {
                String value = element.attr(attribute).strip().toLowerCase(Locale.ROOT);
                assertFalse(value.startsWith("http:") || value.startsWith("https:") || value.startsWith("//"),
                        element.outerHtml());
            }
        }
        assertTrue(page.select("link, img, iframe, object, embed, script[src]").isEmpty());
        assertFalse(html.contains("url("));
        assertFalse(html.contains("@import"));
    }

    /** Every SVG has a text alternative: a non-empty title element or aria-label. */
    static void everySvgIsLabelled(Document page) {
        assertFalse(page.select("svg").isEmpty());
        for (Element svg : page.select("svg")) {
            Element title = svg.selectFirst("title");
            boolean labelled = (title != null && !title.text().isBlank()) || !svg.attr("aria-label").isBlank();
            assertTrue(labelled && "img".equals(svg.attr("role")), svg.outerHtml());
        }
    }
}
