package dev.pulse.sql.dialect;

import dev.pulse.error.PulseException;
import dev.pulse.model.Relation;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.TableStatements;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Trino (and Starburst; Athena engine v3 runs Trino's SQL), checked on Trino 483 (<a
 * href="https://trino.io/docs/current/language.html">SQL language</a>): double-quoted identifiers, string literals
 * with {@code ''} and no escapes, {@code TIMESTAMP '…'} literals, {@code DOUBLE} and {@code VARCHAR}.
 *
 * <p>Trino has only an approximate percentile ({@code approx_percentile}, a t-digest), which would not give the
 * numbers the other engines give; both quantiles here are exact, from the group's sorted values
 * ({@code array_sort(array_agg(x))}), so they hold every value of a group in memory, as PostgreSQL's
 * ordered-set aggregates do.
 *
 * <p>Time zones: the warehouse sets the session time zone to UTC, so a {@code TIMESTAMP '…'} literal compared with a
 * {@code timestamp with time zone} column is read as UTC. A {@code timestamp with time zone} value keeps its own zone
 * in Trino, so the day of a timestamp is taken after {@code AT TIME ZONE 'UTC'}.
 *
 * <p>Trino's connectors commit each statement on its own (a transaction may write one catalog once, and most
 * connectors accept writes only in auto-commit), so DDL is not transactional: tables are built beside and renamed.
 * Trino cannot read CSV or Parquet files in a query: a file source fails loudly (SQL_UNSUPPORTED).
 */
public final class TrinoDialect implements Dialect {

    /** The one instance: the dialect has no settings. */
    public static final TrinoDialect DEFAULT = new TrinoDialect();

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private TrinoDialect() {}

    @Override
    public String name() {
        return "trino";
    }

    /**
     * {@code "…"} with {@code "} doubled. Trino folds names to lower case in its connectors (quoted or not), so a
     * column {@code Revenue} is {@code revenue} there.
     */
    @Override
    public String quoteIdentifier(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code '…'} with {@code '} doubled: Trino's strings have no escape character. */
    @Override
    public String stringLiteral(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }

    /** {@code TIMESTAMP 'yyyy-MM-dd HH:mm:ss'}, a {@code timestamp(0)}: UTC wall-clock time in Pulse's UTC session. */
    @Override
    public String timestampLiteral(Instant instant) {
        Arguments.wholeSeconds(instant);
        return "TIMESTAMP " + stringLiteral(TIMESTAMP.format(instant));
    }

    /** @throws PulseException SQL_UNSUPPORTED always: Trino reads tables (a Hive or Iceberg table over the files) */
    @Override
    public String fileRelation(Relation.Files files) {
        throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "dialect trino cannot read the file "
                + files.location() + ": define a table over it in a Trino catalog (Hive, Iceberg) and use a 'table:' "
                + "source, or use engine duckdb");
    }

    @Override
    public String castToDouble(String expression) {
        return "CAST(" + expression + " AS DOUBLE)";
    }

    @Override
    public String castToText(String expression) {
        return "CAST(" + expression + " AS VARCHAR)";
    }

    /**
     * The expression itself: Trino compares {@code varchar} by its UTF-8 bytes, which is code-point order, and has
     * no collations (checked on Trino 483: {@code U&'\+01F600' > U&'\FFFD'} is true, where UTF-16 order says
     * false; {@code 'B' < 'a'}).
     */
    @Override
    public String codePointOrder(String textExpression) {
        return textExpression;
    }

    /**
     * A day-to-second interval: exactly n × 24 hours, for {@code timestamp} and {@code timestamp with time zone}
     * alike (<a href="https://trino.io/docs/current/functions/datetime.html">date and time operators</a>).
     */
    @Override
    public String minusDays(String timestamp, int days) {
        Arguments.days(days);
        return "(" + timestamp + " - INTERVAL '" + days + "' DAY)";
    }

    @Override
    public String plusDays(String timestamp, int days) {
        Arguments.days(days);
        return "(" + timestamp + " + INTERVAL '" + days + "' DAY)";
    }

    /**
     * {@code min_by(value, order)} skips rows whose order is NULL but not rows whose value is NULL, so the
     * order is made NULL where the value is (<a
     * href="https://trino.io/docs/current/functions/aggregate.html#min_by">min_by</a>).
     */
    @Override
    public String valueAtMinimum(String value, String order) {
        return "min_by(" + value + ", CASE WHEN " + value + " IS NOT NULL THEN " + order + " END)";
    }

    /**
     * {@code min_by} over {@code ROW(order, −value)} (rows compare field by field): the least order, ties to the
     * greatest value; {@code FILTER} leaves out the NULL values.
     */
    @Override
    public String firstValue(String value, String order) {
        return "min_by(" + value + ", ROW(" + order + ", -(" + value + "))) FILTER (WHERE " + value + " IS NOT NULL)";
    }

