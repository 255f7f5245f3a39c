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
    ANY_ROW
}
