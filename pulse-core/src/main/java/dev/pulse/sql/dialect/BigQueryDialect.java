package dev.pulse.sql.dialect;

import dev.pulse.error.PulseException;
import dev.pulse.model.Relation;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.TableStatements;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * BigQuery's GoogleSQL (<a href="https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical">lexical
 * structure</a>): backtick-quoted identifiers, one per part of {@code project.dataset.table}; {@code '…'} string
 * literals with backslash escapes; {@code TIMESTAMP '… +00:00'} literals; {@code FLOAT64}, {@code INT64},
 * {@code STRING} and {@code TIMESTAMP}; the quantiles as ordered {@code ARRAY_AGG}s, because
 * {@code PERCENTILE_CONT}/{@code PERCENTILE_DISC} are window functions only and {@code APPROX_QUANTILES} is
 * approximate.
 *
 * <p>Time: Pulse's literals are {@code TIMESTAMP}s, instants written with the UTC offset {@code +00:00}, so they
 * mean the UTC wall-clock time Pulse means whatever a default time zone says, and the timestamp columns Pulse
 * reads must be {@code TIMESTAMP} (BigQuery compares no {@code DATETIME} with a {@code TIMESTAMP}; for a
 * {@code DATETIME} column holding UTC times, a {@code sql:} source can select {@code TIMESTAMP(column)}). Day
 * arithmetic is {@code TIMESTAMP_ADD}/{@code TIMESTAMP_SUB} with {@code INTERVAL n DAY}, exactly n × 24 hours
 * for a {@code TIMESTAMP}, and {@code DATE(timestamp)} is the UTC date.
 *
 * <p>BigQuery reads tables, not files: a file source fails loudly (SQL_UNSUPPORTED).
 */
public final class BigQueryDialect implements Dialect {

    /** The one instance: the dialect has no settings. */
    public static final BigQueryDialect DEFAULT = new BigQueryDialect();

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private BigQueryDialect() {}

    @Override
    public String name() {
        return "bigquery";
    }

