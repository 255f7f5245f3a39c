package dev.pulse.plan;

import java.util.Objects;
import java.util.Optional;

/**
 * One per-row input of a source pass, built only from the user's expressions: {@code value} where
 * {@code filter} holds, else NULL. Without a value it is the constant 1 (a row marker for counts);
 * without a filter every row passes. Aggregates that read the same value under the same filter
 * (a mean's sum and records) share one row expression.
 */
public record RowExpression(Optional<String> value, Optional<String> filter) {
    public RowExpression {
        Objects.requireNonNull(value);
        Objects.requireNonNull(filter);
    }
}
