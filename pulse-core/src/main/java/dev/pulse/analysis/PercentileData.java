package dev.pulse.analysis;

import dev.pulse.model.MetricName;
import dev.pulse.stats.GroupMoments;
import dev.pulse.stats.Interval;
import dev.pulse.stats.Percentiles;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the statements of one percentile metric of one experiment bring back (docs/metric-types.md#percentile), with
 * the statistics of {@link Percentiles} applied: per group the quantile and its cluster-aware interval, and each
 * treatment's difference from the control. A few numbers per group; never rows.
 *
 * @param probability       the quantile's probability p
 * @param alpha             the experiment's two-sided level
 * @param control           the experiment's control group
 * @param groups            the listed groups in config order, or, when none are listed, the control
 *                          and then the groups found in the data by name; a group without units is
 *                          present with {@code units = 0}
 * @param comparisons       every group but the control against the control, in {@code groups} order
 * @param indicatorSql      the statement of passes 1 and 2
 * @param levelQuantilesSql the statement of pass 3 (its group names and dimension values are {@code ?}
 *                          parameters); empty when no group had levels (every group has
 *                          fewer than 2 units or no records)
 * @param dimensions        with dimensions in the experiment: the same per dimension value, over that
 *                          value's units alone, from the same two statements, in the order the
 *                          indicator statement returned them; else empty
 */
public record PercentileData(
        MetricName metric,
        double probability,
        double alpha,
        String control,
        List<GroupQuantile> groups,
        List<QuantileDifference> comparisons,
        String indicatorSql,
        Optional<String> levelQuantilesSql,
        List<DimensionQuantiles> dimensions) {

    public PercentileData {
        Objects.requireNonNull(metric);
        Objects.requireNonNull(control);
        groups = List.copyOf(groups);
        comparisons = List.copyOf(comparisons);
        Objects.requireNonNull(indicatorSql);
        Objects.requireNonNull(levelQuantilesSql);
        dimensions = List.copyOf(dimensions);
    }

    /** Data without dimensions. */
    public PercentileData(MetricName metric, double probability, double alpha, String control, List<GroupQuantile> groups,
                          List<QuantileDifference> comparisons, String indicatorSql, Optional<String> levelQuantilesSql) {
        this(metric, probability, alpha, control, groups, comparisons, indicatorSql, levelQuantilesSql, List.of());
    }

    /** The group named {@code name}, if reported. */
    public Optional<GroupQuantile> group(String name) {
        return groups.stream().filter(group -> group.name().equals(name)).findFirst();
    }

    /**
     * The units with {@code value} of {@code dimension} as data of their own (the same metric, level and
     * statements, no further dimensions), if the statements returned that value.
     */
    public Optional<PercentileData> dimension(String dimension, String value) {
        return dimensions.stream()
                .filter(slice -> slice.dimension().equals(dimension) && slice.value().equals(value))
                .findFirst()
                .map(slice -> new PercentileData(metric, probability, alpha, control, slice.groups(), slice.comparisons(),
                        indicatorSql, levelQuantilesSql));
    }

    /**
     * One dimension value's quantiles: its own Q̂, indicator moments, levels and interval per group, over
     * the group's units with that value.
     *
     * @param value the value at the units' first exposure, {@code (null)}, or the {@code (other)} bucket
     * @param groups      as {@link PercentileData#groups}: every group, with {@code units = 0} where the
     *                    value has none
     * @param comparisons as {@link PercentileData#comparisons}
     */
    public record DimensionQuantiles(String dimension, String value, List<GroupQuantile> groups,
                                     List<QuantileDifference> comparisons) {
        public DimensionQuantiles {
            Objects.requireNonNull(dimension);
            Objects.requireNonNull(value);
            groups = List.copyOf(groups);
            comparisons = List.copyOf(comparisons);
        }
    }

    /**
     * One group's quantile.
     *
     * @param units            counted units of the group (with or without rows)
     * @param records          the group's rows with a non-NULL value after the filter
     * @param quantile         the discrete quantile {@code Q̂} of those rows, or null without records
     * @param indicatorMoments per-unit moments of X = rows with {@code value <= Q̂} and Y = records
     *                         (all zero without records)
     * @param levels           {@link Percentiles#levels} of those moments
     * @param interval         {@link Percentiles#interval}: estimate Q̂ (null without records), its
     *                         standard error and the interval {@code [Q(lower level), Q(upper level)]}
     *                         (null when the levels are)
     * @param warnings         why a figure is null; copied
     */
    public record GroupQuantile(String name, long units, long records, Double quantile, GroupMoments indicatorMoments,
                                Percentiles.Levels levels, Interval interval, List<String> warnings) {
        public GroupQuantile {
            Objects.requireNonNull(name);
            Objects.requireNonNull(indicatorMoments);
            Objects.requireNonNull(levels);
            Objects.requireNonNull(interval);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * One treatment's quantile against the control's.
     *
     * @param statistics {@link Percentiles#compare} of the two groups' intervals (two-sided); empty when
     *                   either group has no quantile
     * @param warnings   why the statistics are empty; copied (the statistics carry their own)
     */
    public record QuantileDifference(String group, String control, Optional<Percentiles.QuantileComparison> statistics,
                                     List<String> warnings) {
        public QuantileDifference {
            Objects.requireNonNull(group);
            Objects.requireNonNull(control);
            Objects.requireNonNull(statistics);
            warnings = List.copyOf(warnings);
        }
    }
}
