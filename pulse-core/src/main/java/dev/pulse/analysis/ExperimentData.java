package dev.pulse.analysis;

import dev.pulse.model.MetricName;
import dev.pulse.stats.GroupMoments;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one experiment's statement brings back from the warehouse: O(groups × metrics) numbers.
 *
 * @param units                 counted units per group found in the data (listed groups only, when listed)
 * @param moments               per metric, per group: the moments of the per-unit (X, Y)
 * @param excludedMultipleGroups units exposed to more than one group
 * @param excludedUnknownGroup   units whose only group is not listed in the config
 * @param sql                   the statement that produced it
 */
public record ExperimentData(
        Map<String, Long> units,
        Map<MetricName, Map<String, GroupMoments>> moments,
        long excludedMultipleGroups,
        long excludedUnknownGroup,
        String sql) {

    public ExperimentData {
        units = Collections.unmodifiableMap(new LinkedHashMap<>(units));
        LinkedHashMap<MetricName, Map<String, GroupMoments>> copy = new LinkedHashMap<>();
        moments.forEach((metric, groups) -> copy.put(metric, Collections.unmodifiableMap(new LinkedHashMap<>(groups))));
        moments = Collections.unmodifiableMap(copy);
    }
}
