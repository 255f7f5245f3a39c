package dev.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.error.PulseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * The Java API end to end on an in-memory DuckDB, over data made by the config's own {@code sql:} sources (as the
 * example project under examples/java-api does): 2,000 users alternate between control and treatment; each buys
 * once, for 10 + (k mod 5 − 2) in control and 11 + (k mod 5 − 2) in treatment, where k is the user's pair. So the
 * control's mean revenue is exactly 10, the treatment's 11, and the lift +10 %. The typed summaries must equal the
 * JSON rendering of the same results (which {@code pulse analyze --format json} prints; pulse-cli's
 * {@code ApiCliTest} checks that).
 */
class PulseApiTest {
    static final String CONFIG = """
            sources:
              exposures:
                sql: |
                  SELECT 'u' || CAST(i AS VARCHAR) AS user_id,
                         TIMESTAMP '2026-03-01 00:00:00' + to_days(CAST(i % 7 AS INTEGER)) AS exposed_at,
                         'checkout_v2' AS experiment,
                         CASE WHEN i % 2 = 0 THEN 'control' ELSE 'treatment' END AS variant
                  FROM range(2000) AS t(i)
                timestamp: exposed_at
                ids: {user_id: user_id}
                experiment: experiment
                group: variant
              purchases:
                sql: |
                  SELECT 'u' || CAST(i AS VARCHAR) AS user_id,
                         TIMESTAMP '2026-03-01 01:00:00' + to_days(CAST(i % 7 AS INTEGER)) AS ts,
                         10 + i % 2 + (i // 2) % 5 - 2 AS revenue
                  FROM range(2000) AS t(i)
                timestamp: ts
                ids: {user_id: user_id}
            metrics:
              revenue: {type: sum, source: purchases, value: revenue}
              purchases: {type: count, source: purchases}
            experiments:
              checkout_v2:
                assignment: exposures
                unit: user_id
                control: control
                groups: {control: 0.5, treatment: 0.5}
                start: 2026-03-01
                end: 2026-03-14
                metrics: [revenue, purchases]
                roles: {revenue: primary, purchases: guardrail}
            """;

    @Test
    void analysesAnExperimentAndItsSummariesEqualTheJson() throws Exception {
        Config config = Pulse.config(CONFIG, Path.of("pulse.yaml"));
        assertEquals(List.of("checkout_v2"), config.experiments());
        assertEquals("duckdb", config.engine());
        List<String> phases = new ArrayList<>();
        Results results = Pulse.analysis(config).experiments("checkout_v2").progress(phases::add).run();
        assertEquals(List.of("connecting to duckdb", "experiment 1/1 checkout_v2: running the SQL in duckdb"), phases);

        ExperimentSummary experiment = results.experiment("checkout_v2").orElseThrow();
        assertEquals(List.of(new GroupUnits("control", 1000, 0.5), new GroupUnits("treatment", 1000, 0.5)),
                experiment.groups());
        assertTrue(experiment.sampleRatio().orElseThrow().passed());
        Lift lift = experiment.metric("revenue").orElseThrow().lift("treatment").orElseThrow();
        assertEquals(Role.PRIMARY, experiment.metric("revenue").orElseThrow().role());
        assertEquals(Role.GUARDRAIL, experiment.metric("purchases").orElseThrow().role());
        assertClose(10.0, lift.controlMean());
        assertClose(11.0, lift.treatmentMean());
        assertClose(1.0, lift.absolute().estimate());
        assertClose(0.1, lift.relative().estimate());
        assertTrue(lift.significant());
        assertFalse(lift.cupedAdjusted());

        JsonNode json = new ObjectMapper().readTree(results.render(Format.JSON));
        JsonNode experimentJson = json.get("experiments").get(0);
        assertEquals(experiment.name(), experimentJson.get("experiment").asText());
        assertEquals(experiment.unit(), experimentJson.get("unit").asText());
        assertEquals(experiment.start().toString(), experimentJson.get("start").asText());
        assertEquals(experiment.alpha(), experimentJson.get("alpha").asDouble());
        assertEquals(experiment.sampleRatio().orElseThrow().pValue(), experimentJson.get("srm").get("p_value").asDouble());
        assertSameAsJson(experiment, experimentJson);
        assertTrue(results.render(Format.HTML).startsWith("<!DOCTYPE html>"));
        assertTrue(results.render(Format.CSV).lines().anyMatch(line -> line.startsWith("checkout_v2,revenue,")),
                results.render(Format.CSV));
        assertTrue(results.render(Format.TABLE).contains("revenue"));
    }

