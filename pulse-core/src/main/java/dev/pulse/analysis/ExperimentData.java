package dev.pulse.analysis;

import dev.pulse.model.MetricName;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.GroupMoments;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one experiment's statement brings back from the warehouse: O(groups × metrics) numbers.
 *
 * @param units                 counted units per group found in the data (listed groups only, when listed)
 * @param moments               per metric, per group: the moments of the per-unit (X, Y)
 * @param excludedMultipleGroups units exposed to more than one group
 * @param excludedUnknownGroup   units whose only group is not listed in the config
 * @param sql                   the statement that produced it
 * @param covariates            with CUPED, per metric, per group: the moments of (X, Y) and of the
 *                              pre-period (X₀, Y₀) with the cross covariances (same groups as
 *                              {@code moments}); empty without CUPED
 * @param excludedWindowOpen     per metric with a window: units (all groups) left out of it because
 *                               their window had not closed by the experiment's end; other metrics are
 *                               absent
 * @param dimensions             with dimensions in the experiment: the moments per dimension value, in
 *                               report order ({@link DimensionData#ordered}); else empty
 * @param idResolution           with an ID mapping in the experiment: what it excluded; else empty
 * @param timeseries             with daily results: every day from start to end, in order (a day before
 *                               any first exposure has no groups), from the same statement; else empty
 * @param excludedNotTriggered   under a trigger, exposed units that would be counted but never qualified;
 *                               else 0
 * @param covariateSets          under CUPED with several covariates, per metric adjusted by them: the covariates'
 *                               joint moments per group; else empty
 * @param daysSinceExposure      with daily results: for k = 0 to the number of days − 1, in order, the moments of the
 *                               series metrics by days since exposure ({@link ExposureDayMoments}), from the same
 *                               statement; else empty
 */
public record ExperimentData(
        Map<String, Long> units,
        Map<MetricName, Map<String, GroupMoments>> moments,
        long excludedMultipleGroups,
        long excludedUnknownGroup,
        String sql,
        Map<MetricName, Map<String, CovariateMoments>> covariates,
        Map<MetricName, Long> excludedWindowOpen,
        List<DimensionData> dimensions,
        Optional<IdResolution> idResolution,
        List<DailyMoments> timeseries,
        long excludedNotTriggered,
        Map<MetricName, CovariateSet> covariateSets,
        List<ExposureDayMoments> daysSinceExposure) {

    public ExperimentData {
        units = Collections.unmodifiableMap(new LinkedHashMap<>(units));
        moments = copy(moments);
        covariates = copy(covariates);
        excludedWindowOpen = Collections.unmodifiableMap(new LinkedHashMap<>(excludedWindowOpen));
        dimensions = List.copyOf(dimensions);
        Objects.requireNonNull(idResolution);
        timeseries = List.copyOf(timeseries);
        covariateSets = Collections.unmodifiableMap(new LinkedHashMap<>(covariateSets));
        daysSinceExposure = List.copyOf(daysSinceExposure);
    }

    /** The data without a days-since-exposure series. */
    public ExperimentData(Map<String, Long> units, Map<MetricName, Map<String, GroupMoments>> moments,
                          long excludedMultipleGroups, long excludedUnknownGroup, String sql,
                          Map<MetricName, Map<String, CovariateMoments>> covariates,
                          Map<MetricName, Long> excludedWindowOpen, List<DimensionData> dimensions,
                          Optional<IdResolution> idResolution, List<DailyMoments> timeseries, long excludedNotTriggered,
                          Map<MetricName, CovariateSet> covariateSets) {
        this(units, moments, excludedMultipleGroups, excludedUnknownGroup, sql, covariates, excludedWindowOpen,
                dimensions, idResolution, timeseries, excludedNotTriggered, covariateSets, List.of());
    }

    /** The data without several covariates. */
    public ExperimentData(Map<String, Long> units, Map<MetricName, Map<String, GroupMoments>> moments,
                          long excludedMultipleGroups, long excludedUnknownGroup, String sql,
                          Map<MetricName, Map<String, CovariateMoments>> covariates,
                          Map<MetricName, Long> excludedWindowOpen, List<DimensionData> dimensions,
                          Optional<IdResolution> idResolution, List<DailyMoments> timeseries, long excludedNotTriggered) {
        this(units, moments, excludedMultipleGroups, excludedUnknownGroup, sql, covariates, excludedWindowOpen,
                dimensions, idResolution, timeseries, excludedNotTriggered, Map.of(), List.of());
    }

    static <T> Map<MetricName, Map<String, T>> copy(Map<MetricName, Map<String, T>> byMetric) {
        LinkedHashMap<MetricName, Map<String, T>> copy = new LinkedHashMap<>();
        byMetric.forEach((metric, groups) -> copy.put(metric, Collections.unmodifiableMap(new LinkedHashMap<>(groups))));
        return Collections.unmodifiableMap(copy);
    }
}
