package dev.pulse.analysis;

import dev.pulse.model.Dimensions;
import dev.pulse.model.MetricName;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.GroupMoments;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The moments of the units with one value of one dimension (docs/dimensions.md: per-dimension partial
 * moments, from the experiment's one statement).
 *
 * @param dimension  the assignment-source column
 * @param value      its value at the units' first exposure, {@link Dimensions#NULL_VALUE} or the
 *                   {@link Dimensions#OTHER} bucket
 * @param units      counted units per group with this value
 * @param moments    per metric, per group
 * @param covariates with CUPED, per metric, per group; else empty
 * @param excludedWindowOpen per metric with a window: this value's counted units (all groups) left out of
 *                   it because their window had not closed by the experiment's end
 */
public record DimensionData(
        String dimension,
        String value,
        Map<String, Long> units,
        Map<MetricName, Map<String, GroupMoments>> moments,
        Map<MetricName, Map<String, CovariateMoments>> covariates,
        Map<MetricName, Long> excludedWindowOpen) {

    public DimensionData {
        Objects.requireNonNull(dimension);
        Objects.requireNonNull(value);
        units = Collections.unmodifiableMap(new LinkedHashMap<>(units));
        moments = ExperimentData.copy(moments);
        covariates = ExperimentData.copy(covariates);
        excludedWindowOpen = Collections.unmodifiableMap(new LinkedHashMap<>(excludedWindowOpen));
    }

    /** Units of every group with this value. */
    public long totalUnits() {
        return units.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * {@code data} in report order: dimensions as configured; within one, values by units (most
     * first, then by value in code point order, as the SQL ranks them), the OTHER bucket last.
     */
    static List<DimensionData> ordered(List<String> dimensions, List<DimensionData> data) {
        Comparator<DimensionData> order = Comparator
                .comparingInt((DimensionData d) -> dimensions.indexOf(d.dimension()))
                .thenComparing(d -> d.value().equals(Dimensions.OTHER))
                .thenComparing(Comparator.comparingLong(DimensionData::totalUnits).reversed())
                .thenComparing(DimensionData::value, DimensionData::compareCodePoints);
        return data.stream().sorted(order).toList();
    }

    /**
     * Code point order, the byte order of UTF-8 (which {@link String#compareTo}, comparing UTF-16 units,
     * is not for characters above U+FFFF against those from U+E000 to U+FFFF).
     */
    static int compareCodePoints(String left, String right) {
        return java.util.Arrays.compare(left.codePoints().toArray(), right.codePoints().toArray());
    }
}
