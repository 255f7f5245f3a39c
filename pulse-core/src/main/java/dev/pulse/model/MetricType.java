package dev.pulse.model;

import java.util.Locale;

/** The metric types of docs/metric-types.md, by their config names. */
public enum MetricType {
    SUM,
    COUNT,
    COUNT_DISTINCT,
    UNIT_COUNT,
    MEAN,
    RATIO,
    PERCENTILE,
    FIRST_VALUE,
    LATEST_VALUE,
    PARTICIPATION,
    THRESHOLD,
    RETENTION,
    FUNNEL;

    /**
     * True when a unit may have no value (Y = 0) and is then left out of the group value: the results count
     * each group's units with a value (ΣY).
     */
    public boolean unitsMayLackValue() {
        return this == FIRST_VALUE || this == LATEST_VALUE;
    }

    /** The name used in the config and in results: {@code count_distinct}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
