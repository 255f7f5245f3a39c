package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.Direction;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.SourceName;
import dev.pulse.model.UnitAggregate;
import dev.pulse.model.UnitThreshold;
import dev.pulse.model.Winsorization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML of docs/metric-types.md#threshold and #retention becomes these records; the records check themselves. */
class ThresholdRetentionConfigTest {
    private static final SourceName EVENTS = new SourceName("events");

    @TempDir
    Path folder;

    @Test
    void theDocumentedYamlLoads() throws IOException {
        Path file = folder.resolve("pulse.yaml");
        Files.writeString(file, """
                sources:
                  events: {table: events, timestamp: ts, ids: {org_id: org_id}}
                  exposures: {table: exposures, timestamp: ts, ids: {org_id: org_id}, experiment: e, group: g}
                metrics:
                  big_spenders:
                    type: threshold
                    source: events
                    aggregate: sum
                    value: amount
                    filter: "status = 'paid'"
                    threshold: 100
                  frequent: {type: threshold, source: events, aggregate: count, threshold: 2.5, comparison: ">", direction: increase}
                  week_1_users:
                    {type: threshold, source: events, aggregate: count_distinct, value: user_id, threshold: 3, window: {end_days: 7}}
                  d7_retention:
                    type: retention
                    source: events
                    filter: "event = 'session_start'"
                    start_days: 7
                    end_days: 8
                  d0_retention: {type: retention, source: events, start_days: 0, end_days: 1, direction: decrease}
                experiments:
                  exp:
                    assignment: exposures
                    unit: org_id
                    control: control
                    start: 2026-03-01
                    end: 2026-03-28
                    metrics: [big_spenders, frequent, week_1_users, d7_retention, d0_retention]
                """);
        assertEquals(List.of(), ConfigLoader.problems(file));
        PulseConfig config = ConfigLoader.load(file);
        assertEquals(new Metric.Threshold(new MetricName("big_spenders"), EVENTS, AggregateFunction.SUM, Optional.of("amount"),
                Optional.of("status = 'paid'"), new UnitThreshold(100, UnitThreshold.Comparison.AT_LEAST)),
                config.metric(new MetricName("big_spenders")));
        Metric frequent = config.metric(new MetricName("frequent"));
        assertEquals(new UnitAggregate(EVENTS, AggregateFunction.COUNT_ROWS, Optional.empty(), Optional.empty(),
                Optional.of(new UnitThreshold(2.5, UnitThreshold.Comparison.ABOVE))), frequent.numerator());
        assertEquals(Direction.INCREASE, frequent.options().direction());
        assertEquals(Optional.of(new MetricWindow(0, 7)), config.metric(new MetricName("week_1_users")).options().window());
        assertEquals(new Metric.Retention(new MetricName("d7_retention"), EVENTS, Optional.of("event = 'session_start'"),
                new MetricWindow(7, 8)), config.metric(new MetricName("d7_retention")));
        Metric d0 = config.metric(new MetricName("d0_retention"));
        assertEquals(new MetricOptions(Direction.DECREASE, Optional.empty(), Optional.of(new MetricWindow(0, 1))), d0.options());
        assertEquals(new UnitAggregate(EVENTS, AggregateFunction.ANY_ROW, Optional.empty(), Optional.empty()), d0.numerator());
    }

    @Test
    void anUnquotedComparisonIsAYamlErrorWithItsPosition() throws IOException {
        Path file = folder.resolve("unquoted.yaml");
        Files.writeString(file, """
                metrics:
                  big: {type: threshold, source: events, aggregate: sum, value: amount, threshold: 100, comparison: >=}
                """);
        String message = assertThrows(dev.pulse.error.PulseException.class, () -> ConfigLoader.load(file)).getMessage();
        assertTrue(message.startsWith(file + ":2:"), message);
    }

    @Test
    void theRecordsRefuseWhatTheConfigRefuses() {
        UnitThreshold hundred = new UnitThreshold(100, UnitThreshold.Comparison.AT_LEAST);
        assertTrue(hundred.reachedBy(100));
        assertFalse(new UnitThreshold(100, UnitThreshold.Comparison.ABOVE).reachedBy(100));
        assertTrue(new UnitThreshold(0, UnitThreshold.Comparison.AT_LEAST).reachedBy(0), "a unit without rows reaches 0");
        assertThrows(IllegalArgumentException.class, () -> new UnitThreshold(Double.NaN, UnitThreshold.Comparison.ABOVE));
        assertThrows(IllegalArgumentException.class, () -> new UnitThreshold(Double.POSITIVE_INFINITY,
                UnitThreshold.Comparison.ABOVE));
        MetricName name = new MetricName("m");
        assertThrows(IllegalArgumentException.class, () -> new Metric.Threshold(name, EVENTS, AggregateFunction.ANY_ROW,
                Optional.empty(), Optional.empty(), hundred));
        assertThrows(IllegalArgumentException.class, () -> new Metric.Threshold(name, EVENTS, AggregateFunction.COUNT_ROWS,
                Optional.of("amount"), Optional.empty(), hundred));
        MetricOptions capped = new MetricOptions(Direction.TWO_SIDED,
                Optional.of(new Winsorization(OptionalDouble.empty(), OptionalDouble.of(0.99))));
        assertThrows(IllegalArgumentException.class, () -> new Metric.Threshold(name, EVENTS, AggregateFunction.SUM,
                Optional.of("amount"), Optional.empty(), hundred, capped));
        assertThrows(IllegalArgumentException.class, () -> new Metric.Ratio(name,
                new UnitAggregate(EVENTS, AggregateFunction.SUM, Optional.of("amount"), Optional.empty(), Optional.of(hundred)),
                new UnitAggregate(EVENTS, AggregateFunction.COUNT_ROWS, Optional.empty(), Optional.empty())));

        MetricWindow week = new MetricWindow(7, 14);
        Metric.Retention retention = new Metric.Retention(name, EVENTS, Optional.empty(), week);
        assertEquals(Optional.of(week), retention.options().window());
        // new options keep the metric's own window; another window or caps are refused
        assertEquals(Optional.of(week), retention.withOptions(MetricOptions.DEFAULT).options().window());
        assertThrows(IllegalArgumentException.class, () -> retention.withOptions(new MetricOptions(Direction.TWO_SIDED,
                Optional.empty(), Optional.of(new MetricWindow(0, 7)))));
        assertThrows(IllegalArgumentException.class, () -> retention.withOptions(capped));
    }
}