    /**
     * Backticks, with the escapes of a string literal inside (<a
     * href="https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#quoted_identifiers">quoted
     * identifiers</a> "support the same escape sequences as string literals"): {@code \`}, {@code \\} and control
     * characters escaped, so no name ends the quote early. An empty name cannot be quoted.
     */
    @Override
    public String quoteIdentifier(String identifier) {
        if (identifier.isEmpty()) {
            throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "a BigQuery name cannot be empty");
        }
        return '`' + escaped(identifier, '`') + '`';
    }

    /**
     * {@code '…'} with every character that could end or change the literal escaped (<a
     * href="https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#escape_sequences">escape
     * sequences</a>): {@code \\}, {@code \'}, and each control character (C0, DEL, C1) as {@code \\uXXXX}, so the
     * literal is one line whatever the value holds and reads back as exactly {@code value}. Only values from the
     * config are literals; values from the data are bound as parameters.
     */
    @Override
    public String stringLiteral(String value) {
        return '\'' + escaped(value, '\'') + '\'';
    }

    private static String escaped(String value, char quote) {
        StringBuilder text = new StringBuilder(value.length() + 8);
        value.codePoints().forEach(c -> {
            if (c == '\\' || c == quote) {
                text.append('\\').append((char) c);
            } else if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "a BigQuery string holds UTF-8 text, "
                        + "which a lone surrogate (U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                        + ") is not: fix the config's text");
            } else if (Character.isISOControl(c)) {
                text.append(String.format("\\u%04x", c));
            } else {
                text.appendCodePoint(c);
            }
        });
        return text.toString();
    }

    /** {@code TIMESTAMP 'yyyy-MM-dd HH:mm:ss+00:00'}: an instant, with its UTC offset written out. */
    @Override
    public String timestampLiteral(Instant instant) {
        Arguments.wholeSeconds(instant);
        return "TIMESTAMP " + stringLiteral(TIMESTAMP.format(instant) + "+00:00");
    }

    /** @throws PulseException SQL_UNSUPPORTED always: BigQuery reads tables, not files */
    @Override
    public String fileRelation(Relation.Files files) {
        throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "dialect bigquery cannot read the file "
                + files.location() + ": load it into a table (bq load) and use a 'table:' source, or use engine duckdb");
    }

    @Override
    public String castToDouble(String expression) {
        return "CAST(" + expression + " AS FLOAT64)";
    }

    @Override
    public String castToText(String expression) {
        return "CAST(" + expression + " AS STRING)";
    }

    /**
     * {@code CAST(text AS BYTES)}: the UTF-8 bytes, which BigQuery compares byte by byte, and UTF-8's byte order is
     * code point order. A {@code STRING} alone already compares by bytes unless its column or dataset has a
     * collation such as {@code und:ci} (<a
     * href="https://cloud.google.com/bigquery/docs/reference/standard-sql/collation-concepts">collation</a>); the
     * bytes have none. A sort key only, as the contract asks.
     */
    @Override
    public String codePointOrder(String textExpression) {
        return "CAST(" + textExpression + " AS BYTES)";
    }

    /** {@code TIMESTAMP_SUB(timestamp, INTERVAL n DAY)}: n × 24 hours for a {@code TIMESTAMP}. */
    @Override
    public String minusDays(String timestamp, int days) {
        Arguments.days(days);
        return "TIMESTAMP_SUB(" + timestamp + ", INTERVAL " + days + " DAY)";
    }

    @Override
    public String plusDays(String timestamp, int days) {
        Arguments.days(days);
        return "TIMESTAMP_ADD(" + timestamp + ", INTERVAL " + days + " DAY)";
    }

    /**
     * The first element of the non-NULL values ordered by {@code order}: {@code ARRAY_AGG(… IGNORE NULLS ORDER BY …
     * LIMIT 1)[SAFE_OFFSET(0)]}, NULL when there is none (<a
     * href="https://cloud.google.com/bigquery/docs/reference/standard-sql/aggregate_functions#array_agg">ARRAY_AGG</a>).
     */
    @Override
    public String valueAtMinimum(String value, String order) {
        return "ARRAY_AGG(" + value + " IGNORE NULLS ORDER BY " + order + " LIMIT 1)[SAFE_OFFSET(0)]";
    }

    /** As {@link #valueAtMinimum}, ordered by order, then value descending (ties to the greatest value). */
    @Override
    public String firstValue(String value, String order) {
        return "ARRAY_AGG(" + value + " IGNORE NULLS ORDER BY " + order + ", " + value + " DESC LIMIT 1)[SAFE_OFFSET(0)]";
    }

    /** As {@link #firstValue}, ordered by order descending. */
    @Override
    public String latestValue(String value, String order) {
        return "ARRAY_AGG(" + value + " IGNORE NULLS ORDER BY " + order + " DESC, " + value + " DESC LIMIT 1)[SAFE_OFFSET(0)]";
    }

    /** {@code DATE_DIFF} of the UTC dates ({@code DATE(timestamp)} is in UTC): whole days from the midnight {@code start}. */
    @Override
    public String dayIndex(String timestamp, Instant start) {
        return "DATE_DIFF(DATE(" + timestamp + "), DATE '" + start.atZone(ZoneOffset.UTC).toLocalDate() + "', DAY)";
    }

    /** {@code (SELECT n AS column FROM UNNEST(GENERATE_ARRAY(0, count − 1)) AS n) AS alias}: UNNEST names no column. */
    @Override
    public String integerRange(int count, String alias, String column) {
        Arguments.rangeSize(count);
        return "(SELECT `pulse_n` AS " + column + " FROM UNNEST(GENERATE_ARRAY(0, " + (count - 1) + ")) AS `pulse_n`) AS "
                + alias;
    }

    /**
     * Type 7 from the group's non-NULL values sorted into an array, a = {@code ARRAY_AGG(x IGNORE NULLS ORDER BY x)}:
     * with h = (n − 1)·f (n = {@code COUNT(x)}), a[⌊h⌋] + (h − ⌊h⌋)·(a[⌈h⌉] − a[⌊h⌋]), the interpolation DuckDB's
     * {@code quantile_cont} computes; NULL for a group without values ({@code SAFE_OFFSET} of a NULL array). Exact,
     * where {@code APPROX_QUANTILES} is not, and an aggregate, where {@code PERCENTILE_CONT} is a window function
     * only. The array of a group's values must fit in one row (BigQuery's 100 MB row limit: some ten million
     * values per group; docs/bigquery.md).
     */
    @Override
    public String quantile(String expression, double fraction) {
        String f = fraction(fraction);
        String sorted = sorted(expression);
        String h = "((COUNT(" + expression + ") - 1) * " + f + ")";
        String low = sorted + "[SAFE_OFFSET(CAST(FLOOR(" + h + ") AS INT64))]";
        String high = sorted + "[SAFE_OFFSET(CAST(CEIL(" + h + ") AS INT64))]";
        return "(" + low + " + (" + h + " - FLOOR(" + h + ")) * (" + high + " - " + low + "))";
    }

    /**
     * x_k with k = max(1, ⌈n·f⌉) from the sorted array of {@link #quantile}: offset k − 1. The product n·f is
     * computed in {@code BIGNUMERIC}, an exact decimal (38 decimal places), so 100 × 0.07 is 7, not the 7.000…01 of
     * double precision that would take x₈.
     */
    @Override
    public String discreteQuantile(String expression, double fraction) {
        String f = fraction(fraction);
        String k = "GREATEST(1, CAST(CEIL(COUNT(" + expression + ") * BIGNUMERIC '" + f + "') AS INT64))";
        return sorted(expression) + "[SAFE_OFFSET(" + k + " - 1)]";
    }

    private static String sorted(String expression) {
        return "ARRAY_AGG(" + expression + " IGNORE NULLS ORDER BY " + expression + ")";
    }

    private static String fraction(double fraction) {
        Arguments.fraction(fraction);
        return BigDecimal.valueOf(fraction).stripTrailingZeros().toPlainString();
    }

    /** {@code INT64}, {@code FLOAT64}, {@code STRING}, and {@code TIMESTAMP} (an instant) for both timestamp kinds. */
    @Override
    public String columnType(TableStatements.ColumnType type) {
        return switch (type) {
            case BIGINT -> "INT64";
            case DOUBLE -> "FLOAT64";
            case TEXT -> "STRING";
            case TIMESTAMP, TIMESTAMP_WITH_TIME_ZONE -> "TIMESTAMP";
        };
    }

    /**
     * BigQuery runs no DDL on permanent tables inside a multi-statement transaction (<a
     * href="https://cloud.google.com/bigquery/docs/transactions#statements_supported_in_transactions">statements
     * supported in transactions</a>); it replaces a table atomically with one {@link #atomicReplaceTable} statement.
     */
    @Override
    public boolean transactionalDdl() {
        return false;
    }

    /**
     * {@code CREATE OR REPLACE TABLE t AS select}: one job; readers see the old table until it succeeds, and a
     * failed job leaves it (<a href="https://cloud.google.com/bigquery/docs/reference/standard-sql/data-definition-language#create_table_statement">CREATE
     * TABLE</a>).
     */
    @Override
    public Optional<String> atomicReplaceTable(String quotedName, String select) {
        return Optional.of("CREATE OR REPLACE TABLE " + quotedName + " AS\n" + select);
    }
}
