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
    FUNNEL;

    /** The name used in the config and in results: {@code count_distinct}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
