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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real headless Chromium ({@link Chromium}): it loads with no console error and no request
 * beyond its own file, the numbers the browser shows equal the JSON of the same run (CUPED-adjusted), it prints,
 * it meets the accessibility basics, and a screenshot lands in {@code target/browser-artifacts/report.png}.
 * A page that logs an error or reaches for another host is caught (the negative control).
 */
class BrowserReportTest {
    @TempDir
    static Path folder;

    static Chromium chromium;
    static Path report;
    static JsonNode experiment;

    @BeforeAll
    static void startChromiumAndWriteReport() throws Exception {
        chromium = Chromium.start(folder);
        ReportCliTest.Run demo = ReportCliTest.run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
        // everything the page can show: an SRM banner, CUPED-adjusted figures, daily charts, dimensions
        Path config = folder.resolve("demo").resolve("everything.yaml");
        Files.writeString(config, Files.readString(folder.resolve("demo").resolve("pulse.yaml"))
                .replace("    groups: {control: 0.5, treatment: 0.5}\n", "    groups: {control: 0.8, treatment: 0.2}\n")
                + "    cuped: {lookback_days: 3}\n    timeseries: true\n    dimensions: [country, platform]\n");
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
}
