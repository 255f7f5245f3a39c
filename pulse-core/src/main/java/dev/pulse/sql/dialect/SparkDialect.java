package dev.pulse.sql.dialect;

import dev.pulse.error.PulseException;
import dev.pulse.model.Relation;
import dev.pulse.sql.Dialect;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Spark SQL 4 (<a href="https://spark.apache.org/docs/latest/sql-ref-identifier.html">identifiers</a>,
 * <a href="https://spark.apache.org/docs/latest/sql-ref-literals.html">literals</a>): backtick-quoted
 * identifiers (Spark cannot parse a double-quoted {@code "group"}), string literals with backslash
 * escapes, {@code TIMESTAMP '…'} literals, {@code STRING} and {@code DOUBLE} casts, Parquet files as
 * the relation {@code parquet.`path`}
 * (<a href="https://spark.apache.org/docs/latest/sql-data-sources-load-save-functions.html#run-sql-on-files-directly">run
 * SQL on files directly</a>).
 *
 * <p>Time zones: a {@code TIMESTAMP '…'} literal is read in the session time zone, which the Spark
 * warehouse sets to UTC ({@code spark.sql.session.timeZone}), so it is the UTC wall-clock time Pulse
 * means, and compares correctly with both {@code TIMESTAMP} and {@code TIMESTAMP_NTZ} columns.
 *
 * <p>CSV files fail loudly (SQL_UNSUPPORTED): {@code csv.`path`} reads the header line as data and names
 * the columns {@code _c0, _c1, …}, and Spark 4 has no table function that takes a header option. Register
 * the file as a table ({@code CREATE TABLE t USING csv OPTIONS (path '…', header 'true')}) and use a
 * {@code table:} source, or convert it to Parquet.
 */
public final class SparkDialect implements Dialect {

    /** The one instance: the dialect has no settings. */
    public static final SparkDialect DEFAULT = new SparkDialect();

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private SparkDialect() {}

    @Override
    public String name() {
        return "spark";
    }

    /** Backticks; a backtick inside the name is doubled. */
    @Override
    public String quoteIdentifier(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    /**
     * Spark reads backslash escapes in string literals ({@code spark.sql.parser.escapedStringLiterals}
     * is off by default), so a backslash is doubled and a quote escaped with one.
     */
    @Override
    public String stringLiteral(String value) {
        return '\'' + value.replace("\\", "\\\\").replace("'", "\\'") + '\'';
    }

    @Override
    public String timestampLiteral(Instant instant) {
        Arguments.wholeSeconds(instant);
        return "TIMESTAMP " + stringLiteral(TIMESTAMP.format(instant));
    }

    /**
     * {@code parquet.`location`} (globs allowed).
     *
     * @throws PulseException SQL_UNSUPPORTED for CSV, whose header line Spark SQL cannot skip in a relation
     */
    @Override
    public String fileRelation(Relation.Files files) {
        return switch (files.format()) {
            case PARQUET -> "parquet." + quoteIdentifier(files.location());
            case CSV -> throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "dialect spark cannot read the CSV file "
                    + files.location() + " with its header line: register it as a table (CREATE TABLE t USING csv OPTIONS "
                    + "(path '…', header 'true')) and use a 'table:' source, or convert it to Parquet (see docs/spark.md)");
        };
    }

    @Override
    public String castToDouble(String expression) {
        return "CAST(" + expression + " AS DOUBLE)";
    }

    @Override
    public String castToText(String expression) {
        return "CAST(" + expression + " AS STRING)";
    }

    /** A day-time interval: exactly n × 24 hours, the session being in UTC. */
    @Override
    public String minusDays(String timestamp, int days) {
        Arguments.days(days);
        return "(" + timestamp + " - INTERVAL " + days + " DAY)";
    }

    @Override
    public String plusDays(String timestamp, int days) {
        Arguments.days(days);
        return "(" + timestamp + " + INTERVAL " + days + " DAY)";
    }

    /**
     * {@code MIN_BY(value, order)} skips rows whose order is NULL but, unlike DuckDB's {@code ARG_MIN},
     * not rows whose value is NULL (<a href="https://spark.apache.org/docs/latest/api/sql/#min_by">min_by</a>):
     * the order is made NULL where the value is, so both ignore NULL values.
     */
    @Override
    public String valueAtMinimum(String value, String order) {
        return "MIN_BY(" + value + ", CASE WHEN " + value + " IS NOT NULL THEN " + order + " END)";
    }

    /** {@code DATEDIFF} of the UTC dates (the session time zone): whole days from the midnight {@code start}. */
    @Override
    public String dayIndex(String timestamp, Instant start) {
        return "DATEDIFF(CAST(" + timestamp + " AS DATE), DATE '" + start.atZone(ZoneOffset.UTC).toLocalDate() + "')";
    }

    /** The table function {@code range(0, count)}, whose column {@code id} is renamed by the alias. */
    @Override
    public String integerRange(int count, String alias, String column) {
        Arguments.rangeSize(count);
        return "range(0, " + count + ") AS " + alias + "(" + column + ")";
    }

    /**
     * {@code PERCENTILE(expression, f)}: the exact percentile, interpolating linearly between the values at
     * 0-based positions ⌊(n − 1)f⌋ and ⌈(n − 1)f⌉, NULLs ignored (type 7, as DuckDB's {@code quantile_cont}):
     * <a href="https://spark.apache.org/docs/latest/api/sql/#percentile">percentile</a>.
     */
    @Override
    public String quantile(String expression, double fraction) {
        return "PERCENTILE(" + expression + ", " + fraction(fraction) + ")";
    }

    /**
     * {@code PERCENTILE_DISC(f * (1 - 1e-12)) WITHIN GROUP (ORDER BY expression)}: x_k with
     * k = max(1, ⌈n·f⌉), NULLs ignored. Like PostgreSQL, Spark computes ⌈n·f⌉ in double precision, where
     * 0.07 × 100 rounds up to rank 8; shrinking f by the relative 1e-12 keeps exact integers exact (see
     * {@link PostgresDialect#discreteQuantile} for the bound). Checked against DuckDB's
     * {@code QUANTILE_DISC} over a grid of sizes and fractions in the pulse-spark tests.
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
