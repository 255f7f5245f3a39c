package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.api.Estimate;
import dev.pulse.api.ExperimentSummary;
import dev.pulse.api.Format;
import dev.pulse.api.Lift;
import dev.pulse.api.MetricSummary;
import dev.pulse.api.Pulse;
import dev.pulse.api.Results;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API and {@code pulse analyze} give the same numbers for the same config (docs/java-api.md): the demo, once
 * as it is and once with CUPED and a correction, analysed by the CLI as JSON and by {@link Pulse#analysis}; and
 * {@code pulse --version} prints {@link Pulse#version()}.
 */
class ApiCliTest {
    @TempDir
    Path folder;

    @Test
    void theApiGivesTheNumbersOfTheClisJson() throws Exception {
        CliTest.Run demo = CliTest.run("demo", "--dir", folder.resolve("demo").toString(), "--orgs", "300");
        assertEquals(0, demo.code(), demo.err());
        Path plain = folder.resolve("demo/pulse.yaml");
        // the demo without its CUPED (and the bias check on CUPED's days), then with CUPED and a correction
        String text = ReportCliTest.withoutDemoOptions(Files.readString(plain), "cuped", "bias_check");
        Files.writeString(plain, text);
        assertTrue(text.contains("    metrics: ["), text);
        Path adjusted = folder.resolve("demo/adjusted.yaml");
        Files.writeString(adjusted, text.replace("    metrics: [",
                "    cuped: {lookback_days: 14}\n    correction: holm\n    metrics: ["));
        for (Path config : new Path[] {plain, adjusted}) {
            CliTest.Run cli = CliTest.run("analyze", "--config", config.toString(), "--format", "json");
            assertEquals(0, cli.code(), cli.err());
            JsonNode json = new ObjectMapper().readTree(cli.out());
            Results results = Pulse.analysis(Pulse.config(config)).run();
            // two runs of the same data: DuckDB's parallel sums may differ in their last bits, so numbers to 1e-12
            assertEquals(List.of(), differences("", json, new ObjectMapper().readTree(results.render(Format.JSON))),
                    "the same JSON, field by field");
            assertEquals(json.get("experiments").size(), results.experiments().size());
            for (int e = 0; e < results.experiments().size(); e++) {
                assertSameAsJson(results.experiments().get(e), json.get("experiments").get(e));
            }
            boolean anyAdjusted = results.experiments().stream().flatMap(x -> x.metrics().stream())
                    .flatMap(m -> m.lifts().stream()).anyMatch(Lift::cupedAdjusted);
            assertEquals(config == adjusted, anyAdjusted, config.toString());
        }
    }

    @Test
    void versionIsTheApisVersion() {
        StringWriter out = new StringWriter();
        assertEquals(0, PulseCli.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "--version"));
        assertEquals("pulse " + Pulse.version(), out.toString().strip());
        assertTrue(Pulse.version().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), Pulse.version());
    }

    private static void assertSameAsJson(ExperimentSummary experiment, JsonNode json) {
        assertEquals(experiment.name(), json.get("experiment").asText());
        assertEquals(experiment.unit(), json.get("unit").asText());
        assertEquals(experiment.engine(), json.get("engine").asText());
        assertEquals(experiment.start().toString(), json.get("start").asText());
        assertEquals(experiment.alpha(), json.get("alpha").asDouble());
        assertEquals(experiment.sampleRatio().orElseThrow().pValue(), json.get("srm").get("p_value").asDouble());
        for (int g = 0; g < experiment.groups().size(); g++) {
            assertEquals(experiment.groups().get(g).units(), json.get("groups").get(g).get("units").asLong());
        }
        JsonNode metrics = json.get("metrics");
        assertEquals(experiment.metrics().size(), metrics.size());
        for (int m = 0; m < metrics.size(); m++) {
            MetricSummary metric = experiment.metrics().get(m);
            JsonNode metricJson = metrics.get(m);
            assertEquals(metric.name(), metricJson.get("metric").asText());
            assertEquals(metric.type(), metricJson.get("type").asText());
            assertEquals(metric.role().name().toLowerCase(Locale.ROOT), metricJson.get("role").asText());
            assertEquals(metric.lifts().size(), metricJson.get("comparisons").size());
            for (int c = 0; c < metric.lifts().size(); c++) {
                Lift lift = metric.lifts().get(c);
                JsonNode comparison = metricJson.get("comparisons").get(c);
                JsonNode decision = lift.cupedAdjusted() ? comparison.get("cuped") : comparison;
                assertEquals(lift.group(), comparison.get("group").asText());
                assertEquals(lift.controlUnits(), comparison.get("control_units").asLong());
                assertEquals(lift.treatmentUnits(), comparison.get("treatment_units").asLong());
                assertSame(lift.absolute(), decision.get("absolute"));
                assertSame(lift.relative(), decision.get("relative"));
                assertSame(lift.pValue(), decision.get("p_value"));
                JsonNode correction = comparison.get("correction");
                assertEquals(lift.significant(), (correction != null ? correction : decision).get("significant").asBoolean());
            }
        }
    }

    private static void assertSame(Estimate estimate, JsonNode json) {
        assertSame(estimate.estimate(), json.get("estimate"));
        assertSame(estimate.standardError(), json.get("std_error"));
        assertSame(estimate.lower(), json.get("ci_lower"));
        assertSame(estimate.upper(), json.get("ci_upper"));
    }

    private static void assertSame(OptionalDouble value, JsonNode json) {
        if (json == null || json.isNull()) {
            assertTrue(value.isEmpty() || Double.isInfinite(value.getAsDouble()), "expected empty, got " + value);
        } else {
            assertEquals(json.asDouble(), value.orElseThrow(), 1e-12 * Math.max(1, Math.abs(json.asDouble())),
                    "the JSON's " + json);
        }
    }

    /** Where two JSON trees differ: numbers by more than 1e-12 relative, anything else at all. */
    private static List<String> differences(String path, JsonNode a, JsonNode b) {
        List<String> out = new java.util.ArrayList<>();
        if (a.isNumber() && b.isNumber()) {
            double x = a.asDouble();
            double y = b.asDouble();
            if (!(x == y || Math.abs(x - y) <= 1e-12 * Math.max(1, Math.max(Math.abs(x), Math.abs(y))))) {
                out.add(path + ": " + a + " vs " + b);
            }
        } else if (a.isContainerNode() && b.isContainerNode() && a.getNodeType() == b.getNodeType() && a.size() == b.size()) {
            if (a.isObject()) {
                a.fieldNames().forEachRemaining(name -> out.addAll(b.has(name)
                        ? differences(path + "/" + name, a.get(name), b.get(name)) : List.of(path + "/" + name + ": missing")));
            } else {
                for (int i = 0; i < a.size(); i++) {
                    out.addAll(differences(path + "/" + i, a.get(i), b.get(i)));
                }
            }
        } else if (!a.equals(b)) {
            out.add(path + ": " + a + " vs " + b);
        }
        return out;
    }
}
