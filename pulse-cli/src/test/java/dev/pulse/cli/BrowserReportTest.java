package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real headless Chromium ({@link Chromium}): it loads with no console error and no request
 * beyond its own file, the numbers the browser shows equal the JSON of the same run (CUPED-adjusted), it prints,
 * it meets the accessibility basics, and a screenshot lands in {@code target/browser-artifacts/report.png}.
 * The demo's own report shows every section — the decision summary, the metric tables by role, the daily charts,
 * the health section, the drill-down — with the figures of the demo's JSON, read from the page's data attributes,
 * and is screenshot at laptop and phone widths ({@code report-demo-laptop.png}, {@code report-demo-phone.png}).
 * A page that logs an error or reaches for another host is caught (the negative control).
 */
class BrowserReportTest {
    @TempDir
    static Path folder;

    static Chromium chromium;
    static Path report;
    static JsonNode experiment;
    static Path demoReport;
    static JsonNode demoExperiment;

    @BeforeAll
    static void startChromiumAndWriteReport() throws Exception {
        chromium = Chromium.start(folder);
        ReportCliTest.Run demo = ReportCliTest.run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
        demoReport = folder.resolve("demo").resolve("report.html");
        demoExperiment = new ObjectMapper().readTree(folder.resolve("demo").resolve("results.json").toFile())
                .get("experiments").get(0);
        // the demo with an SRM banner too (its CUPED-adjusted figures, daily charts and dimensions are its own)
        Path config = folder.resolve("demo").resolve("everything.yaml");
        String demoConfig = Files.readString(folder.resolve("demo").resolve("pulse.yaml"));
        for (String line : List.of("    groups: {control: 0.5, treatment: 0.5}\n", "    cuped: {", "    timeseries: true",
                "    dimensions: [country]")) {
            assertTrue(demoConfig.contains(line), line);
        }
        Files.writeString(config, demoConfig
                .replace("    groups: {control: 0.5, treatment: 0.5}\n", "    groups: {control: 0.8, treatment: 0.2}\n")
                .replace("    dimensions: [country]", "    dimensions: [country, platform]"));
        report = folder.resolve("report.html");
        Path json = folder.resolve("report.json");
        ReportCliTest.Run run = ReportCliTest.run("analyze", "--config", config.toString(), "--format", "json",
                "--out", json.toString(), "--report", report.toString());
        assertEquals(0, run.code(), run.err());
        experiment = new ObjectMapper().readTree(json.toFile()).get("experiments").get(0);
    }

