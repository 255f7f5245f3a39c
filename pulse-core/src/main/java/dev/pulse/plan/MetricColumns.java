package dev.pulse.plan;

import dev.pulse.model.MetricName;
import dev.pulse.model.MetricType;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Which aggregate columns are a metric's per-unit X and Y.
 *
 * @param x the numerator's {@link AggregateColumn#id()}
 * @param y the denominator's id, empty when {@code Y ≡ 1}
 */
public record MetricColumns(MetricName metric, MetricType type, int x, OptionalInt y) {
    public MetricColumns {
        Objects.requireNonNull(metric);
        Objects.requireNonNull(type);
        Objects.requireNonNull(y);
    }
}
