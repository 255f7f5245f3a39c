package dev.pulse.sql.dialect;

import dev.pulse.error.PulseException;
import dev.pulse.model.Relation;
import dev.pulse.sql.Dialect;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * PostgreSQL (<a href="https://www.postgresql.org/docs/15/sql-syntax-lexical.html">lexical structure</a>):
 * double-quoted identifiers, string literals that read the same whatever {@code standard_conforming_strings}
 * says ({@link #stringLiteral}), {@code TIMESTAMP '…'} literals,
 * {@code DOUBLE PRECISION}, and the quantiles as the ordered-set aggregates
 * {@code PERCENTILE_CONT}/{@code PERCENTILE_DISC} (<a
 * href="https://www.postgresql.org/docs/15/functions-aggregate.html#FUNCTIONS-ORDEREDSET-TABLE">ordered-set
 * aggregates</a>).
 *
 * <p>Time zones: Pulse's literals are {@code timestamp without time zone} holding UTC wall-clock time.
 * Compared with a {@code timestamptz} column, PostgreSQL converts the literal with the session's
 * {@code TimeZone}, which the warehouse sets to UTC on connect, so both kinds of column compare in UTC.
 *
 * <p>PostgreSQL cannot read CSV or Parquet files in a query: a file source fails loudly (SQL_UNSUPPORTED).
 */
public final class PostgresDialect implements Dialect {

    /** The one instance: the dialect has no settings. */
    public static final PostgresDialect DEFAULT = new PostgresDialect();

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private PostgresDialect() {}

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String quoteIdentifier(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "a PostgreSQL name cannot hold the NUL "
                    + "character (U+0000), which " + Arguments.visible(identifier) + " does: remove it from the config");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * A literal that reads as {@code value} under either setting of {@code standard_conforming_strings}: without
     * a backslash, {@code '…'} with {@code '} doubled (the same text both ways); with one, an escape string
     * {@code E'…'} with {@code \} and {@code '} doubled (<a
     * href="https://www.postgresql.org/docs/15/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS-ESCAPE">escape
     * strings</a> read backslashes whatever the setting). The session also sets it on
     * ({@code PostgresWarehouse}). Only values from the config are literals; values from the data are bound
     * as parameters.
     *
     * @throws PulseException SQL_UNSUPPORTED when {@code value} holds NUL, which PostgreSQL text cannot hold
     */
    @Override
    public String stringLiteral(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "PostgreSQL text cannot hold the NUL "
                    + "character (U+0000), which " + Arguments.visible(value) + " does: remove it from the config");
        }
        String quoted = value.replace("'", "''");
        return value.indexOf('\\') < 0 ? '\'' + quoted + '\'' : "E'" + quoted.replace("\\", "\\\\") + '\'';
    }

    /**
     * {@code SELECT pg_advisory_xact_lock(hashtext('pulse'), hashtext(<name>))}: a transaction-level advisory lock
     * (<a href="https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS">advisory locks</a>),
     * released at the commit or rollback, keyed on the name as the server resolves it — an unqualified name in
     * the session's {@code current_schema()}, where {@code CREATE TABLE} puts it. Under READ COMMITTED each later
     * statement sees what the previous holder committed. Two names with the same hash just take turns too.
     */
    @Override
    public List<String> writeLock(List<String> nameParts) {
        String name = stringLiteral(String.join(".", nameParts));
        String key = nameParts.size() == 1 ? "COALESCE(current_schema(), '') || '.' || " + name : name;
        return List.of("SELECT pg_advisory_xact_lock(hashtext('pulse'), hashtext(" + key + "))");
    }

    @Override
    public String timestampLiteral(Instant instant) {
        Arguments.wholeSeconds(instant);
        return "TIMESTAMP " + stringLiteral(TIMESTAMP.format(instant));
    }

    /** @throws PulseException SQL_UNSUPPORTED always: PostgreSQL reads tables, not files */
    @Override
    public String fileRelation(Relation.Files files) {
        throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "dialect postgres cannot read the file "
                + files.location() + ": load it into a table and use a 'table:' source, or use engine duckdb");
    }

    /**
     * A temporary table, the session's own (in {@code pg_temp.}, so that dropping it never reaches a permanent table of the
     * same name), gone with its transaction's rollback or the session.
     */
    @Override
    public java.util.Optional<StagedRows> stageRows(String name, String select) {
        String table = "pg_temp." + quoteIdentifier(name);
        return java.util.Optional.of(new StagedRows(java.util.List.of("DROP TABLE IF EXISTS " + table,
                "CREATE TEMPORARY TABLE " + quoteIdentifier(name) + " AS\n" + select), table));
    }

    @Override
    public String castToDouble(String expression) {
        return "CAST(" + expression + " AS DOUBLE PRECISION)";
    }

    @Override
    public String castToText(String expression) {
        return "CAST(" + expression + " AS TEXT)";
    }

    /**
     * The {@code "C"} collation compares the bytes (in a UTF-8 database: code points), where the default would be
     * the column's or database's collation, often linguistic (<a href="https://www.postgresql.org/docs/current/collation.html">collation support</a>).
     */
    @Override
    public String codePointOrder(String textExpression) {
        return textExpression + " COLLATE \"C\"";
    }

    /**
     * {@code timestamp - INTERVAL 'n days'}: for a {@code timestamptz} the days are calendar days in the
     * session's time zone, which is UTC (no daylight saving), so always n × 24 hours.
     */
    @Override
    public String minusDays(String timestamp, int days) {
        Arguments.days(days);
        return "(" + timestamp + " - INTERVAL '" + days + " days')";
    }

    @Override
    public String plusDays(String timestamp, int days) {
        Arguments.days(days);
        return "(" + timestamp + " + INTERVAL '" + days + " days')";
    }

    /**
     * PostgreSQL has no {@code ARG_MIN}; the first element of the values ordered by {@code order},
     * NULL values left out, is what DuckDB's {@code ARG_MIN} gives (it ignores NULL values too):
     * <a href="https://www.postgresql.org/docs/current/functions-aggregate.html">aggregate functions</a>.
     */
    @Override
    public String valueAtMinimum(String value, String order) {
        return "(ARRAY_AGG(" + value + " ORDER BY " + order + ") FILTER (WHERE " + value + " IS NOT NULL))[1]";
    }

    /**
     * PostgreSQL has no {@code ARG_MIN}: the first element of the non-NULL values ordered by order, then
     * value descending (<a href="https://www.postgresql.org/docs/current/functions-aggregate.html">aggregate
     * functions</a>, ordered aggregates and {@code FILTER}).
     */
    @Override
    public String firstValue(String value, String order) {
        return "(ARRAY_AGG(" + value + " ORDER BY " + order + ", " + value + " DESC) FILTER (WHERE " + value
                + " IS NOT NULL))[1]";
    }

    /** As {@link #firstValue}, ordered by order descending. */
    @Override
    public String latestValue(String value, String order) {
        return "(ARRAY_AGG(" + value + " ORDER BY " + order + " DESC, " + value + " DESC) FILTER (WHERE " + value
                + " IS NOT NULL))[1]";
    }

    /**
     * {@code ANALYZE} each table: allowed inside the refresh's transaction, and it samples a bounded number of rows
     * (300 × the statistics target), so it costs little next to the statements it lets the planner plan.
     */
    @Override
    public List<String> refreshStatistics(List<String> quotedTables) {
        return quotedTables.stream().map(table -> "ANALYZE " + table).toList();
    }

    /** Whole days from {@code start} (a midnight, UTC): date subtraction, the session being in UTC. */
    @Override
    public String dayIndex(String timestamp, Instant start) {
        return "(CAST(" + timestamp + " AS DATE) - DATE '" + start.atZone(ZoneOffset.UTC).toLocalDate() + "')";
    }

    /** {@code generate_series(0, count − 1)}, a set-returning function in FROM. */
    @Override
    public String integerRange(int count, String alias, String column) {
        Arguments.rangeSize(count);
        return "generate_series(0, " + (count - 1) + ") AS " + alias + "(" + column + ")";
    }

    /**
     * {@code PERCENTILE_CONT(f) WITHIN GROUP (ORDER BY expression)}: linear interpolation between the
     * values at 0-based positions ⌊(n − 1)f⌋ and ⌈(n − 1)f⌉, NULLs ignored (type 7, as DuckDB's
     * {@code quantile_cont}).
     */
    @Override
    public String quantile(String expression, double fraction) {
        return "PERCENTILE_CONT(" + fraction(fraction) + ") WITHIN GROUP (ORDER BY " + expression + ")";
    }

    /**
     * {@code PERCENTILE_DISC(f * (1 - 1e-12)) WITHIN GROUP (ORDER BY expression)}: "the first value whose
     * position in the ordering equals or exceeds the specified fraction", x_k with k = max(1, ⌈n·f⌉),
     * NULLs ignored. PostgreSQL computes ⌈n·f⌉ in double precision (<a
     * href="https://github.com/postgres/postgres/blob/REL_15_STABLE/src/backend/utils/adt/orderedsetaggs.c">orderedsetaggs.c</a>,
     * {@code ceil(percentile * number_of_rows)}), where n·f that is an integer in decimal may round up
     * past it: with f = 0.07 and n = 100 it takes x₈, not x₇. Shrinking f by the relative 1e-12 keeps an
     * exact integer below itself, and moves no other product across an integer while
     * frac(n·f) &gt; 1e-12·n·f — for f with d decimals, whenever n·f &lt; 10^(12 − d) (d = 4: up to
     * 10⁸ rows at or below the quantile). DuckDB multiplies the decimal literal exactly.
     */
    @Override
    public String discreteQuantile(String expression, double fraction) {
        String f = fraction(fraction);
        String shrunk = fraction == 0 ? f : f + " * (1 - 1e-12)";
        return "PERCENTILE_DISC(" + shrunk + ") WITHIN GROUP (ORDER BY " + expression + ")";
    }

    private static String fraction(double fraction) {
        Arguments.fraction(fraction);
        return BigDecimal.valueOf(fraction).stripTrailingZeros().toPlainString();
    }
}
