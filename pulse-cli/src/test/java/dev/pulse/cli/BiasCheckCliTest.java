package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pre-experiment bias check end to end: {@code pulse stats} with pre-period sums against the independent
 * reference of pulse-stats ({@code bias_reference.json}, from raw units by {@code make_reference_bias.py}), and
 * {@code pulse analyze} on the demo with {@code bias_check} and no CUPED.
 */
class BiasCheckCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REFERENCE = Path.of("../pulse-stats/src/test/resources/reference/bias_reference.json");

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

    /** Raw sums from the reference's moments (n, means, sample variances and covariance). */
    private static void sums(ObjectNode target, JsonNode moments, boolean ratio) {
        long n = moments.get("n").asLong();
        double mx = moments.get("mean_x").asDouble();
        double my = moments.get("mean_y").asDouble();
        target.put("sum_x", n * mx);
        target.put("sum_x2", (n - 1) * moments.get("var_x").asDouble() + n * mx * mx);
        if (ratio) {
            target.put("sum_y", n * my);
            target.put("sum_y2", (n - 1) * moments.get("var_y").asDouble() + n * my * my);
            target.put("sum_xy", (n - 1) * moments.get("cov_xy").asDouble() + n * mx * my);
        }
    }

    /** The reference's family as a {@code pulse stats} input: each group's pre sums (and the same as its sums). */
    private Path statsInput(JsonNode reference) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("control", "control");
        root.putObject("bias_check").put("threshold", reference.get("threshold").asDouble());
        ArrayNode metrics = root.putArray("metrics");
        for (String metric : new String[] {"revenue_per_user", "orders"}) {
            boolean ratio = metric.equals("revenue_per_user");
            ObjectNode m = metrics.addObject().put("metric", metric).put("type", ratio ? "ratio" : "count");
            ArrayNode groups = m.putArray("groups");
            boolean controlDone = false;
            for (JsonNode input : reference.get("inputs")) {
                if (!input.get("metric").asText().equals(metric)) {
                    continue;
                }
                if (!controlDone) {
                    ObjectNode control = groups.addObject().put("name", "control").put("n", input.get("control").get("n").asLong());
                    sums(control, input.get("control"), ratio);
                    sums(control.putObject("pre"), input.get("control"), ratio);
                    controlDone = true;
                }
                ObjectNode group = groups.addObject().put("name", input.get("treatment").asText())
                        .put("n", input.get("treated").get("n").asLong());
                sums(group, input.get("treated"), ratio);
                sums(group.putObject("pre"), input.get("treated"), ratio);
            }
        }
        Path file = folder.resolve("stats.json");
        Files.writeString(file, JSON.writeValueAsString(root));
        return file;
    }

    @Test
    void pulseStatsMatchesTheReference() throws IOException {
        JsonNode reference = JSON.readTree(REFERENCE.toFile());
        Path input = statsInput(reference);
        Run run = run("stats", "--input", input.toString(), "--format", "json");
        assertEquals(0, run.code(), run.err());
        JsonNode out = JSON.readTree(run.out());
        assertEquals(reference.get("family_size").asInt(), out.get("bias_check").get("family_size").asInt());
        assertTrue(out.get("bias_check").get("lookback_days").isNull());
        int i = 0;
        for (JsonNode want : reference.get("expected")) {
            JsonNode in = reference.get("inputs").get(i++);
            JsonNode metric = out.get("metrics").get(in.get("metric").asText().equals("orders") ? 1 : 0);
            JsonNode comparison = null;
            for (JsonNode c : metric.get("comparisons")) {
                if (c.get("group").asText().equals(in.get("treatment").asText())) {
                    comparison = c.get("bias_check");
                }
            }
            String what = in.get("metric").asText() + "/" + in.get("treatment").asText();
            // sums from rounded moments: estimates within 1e-9 relative, the rest within 1e-6
            close(want.get("control_mean").asDouble(), comparison.get("control_pre_mean").asDouble(), 1e-9, what);
            close(want.get("treatment_mean").asDouble(), comparison.get("treatment_pre_mean").asDouble(), 1e-9, what);
            close(want.get("std_error").asDouble(), comparison.get("difference").get("std_error").asDouble(), 1e-6, what);
            close(want.get("p_value").asDouble(), comparison.get("p_value").asDouble(), 1e-6, what);
            close(want.get("adjusted_p_value").asDouble(), comparison.get("adjusted_p_value").asDouble(), 1e-6, what);
            assertEquals(want.get("flagged").asBoolean(), comparison.get("flagged").asBoolean(), what);
            assertEquals(false, comparison.get("cuped_corrects").asBoolean(), what);
        }
        Run table = run("stats", "--input", input.toString());
        assertTrue(table.out().startsWith("!! PRE-EXPERIMENT BIAS: revenue_per_user (treatment_b), orders (treatment_b)"
                + " differed from control before exposure (pre-period, Bonferroni-adjusted p < 0.001 over 4 comparisons)."
                + " Not corrected: revenue_per_user, orders; turn on cuped to adjust for it, or check the assignment."),
                table.out());
        Run csv = run("stats", "--input", input.toString(), "--format", "csv");
        java.util.List<String> header = java.util.List.of(csv.out().lines().findFirst().orElseThrow().split(","));
        int flagged = header.indexOf("bias_flagged");
        assertTrue(csv.out().lines().filter(line -> line.contains(",treatment_b,")).allMatch(line ->
                java.util.List.of(line.split(",", -1)).subList(flagged, flagged + 2).equals(java.util.List.of("true", "false"))),
                csv.out());
    }

    @Test
    void pulseStatsRefusesPrePeriodSumsForSomeGroupsOnly() throws IOException {
        Path input = folder.resolve("bad.json");
        Files.writeString(input, """
                {"control": "control", "bias_check": {"threshold": 0.01},
                 "metrics": [{"metric": "m", "type": "sum", "groups": [
                   {"name": "control", "n": 2, "sum_x": 1, "sum_x2": 1, "pre": {"sum_x": 1, "sum_x2": 1}},
                   {"name": "t", "n": 2, "sum_x": 1, "sum_x2": 1}]}]}""");
        Run bad = run("stats", "--input", input.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("metrics[0].groups: pre-period sums (\"pre\") are given for some groups but not for [t]"),
                bad.err());
        Files.writeString(input, """
                {"control": "control", "bias_check": {"treshold": 0.01},
                 "metrics": [{"metric": "m", "type": "sum", "groups": [
                   {"name": "control", "n": 2, "sum_x": 1, "sum_x2": 1}, {"name": "t", "n": 2, "sum_x": 1, "sum_x2": 1}]}]}""");
        bad = run("stats", "--input", input.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("bias_check.treshold: unknown field 'treshold' (did you mean 'threshold'?)"), bad.err());
    }

    @Test
    void pulseAnalyzeWithTheCheckAlone() throws IOException {
        Run demo = run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
        Path config = folder.resolve("demo/bias.yaml");
        // the demo turns CUPED and the check on together; here the check runs alone, on its own pre-period
        String yaml = ReportCliTest.withoutDemoOptions(Files.readString(folder.resolve("demo/pulse.yaml")), "cuped",
                "bias_check");
        assertTrue(yaml.contains("    alpha: 0.05\n"));
        Files.writeString(config, yaml.replaceFirst("    alpha: 0.05\n", "    alpha: 0.05\n    bias_check: {lookback_days: 7}\n"));
        Run run = run("analyze", "--config", config.toString(), "--format", "json");
        assertEquals(0, run.code(), run.err());
        JsonNode experiment = JSON.readTree(run.out()).get("experiments").get(0);
        JsonNode check = experiment.get("bias_check");
        assertEquals(7, check.get("lookback_days").asInt());
        assertEquals(0.001, check.get("threshold").asDouble());
        assertTrue(check.get("family_size").asInt() > 0, check.toString());
        for (JsonNode metric : experiment.get("metrics")) {
            JsonNode comparison = metric.get("comparisons").get(0);
            assertTrue(comparison.get("cuped") == null, "no adjustment without cuped: " + metric.get("metric"));
            boolean percentileOrFunnel = java.util.List.of("percentile", "funnel").contains(metric.get("type").asText());
            assertEquals(!percentileOrFunnel, comparison.has("bias_check"), metric.get("metric").asText());
        }
    }

    private static void close(double expected, double actual, double relative, String what) {
        assertTrue(Math.abs(expected - actual) <= relative * Math.abs(expected) + 1e-12,
                what + ": expected " + expected + " but was " + actual);
    }
}
