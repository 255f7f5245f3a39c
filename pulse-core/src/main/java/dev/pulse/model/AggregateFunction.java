package dev.pulse.model;

/** How a unit's counted rows of a source become one number. */
public enum AggregateFunction {
    /** Sum of the value; NULL values add nothing. 0 for a unit with no rows. */
    SUM,
    /** Number of rows (after the filter). */
    COUNT_ROWS,
    /** Number of rows whose value is not NULL: the records of a mean metric. */
    COUNT_VALUES,
    /** Number of distinct non-NULL values. */
    COUNT_DISTINCT,
    /** 1 if the unit has at least one row (after the filter), else 0. */
    ANY_ROW,
    /**
     * The non-NULL value (as a double) of the row with the least timestamp; rows tied at that timestamp
     * resolve to the greatest value. NULL (then 0) for a unit without a value: see {@link #HAS_VALUE}.
     */
    FIRST_VALUE,
    /** As {@link #FIRST_VALUE}, of the row with the greatest timestamp (ties: the greatest value). */
    LATEST_VALUE,
    /** 1 if the unit has at least one row whose value is not NULL, else 0: the Y of first and latest value. */
    HAS_VALUE,
    /** The number of distinct UTC calendar days with at least one row (after the filter). */
    DISTINCT_DAYS,
    /**
     * Not an aggregate over rows: the UTC days the unit was in the experiment, from its first exposure's
     * day through the experiment's last day, both inclusive (the pre-period's: its lookback in days).
     * It comes from the unit's first exposure, so a unit without rows has it too; it needs the
     * experiment's end.
     */
    EXPOSED_DAYS;

    /**
     * Whether the unit's value over its rows up to a day is a running total of per-day parts, as the
     * daily results compute it; the first and latest value and the days in the experiment are not.
     */
    public boolean runningTotal() {
        return switch (this) {
            case SUM, COUNT_ROWS, COUNT_VALUES, COUNT_DISTINCT, ANY_ROW, HAS_VALUE, DISTINCT_DAYS -> true;
            case FIRST_VALUE, LATEST_VALUE, EXPOSED_DAYS -> false;
        };
    }
}
