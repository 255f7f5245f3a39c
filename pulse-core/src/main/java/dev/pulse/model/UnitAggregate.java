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
 */
public record UnitAggregate(SourceName source, AggregateFunction function, Optional<String> value, Optional<String> filter) {
    public UnitAggregate {
        Objects.requireNonNull(source);
        Objects.requireNonNull(function);
        Objects.requireNonNull(value);
        Objects.requireNonNull(filter);
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
}
