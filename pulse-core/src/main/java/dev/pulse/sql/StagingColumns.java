package dev.pulse.sql;

import dev.pulse.model.MetricName;
import dev.pulse.model.MetricType;

/**
 * The column names of an experiment's staging table ({@link SqlRenderer#renderUnits}): one row per
 * counted unit, readable names so that users can audit any number with plain SQL.
 */
public final class StagingColumns {
    /** The unit's ID (of the experiment's unit ID type), as in the assignment source. */
    public static final String UNIT = "unit_id";
    /** The unit's group (a string). */
    public static final String GROUP = "group_name";
    /** The unit's first counted exposure. */
    public static final String FIRST_EXPOSURE = "first_exposure";
    /** Under a trigger: the unit's first qualifying row, where its analysis period starts. */
    public static final String ANALYSIS_START = "analysis_start";

    private StagingColumns() {}

    /** The unit's X of {@code metric}: {@code revenue_per_user__numerator}. */
    public static String numerator(MetricName metric) {
        return metric.value() + "__numerator";
    }

    /**
     * The unit's Y of {@code metric}: {@code …__records} for a mean metric (the rows with a value),
     * else {@code …__denominator}. Metrics with {@code Y ≡ 1} have no such column.
     */
    public static String denominator(MetricName metric, MetricType type) {
        return metric.value() + (type == MetricType.MEAN ? "__records" : "__denominator");
    }

    /** The pre-period value of a component column under CUPED: {@code revenue_per_user__numerator_pre}. */
    public static String prePeriod(String column) {
        return column + "_pre";
    }
}
