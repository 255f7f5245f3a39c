package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.cli.serve.PulseServer;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pulse serve} over HTTP on the demo data: the list, a run and its report, config edits, cancel, binding. */
class ServeCommandTest {
    @TempDir
    static Path folder;

    static Path demo;

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void makeDemo() {
        demo = folder.resolve("demo");
        ReportCliTest.Run run = ReportCliTest.run("demo", "--dir", demo.toString(), "--orgs", "300");
        assertEquals(0, run.code(), run.err());
    }

    /** A copy of the demo config, so each test edits its own. */
    /** {@code pulse serve --incremental}: each run refreshes the state, and its report says what it read. */
    @Test
    void anIncrementalServerRefreshesTheStateOnEachRun() throws Exception {
        Path config = demo.resolve("serve-incremental.yaml");
        Files.writeString(config, "warehouse: {database: serve-incremental.duckdb}\n" + Files.readString(demo.resolve("pulse.yaml")));
        try (PulseServer server = ServeCommand.start(config, InetAddress.getLoopbackAddress(), 0,
                run -> run.incremental(dev.pulse.api.Incremental.defaults()))) {
            Document first = finished(server, run(server, "pricing_v2"));
            assertEquals("done", first.selectFirst("nav.pulse-serve").attr("data-status"), first.html());
            assertTrue(first.text().contains("incremental: state rebuilt from every day (no state yet)"), first.text());
            Document second = finished(server, run(server, "pricing_v2"));
            assertTrue(second.text().contains("incremental: read the days from"), second.text());
            Path json = folder.resolve("serve-incremental.json");
            ReportCliTest.Run analyze = ReportCliTest.run("analyze", "--config", demo.resolve("pulse.yaml").toString(),
                    "--format", "json", "--out", json.toString());
            assertEquals(0, analyze.code(), analyze.err());
            ReportCliTest.checkAgainstJson(new ObjectMapper().readTree(json.toFile()).get("experiments").get(0), second);
        }
    }

    static Path config(String name) throws IOException {
        Path file = demo.resolve(name);
        Files.writeString(file, Files.readString(demo.resolve("pulse.yaml")));
        return file;
    }

