package dev.pulse.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One number per unit computed in the warehouse: {@code function} over {@code value} for the rows of
 * {@code source} that pass {@code filter}. Metrics are made of one (numerator) or two (numerator and
 * denominator) of these.
 *
 * @param value  a column or SQL expression over the source's columns; empty for COUNT_ROWS, ANY_ROW,
 *               DISTINCT_DAYS and EXPOSED_DAYS
 * @param filter a boolean SQL expression over the source's columns; empty for all rows
 * @param threshold when present, the unit's number is 1 when the aggregate (0 for a unit without rows)
 *               reaches it, else 0 (a {@code threshold} metric; over a sum, count or count distinct)
 */
public record UnitAggregate(SourceName source, AggregateFunction function, Optional<String> value, Optional<String> filter,
                            Optional<UnitThreshold> threshold) {
    public UnitAggregate {
        Objects.requireNonNull(source);
        Objects.requireNonNull(function);
        Objects.requireNonNull(value);
        Objects.requireNonNull(filter);
        Objects.requireNonNull(threshold);
        boolean thresholds = switch (function) {
            case SUM, COUNT_ROWS, COUNT_DISTINCT -> true;
            case COUNT_VALUES, ANY_ROW, FIRST_VALUE, LATEST_VALUE, HAS_VALUE, DISTINCT_DAYS, EXPOSED_DAYS -> false;
        };
        if (threshold.isPresent() && !thresholds) {
            throw new IllegalArgumentException("a threshold applies to a sum, count or count distinct, not " + function);
        }
        boolean needsValue = switch (function) {
            case SUM, COUNT_VALUES, COUNT_DISTINCT, FIRST_VALUE, LATEST_VALUE, HAS_VALUE -> true;
            case COUNT_ROWS, ANY_ROW, DISTINCT_DAYS, EXPOSED_DAYS -> false;
        };
        if (needsValue && value.isEmpty()) {
            throw new IllegalArgumentException(function + " needs a value");
        }
        if (!needsValue && value.isPresent()) {
            throw new IllegalArgumentException(function + " takes no value");
        }
    }

    /** The aggregate itself, without a threshold. */
    public UnitAggregate(SourceName source, AggregateFunction function, Optional<String> value, Optional<String> filter) {
        this(source, function, value, filter, Optional.empty());
    }
}
