package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real headless Chromium: the DOM it builds, a screenshot and a printout.
 * Runs when {@code chromium} (or {@code $PULSE_CHROMIUM}) is found; without it the test is skipped,
 * unless {@code PULSE_REQUIRE_BROWSER} is set, as {@code .ci/run} does: then it fails.
 */
class BrowserReportTest {
    @TempDir
    static Path folder;

    static Path browser;
    static Path report;

    @BeforeAll
    static void findBrowserAndWriteReport() throws IOException {
        Optional<Path> found = chromium();
        if (found.isEmpty() && System.getenv("PULSE_REQUIRE_BROWSER") != null) {
            throw new AssertionError("PULSE_REQUIRE_BROWSER is set but no chromium was found on PATH (or PULSE_CHROMIUM)");
        }
        assumeTrue(found.isPresent(), "no chromium on PATH; set PULSE_REQUIRE_BROWSER to make this a failure");
        browser = found.get();
        ReportCliTest.Run demo = ReportCliTest.run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
        Path config = folder.resolve("demo").resolve("everything.yaml");
        Files.writeString(config, Files.readString(folder.resolve("demo").resolve("pulse.yaml"))
                .replace("    groups: {control: 0.5, treatment: 0.5}\n", "    groups: {control: 0.8, treatment: 0.2}\n")
                + "    timeseries: true\n    dimensions: [country, platform]\n");
        report = folder.resolve("report.html");
        ReportCliTest.Run run = ReportCliTest.run("analyze", "--config", config.toString(), "--report", report.toString());
        assertEquals(0, run.code(), run.err());
    }

    @Test
    void chromiumRendersTheReport() throws Exception {
        String dom = new String(chromium("--dump-dom"), StandardCharsets.UTF_8);
        Document rendered = Jsoup.parse(dom);
        Document file = Jsoup.parse(report.toFile());
        assertEquals(file.title(), rendered.title());
        assertEquals(1, rendered.select(".srm-failed").size(), dom);
        assertEquals(file.select("svg").size(), rendered.select("svg").size());
        assertEquals(file.select("table.metrics tbody tr[data-metric]").size(),
                rendered.select("table.metrics tbody tr[data-metric]").size());
        assertTrue(rendered.select("figure svg polyline").size() > 0);
        assertEquals(2, rendered.select("details.dimension").size());

        Path screenshot = folder.resolve("report.png");
        chromium("--window-size=1280,2000", "--screenshot=" + screenshot);
        byte[] png = Files.readAllBytes(screenshot);
        assertTrue(png.length > 10_000, "screenshot of " + png.length + " bytes");
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));

        Path pdf = folder.resolve("report.pdf");
        chromium("--print-to-pdf=" + pdf, "--no-pdf-header-footer");
        byte[] printed = Files.readAllBytes(pdf);
        assertTrue(printed.length > 10_000, "printout of " + printed.length + " bytes");
        assertEquals("%PDF", new String(printed, 0, 4, StandardCharsets.US_ASCII));
    }

    /** Runs headless Chromium on the report with a fresh profile and no background traffic; returns its stdout. */
    private static byte[] chromium(String... arguments) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(folder, "profile");
        List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--user-data-dir=" + profile));
        command.addAll(List.of(arguments));
        command.add(report.toUri().toString());
        Path stdout = folder.resolve("chromium.out");
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(folder.resolve("chromium.err").toFile())
                .start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + command);
        }
        assertEquals(0, process.exitValue(), Files.readString(folder.resolve("chromium.err")));
        return Files.readAllBytes(stdout);
    }

    static Optional<Path> chromium() {
        String configured = System.getenv("PULSE_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
