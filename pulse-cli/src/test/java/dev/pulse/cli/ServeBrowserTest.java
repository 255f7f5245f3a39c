package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.cli.serve.PulseServer;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse serve} in a real headless Chromium ({@link Chromium}): the list, a running run's page and a
 * finished run's report load with no console error and no request but to the app itself; the report shows the
 * numbers of the JSON of the same analysis (CUPED-adjusted); the pages meet the accessibility basics; the
 * Cancel button, clicked in the browser, cancels. Screenshots land in {@code target/browser-artifacts/}.
 */
class ServeBrowserTest {
    @TempDir
    static Path folder;

    static Chromium chromium;
    static PulseServer server;
    static String run;
    static JsonNode experiment;

    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void serveTheDemoAndRunIt() throws Exception {
        chromium = Chromium.start(folder);
        Path demo = folder.resolve("demo");
        ReportCliTest.Run made = ReportCliTest.run("demo", "--dir", demo.toString(), "--orgs", "300");
        assertEquals(0, made.code(), made.err());
        Path config = ServeCommandTest.withSlowExperiment(demo, "cuped.yaml", ""); // the demo itself uses CUPED
        Path json = folder.resolve("pricing_v2.json");
        ReportCliTest.Run analyze = ReportCliTest.run("analyze", "--config", config.toString(), "--experiment", "pricing_v2",
                "--format", "json", "--out", json.toString());
        assertEquals(0, analyze.code(), analyze.err());
        experiment = new ObjectMapper().readTree(json.toFile()).get("experiments").get(0);

        server = ServeCommand.start(config, InetAddress.getLoopbackAddress(), 0);
        run = start("pricing_v2");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!page(run).select("meta[http-equiv=refresh]").isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the run did not finish in 90 s");
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void theListLoadsCleanlyAndMeetsTheAccessibilityBasics() throws Exception {
        Chromium.Page page = chromium.open(server.uri());
        assertEquals(List.of(), page.problems());
        onlyThisApp(page);
        Document list = Jsoup.parse(page.html());
        Element button = list.selectFirst("tr[data-experiment=pricing_v2] form[method=post] button");
        assertNotNull(button, list.html());
        assertEquals("Run pricing_v2", button.attr("aria-label"));
        page.screenshot("serve-list");
        assertEquals(List.of(), Accessibility.problems(page));

        // the Run button works in a browser: its form's POST passes the app's Origin check
        page.evaluate("document.querySelector('tr[data-experiment=pricing_v2] button').click()");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (page.requests().stream().noneMatch(request -> request.matches(".*/runs/[0-9]+"))) {
            assertTrue(System.nanoTime() < deadline, "no run page 30 s after the click: " + page.requests());
            Thread.sleep(100);
        }
        assertEquals(server.uri().resolve("/run?experiment=pricing_v2").toString(), page.requests().get(1));
        assertEquals(List.of(), page.problems());
        onlyThisApp(page);
        page.close();
    }

    @Test
    void theReportLoadsCleanlyAndShowsTheNumbersOfTheJsonCupedAdjusted() throws Exception {
        Chromium.Page page = chromium.open(server.uri().resolve(run));
        assertEquals(List.of(), page.problems());
        onlyThisApp(page);
        Document report = Jsoup.parse(page.html());
        assertEquals("done", report.selectFirst("nav.pulse-serve").attr("data-status"), report.html());
        assertTrue(report.text().contains("CUPED: values, lifts and p-values are regression-adjusted"), report.text());
        ReportCliTest.checkAgainstJson(experiment, report);
        page.screenshot("serve-report");
        assertEquals(List.of(), Accessibility.problems(page));
        page.close();
    }

    @Test
    void theRunningPageLoadsCleanlyAndItsCancelButtonCancels() throws Exception {
        String slow = start("slow_v1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!page(slow).text().contains("running the SQL")) {
            assertTrue(System.nanoTime() < deadline, "the slow run did not reach its query in 60 s");
            Thread.sleep(100);
        }
        Chromium.Page page = chromium.open(server.uri().resolve(slow));
        page.evaluate("window.stop()"); // cancels the page's refresh, so that the checks below see one document
        assertEquals("running", Jsoup.parse(page.html()).selectFirst("p.progress").attr("data-status"));
        page.screenshot("serve-running");
        assertEquals(List.of(), Accessibility.problems(page));

        page.evaluate("document.querySelector('form[action$=\"/cancel\"] button').click()");
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (page(slow).selectFirst("[data-status=cancelled]") == null) {
            assertTrue(System.nanoTime() < deadline, "not cancelled 30 s after the click: " + page.problems());
            Thread.sleep(100);
        }
        Thread.sleep(500); // the browser follows the redirect to the cancelled page
        assertTrue(page.requests().contains(server.uri().resolve(slow + "/cancel").toString()), page.requests().toString());
        assertEquals(List.of(), page.problems());
        onlyThisApp(page);
        page.close();
    }

    /** Every request the page made went to this app's own origin. */
    private static void onlyThisApp(Chromium.Page page) {
        assertTrue(!page.requests().isEmpty());
        for (String request : page.requests()) {
            assertTrue(request.startsWith(server.uri().toString()), request + " is not on " + server.uri());
        }
    }

    private static String start(String experiment) throws Exception {
        HttpResponse<String> started = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/run?experiment=" + experiment))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, started.statusCode(), started.body());
        return started.headers().firstValue("Location").orElseThrow();
    }

    private static Document page(String path) throws Exception {
        return Jsoup.parse(CLIENT.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
