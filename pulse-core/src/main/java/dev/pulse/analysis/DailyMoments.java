package dev.pulse.analysis;

import dev.pulse.model.MetricName;
import dev.pulse.stats.GroupMoments;

import java.time.LocalDate;
import java.util.Map;

/**
 * One day of daily results: the cumulative moments as of the end of {@code date}, over the units first
 * exposed by then, each unit's value over its rows up to then.
 *
 * @param units   counted units per group by the end of the day; no entry for a group without units yet
 * @param moments per series metric, per group: the moments of the per-unit (X, Y)
 */
public record DailyMoments(LocalDate date, Map<String, Long> units, Map<MetricName, Map<String, GroupMoments>> moments) {
    public DailyMoments {
        units = Map.copyOf(units);
        moments = ExperimentData.copy(moments);
    }
}
