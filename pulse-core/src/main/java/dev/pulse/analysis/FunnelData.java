package dev.pulse.analysis;

import dev.pulse.model.MetricName;
import dev.pulse.stats.GroupMoments;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the statement of one funnel metric of one experiment brings back (docs/metric-types.md#funnel): per
 * group the moments of the overall conversion's per-unit (X, Y) and of each step's, over all units and, with
 * dimensions, over each dimension value's units. A few numbers per group; never rows.
 *
 * @param conversions over all units
 * @param dimensions  with dimensions in the experiment: the same per dimension value, in the order the
 *                    statement returned them; else empty
 * @param sql         the statement
 */
public record FunnelData(MetricName metric, Conversions conversions, List<DimensionConversions> dimensions,
                         String sql) {
    public FunnelData {
        Objects.requireNonNull(metric);
        Objects.requireNonNull(conversions);
        dimensions = List.copyOf(dimensions);
        Objects.requireNonNull(sql);
    }

    /**
     * Per group the moments of the overall conversion, and per step from the second on (by name, in
     * order) of its conversion from the previous step. A group without units in the statement is absent.
     */
    public record Conversions(Map<String, GroupMoments> overall, Map<String, Map<String, GroupMoments>> steps) {
        public Conversions {
            // group and step order is report order: keep it
            overall = Collections.unmodifiableMap(new LinkedHashMap<>(overall));
            Map<String, Map<String, GroupMoments>> copy = new LinkedHashMap<>();
            steps.forEach((step, groups) -> copy.put(step, Collections.unmodifiableMap(new LinkedHashMap<>(groups))));
            steps = Collections.unmodifiableMap(copy);
        }
    }

    /** One dimension value's conversions, over the units with that value (or bucket). */
    public record DimensionConversions(String dimension, String value, Conversions conversions) {
        public DimensionConversions {
            Objects.requireNonNull(dimension);
            Objects.requireNonNull(value);
            Objects.requireNonNull(conversions);
        }
    }

    /** The units with {@code value} of {@code dimension} as data of their own, if the statement returned that value. */
    public Optional<FunnelData> dimension(String dimension, String value) {
        return dimensions.stream()
                .filter(slice -> slice.dimension().equals(dimension) && slice.value().equals(value))
                .findFirst()
                .map(slice -> new FunnelData(metric, slice.conversions(), List.of(), sql));
    }
}
