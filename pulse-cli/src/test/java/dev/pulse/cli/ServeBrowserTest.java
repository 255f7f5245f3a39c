package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pulse.cli.serve.PulseServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse serve} in headless Chromium: the list and a finished run's report as the browser builds
 * them, with nothing on them pointing to another host. Skipped without Chromium, unless
 * {@code PULSE_REQUIRE_BROWSER} is set (as in {@link BrowserReportTest}).
 */
class ServeBrowserTest {
    @TempDir
    static Path folder;

    static Path browser;
    static PulseServer server;
    static String run;

    @BeforeAll
    static void serveTheDemoAndRunIt() throws Exception {
        Optional<Path> found = BrowserReportTest.chromium();
        if (found.isEmpty() && System.getenv("PULSE_REQUIRE_BROWSER") != null) {
            throw new AssertionError("PULSE_REQUIRE_BROWSER is set but no chromium was found on PATH (or PULSE_CHROMIUM)");
        }
        assumeTrue(found.isPresent(), "no chromium on PATH; set PULSE_REQUIRE_BROWSER to make this a failure");
        browser = found.get();
        ReportCliTest.Run demo = ReportCliTest.run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
        server = ServeCommand.start(folder.resolve("demo").resolve("pulse.yaml"), InetAddress.getLoopbackAddress(), 0);
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> started = client.send(HttpRequest.newBuilder(server.uri().resolve("/run?experiment=pricing_v2"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, started.statusCode(), started.body());
        run = started.headers().firstValue("Location").orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (Jsoup.parse(client.send(HttpRequest.newBuilder(server.uri().resolve(run)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).selectFirst("meta[http-equiv=refresh]") != null) {
            assertTrue(System.nanoTime() < deadline, "the run did not finish in 90 s");
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void chromiumShowsTheListAndTheReportWithNothingFromOtherHosts() throws Exception {
        Document list = Jsoup.parse(dumpDom(server.uri()));
        Element button = list.selectFirst("tr[data-experiment=pricing_v2] form[method=post] button");
        assertNotNull(button, list.html());
        assertEquals("Run pricing_v2", button.attr("aria-label"));
        assertEquals(1, list.select("ul.runs li").size(), list.html());
        onlyThisHost(list);

        Document report = Jsoup.parse(dumpDom(server.uri().resolve(run)));
        assertEquals("done", report.selectFirst("nav.pulse-serve").attr("data-status"), report.html());
        assertFalse(report.select("table.metrics tbody tr[data-metric]").isEmpty(), report.html());
        assertTrue(report.title().contains("pricing_v2"), report.title());
        onlyThisHost(report);
    }

    /** No element loads or links anything but this app's own paths, fragments or inline data. */
    private static void onlyThisHost(Document page) {
        assertTrue(page.select("link, iframe, object, embed, base").isEmpty(), page.html());
        for (Element element : page.getAllElements()) {
            for (Attribute attribute : element.attributes()) {
                String key = attribute.getKey().toLowerCase(java.util.Locale.ROOT);
                if (List.of("src", "href", "action", "xlink:href", "srcset", "poster", "formaction").contains(key)) {
                    String value = attribute.getValue();
                    assertTrue(value.startsWith("/") && !value.startsWith("//") || value.startsWith("#") || value.startsWith("data:"),
                            element.tagName() + " " + key + "=" + value);
                }
            }
        }
        assertFalse(page.select("style").html().contains("url("), "a style loads something");
    }

    /** The DOM headless Chromium builds for {@code uri}, with a fresh profile and no background traffic. */
    private static String dumpDom(URI uri) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(folder, "profile");
        List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--user-data-dir=" + profile, "--dump-dom", uri.toString()));
        Path stdout = folder.resolve("chromium.out");
        Path stderr = folder.resolve("chromium.err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + command);
        }
        assertEquals(0, process.exitValue(), Files.readString(stderr));
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