    /** Every metric and lift of {@code experiment} against the experiment's object of the CLI's JSON. */
    static void assertSameAsJson(ExperimentSummary experiment, JsonNode json) {
        JsonNode metrics = json.get("metrics");
        assertEquals(experiment.metrics().size(), metrics.size());
        for (int m = 0; m < metrics.size(); m++) {
            MetricSummary metric = experiment.metrics().get(m);
            JsonNode metricJson = metrics.get(m);
            assertEquals(metric.name(), metricJson.get("metric").asText());
            assertEquals(metric.type(), metricJson.get("type").asText());
            assertEquals(metric.role().name().toLowerCase(java.util.Locale.ROOT), metricJson.get("role").asText());
            assertEquals(metric.lifts().size(), metricJson.get("comparisons").size());
            for (int c = 0; c < metric.lifts().size(); c++) {
                Lift lift = metric.lifts().get(c);
                JsonNode comparison = metricJson.get("comparisons").get(c);
                JsonNode decision = lift.cupedAdjusted() ? comparison.get("cuped") : comparison;
                assertEquals(lift.group(), comparison.get("group").asText());
                assertEquals(lift.control(), comparison.get("control").asText());
                assertEquals(lift.controlUnits(), comparison.get("control_units").asLong());
                assertEquals(lift.treatmentUnits(), comparison.get("treatment_units").asLong());
                assertSame(lift.controlMean(), comparison.get("control_mean"));
                assertSame(lift.treatmentMean(), comparison.get("treatment_mean"));
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
            assertEquals(json.asDouble(), value.orElseThrow(), "the JSON's " + json);
        }
    }

    private static void assertClose(double expected, OptionalDouble actual) {
        assertEquals(expected, actual.orElseThrow(), 1e-12);
    }

    @Test
    void anUnknownExperimentIsRefusedWithTheClosestName() {
        Config config = Pulse.config(CONFIG, Path.of("pulse.yaml"));
        PulseException e = assertThrows(PulseException.class, () -> Pulse.analysis(config).experiments("checkout_v3"));
        assertEquals(PulseException.Category.INPUT_INVALID, e.category());
        assertEquals(2, e.category().exitCode());
        assertEquals("experiment checkout_v3: no such experiment in pulse.yaml (did you mean 'checkout_v2'?"
                + " experiments: checkout_v2)", e.getMessage());
    }

    @Test
    void aBadConfigFailsWithItsPosition() {
        PulseException e = assertThrows(PulseException.class,
                () -> Pulse.config(CONFIG.replace("type: sum", "type: summ"), Path.of("api.yaml")));
        assertEquals(PulseException.Category.CONFIG_INVALID, e.category());
        assertTrue(e.getMessage().startsWith("api.yaml:"), e.getMessage());
        assertTrue(e.getMessage().contains("summ"), e.getMessage());
    }

    @Test
    void aCancelledRunStopsWithCancellationException() {
        Config config = Pulse.config(CONFIG, Path.of("pulse.yaml"));
        Cancellation cancellation = new Cancellation();
        Analysis analysis = Pulse.analysis(config).cancellation(cancellation).progress(phase -> {
            if (phase.contains("running the SQL")) {
                cancellation.cancel();
            }
        });
        assertThrows(CancellationException.class, analysis::run);
        assertTrue(cancellation.isCancelled());
        assertThrows(CancellationException.class, analysis::run, "a cancelled token stops a later run at once");
    }

    @Test
    void theVersionIsTheBuildsSemanticVersion() {
        assertTrue(Pulse.version().matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?"), Pulse.version());
        assertEquals(System.getProperty("pulse.project.version", Pulse.version()), Pulse.version());
    }

    @Test
    void aConfigNotMadeByPulseIsRefused() {
        Config foreign = new Config() {
            @Override
            public Path file() {
                return Path.of("pulse.yaml");
            }

            @Override
            public List<String> experiments() {
                return List.of();
            }

            @Override
            public String engine() {
                return "duckdb";
            }
        };
        assertThrows(IllegalArgumentException.class, () -> Pulse.analysis(foreign));
    }
}