    /**
     * The demo config with {@code pricingLines} added to pricing_v2, and an experiment slow_v1 whose assignment
     * source is a query that first scans 5e10 rows: over a minute on two cores (1e9 rows take 1.4 s), something
     * to cancel.
     */
    static Path withSlowExperiment(Path demo, String name, String pricingLines) throws IOException {
        String exposures = demo.resolve("data").resolve("exposures.parquet").toString().replace("'", "''");
        String yaml = Files.readString(demo.resolve("pulse.yaml")).replace("\nmetrics:\n", """

                  slow_exposures:
                    sql: "SELECT org_id, exposed_at, 'slow_v1' AS experiment_name, variant FROM read_parquet('%s')\
                 WHERE (SELECT count(*) FROM range(50000000000) WHERE range = -1) = 0"
                    timestamp: exposed_at
                    ids: {org_id: org_id}
                    experiment: experiment_name
                    group: variant

                metrics:
                """.formatted(exposures)) + pricingLines + """
                  slow_v1:
                    assignment: slow_exposures
                    unit: org_id
                    control: control
                    start: 2026-03-01
                    end: 2026-03-28
                    metrics: [revenue]
                """;
        Path file = demo.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    static PulseServer serve(Path config) {
        return ServeCommand.start(config, InetAddress.getLoopbackAddress(), 0);
    }

    HttpResponse<String> get(PulseServer server, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(server.uri().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(PulseServer server, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(server.uri().resolve(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Starts a run of {@code experiment} and returns its page's path, from the redirect. */
    String run(PulseServer server, String experiment) throws IOException, InterruptedException {
        HttpResponse<String> response = post(server, "/run?experiment=" + experiment);
        assertEquals(303, response.statusCode(), response.body());
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.matches("/runs/[0-9]+"), location);
        return location;
    }

    /** The run's page once it no longer refreshes itself (done, failed or cancelled). */
    Document finished(PulseServer server, String run) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (true) {
            HttpResponse<String> response = get(server, run);
            assertEquals(200, response.statusCode(), response.body());
            Document page = Jsoup.parse(response.body());
            if (page.select("meta[http-equiv=refresh]").isEmpty()) {
                return page;
            }
            assertNotNull(page.selectFirst("p.progress[role=status]"), response.body());
            assertNotNull(page.selectFirst("form[method=post][action=" + run + "/cancel] button"), response.body());
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + run + " still running after 90 s: " + response.body());
            }
            Thread.sleep(100);
        }
    }

    @Test
    void theListShowsTheExperimentsWithARunButton() throws Exception {
        try (PulseServer server = serve(config("list.yaml"))) {
            HttpResponse<String> response = get(server, "/");
            assertEquals(200, response.statusCode());
            assertEquals("text/html; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
            // under no-referrer, browsers send "Origin: null" with the page's forms, and the Origin check refuses them
            assertEquals("same-origin", response.headers().firstValue("Referrer-Policy").orElseThrow());
            Document page = Jsoup.parse(response.body());
            assertEquals("en", page.select("html").attr("lang"));
            Element row = page.selectFirst("tr[data-experiment=pricing_v2]");
            assertNotNull(row, response.body());
            Element form = row.selectFirst("form");
            assertEquals("post", form.attr("method"));
            assertEquals("/run?experiment=pricing_v2", form.attr("action"));
            assertEquals("Run pricing_v2", form.selectFirst("button").attr("aria-label"));
            assertEquals(405, get(server, "/run?experiment=pricing_v2").statusCode());
            assertEquals(404, get(server, "/nowhere").statusCode());
            assertEquals(404, get(server, "/runs/999").statusCode());
        }
    }

    @Test
    void aRunShowsTheReportWithTheNumbersOfAnalyze() throws Exception {
        Path config = config("run.yaml");
        try (PulseServer server = serve(config)) {
            Document page = finished(server, run(server, "pricing_v2"));
            assertEquals("done", page.selectFirst("nav.pulse-serve").attr("data-status"), page.html());
            assertTrue(page.title().contains("pricing_v2"), page.title());
            Path json = folder.resolve("run.json");
            ReportCliTest.Run analyze = ReportCliTest.run("analyze", "--config", config.toString(), "--format", "json",
                    "--out", json.toString());
            assertEquals(0, analyze.code(), analyze.err());
            JsonNode experiment = new ObjectMapper().readTree(json.toFile()).get("experiments").get(0);
            ReportCliTest.checkAgainstJson(experiment, page);
            Document list = Jsoup.parse(get(server, "/").body());
            assertTrue(list.selectFirst("ul.runs").text().contains("pricing_v2 done"), list.html());
        }
    }

    @Test
    void aFailedRunShowsTheErrorAndItsExitCode() throws Exception {
        Path config = demo.resolve("failing.yaml");
        Files.writeString(config, ReportCliTest.withoutDemoOptions(Files.readString(demo.resolve("pulse.yaml")),
                "dimensions") + "    dimensions: [continent]\n");
        try (PulseServer server = serve(config)) {
            Document page = finished(server, run(server, "pricing_v2"));
            Element error = page.selectFirst("pre.error");
            assertNotNull(error, page.html());
            assertTrue(error.text().startsWith("warehouse failed (exit code 3): "), error.text());
            assertEquals("failed", page.selectFirst("[role=alert]").attr("data-status"));
        }
    }

    @Test
    void theWarehouseIsWrittenOnlyAsTheConfigSaysAndNothingOnDisk() throws Exception {
        for (boolean resultsTable : List.of(true, false)) {
            String name = resultsTable ? "serve-results" : "serve-none";
            Path config = demo.resolve(name + ".yaml");
            Files.writeString(config, "warehouse: {database: " + name + ".duckdb"
                    + (resultsTable ? ", results_table: pulse_results}" : "}") + "\n" + Files.readString(demo.resolve("pulse.yaml")));
            try (PulseServer server = serve(config)) {
                Document list = Jsoup.parse(get(server, "/").body());
                assertEquals(resultsTable, list.text().contains("writes its results to the table pulse_results"), list.text());
                Set<Path> before = files();
                Document page = finished(server, run(server, "pricing_v2"));
                assertEquals("done", page.selectFirst("nav.pulse-serve").attr("data-status"), page.html());
                Set<Path> after = files();
                after.removeIf(file -> file.getFileName().toString().startsWith(name + ".duckdb"));
                assertEquals(before, after);
            }
            try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.duckDb(demo.resolve(name + ".duckdb")))) {
                List<String> tables = warehouse.query("SELECT table_name FROM duckdb_tables() ORDER BY table_name").rows().stream()
                        .map(row -> row.getString("table_name")).toList();
                assertEquals(resultsTable ? List.of("pulse_results") : List.of(), tables);
                if (resultsTable) {
                    assertEquals(1, warehouse.query("SELECT COUNT(DISTINCT run_id) AS n FROM pulse_results").rows().get(0).getLong("n"));
                }
            }
        }
    }

    private static Set<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(demo)) {
            return walk.collect(Collectors.toCollection(HashSet::new));
        }
    }

    @Test
    void theListFollowsTheConfigFile() throws Exception {
        Path config = config("edited.yaml");
        try (PulseServer server = serve(config)) {
            assertTrue(Jsoup.parse(get(server, "/").body()).select("tr[data-experiment=checkout_v3]").isEmpty());
            String original = Files.readString(config);
            Files.writeString(config, original + """
                      checkout_v3:
                        assignment: exposures
                        unit: org_id
                        control: control
                        start: 2026-03-01
                        metrics: [revenue]
                    """);
            Document added = Jsoup.parse(get(server, "/").body());
            assertEquals(2, added.select("tr[data-experiment]").size(), added.html());
            assertNotNull(added.selectFirst("tr[data-experiment=checkout_v3] button[aria-label=Run checkout_v3]"));

            Files.writeString(config, original.replace("metrics: [revenue_per_user, revenue,", "metrics: [revenue_per_user, revnue,"));
            HttpResponse<String> broken = get(server, "/");
            assertEquals(200, broken.statusCode());
            Element problems = Jsoup.parse(broken.body()).selectFirst("section[role=alert]");
            assertNotNull(problems, broken.body());
            String problem = problems.selectFirst("ul.problems li").text();
            assertTrue(problem.matches(".*edited\\.yaml:[0-9]+:[0-9]+ experiments\\.pricing_v2\\.metrics\\[1\\]: unknown metric 'revnue'.*"),
                    problem);
            assertEquals(409, post(server, "/run?experiment=pricing_v2").statusCode());

            Files.writeString(config, original);
            Document fixed = Jsoup.parse(get(server, "/").body());
            assertNotNull(fixed.selectFirst("tr[data-experiment=pricing_v2]"), fixed.html());
        }
    }

    @Test
    void aHostileConfigIsShownAsItsProblemsNeverAsThePreviousConfig() throws Exception {
        Path config = config("hostile.yaml");
        try (PulseServer server = serve(config)) {
            assertNotNull(Jsoup.parse(get(server, "/").body()).selectFirst("tr[data-experiment=pricing_v2]"));
            String original = Files.readString(config);
            // a merge key inside the map it merges: a stack overflow once, and the old config stayed on the page
            Files.writeString(config, original.replace("  pricing_v2:\n", "  pricing_v2: &self\n    <<: *self\n"));
            HttpResponse<String> broken = get(server, "/");
            assertEquals(200, broken.statusCode(), broken.body());
            Document page = Jsoup.parse(broken.body());
            assertTrue(page.select("tr[data-experiment]").isEmpty(), page.html());
            assertTrue(page.selectFirst("section[role=alert] ul.problems").text()
                    .contains("merge key '<<' refers to a map it is part of"), page.html());
            assertEquals(409, post(server, "/run?experiment=pricing_v2").statusCode());

            // an experiment name with no exposures: the run fails as analyze does, exit code 2, saying why
            Files.writeString(config, original.replace("  pricing_v2:\n", "  pricing_v3:\n"));
            Document failed = finished(server, run(server, "pricing_v3"));
            Element error = failed.selectFirst("pre.error");
            assertNotNull(error, failed.html());
            assertTrue(error.text().startsWith("input invalid (exit code 2): experiment 'pricing_v3' has no units"),
                    error.text());
            assertTrue(error.text().contains("did you mean 'pricing_v2'?"), error.text());
        }
    }

    @Test
    void aCancelledRunSaysSoAndKeepsNoResult() throws Exception {
        try (PulseServer server = serve(config("cancel.yaml"))) {
            // the second run waits behind the first (one at a time), so it is still queued or running when cancelled
            String first = run(server, "pricing_v2");
            String second = run(server, "pricing_v2");
            assertEquals(303, post(server, second + "/cancel").statusCode());
            Document cancelled = finished(server, second);
            assertEquals("cancelled", cancelled.selectFirst("[data-status]").attr("data-status"), cancelled.html());
            assertTrue(cancelled.text().contains("Cancelled after"), cancelled.text());
            Document done = finished(server, first);
            assertEquals("done", done.selectFirst("nav.pulse-serve").attr("data-status"));
            // cancelling a finished run changes nothing; the cancelled one stays cancelled
            assertEquals(303, post(server, first + "/cancel").statusCode());
            assertEquals("done", finished(server, first).selectFirst("nav.pulse-serve").attr("data-status"));
            assertEquals("cancelled", finished(server, second).selectFirst("[data-status]").attr("data-status"));
        }
    }

    @Test
    void cancelAbortsTheRunningQuerySoTheNextRunGoesAtOnce() throws Exception {
        try (PulseServer server = serve(withSlowExperiment(demo, "slow.yaml", ""))) {
            String slow = run(server, "slow_v1");
            String next = run(server, "pricing_v2");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!get(server, slow).body().contains("running the SQL")) {
                assertTrue(System.nanoTime() < deadline, "the slow run did not reach its query in 60 s");
                Thread.sleep(100);
            }
            Thread.sleep(1_000); // the query is under way
            long cancelled = System.nanoTime();
            assertEquals(303, post(server, slow + "/cancel").statusCode());
            Document done = finished(server, next);
            long seconds = (System.nanoTime() - cancelled) / 1_000_000_000L;
            // the slow query alone runs over a minute: the next run only finishes this soon if it was aborted
            assertTrue(seconds < 20, "the next run finished " + seconds + " s after the cancel");
            assertEquals("done", done.selectFirst("nav.pulse-serve").attr("data-status"), done.html());
            assertEquals("cancelled", finished(server, slow).selectFirst("[data-status]").attr("data-status"));
        }
    }

    @Test
    void userTextIsEscaped() throws Exception {
        try (PulseServer server = serve(config("escape.yaml"))) {
            HttpResponse<String> response = post(server, "/run?experiment=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
            assertEquals(404, response.statusCode());
            assertFalse(response.body().contains("<script>"), response.body());
            assertTrue(response.body().contains("&lt;script&gt;alert(1)&lt;/script&gt;"), response.body());
            assertTrue(response.headers().firstValue("Content-Security-Policy").orElseThrow().contains("default-src 'none'"));
        }
    }

    @Test
    void itListensOnLoopbackOnlyAndRefusesOtherHostsAndOrigins() throws Exception {
        try (PulseServer server = serve(config("bind.yaml"))) {
            assertEquals(InetAddress.getByName("127.0.0.1"), server.address().getAddress());
            assertTrue(server.uri().toString().startsWith("http://127.0.0.1:"), server.uri().toString());
            int port = server.address().getPort();
            Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(n -> Collections.list(n.getInetAddresses()).stream())
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                    .findFirst();
            if (external.isPresent()) {
                assertThrows(IOException.class, () -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(external.get(), port), 2000);
                    }
                }, "reachable on " + external.get());
            }
            // the names of this machine are fine; another Host (DNS rebinding) is refused
            assertEquals(200, client.send(HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET / HTTP/1.1\r\nHost: attacker.example:" + port + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                String status = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
                assertTrue(status.startsWith("HTTP/1.1 403"), status);
            }
            // a form posted from another site is refused
            HttpResponse<String> foreign = client.send(HttpRequest.newBuilder(server.uri().resolve("/run?experiment=pricing_v2"))
                    .header("Origin", "http://attacker.example").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, foreign.statusCode());
            assertTrue(Jsoup.parse(get(server, "/").body()).select("ul.runs").isEmpty());
        }
    }

    @Test
    void theCommandRejectsBadOptions() {
        ReportCliTest.Run port = ReportCliTest.run("serve", "--config", demo.resolve("pulse.yaml").toString(), "--port", "70000");
        assertEquals(2, port.code());
        assertTrue(port.err().contains("--port must be between 0 and 65535"), port.err());
        ReportCliTest.Run missing = ReportCliTest.run("serve", "--config", folder.resolve("missing.yaml").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }
}