    @AfterAll
    static void stopChromium() throws InterruptedException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void theReportLoadsWithNoConsoleErrorAndNoRequestBeyondItsFile() throws Exception {
        Chromium.Page page = chromium.open(report.toUri());
        assertEquals(List.of(), page.problems());
        assertEquals(List.of(report.toUri().toString()), page.requests());

        Path screenshot = page.screenshot("report");
        byte[] png = Files.readAllBytes(screenshot);
        assertTrue(png.length > 10_000, "screenshot of " + png.length + " bytes");
        assertEquals("\u0089PNG", new String(png, 0, 4, StandardCharsets.ISO_8859_1));

        byte[] printed = page.pdf();
        assertTrue(printed.length > 10_000, "printout of " + printed.length + " bytes");
        assertEquals("%PDF", new String(printed, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(List.of(), page.problems(), "while printing");
        page.close();
    }

    @Test
    void theBrowserShowsTheNumbersOfTheJsonCupedAdjusted() throws Exception {
        Chromium.Page page = chromium.open(report.toUri());
        Document rendered = Jsoup.parse(page.html());
        page.close();
        assertTrue(experiment.get("metrics").get(0).get("comparisons").get(0).has("cuped"), experiment.toString());
        assertTrue(rendered.text().contains("CUPED: values, lifts and p-values are regression-adjusted"), rendered.text());
        ReportCliTest.checkAgainstJson(experiment, rendered);
        assertEquals(1, rendered.select(".srm-failed").size());
        Document file = Jsoup.parse(report.toFile());
        assertEquals(file.title(), rendered.title());
        assertEquals(file.select("svg").size(), rendered.select("svg").size());
        assertTrue(rendered.select("figure svg polyline").size() > 0);
        assertEquals(2, rendered.select("details.dimension").size());
    }

    @Test
    void theReportMeetsTheAccessibilityBasics() throws Exception {
        Chromium.Page page = chromium.open(report.toUri());
        assertEquals(List.of(), Accessibility.problems(page));
        // every chart is an image with a name in the accessibility tree, none hidden from it
        long charts = Jsoup.parse(page.html()).select("svg[role=img]").size();
        assertTrue(charts > 2, "charts: " + charts);
        assertEquals(charts, Accessibility.count(page, "image"));
        page.close();
    }

    /** The checks above can fail: a page with each kind of problem has each one reported. */
    @Test
    void aPageWithErrorsRequestsAndPoorAccessibilityIsCaught() throws Exception {
        Path bad = folder.resolve("bad.html");
        Files.writeString(bad, """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>bad</title>
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src http://example.invalid">
                </head><body>
                <img src="http://example.invalid/x.png" alt="from another host">
                <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="blocked by the policy">
                <p style="color: #aaaaaa">grey on white</p>
                <button></button>
                <svg role="img" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>
                <script>console.error("deliberate error"); console.warn("deliberate warning");</script>
                <script>throw new Error("deliberate uncaught");</script>
                </body></html>
                """);
        Chromium.Page page = chromium.open(bad.toUri());
        String problems = String.join("\n", page.problems());
        assertTrue(problems.contains("console.error: deliberate error"), problems);
        assertTrue(problems.contains("console.warning: deliberate warning"), problems);
        assertTrue(problems.contains("uncaught: Error: deliberate uncaught"), problems);
        assertTrue(problems.contains("Content Security Policy"), problems);
        assertTrue(problems.contains("ERR_NAME_NOT_RESOLVED"), problems);
        assertTrue(page.requests().contains("http://example.invalid/x.png"), page.requests().toString());

        String accessibility = String.join("\n", Accessibility.problems(page));
        assertTrue(accessibility.contains("contrast 2.32:1 of rgb(170, 170, 170) on rgb(255, 255, 255)"), accessibility);
        assertTrue(accessibility.contains("role button without an accessible name"), accessibility);
        assertTrue(accessibility.contains("role image without an accessible name"), accessibility);
        page.close();

        // WCAG's own reference points: black on white 21:1; #767676, the lightest grey that passes on white, 4.54:1
        assertEquals(21.0, Accessibility.contrast(new int[] {0, 0, 0}, new int[] {255, 255, 255}), 1e-9);
        assertEquals(4.54, Accessibility.contrast(new int[] {0x76, 0x76, 0x76}, new int[] {255, 255, 255}), 0.005);
        assertNotNull(chromium);
    }

    /** The elements that stick out of the screen, not inside a box that scrolls sideways. */
    private static final String WIDER_THAN_THE_SCREEN = """
            (() => {
              const width = document.documentElement.clientWidth;
              const out = [];
              document.querySelectorAll('body *').forEach(e => {
                const parent = e.parentElement.getBoundingClientRect();
                if (e.getBoundingClientRect().right > width + 1 && parent.right <= width + 1
                    && !e.parentElement.closest('.scroll, pre')) {
                  out.push(e.tagName.toLowerCase() + '.' + e.getAttribute('class') + ' to '
                      + Math.round(e.getBoundingClientRect().right));
                }
              });
              return out.slice(0, 10).join('; ');
            })()
            """;

    /**
     * The demo's own report at a laptop's and a phone's width: clean, accessible, nothing wider than the screen,
     * printable; a screenshot of each as a reader first sees it.
     */
    @Test
    void theDemoReportAtLaptopAndPhoneWidths() throws Exception {
        for (Object[] size : new Object[][] {{"laptop", 1366, 900, false}, {"phone", 390, 844, true}}) {
            Chromium.Page page = chromium.open(demoReport.toUri());
            assertEquals(List.of(), page.problems());
            assertEquals(List.of(demoReport.toUri().toString()), page.requests());
            int width = (Integer) size[1];
            page.viewport(width, (Integer) size[2], (Boolean) size[3]);
            // as a reader first sees it, the collapsible sections closed
            Path screenshot = page.screenshot("report-demo-" + size[0]);
            assertTrue(Files.size(screenshot) > 10_000, screenshot.toString());
            // the checks open every section
            assertEquals(List.of(), Accessibility.problems(page), (String) size[0]);
            // tables and charts scroll or shrink inside the page: the page itself is never wider than the screen
            int pageWidth = page.evaluate("document.documentElement.scrollWidth").asInt();
            assertTrue(pageWidth <= width, size[0] + ": the page is " + pageWidth + " px wide: "
                    + page.evaluate(WIDER_THAN_THE_SCREEN).asText());
            byte[] printed = page.pdf();
            assertEquals("%PDF", new String(printed, 0, 4, StandardCharsets.US_ASCII));
            assertEquals(List.of(), page.problems(), "while printing");
            page.close();
        }
    }

    /**
     * Every section of the demo's report, in the DOM Chromium built, against the demo's JSON: the decision summary's
     * exact figures, the metric tables in role order, each daily chart's data, the health section's days, progress,
     * exclusions and detectable effects, and each dimension value's SRM and heterogeneity flags.
     */
    @Test
    void theDemoReportShowsEverySectionWithTheFiguresOfItsJson() throws Exception {
        Chromium.Page page = chromium.open(demoReport.toUri());
        Document rendered = Jsoup.parse(page.html());
        page.close();
        JsonNode json = demoExperiment;
        ReportCliTest.checkAgainstJson(json, rendered);

        // the decision summary: every primary and guardrail entry, with the JSON's exact figures
        JsonNode decision = json.get("decision");
        assertTrue(decision.get("primary").size() > 0 && decision.get("guardrails").size() > 0, decision.toString());
        for (JsonNode primary : decision.get("primary")) {
            Element entry = one(rendered, "section.decision li[data-role=primary]", primary);
            assertEquals(primary.get("relative").get("estimate").asDouble(), exact(entry, "data-relative"), 0.0);
            assertEquals(primary.get("p_value").asDouble(), exact(entry, "data-p-value"), 0.0);
            assertEquals(primary.get("significant").asText(), entry.attr("data-flagged"));
        }
        for (JsonNode guardrail : decision.get("guardrails")) {
            Element entry = one(rendered, "section.decision li[data-role=guardrail]", guardrail);
            assertEquals(guardrail.get("relative").get("estimate").asDouble(), exact(entry, "data-relative"), 0.0);
            assertEquals(guardrail.get("harm_p_value").asDouble(), exact(entry, "data-p-value"), 0.0);
            assertEquals(guardrail.get("harmed").asText(), entry.attr("data-flagged"));
        }
        assertEquals(decision.get("healthy").asText(), rendered.selectFirst("section.decision").attr("data-decision-healthy"));

        // the metric tables: primary, guardrail, secondary, each holding the metrics of its role
        List<String> roles = rendered.select("table.metrics").eachAttr("data-role");
        assertEquals(List.of("primary", "guardrail", "secondary"), roles);
        for (JsonNode metric : json.get("metrics")) {
            Element row = rendered.selectFirst("table.metrics[data-role=" + metric.get("role").asText() + "] tr[data-metric="
                    + metric.get("metric").asText() + "]");
            assertTrue(row != null, metric.get("metric").asText() + " in its role's table");
        }

        // the daily charts: per series comparison a lift chart, a chart of both groups' values and their data
        int series = 0;
        for (JsonNode metric : json.get("metrics")) {
            for (JsonNode comparison : metric.get("comparisons")) {
                if (!comparison.has("timeseries")) {
                    continue;
                }
                series++;
                Element section = rendered.selectFirst("section.daily[data-metric=" + metric.get("metric").asText()
                        + "][data-group=" + comparison.get("group").asText() + "]");
                assertTrue(section != null, metric.get("metric").asText());
                assertEquals(1, section.select("figure.lift svg[role=img] polygon.band").size());
                assertEquals(2, section.select("figure.means svg[role=img] polyline").size());
                List<Element> days = section.select("table.days tbody tr");
                assertEquals(comparison.get("timeseries").size(), days.size());
                for (int i = 0; i < days.size(); i++) {
                    JsonNode day = comparison.get("timeseries").get(i);
                    Element row = days.get(i);
                    assertEquals(day.get("date").asText(), row.attr("data-date"));
                    assertSame(day.get("relative").get("estimate"), row.attr("data-relative"));
                    assertSame(day.get("relative").get("ci_lower"), row.attr("data-ci-lower"));
                    assertSame(day.get("relative").get("ci_upper"), row.attr("data-ci-upper"));
                    assertSame(day.get("control_mean"), row.attr("data-control-mean"));
                    assertSame(day.get("treatment_mean"), row.attr("data-treatment-mean"));
                }
                // by days since exposure: its lift chart with a band and a row per point of the JSON
                JsonNode byExposureDay = comparison.get("days_since_exposure");
                assertEquals(comparison.get("timeseries").size(), byExposureDay.size(), metric.get("metric").asText());
                assertEquals(1, section.select("figure.since-exposure svg[role=img] polygon.band").size());
                assertTrue(section.selectFirst("figure.since-exposure svg title").text().contains("days since exposure"));
                List<Element> points = section.select("table.since-exposure tbody tr");
                assertEquals(byExposureDay.size(), points.size());
                for (int i = 0; i < points.size(); i++) {
                    JsonNode point = byExposureDay.get(i);
                    Element row = points.get(i);
                    assertEquals(point.get("days_since_exposure").asText(), row.attr("data-days-since-exposure"));
                    assertEquals(String.format(java.util.Locale.ROOT, "%,d / %,d", point.get("control_units").asLong(),
                            point.get("treatment_units").asLong()), row.select("td").get(0).text());
                    assertSame(point.get("relative").get("estimate"), row.attr("data-relative"));
                    assertSame(point.get("relative").get("ci_lower"), row.attr("data-ci-lower"));
                    assertSame(point.get("relative").get("ci_upper"), row.attr("data-ci-upper"));
                    assertSame(point.get("control_mean"), row.attr("data-control-mean"));
                    assertSame(point.get("treatment_mean"), row.attr("data-treatment-mean"));
                }
            }
        }
        assertTrue(series >= 5, "series: " + series);
        assertEquals(series, rendered.select("section.daily").size());

        // the health section: units per day and group, the SRM p-value by day, the progress, exclusions, MDE
        JsonNode health = json.get("health");
        Element section = rendered.selectFirst("section.health");
        assertEquals(2, section.select("figure svg[role=img]").size());
        List<Element> days = section.select("table.health-days tbody tr");
        assertEquals(health.get("days").size(), days.size());
        JsonNode firstSeries = json.get("metrics").get(0).get("comparisons").get(0).get("timeseries");
        for (int i = 0; i < days.size(); i++) {
            JsonNode day = health.get("days").get(i);
            Element row = days.get(i);
            assertEquals(day.get("date").asText(), row.attr("data-date"));
            assertSame(day.get("srm_p_value"), row.attr("data-srm-p-value"));
            List<Element> cells = row.select("td[data-group]");
            assertEquals(day.get("groups").size(), cells.size());
            for (int g = 0; g < cells.size(); g++) {
                JsonNode group = day.get("groups").get(g);
                assertEquals(group.get("name").asText(), cells.get(g).attr("data-group"));
                assertEquals(group.get("units").asLong(), Long.parseLong(cells.get(g).attr("data-units")));
                assertEquals(group.get("new_units").asLong(), Long.parseLong(cells.get(g).attr("data-new-units")));
            }
            // and the units are the daily results' own counts
            assertEquals("control", day.get("groups").get(0).get("name").asText());
            assertEquals(firstSeries.get(i).get("control_units").asLong(), day.get("groups").get(0).get("units").asLong());
            assertEquals(firstSeries.get(i).get("treatment_units").asLong(), day.get("groups").get(1).get("units").asLong());
        }
        JsonNode lastDay = health.get("days").get(health.get("days").size() - 1);
        assertEquals(json.get("srm").get("p_value").asDouble(), lastDay.get("srm_p_value").asDouble(), 1e-12,
                "the last day counts the experiment's units");
        Element bar = section.selectFirst("[role=progressbar]");
        long units = 0;
        for (JsonNode group : json.get("groups")) {
            units += group.get("units").asLong();
        }
        assertEquals(units, Long.parseLong(bar.attr("data-units")));
        assertEquals(health.get("progress").get("units").asLong(), units);
        assertEquals(health.get("progress").get("planned_units").asText(), bar.attr("data-planned-units"));
        assertEquals(health.get("progress").get("fraction").asDouble(), exact(bar, "data-fraction"), 0.0);
        List<Element> exclusions = section.select("table.exclusions tr[data-reason]");
        assertEquals(health.get("exclusions").size(), exclusions.size());
        for (int i = 0; i < exclusions.size(); i++) {
            assertEquals(health.get("exclusions").get(i).get("reason").asText(), exclusions.get(i).attr("data-reason"));
            assertEquals(health.get("exclusions").get(i).get("count").asLong(), Long.parseLong(exclusions.get(i).attr("data-count")));
        }
        assertEquals(json.get("excluded_units").get("multiple_groups").asLong(),
                Long.parseLong(section.selectFirst("tr[data-reason=multiple_groups]").attr("data-count")));
        for (JsonNode mde : health.get("minimum_detectable_effects")) {
            Element row = one(section, "table.detectable tr", mde);
            assertSame(mde.get("relative_now"), row.attr("data-mde-now"));
            assertSame(mde.get("relative_at_plan"), row.attr("data-mde-planned"));
        }
        assertEquals(json.get("bias_check") != null, section.selectFirst("[data-bias-summary]") != null);

        // the drill-down: each value's SRM and the heterogeneity flags
        JsonNode values = json.get("dimensions");
        List<Element> tables = rendered.select("table.dimension-value");
        assertEquals(values.size(), tables.size());
        boolean flagged = false;
        for (int i = 0; i < values.size(); i++) {
            JsonNode value = values.get(i);
            Element table = tables.get(i);
            assertEquals(value.get("value").asText(), table.attr("data-value"));
            assertSame(value.get("srm").get("p_value"), table.attr("data-srm-p-value"));
            for (JsonNode metric : value.get("metrics")) {
                for (JsonNode comparison : metric.get("comparisons")) {
                    Element row = table.selectFirst("tr[data-metric=" + metric.get("metric").asText() + "][data-group="
                            + comparison.get("group").asText() + "]");
                    boolean differs = comparison.path("heterogeneity").path("flagged").asBoolean(false);
                    flagged |= differs;
                    assertEquals(Boolean.toString(differs), row.attr("data-heterogeneous"));
                    assertEquals(differs, !row.select(".flag:contains(differs)").isEmpty());
                }
            }
        }
        assertTrue(flagged, "the demo has a value whose effect differs");
    }

    /** The element under {@code selector} of the entry's metric and group: exactly one. */
    private static Element one(Element root, String selector, JsonNode entry) {
        List<Element> found = root.select(selector + "[data-metric=" + entry.get("metric").asText() + "][data-group="
                + entry.get("group").asText() + "]");
        assertEquals(1, found.size(), selector + " " + entry);
        return found.get(0);
    }

    private static double exact(Element element, String attribute) {
        return Double.parseDouble(element.attr(attribute));
    }

    /** The JSON's number and the attribute's exact figure are the same double; JSON null and empty mean undefined. */
    private static void assertSame(JsonNode number, String attribute) {
        assertNotNull(number, "the JSON has the figure of " + attribute);
        if (number.isNull()) {
            assertEquals("", attribute);
        } else {
            assertEquals(number.asDouble(), Double.parseDouble(attribute), 0.0, attribute);
        }
    }
}
