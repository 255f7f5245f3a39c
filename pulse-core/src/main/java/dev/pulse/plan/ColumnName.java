package dev.pulse.plan;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A stem of the column names in the SQL Pulse writes, derived from a metric's name by {@link MetricColumnNames}
 * ({@code revenue_per_user}, or for an aggregate {@code revenue_per_user__numerator}): lower-case ASCII letters,
 * digits and underscores, so that it means the same on every engine (DuckDB and Spark compare identifiers
 * case-insensitively) and its length is its size in bytes.
 */
public record ColumnName(String value) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9_]+");

    public ColumnName {
        Objects.requireNonNull(value);
        if (!VALID.matcher(value).matches() || value.length() > MetricColumnNames.MAX_IDENTIFIER_BYTES) {
            throw new IllegalArgumentException("not a column-name stem: '" + value + "'");
        }
    }

    /** This stem followed by {@code suffix}: {@code revenue__mean_x}. */
    public String with(String suffix) {
        return value + suffix;
    }

    @Override
    public String toString() {
        return value;
    }
}
