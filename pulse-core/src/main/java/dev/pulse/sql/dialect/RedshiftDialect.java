package dev.pulse.sql.dialect;

import dev.pulse.error.PulseException;
import dev.pulse.model.Relation;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.TableStatements;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Amazon Redshift: PostgreSQL's syntax where Redshift shares it (casts, intervals, date subtraction,
 * {@code PERCENTILE_CONT … WITHIN GROUP}; those methods delegate to {@link PostgresDialect}), and its own forms
 * for the limits docs/redshift.md lists with their AWS pages:
 * <ul>
 *   <li>no {@code COVAR_SAMP}, {@code ARRAY_AGG} or {@code generate_series} on the compute nodes (<a
 *       href="https://docs.aws.amazon.com/redshift/latest/dg/c_unsupported-postgresql-functions.html">unsupported
 *       PostgreSQL functions</a>): {@link #covarianceSample}, {@link #valueAtMinimum}, {@link #integerRange};
 *   <li>no {@code FILTER (WHERE …)} on aggregates: conditions go inside {@code CASE};
 *   <li>string literals read backslash escapes (<a
 *       href="https://docs.aws.amazon.com/redshift/latest/dg/r_QUOTE_LITERAL.html">QUOTE_LITERAL</a> doubles
 *       quotes and backslashes): {@link #stringLiteral};
 *   <li>names of at most 127 bytes (<a href="https://docs.aws.amazon.com/redshift/latest/dg/r_names.html">names and
 *       identifiers</a>), folded to lower case unless the session sets {@code enable_case_sensitive_identifier},
 *       which the warehouse does;
 *   <li>{@code TEXT} is {@code VARCHAR(256)}: text columns and casts are {@code VARCHAR(65535)}, the longest.
 * </ul>
 * Sort-based aggregates ({@code PERCENTILE_CONT}, {@code PERCENTILE_DISC}, {@code LISTAGG}) must all share one
 * {@code ORDER BY} in a statement (<a href="https://docs.aws.amazon.com/redshift/latest/dg/r_PERCENTILE_CONT.html">PERCENTILE_CONT</a>),
 * which Pulse's percentile and winsorization statements do not: the engine lacks
 * {@code Engine.Ability.ORDERED_AGGREGATES} and config validation refuses those metrics on Redshift.
 */
public final class RedshiftDialect implements Dialect {

    /** The one instance: the dialect has no settings. */
    public static final RedshiftDialect DEFAULT = new RedshiftDialect();

    /** Redshift's limit on a name, in bytes of UTF-8. */
    static final int MAX_NAME_BYTES = 127;

    private static final PostgresDialect POSTGRES = PostgresDialect.DEFAULT;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    /** A timestamp as 20 digits that sort as the timestamps do (years 1–9999): {@link #valueAtMinimum}. */
    private static final String SORTABLE_TIMESTAMP = "'YYYYMMDDHH24MISSUS'";
    private static final int SORTABLE_TIMESTAMP_LENGTH = 20;

    private RedshiftDialect() {}

    @Override
    public String name() {
        return "redshift";
    }

    /**
     * {@code "…"} with {@code "} doubled.
     *
     * @throws PulseException SQL_UNSUPPORTED for a name with NUL or longer than 127 bytes, which Redshift would
     *                        refuse or (for the length) silently cut
     */
    @Override
    public String quoteIdentifier(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "a Redshift name cannot hold the NUL "
                    + "character (U+0000), which " + Arguments.visible(identifier) + " does: remove it from the config");
        }
        int bytes = identifier.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "a Redshift name has at most "
                    + MAX_NAME_BYTES + " bytes, and " + Arguments.visible(identifier) + " has " + bytes
                    + ": shorten the name in the config (a metric's name is part of its column names)");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * {@code '…'} with {@code \} and {@code '} doubled: Redshift reads a backslash in a literal as an escape
     * (there is no {@code standard_conforming_strings} to turn it off), so a lone backslash would join the next
     * character, and {@code \'} would not end the literal. Doubling both is what its own {@code QUOTE_LITERAL}
     * does. Only values from the config are literals; values from the data are bound as parameters.
     *
     * @throws PulseException SQL_UNSUPPORTED when {@code value} holds NUL, which Redshift text cannot hold
     */
    @Override
    public String stringLiteral(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "Redshift text cannot hold the NUL "
                    + "character (U+0000), which " + Arguments.visible(value) + " does: remove it from the config");
        }
        return '\'' + value.replace("\\", "\\\\").replace("'", "''") + '\'';
    }

    /** {@code CAST('…' AS TIMESTAMP)}: UTC wall-clock time, the session's time zone being UTC. */
    @Override
    public String timestampLiteral(Instant instant) {
        Arguments.wholeSeconds(instant);
        return "CAST(" + stringLiteral(TIMESTAMP.format(instant)) + " AS TIMESTAMP)";
    }

    /** @throws PulseException SQL_UNSUPPORTED always: Pulse reads Redshift tables, not files */
    @Override
    public String fileRelation(Relation.Files files) {
        throw new PulseException(PulseException.Category.SQL_UNSUPPORTED, "dialect redshift cannot read the file "
                + files.location() + ": load it into a table (COPY) and use a 'table:' source, or use engine duckdb");
    }

    @Override
    public String castToDouble(String expression) {
        return POSTGRES.castToDouble(expression);
    }

    /** {@code VARCHAR(65535)}: Redshift's {@code TEXT} is {@code VARCHAR(256)} and would cut longer values. */
    @Override
    public String castToText(String expression) {
        return "CAST(" + expression + " AS VARCHAR(65535))";
    }

    /**
     * The text itself: Redshift's only collations are {@code case_sensitive} (the default) and
     * {@code case_insensitive} (<a href="https://docs.aws.amazon.com/redshift/latest/dg/r_COLLATE.html">COLLATE</a>);
     * AWS does not document the case-sensitive order beyond telling cases apart, so code-point order on Redshift is
     * an expectation, not a checked fact (docs/redshift.md), and a database created {@code COLLATE CASE_INSENSITIVE}
     * ties {@code B} with {@code b}. Written bare, not {@code COLLATE(x, 'cs')}, so that the same text runs on
     * PostgreSQL in Pulse's tests (whose test database's collation is C).
     */
    @Override
    public String codePointOrder(String textExpression) {
        return textExpression;
    }

    @Override
    public String minusDays(String timestamp, int days) {
        return POSTGRES.minusDays(timestamp, days);
    }

    @Override
    public String plusDays(String timestamp, int days) {
        return POSTGRES.plusDays(timestamp, days);
    }

    /**
     * Redshift has neither {@code ARG_MIN} nor {@code ARRAY_AGG}: the least of the texts "order as 20 sortable
     * digits, then value", with the digits cut off again. {@code value} is text (a dimension's value), so the
     * concatenation holds it whole; rows whose order ties compare by value, which is one of the tied rows' values
     * (the contract allows any). {@code order} is a timestamp or date between the years 1 and 9999.
     */
    @Override
    public String valueAtMinimum(String value, String order) {
        return "SUBSTRING(MIN(CASE WHEN " + value + " IS NOT NULL THEN TO_CHAR(" + order + ", " + SORTABLE_TIMESTAMP
                + ") || " + value + " END) FROM " + (SORTABLE_TIMESTAMP_LENGTH + 1) + ")";
    }

    /** @throws PulseException SQL_UNSUPPORTED always: no aggregate picks a row's double by an order (no ARRAY_AGG) */
    @Override
    public String firstValue(String value, String order) {
        throw valueAtOrderUnsupported("first_value");
    }

    /** @throws PulseException SQL_UNSUPPORTED always, as {@link #firstValue} */
    @Override
    public String latestValue(String value, String order) {
        throw valueAtOrderUnsupported("latest_value");
    }

    private static PulseException valueAtOrderUnsupported(String type) {
        return new PulseException(PulseException.Category.SQL_UNSUPPORTED, "dialect redshift has no aggregate for the "
                + "value of a group's first or last row (no ARRAY_AGG, no ARG_MIN): a " + type + " metric needs another "
                + "engine (docs/redshift.md)");
    }

    @Override
    public String dayIndex(String timestamp, Instant start) {
        return "(CAST(" + timestamp + " AS DATE) - CAST('" + start.atZone(ZoneOffset.UTC).toLocalDate() + "' AS DATE))";
    }

    /**
     * {@code generate_series} runs only on Redshift's leader node, so it cannot join a table: the numbers are
     * built from decimal digits, {@code d₀ + 10·d₁ + …} over a cross join of one 10-row {@code UNION ALL} per digit
     * of {@code count − 1}, kept below {@code count}. Plain SQL, so it runs on the compute nodes (and on PostgreSQL).
     */
    @Override
    public String integerRange(int count, String alias, String column) {
        Arguments.rangeSize(count);
        int digits = String.valueOf(count - 1).length();
        String digit = quoteIdentifier("digit");
        StringBuilder ten = new StringBuilder("(SELECT 0 AS " + digit);
        for (int d = 1; d <= 9; d++) {
            ten.append(" UNION ALL SELECT ").append(d);
        }
        ten.append(')');
        List<String> terms = new ArrayList<>();
        List<String> relations = new ArrayList<>();
        long weight = 1;
        for (int i = 0; i < digits; i++) {
            String place = quoteIdentifier("place" + i);
            terms.add((weight == 1 ? "" : weight + " * ") + place + "." + digit);
            relations.add(ten + " AS " + place);
            weight *= 10;
        }
        String number = String.join(" + ", terms);
        return "(SELECT " + number + " AS " + column + " FROM " + String.join(" CROSS JOIN ", relations)
                + " WHERE " + number + " < " + count + ") AS " + alias;
    }

    @Override
    public String quantile(String expression, double fraction) {
        return POSTGRES.quantile(expression, fraction);
    }

    /**
     * {@code PERCENTILE_DISC(p) WITHIN GROUP (ORDER BY expression)} with p = f·(1 − 10⁻¹²) written out as one
     * decimal constant, as Redshift asks a constant (<a
     * href="https://docs.aws.amazon.com/redshift/latest/dg/r_PERCENTILE_DISC.html">PERCENTILE_DISC</a>); the
     * shrinking is PostgreSQL's ({@link PostgresDialect#discreteQuantile}). Percentile metrics are refused on
     * Redshift (see the class comment); the form is for a statement with one sort order.
     */
    @Override
    public String discreteQuantile(String expression, double fraction) {
        return "PERCENTILE_DISC(" + Arguments.shrunkFractionLiteral(fraction) + ") WITHIN GROUP (ORDER BY " + expression + ")";
    }

    /**
     * Σxy − Σx·Σy/n over the rows where both are present, divided by n − 1: NULL below two such rows, and exactly 0
     * when x or y is constant over them (as a two-pass {@code COVAR_SAMP} gives; rounding would otherwise leave
     * ±ε·|Σxy| against a variance of exactly 0, which no covariance may exceed). {@code x * y} is NULL where either
     * is, so {@code COUNT(x * y)} counts the pairs. Redshift has no {@code COVAR_SAMP}.
     *
     * <p>Why one pass is stable here: Σxy − Σx·Σy/n equals Σ(x − x̄)(y − ȳ) exactly, and in floating point the
     * rounding error of the sums is about ε·n·(|x̄ȳ| + sₓs_y) against a result of about n·ρ·sₓs_y. Pulse calls this
     * only on values already shifted by their pooled pilot means (docs/statistics.md, "How the moments are
     * computed"), so |x̄| and |ȳ| within a group are of the order of the group's difference from the pool, not of
     * the raw values: for values near 10⁹ with a spread of 1 the raw form would lose every digit (ε·10¹⁸), the
     * shifted one keeps them (checked on PostgreSQL by {@code RedshiftCovarianceTest}).
     */
    @Override
    public String covarianceSample(String x, String y) {
        String pairs = "COUNT(" + x + " * " + y + ")";
        String xOfPairs = "CASE WHEN " + y + " IS NOT NULL THEN " + x + " END";
        String yOfPairs = "CASE WHEN " + x + " IS NOT NULL THEN " + y + " END";
        return "CASE WHEN " + pairs + " < 2 THEN NULL"
                + " WHEN MIN(" + xOfPairs + ") = MAX(" + xOfPairs + ") OR MIN(" + yOfPairs + ") = MAX(" + yOfPairs + ") THEN 0"
                + " ELSE (SUM(" + x + " * " + y + ") - SUM(" + xOfPairs + ") * SUM(" + yOfPairs + ") / " + pairs + ") / ("
                + pairs + " - 1) END";
    }

    /** {@code VARCHAR(65535)} for text (Redshift's {@code VARCHAR} alone is 256 bytes) and {@code TIMESTAMPTZ}. */
    @Override
    public String columnType(TableStatements.ColumnType type) {
        return switch (type) {
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE PRECISION";
            case TEXT -> "VARCHAR(65535)";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMP_WITH_TIME_ZONE -> "TIMESTAMPTZ";
        };
    }

    /**
     * Redshift runs DROP and CREATE TABLE inside a transaction and commits them together (<a
     * href="https://docs.aws.amazon.com/redshift/latest/dg/r_BEGIN.html">BEGIN</a>: only TRUNCATE commits on its
     * own, and the statements <a href="https://docs.aws.amazon.com/redshift/latest/dg/r_SVL_MULTI_STATEMENT_VIOLATIONS.html">
     * refused in a transaction block</a> are external-table and tablespace statements Pulse never runs). It has no
     * advisory locks ({@link #writeLock} stays empty): under its serializable isolation a second run writing the
     * same table at once fails with a serialization error instead of waiting, and the first run's table stays.
     */
    @Override
    public boolean transactionalDdl() {
        return true;
    }
}