    /** {@code max_by} over {@code ROW(order, value)}, NULL values filtered out, as {@link #firstValue}. */
    @Override
    public String latestValue(String value, String order) {
        return "max_by(" + value + ", ROW(" + order + ", " + value + ")) FILTER (WHERE " + value + " IS NOT NULL)";
    }

    /**
     * {@code date_diff('day', start, day)} between dates, the timestamp's day taken in UTC ({@code AT TIME ZONE}
     * reads a plain timestamp in the session's UTC and converts a zoned one), so an hour before the start is −1.
     */
    @Override
    public String dayIndex(String timestamp, Instant start) {
        return "date_diff('day', DATE '" + start.atZone(ZoneOffset.UTC).toLocalDate() + "', CAST(" + timestamp
                + " AT TIME ZONE 'UTC' AS DATE))";
    }

    /** {@code UNNEST(sequence(0, count − 1))}, a relation of one column. */
    @Override
    public String integerRange(int count, String alias, String column) {
        Arguments.rangeSize(count);
        return "UNNEST(sequence(0, " + (count - 1) + ")) AS " + alias + "(" + column + ")";
    }

    /**
     * Type 7 from the sorted non-NULL values s (1-based) and their count n: with p = (n − 1)·f in double precision,
     * s[⌊p⌋ + 1] + (p − ⌊p⌋)·(s[⌈p⌉ + 1] − s[⌊p⌋ + 1]), the computation of DuckDB's {@code quantile_cont} and
     * PostgreSQL's {@code PERCENTILE_CONT}. The fraction is written as a DOUBLE literal ({@code 0.25E0}), where
     * {@code 0.25} would be a DECIMAL. With no values the array is NULL and so is the result. The expression appears
     * once ({@link #sortedValues}).
     */
    @Override
    public String quantile(String expression, double fraction) {
        Arguments.fraction(fraction);
        String position = "(greatest(cardinality(pulse_sorted) - 1, 0) * " + decimal(fraction) + "E0)";
        String low = "element_at(pulse_sorted, CAST(floor" + position + " AS BIGINT) + 1)";
        String high = "element_at(pulse_sorted, CAST(ceiling" + position + " AS BIGINT) + 1)";
        return sortedValues("CAST(" + expression + " AS DOUBLE)",
                low + " + (" + position + " - floor" + position + ") * (" + high + " - " + low + ")");
    }

    /**
     * x_k of the sorted non-NULL values with k = max(1, ⌈n·f⌉), computed exactly in DECIMAL (n as
     * {@code DECIMAL(19, 0)} times the fraction as a decimal literal), so no product that is an integer in decimal
     * is rounded up past it as in double precision (0.07 × 100 is 7, not 8). {@code element_at} beyond the end is
     * NULL (no values), and with no rows the array is NULL.
     */
    @Override
    public String discreteQuantile(String expression, double fraction) {
        Arguments.fraction(fraction);
        return sortedValues(expression, "element_at(pulse_sorted, greatest(1, CAST(ceiling(CAST(cardinality(pulse_sorted) "
                + "AS DECIMAL(19, 0)) * DECIMAL '" + decimal(fraction) + "') AS BIGINT)))");
    }

    /**
     * {@code body} evaluated with {@code pulse_sorted} bound to the group's non-NULL values of {@code expression},
     * sorted: a lambda applied to a one-element array, so that the expression appears once in the statement (it
     * may hold parameters, which must be bound once each).
     */
    private static String sortedValues(String expression, String body) {
        return "element_at(transform(ARRAY[array_sort(filter(array_agg(" + expression + "), pulse_value -> pulse_value "
                + "IS NOT NULL))], pulse_sorted -> " + body + "), 1)";
    }

    private static String decimal(double fraction) {
        return BigDecimal.valueOf(fraction).stripTrailingZeros().toPlainString();
    }

    /**
     * {@code DOUBLE}, {@code VARCHAR}, and timestamps with microseconds: Trino's plain {@code TIMESTAMP} is
     * {@code timestamp(3)} and would cut a value to milliseconds.
     */
    @Override
    public String columnType(TableStatements.ColumnType type) {
        return switch (type) {
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case TEXT -> "VARCHAR";
            case TIMESTAMP -> "TIMESTAMP(6)";
            case TIMESTAMP_WITH_TIME_ZONE -> "TIMESTAMP(6) WITH TIME ZONE";
        };
    }

    /**
     * None: Trino has no locks a session can take (no advisory locks, no {@code LOCK TABLE}), and each statement
     * commits on its own. Two runs writing one table at once each build their own table beside it
     * ({@link TableStatements#replaceTable}); the later swap wins (docs/trino.md).
     */
    @Override
    public java.util.List<String> writeLock(java.util.List<String> nameParts) {
        return java.util.List.of();
    }

    /** Each statement commits on its own ({@link TableStatements#replaceTable} builds beside and renames). */
    @Override
    public boolean transactionalDdl() {
        return false;
    }
}
