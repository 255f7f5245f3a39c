package dev.pulse.sql.dialect;

import dev.pulse.error.PulseException;
import dev.pulse.model.Relation;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.TableStatements;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Snowflake. Every function and construct it renders is listed in docs/snowflake.md with the Snowflake page that
 * documents it, and {@code SnowflakeConstructsTest} fails when a golden file uses a function not on that list.
 * The points where Snowflake differs from PostgreSQL:
 * <ul>
 *   <li>a quoted name is case-sensitive and kept as written (an unquoted one is upper-cased); Pulse quotes every
 *       name, so a config names columns with their stored case ({@code "ORG_ID"} for a column created unquoted);
 *   <li>{@code '…'} literals read backslash escapes ({@link #stringLiteral});
 *   <li>Pulse's UTC wall-clock literals are {@code TIMESTAMP_NTZ}; the session's {@code TIMEZONE} is UTC, so a
 *       {@code TIMESTAMP_LTZ} or {@code TIMESTAMP_TZ} column compares with them as UTC instants;
 *   <li>DDL commits on its own (no transactional replace), but {@code CREATE OR REPLACE TABLE … AS} is one atomic
 *       statement ({@link #atomicReplaceTable});
 *   <li>{@code GREATEST}/{@code LEAST} return NULL when an argument is NULL (PostgreSQL skips it): Pulse applies
 *       them to a value and its cap only, and a cap is NULL only when no unit has a value (docs/snowflake.md).
 * </ul>
 */
public final class SnowflakeDialect implements Dialect {

    /** The one instance: the dialect has no settings. */
    public static final SnowflakeDialect DEFAULT = new SnowflakeDialect();

    /** Snowflake's limit on a name, in characters. */
    static final int MAX_NAME_LENGTH = 255;

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private SnowflakeDialect() {}

    @Override
    public String name() {
        return "snowflake";
    }

    /**
     * {@code "…"} with {@code "} doubled: read verbatim and case-sensitively
     * (<a href="https://docs.snowflake.com/en/sql-reference/identifiers-syntax">identifier requirements</a>).
     *
     * @throws PulseException SQL_UNSUPPORTED for a name with NUL or longer than 255 characters
     */
    @Override
    public String quoteIdentifier(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "a Snowflake name cannot hold the NUL "
                    + "character (U+0000), which " + Arguments.visible(identifier) + " does: remove it from the config");
        }
        int length = identifier.codePointCount(0, identifier.length());
        if (length > MAX_NAME_LENGTH) {
            throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "a Snowflake name has at most "
                    + MAX_NAME_LENGTH + " characters, and " + Arguments.visible(identifier) + " has " + length
                    + ": shorten the name in the config (a metric's name is part of its column names)");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * {@code '…'} with {@code \} doubled and {@code '} doubled. Snowflake reads escape sequences in single-quoted
     * literals ({@code \'}, {@code \\}, {@code \n}, {@code \0}, {@code \x41}, {@code \u0041}, … — <a
     * href="https://docs.snowflake.com/en/sql-reference/data-types-text#escape-sequences-in-single-quoted-string-constants">escape
     * sequences</a>), so every backslash of the value is written as {@code \\}; then no backslash in the literal
     * starts a sequence but a doubled one, and {@code ''} is a quote. Other characters, line breaks included, stand
     * for themselves. Only values from the config are literals; values from the data are bound as parameters.
     *
     * @throws PulseException SQL_UNSUPPORTED when {@code value} holds NUL, which Pulse does not send to a server
     */
    @Override
    public String stringLiteral(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "a Snowflake statement from Pulse cannot "
                    + "hold the NUL character (U+0000), which " + Arguments.visible(value) + " does: remove it from the config");
        }
        return '\'' + value.replace("\\", "\\\\").replace("'", "''") + '\'';
    }

    /** {@code CAST('…' AS TIMESTAMP_NTZ)}: a wall-clock time without zone, UTC by Pulse's convention. */
    @Override
    public String timestampLiteral(Instant instant) {
        Arguments.wholeSeconds(instant);
        return "CAST(" + stringLiteral(TIMESTAMP.format(instant)) + " AS TIMESTAMP_NTZ)";
    }

    /** @throws PulseException SQL_UNSUPPORTED always: Pulse reads Snowflake tables, not staged files */
    @Override
    public String fileRelation(Relation.Files files) {
        throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "dialect snowflake cannot read the file "
                + files.location() + ": load it into a table (COPY INTO) and use a 'table:' source, or use engine duckdb");
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
     * {@code COLLATE(x, 'utf8')}: compares by the UTF-8 bytes, that is by code point, whatever collation the
     * column or the account's default would apply
     * (<a href="https://docs.snowflake.com/en/sql-reference/collation">collation support</a>).
     */
    @Override
    public String codePointOrder(String textExpression) {
        return "COLLATE(" + textExpression + ", 'utf8')";
    }

    /** {@code DATEADD(DAY, −n, ts)}: n × 24 hours, the session being in UTC. */
    @Override
    public String minusDays(String timestamp, int days) {
        Arguments.days(days);
        return "DATEADD(DAY, " + (days == 0 ? "0" : "-" + days) + ", " + timestamp + ")";
    }

    @Override
    public String plusDays(String timestamp, int days) {
        Arguments.days(days);
        return "DATEADD(DAY, " + days + ", " + timestamp + ")";
    }

    /**
     * {@code MIN_BY(value, order)} with the order made NULL where the value is, so that rows without a value are
     * skipped as DuckDB's {@code ARG_MIN} skips them (<a
     * href="https://docs.snowflake.com/en/sql-reference/functions/min_by">MIN_BY</a> ignores NULL orders).
     */
    @Override
    public String valueAtMinimum(String value, String order) {
        return "MIN_BY(" + value + ", CASE WHEN " + value + " IS NOT NULL THEN " + order + " END)";
    }

    /**
     * The first element of {@code ARRAY_AGG(value) WITHIN GROUP (ORDER BY order, value DESC)}: ARRAY_AGG leaves out
     * NULL values, so this is the non-NULL value of the least order, ties to the greatest value; NULL for an empty
     * array (<a href="https://docs.snowflake.com/en/sql-reference/functions/array_agg">ARRAY_AGG</a>, <a
     * href="https://docs.snowflake.com/en/sql-reference/functions/get">GET</a>). An array holds at most 128 MB, so a
     * unit has at most a few million rows with a value in one metric.
     */
    @Override
    public String firstValue(String value, String order) {
        return "CAST(GET(ARRAY_AGG(" + value + ") WITHIN GROUP (ORDER BY " + order + ", " + value + " DESC), 0) AS DOUBLE)";
    }

    /** As {@link #firstValue}, ordered by order descending. */
    @Override
    public String latestValue(String value, String order) {
        return "CAST(GET(ARRAY_AGG(" + value + ") WITHIN GROUP (ORDER BY " + order + " DESC, " + value + " DESC), 0) AS DOUBLE)";
    }

    /**
     * {@code DATEDIFF(DAY, start, ts)} of UTC dates: the timestamp is first converted to UTC ({@code
     * CONVERT_TIMEZONE('UTC', ts)}; a TIMESTAMP_TZ keeps its own offset, which casting to DATE would use), then
     * cast to DATE; DATEDIFF counts the day boundaries between the two dates.
     */
    @Override
    public String dayIndex(String timestamp, Instant start) {
        return "DATEDIFF(DAY, CAST('" + start.atZone(ZoneOffset.UTC).toLocalDate() + "' AS DATE), CAST(CONVERT_TIMEZONE('UTC', "
                + timestamp + ") AS DATE))";
    }

    /**
     * {@code ROW_NUMBER() − 1} over {@code GENERATOR(ROWCOUNT => count)}: SEQ4 alone may have gaps, ROW_NUMBER has
     * none (<a href="https://docs.snowflake.com/en/sql-reference/functions/generator">GENERATOR</a>).
     */
    @Override
    public String integerRange(int count, String alias, String column) {
        Arguments.rangeSize(count);
        return "(SELECT ROW_NUMBER() OVER (ORDER BY SEQ4()) - 1 AS " + column + " FROM TABLE(GENERATOR(ROWCOUNT => "
                + count + "))) AS " + alias;
    }

    /**
     * {@code PERCENTILE_CONT(f) WITHIN GROUP (ORDER BY expression)}: linear interpolation at position
     * (n − 1)·f (type 7), NULLs ignored (<a
     * href="https://docs.snowflake.com/en/sql-reference/functions/percentile_cont">PERCENTILE_CONT</a>).
     */
    @Override
    public String quantile(String expression, double fraction) {
        return "PERCENTILE_CONT(" + Arguments.fractionLiteral(fraction) + ") WITHIN GROUP (ORDER BY " + expression + ")";
    }

    /**
     * {@code PERCENTILE_DISC(p) WITHIN GROUP (ORDER BY expression)} with p = f·(1 − 10⁻¹²) as one constant (<a
     * href="https://docs.snowflake.com/en/sql-reference/functions/percentile_disc">PERCENTILE_DISC</a>): whether
     * Snowflake computes ⌈n·p⌉ exactly or in double precision, the rank is x_k with k = max(1, ⌈n·f⌉)
     * ({@link PostgresDialect#discreteQuantile} gives the bound).
     */
    @Override
    public String discreteQuantile(String expression, double fraction) {
        return "PERCENTILE_DISC(" + Arguments.shrunkFractionLiteral(fraction) + ") WITHIN GROUP (ORDER BY " + expression + ")";
    }

    /** {@code DOUBLE}, {@code VARCHAR}, {@code TIMESTAMP_NTZ} and {@code TIMESTAMP_TZ}: Snowflake's own names. */
    @Override
    public String columnType(TableStatements.ColumnType type) {
        return switch (type) {
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case TEXT -> "VARCHAR";
            case TIMESTAMP -> "TIMESTAMP_NTZ";
            case TIMESTAMP_WITH_TIME_ZONE -> "TIMESTAMP_TZ";
        };
    }

    /**
     * Snowflake commits each DDL statement on its own, also inside a transaction (<a
     * href="https://docs.snowflake.com/en/sql-reference/transactions">transactions</a>, "DDL"): a DROP and a CREATE
     * cannot commit together. Tables are replaced by {@link #atomicReplaceTable} instead.
     */
    @Override
    public boolean transactionalDdl() {
        return false;
    }

    /**
     * {@code CREATE OR REPLACE TABLE name AS select}: one statement, so readers see the old table until the new one
     * replaces it (<a href="https://docs.snowflake.com/en/sql-reference/sql/create-table">CREATE TABLE</a>: "CREATE OR
     * REPLACE statements are atomic").
     */
    @Override
    public Optional<String> atomicReplaceTable(String quotedName, String select) {
        return Optional.of("CREATE OR REPLACE TABLE " + quotedName + " AS\n" + select);
    }
}
