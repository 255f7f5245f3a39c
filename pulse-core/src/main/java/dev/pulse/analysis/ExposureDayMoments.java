package dev.pulse.analysis;

import dev.pulse.model.MetricName;
import dev.pulse.stats.GroupMoments;

import java.util.Map;

/**
 * One point of the days-since-exposure series: the moments of each unit's value through its own day
 * {@code daysSinceExposure} (day 0 is the UTC day of its first exposure), over the units whose day k ended by the
 * experiment's end (docs/daily-results.md#days-since-exposure).
 *
 * @param units   those units per group; no entry for a group without such a unit
 * @param moments per series metric, per group: the moments of the per-unit (X, Y) through day k
 */
public record ExposureDayMoments(int daysSinceExposure, Map<String, Long> units,
                                 Map<MetricName, Map<String, GroupMoments>> moments) {
    public ExposureDayMoments {
        if (daysSinceExposure < 0) {
            throw new IllegalArgumentException("days since exposure must be at least 0: " + daysSinceExposure);
        }
        units = Map.copyOf(units);
        moments = ExperimentData.copy(moments);
    }
}
