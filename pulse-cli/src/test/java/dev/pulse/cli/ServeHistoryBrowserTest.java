package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.cli.serve.PulseServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run history of {@code pulse serve} in a real headless Chromium ({@link Chromium}): two analyses of the demo
 * experiment (the second with CUPED) into a results table, then the history page loads with no console error and
 * no request but to the app, its comparison shows the JSON of each run, it meets the accessibility basics, a
 * metric's link leads to its SQL, and it is saved as {@code target/browser-artifacts/serve-history.png} (laptop)
 * and {@code serve-history-phone.png}.
 */
class ServeHistoryBrowserTest {
    @TempDir
    static Path folder;

    static Chromium chromium;
    static PulseServer server;
    static JsonNode plain;
    static JsonNode adjusted;

    @BeforeAll
    static void runTwoAnalyses() throws Exception {
        chromium = Chromium.start(folder);
        Path demo = folder.resolve("demo");
        ReportCliTest.Run made = ReportCliTest.run("demo", "--dir", demo.toString(), "--orgs", "300");
        assertEquals(0, made.code(), made.err());
        ServeHistoryTest.withoutCuped(demo);
        plain = ServeHistoryTest.json(demo.resolve("pulse.yaml"), folder.resolve("plain.json"));
        Path cuped = ServeCommandTest.withSlowExperiment(demo, "cuped.yaml", "    cuped: {lookback_days: 3}\n");
        adjusted = ServeHistoryTest.json(cuped, folder.resolve("cuped.json"));
        String warehouse = "warehouse: {database: history.duckdb, results_table: pulse_results}\n";
        Path config = demo.resolve("history.yaml");
        Files.writeString(config, warehouse + Files.readString(demo.resolve("pulse.yaml")));
        server = ServeCommand.start(config, InetAddress.getLoopbackAddress(), 0);
        ServeHistoryTest.finish(server, ServeHistoryTest.start(server, "pricing_v2"));
        Files.writeString(config, warehouse + Files.readString(cuped));
        ServeHistoryTest.finish(server, ServeHistoryTest.start(server, "pricing_v2"));
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
    void theRunHistoryComparesTheRunsAsTheJsonDoesAndLinksEachMetricToItsSql() throws Exception {
        Chromium.Page page = chromium.open(server.uri().resolve("/experiments/pricing_v2/history"));
        assertEquals(List.of(), page.problems());
        onlyThisApp(page);
        Document history = Jsoup.parse(page.html());
        ServeHistoryTest.checkComparison(history, adjusted, plain);
        ServeHistoryTest.checkHistoryRows(history, List.of(adjusted, plain));
        assertEquals(List.of(), Accessibility.problems(page));
        page.viewport(1280, 800);
        page.screenshot("serve-history");
        page.viewport(390, 844);
        assertEquals(List.of(), Accessibility.problems(page));
        page.screenshot("serve-history-phone");
        page.viewport(1280, 800);

        // a metric's link, clicked, shows the SQL page at that metric's section
        page.evaluate("document.querySelector('#comparison tr[data-metric=revenue_per_user] th a').click()");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (page.requests().stream().noneMatch(request -> request.contains("/sql"))) {
            assertTrue(System.nanoTime() < deadline, "no SQL page 30 s after the click: " + page.requests());
            Thread.sleep(100);
        }
        Thread.sleep(300);
        assertEquals("#metric-revenue_per_user", page.evaluate("location.hash").asText());
        Document sql = Jsoup.parse(page.html());
        assertNotNull(sql.selectFirst("#metric-revenue_per_user a[href^=#s1-L]"), sql.html());
        assertEquals(sql.select("#metric-revenue_per_user a[href^=#s1-L]").size(), sql.select("span.line mark").size());
        assertEquals(List.of(), page.problems());
        onlyThisApp(page);
        assertEquals(List.of(), Accessibility.problems(page));
        page.screenshot("serve-history-sql");
        page.close();
    }

    private static void onlyThisApp(Chromium.Page page) {
        assertTrue(!page.requests().isEmpty());
        for (String request : page.requests()) {
            assertTrue(request.startsWith(server.uri().toString()), request + " is not on " + server.uri());
        }
    }
}
