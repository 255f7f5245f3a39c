package dev.pulse.sql.dialect;

import dev.pulse.error.PulseException;
import dev.pulse.model.Relation;
import dev.pulse.sql.Dialect;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * DuckDB (<a href="https://duckdb.org/docs/sql/introduction">SQL introduction</a>): double-quoted
 * identifiers, {@code TIMESTAMP '…'} literals, files through {@code read_parquet} and
 * {@code read_csv} (<a href="https://duckdb.org/docs/data/csv/overview">CSV import</a>).
 */
public final class DuckDbDialect implements Dialect {

    /** The one instance: the dialect has no settings. */
    public static final DuckDbDialect DEFAULT = new DuckDbDialect();

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private DuckDbDialect() {}

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public String quoteIdentifier(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * {@code '…'} with {@code '} doubled: DuckDB's string literals read a backslash as itself, under every
     * setting. Only values from the config are literals; values from the data are bound as parameters.
     *
     * @throws PulseException SQL_UNSUPPORTED when {@code value} holds NUL, which ends DuckDB's SQL text
     */
    @Override
    public String stringLiteral(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "a DuckDB statement cannot hold the NUL "
                    + "character (U+0000), which '" + value.replace("\0", "\\u0000") + "' does: remove it from the config");
        }
        return '\'' + value.replace("'", "''") + '\'';
    }

    @Override
    public String timestampLiteral(Instant instant) {
        Arguments.wholeSeconds(instant);
        return "TIMESTAMP " + stringLiteral(TIMESTAMP.format(instant));
    }

    @Override
    public String fileRelation(Relation.Files files) {
        String location = stringLiteral(files.location());
        return switch (files.format()) {
            case PARQUET -> "read_parquet(" + location + ")";
            case CSV -> "read_csv(" + location + ", auto_detect = true)";
        };
    }

    /** DuckDB's {@code parquet_metadata}: one row per file, row group and column, read from the footers. */
    @Override
    public java.util.Optional<String> parquetFileRows(Relation.Files files, String timestampColumn) {
        if (files.format() != Relation.FileFormat.PARQUET) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("SELECT file_name AS " + quoteIdentifier("file") + ", SUM(row_group_num_rows) AS "
                + quoteIdentifier("n") + ", MIN(TRY_CAST(stats_min_value AS TIMESTAMP)) AS " + quoteIdentifier("first_ts")
                + " FROM parquet_metadata(" + stringLiteral(files.location()) + ") WHERE path_in_schema = "
                + stringLiteral(timestampColumn) + " GROUP BY file_name");
    }

    /**
     * A temporary table, the session's own (in {@code temp.main.}, so that dropping it never reaches a permanent table of the
     * same name), gone with its transaction's rollback or the session; one statement, {@code CREATE OR REPLACE
     * TEMPORARY TABLE}, which replaces only the session's temporary table of that name.
     */
    @Override
    public java.util.Optional<StagedRows> stageRows(String name, String select) {
        return java.util.Optional.of(new StagedRows(java.util.List.of(
                "CREATE OR REPLACE TEMPORARY TABLE " + quoteIdentifier(name) + " AS\n" + select),
                "temp.main." + quoteIdentifier(name)));
    }

    /**
     * With DuckDB's {@code build_side_probe_side} optimizer off for these statements only, a join builds on its right
     * side as written: the units. (Its estimate of a filtered Parquet scan is one row, so it would build on the rows.)
     */
    @Override
    public List<String> unitsAsBuildSide(List<String> statements) {
        List<String> wrapped = new ArrayList<>();
        wrapped.add("SET disabled_optimizers = 'build_side_probe_side'");
        wrapped.addAll(statements);
        wrapped.add("RESET disabled_optimizers");
        return List.copyOf(wrapped);
    }

    @Override
    public String castToDouble(String expression) {
        return "CAST(" + expression + " AS DOUBLE)";
    }

    @Override
    public String castToText(String expression) {
        return "CAST(" + expression + " AS VARCHAR)";
    }

    /** DuckDB's {@code binary} collation compares the bytes, also when a {@code default_collation} is set. */
    @Override
    public String codePointOrder(String textExpression) {
        return textExpression + " COLLATE \"binary\"";
    }

    @Override
    public String minusDays(String timestamp, int days) {
        Arguments.days(days);
        return "(" + timestamp + " - INTERVAL " + days + " DAY)";
    }

    /** {@code ARG_MIN}: <a href="https://duckdb.org/docs/sql/functions/aggregates#arg_minarg-val">DuckDB aggregates</a>. */
    @Override
    public String valueAtMinimum(String value, String order) {
        return "ARG_MIN(" + value + ", " + order + ")";
    }

    /**
     * {@code ARG_MIN} over the pair (order, −value): the least order, ties to the greatest value (DuckDB
     * compares structs field by field); {@code FILTER} leaves out the NULL values:
     * <a href="https://duckdb.org/docs/sql/functions/aggregates#arg_minarg-val">DuckDB aggregates</a>.
     */
    @Override
    public String firstValue(String value, String order) {
        return "ARG_MIN(" + value + ", (" + order + ", -(" + value + "))) FILTER (WHERE " + value + " IS NOT NULL)";
    }

    /** {@code ARG_MAX} over the pair (order, value), NULL values filtered out, as {@link #firstValue}. */
    @Override
    public String latestValue(String value, String order) {
        return "ARG_MAX(" + value + ", (" + order + ", " + value + ")) FILTER (WHERE " + value + " IS NOT NULL)";
    }

    /**
     * {@code DATE_DIFF('day', start, ts)} counts the day boundaries crossed, which from a midnight is the
     * whole days elapsed: <a href="https://duckdb.org/docs/sql/functions/timestamp">DuckDB timestamp functions</a>.
     */
    @Override
    public String dayIndex(String timestamp, Instant start) {
        return "DATE_DIFF('day', " + timestampLiteral(start) + ", " + timestamp + ")";
    }

    /** The table function {@code range(0, count)}. */
    @Override
    public String integerRange(int count, String alias, String column) {
        Arguments.rangeSize(count);
        return "range(0, " + count + ") AS " + alias + "(" + column + ")";
    }

    @Override
    public String plusDays(String timestamp, int days) {
        Arguments.days(days);
        return "(" + timestamp + " + INTERVAL " + days + " DAY)";
    }

    /** <a href="https://duckdb.org/docs/sql/functions/aggregates#quantile_contx-pos">quantile_cont</a>. */
    @Override
    public String quantile(String expression, double fraction) {
        Arguments.fraction(fraction);
        return "QUANTILE_CONT(" + expression + ", " + BigDecimal.valueOf(fraction).stripTrailingZeros().toPlainString() + ")";
    }

    /**
     * <a href="https://duckdb.org/docs/sql/functions/aggregates#quantile_discx-pos">quantile_disc</a>: the
     * value at index {@code max(1, ⌈n·fraction⌉)} of the sorted values (an exact decimal fraction literal
     * is compared exactly).
     */
    @Override
    public String discreteQuantile(String expression, double fraction) {
        Arguments.fraction(fraction);
        return "QUANTILE_DISC(" + expression + ", " + BigDecimal.valueOf(fraction).stripTrailingZeros().toPlainString() + ")";
    }
}
