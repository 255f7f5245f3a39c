package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sequential: {method: growthbook, tuning: N*}} wired end to end: {@code pulse stats} on GrowthBook's own
 * published test case, and {@code pulse analyze} on the demo in every output (table, JSON, CSV, HTML report).
 * The statistics are checked against independent numbers in pulse-stats (AsymptoticConfidenceSequenceTest).
 */
class GrowthBookSequentialCliTest {
    @TempDir
    Path folder;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PulseCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * growthbook/growthbook packages/stats/tests/frequentist/test_tests.py, TestSequentialTTest.test_sequential_test_runs:
     * SampleMeanStatistic(sum=1396.87, sum_squares=52377.9767, n=3000) against (2422.7, 134698.29, 3461),
     * sequential_tuning_parameter=1000: relative 0.50336, ci (-0.55844, 1.56516), pValue 1.
     */
    @Test
    void statsReproducesGrowthBooksPublishedTest() throws IOException {
        Path input = folder.resolve("gb.json");
        Files.writeString(input, """
                {"alpha": 0.05, "control": "control", "sequential": {"method": "growthbook", "tuning": 1000, "min_units": 1},
                 "metrics": [{"metric": "revenue", "type": "sum",
                    "groups": [{"name": "control", "n": 3000, "sum_x": 1396.87, "sum_x2": 52377.9767},
                               {"name": "treatment", "n": 3461, "sum_x": 2422.7, "sum_x2": 134698.29}]}]}""");
        Run json = run("stats", "--input", input.toString(), "--format", "json");
        assertEquals(0, json.code(), json.err());
        JsonNode sequential = new ObjectMapper().readTree(json.out()).get("metrics").get(0).get("comparisons").get(0)
                .get("sequential");
        assertEquals("growthbook", sequential.get("method").asText());
        assertEquals(1000, sequential.get("tuning").asDouble(), 0.0);
        // ρ = √((−2 ln 0.05 + ln(1 − 2 ln 0.05))/1000) = √(7.936148/1000)
        assertEquals(Math.sqrt((-2 * Math.log(0.05) + Math.log(1 - 2 * Math.log(0.05))) / 1000),
                sequential.get("rho").asDouble(), 1e-15);
        JsonNode relative = sequential.get("relative");
        assertEquals(0.50336, relative.get("estimate").asDouble(), 0.5e-5);
        assertEquals(-0.55844, relative.get("ci_lower").asDouble(), 0.5e-5);
        assertEquals(1.56516, relative.get("ci_upper").asDouble(), 0.5e-5);
        assertEquals(1.0, relative.get("p_value").asDouble(), 0.0);

        Run table = run("stats", "--input", input.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("[growthbook N*=1000]"), table.out());
        Run csv = run("stats", "--input", input.toString(), "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        List<String> header = List.of(csv.out().split("\r\n")[0].split(","));
        List<String> row = List.of(csv.out().split("\r\n")[1].split(",", -1));
        assertEquals("growthbook", row.get(header.indexOf("sequential_method")));
        assertEquals(-0.55844, Double.parseDouble(row.get(header.indexOf("sequential_relative_ci_lower"))), 0.5e-5);

        Files.writeString(input, Files.readString(input).replace("\"method\": \"growthbook\", ", ""));
        Run bad = run("stats", "--input", input.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("sequential.tuning: only with \"method\": \"growthbook\""), bad.err());
    }

    @Test
    void analyzeShowsTheMethodInEveryOutput() throws IOException {
        Run demo = run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
        Path config = folder.resolve("demo/gb.yaml");
        String yaml = Files.readString(folder.resolve("demo/pulse.yaml"))
                .replace("    alpha: 0.05\n", "    alpha: 0.05\n    sequential: {method: growthbook, tuning: 2000, min_units: 10}\n");
        assertTrue(yaml.contains("method: growthbook"));
        Files.writeString(config, yaml);
        Path report = folder.resolve("report.html");
        Run table = run("analyze", "--config", config.toString(), "--report", report.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("always-valid relative CI [") && table.out().contains("[growthbook N*=2000]"),
                table.out());
        String html = Files.readString(report);
        assertTrue(html.contains("sequential (always-valid) relative interval") && html.contains("[growthbook N*"), html);
        Run json = run("analyze", "--config", config.toString(), "--format", "json");
        assertEquals(0, json.code(), json.err());
        JsonNode comparison = new ObjectMapper().readTree(json.out()).get("experiments").get(0).get("metrics").get(0)
                .get("comparisons").get(0);
        JsonNode sequential = comparison.get("sequential");
        assertEquals("growthbook", sequential.get("method").asText());
        // The wiring: the relative interval is the confidence sequence of the decision comparison's own relative lift
        // (CUPED-adjusted: the demo uses CUPED) with t = n_c + n_t (AsymptoticConfidenceSequence.test, checked
        // against the paper in pulse-stats).
        assertTrue(comparison.has("cuped"), comparison.toString());
        JsonNode decision = comparison.get("cuped");
        double estimate = decision.get("relative").get("estimate").asDouble();
        double se = decision.get("relative").get("std_error").asDouble();
        long t = comparison.get("control_units").asLong() + comparison.get("treatment_units").asLong();
        double k = t * sequential.get("rho").asDouble() * sequential.get("rho").asDouble();
        double half = se * Math.sqrt(2 * (k + 1) / k * Math.log(Math.sqrt(k + 1) / 0.05));
        assertEquals(estimate - half, sequential.get("relative").get("ci_lower").asDouble(), 1e-9 * Math.abs(half));
        Run csv = run("analyze", "--config", config.toString(), "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        assertTrue(csv.out().contains(",growthbook,"), csv.out());
    }
}
