package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.SourceName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A funnel's config as docs/config-reference.md#funnels gives it: the defaults and every option. */
class FunnelConfigTest {
    @TempDir
    Path folder;

    private static final String SOURCES = """
            sources:
              events: {table: events, timestamp: ts, ids: {org_id: org_id}}
              purchases: {table: purchases, timestamp: ts, ids: {org_id: org_id}}
              exposures: {table: exposures, timestamp: ts, ids: {org_id: org_id}, experiment: experiment, group: grp}
            """;

    private PulseConfig load(String metric) throws IOException {
        Path file = folder.resolve("pulse.yaml");
        Files.writeString(file, SOURCES + "metrics:\n" + metric + """
                experiments:
                  checkout: {assignment: exposures, unit: org_id, control: control, start: 2026-03-01, metrics: [f]}
                """);
        return ConfigLoader.load(file);
    }

    @Test
    void defaultsAreOrderedNoWindowAndFirstStep() throws IOException {
        Metric.Funnel funnel = (Metric.Funnel) load("""
                  f:
                    type: funnel
                    steps:
                      - {name: viewed, source: events, filter: "event = 'view'"}
                      - {name: bought, source: purchases}
                """).metric(new MetricName("f"));
        assertEquals(List.of(new Metric.Funnel.Step("viewed", new SourceName("events"), Optional.of("event = 'view'")),
                new Metric.Funnel.Step("bought", new SourceName("purchases"), Optional.empty())), funnel.steps());
        assertEquals(OptionalInt.empty(), funnel.windowDays());
        assertEquals(Metric.Funnel.WindowFrom.FIRST_STEP, funnel.windowFrom());
        assertEquals(true, funnel.ordered());
        assertEquals(Metric.Funnel.Denominator.FIRST_STEP, funnel.denominatorKind());
        assertEquals(List.of(new SourceName("events"), new SourceName("purchases")), funnel.sources());
        assertEquals("funnel", funnel.type().configName());
    }

    @Test
    void everyOption() throws IOException {
        Metric.Funnel funnel = (Metric.Funnel) load("""
                  f:
                    type: funnel
                    steps: [{name: a, source: events}, {name: b, source: events}, {name: c, source: events}]
                    window_days: 3
                    window_from: previous_step
                    ordered: false
                    denominator: exposed
                    direction: increase
                """).metric(new MetricName("f"));
        assertEquals(OptionalInt.of(3), funnel.windowDays());
        assertEquals(Metric.Funnel.WindowFrom.PREVIOUS_STEP, funnel.windowFrom());
        assertEquals(false, funnel.ordered());
        assertEquals(Metric.Funnel.Denominator.EXPOSED, funnel.denominatorKind());
        assertEquals(dev.pulse.model.Direction.INCREASE, funnel.options().direction());
        assertEquals(List.of(new SourceName("events")), funnel.sources());
        assertEquals(Optional.empty(), funnel.denominator());
    }
}
