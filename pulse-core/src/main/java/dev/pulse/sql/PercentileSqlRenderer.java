package dev.pulse.sql;

import dev.pulse.plan.PercentilePlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Renders the two statements of a percentile metric (DESIGN §3; the three-pass protocol of
 * {@code dev.pulse.stats.Percentiles}, after Deng, Knoblich &amp; Lu, KDD 2018, §4). Both start with
 * the experiment's {@code exposures} and {@code units} CTEs exactly as {@link SqlRenderer} writes them,
 * then {@code percentile_rows}: per counted unit, its group and the values of the source's rows in its
 * window that are not NULL after the filter (the records), cast to double.
 *
 * <ul>
 *   <li>{@link #indicatorStatement} (passes 1 and 2): per group the discrete quantile
 *       {@code Q̂_g} ({@link Dialect#discreteQuantile}) of its rows, then per unit
 *       {@code X_i} = rows with {@code value <= Q̂_g} (ties count) and {@code Y_i} = its records, with
 *       every counted unit present (0 and 0 without rows), and per group {@code n}, the records, Q̂
 *       and AVG/VAR_SAMP/COVAR_SAMP of (X, Y). Reads the source at most twice ({@code percentile_rows}
 *       feeds both the quantile and the counts; an engine that materializes the CTE reads it once).</li>
 *   <li>{@link #levelQuantilesStatement} (pass 3): for each group, the discrete quantiles of the same
 *       rows at that group's two levels, as one row of 2 × groups columns in one scan.</li>
 * </ul>
 * Nothing but these few numbers per group leaves the warehouse.
 */
public final class PercentileSqlRenderer {

    /** Result of the indicator statement: the group (one row per group with counted units). */
    public static final String GROUP = ResultColumns.GROUP;
    /** Counted units of the group. */
    public static final String UNITS = ResultColumns.UNITS;
    /** Rows of the group with a non-NULL value (ΣY). */
    public static final String RECORDS = "records";
    /** The group's discrete quantile Q̂ at the metric's probability; NULL when the group has no records. */
    public static final String QUANTILE = "quantile";
    /** AVG of X = rows with value ≤ Q̂, per unit. */
    public static final String MEAN_X = "mean_x";
    /** AVG of Y = records, per unit. */
    public static final String MEAN_Y = "mean_y";
    /** VAR_SAMP of X; NULL for fewer than 2 units. */
    public static final String VAR_X = "var_x";
    /** VAR_SAMP of Y; NULL for fewer than 2 units. */
    public static final String VAR_Y = "var_y";
    /** COVAR_SAMP of X and Y; NULL for fewer than 2 units. */
    public static final String COV_XY = "cov_xy";

    private static final String ROWS = "percentile_rows";
    private static final String VALUE = "row_value";
    private static final String ROW_VALUE = "pulse_value";
    private static final String GROUP_QUANTILES = "group_quantiles";
    private static final String UNIT_COUNTS = "unit_counts";
    private static final String UNIT_VALUES = "unit_values";
    private static final String MOMENTS = "moments";
    private static final String X = "x";
    private static final String Y = "y";

    /**
     * The probability levels at which the level-quantiles statement reads one group's quantiles.
     *
     * @param group the group's name as the indicator statement returned it
     * @param lower the lower level, in [0, 1]
     * @param upper the upper level, in [lower, 1]
     */
    public record GroupLevels(String group, double lower, double upper) {
        public GroupLevels {
            Objects.requireNonNull(group);
            if (!(lower >= 0 && lower <= upper && upper <= 1)) {
                throw new IllegalArgumentException("levels must satisfy 0 <= lower <= upper <= 1, got " + lower + ", " + upper);
            }
        }
    }

    private final Dialect dialect;
    private final SqlRenderer base;
    private final IdMappingSql idMapping;

    private PercentileSqlRenderer(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect);
        this.base = SqlRenderer.of(dialect);
        this.idMapping = new IdMappingSql(dialect);
    }

    /** The renderer for {@code dialect}. */
    public static PercentileSqlRenderer of(Dialect dialect) {
        return new PercentileSqlRenderer(dialect);
    }

    /** Column of the level-quantiles statement holding the quantile at the lower level of {@code levels.get(index)}. */
    public static String lowerQuantile(int index) {
        return "g" + index + "_lower";
    }

    /** Column of the level-quantiles statement holding the quantile at the upper level of {@code levels.get(index)}. */
    public static String upperQuantile(int index) {
        return "g" + index + "_upper";
    }

    /**
     * Passes 1 and 2: one row per group with counted units, ordered by group, with the columns
     * {@link #GROUP}, {@link #UNITS}, {@link #RECORDS}, {@link #QUANTILE}, {@link #MEAN_X},
     * {@link #MEAN_Y}, {@link #VAR_X}, {@link #VAR_Y}, {@link #COV_XY}.
     */
    public String indicatorStatement(PercentilePlan plan) {
        SqlWriter sql = new SqlWriter();
        rows(sql, plan, true);
        groupQuantiles(sql, plan);
        unitCounts(sql);
        unitValues(sql);
        moments(sql);
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        for (String column : List.of(GROUP, UNITS)) {
            items.add(column(MOMENTS, column));
        }
        items.add("COALESCE(" + column(GROUP_QUANTILES, RECORDS) + ", 0) AS " + quote(RECORDS));
        items.add(column(GROUP_QUANTILES, QUANTILE));
        for (String column : List.of(MEAN_X, MEAN_Y, VAR_X, VAR_Y, COV_XY)) {
            items.add(column(MOMENTS, column));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(MOMENTS));
        sql.line("LEFT JOIN " + quote(GROUP_QUANTILES));
        sql.indent().line("ON " + column(GROUP_QUANTILES, GROUP) + " = " + column(MOMENTS, GROUP)).dedent();
        sql.line("ORDER BY " + column(MOMENTS, GROUP));
        return sql.toString();
    }

    /**
     * Pass 3: one row with, for each {@code levels.get(i)}, the discrete quantiles of that group's rows
     * at its lower and upper level in columns {@link #lowerQuantile(int)} and {@link #upperQuantile(int)}
     * (each aggregate sees only its group's values; the others are NULL to it).
     *
     * @throws IllegalArgumentException if {@code levels} is empty
     */
    public String levelQuantilesStatement(PercentilePlan plan, List<GroupLevels> levels) {
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("no group has levels");
        }
        SqlWriter sql = new SqlWriter();
        rows(sql, plan, false);
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            GroupLevels group = levels.get(i);
            String value = "CASE WHEN " + quote(GROUP) + " = " + dialect.stringLiteral(group.group())
                    + " THEN " + quote(VALUE) + " END";
            items.add(dialect.discreteQuantile(value, group.lower()) + " AS " + quote(lowerQuantile(i)));
            items.add(dialect.discreteQuantile(value, group.upper()) + " AS " + quote(upperQuantile(i)));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(ROWS));
        return sql.toString();
    }

    /**
     * {@code WITH exposures, units, percentile_rows}, with a comma after the last when {@code more} CTEs
     * follow. A mapped source's rows reach their unit through the ID map the experiment's statement
     * builds (the same CTEs): inner joins, so a row without a counted unit is not a record (the
     * experiment's statement counts those rows).
     */
    private void rows(SqlWriter sql, PercentilePlan plan, boolean more) {
        String rows = "r";
        String units = "u";
        String map = SqlRenderer.MAP_ALIAS;
        sql.line("WITH");
        base.exposures(sql, plan.experiment());
        base.units(sql, plan.experiment());
        if (plan.mapped()) {
            idMapping.map(sql, plan.experiment(), base);
        }
        sql.line(quote(ROWS) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(List.of(
                column(units, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT),
                column(units, GROUP) + " AS " + quote(GROUP),
                column(rows, ROW_VALUE) + " AS " + quote(VALUE)));
        sql.dedent();
        if (plan.mapped()) {
            sql.line("FROM (").indent();
            sourceRows(sql, plan);
            sql.dedent().line(") AS " + quote(rows));
            sql.line("JOIN " + quote(IdMappingSql.MAP) + " AS " + quote(map));
            sql.indent().line("ON " + column(map, IdMappingSql.ID) + " = " + column(rows, SqlRenderer.ROW_UNIT)).dedent();
            sql.line("JOIN " + quote(SqlRenderer.UNITS) + " AS " + quote(units));
            sql.indent();
            sql.line("ON " + column(units, SqlRenderer.UNIT) + " = " + column(map, SqlRenderer.UNIT));
        } else {
            sql.line("FROM " + quote(SqlRenderer.UNITS) + " AS " + quote(units));
            sql.line("JOIN (").indent();
            sourceRows(sql, plan);
            sql.dedent().line(") AS " + quote(rows));
            sql.indent();
            sql.line("ON " + column(rows, SqlRenderer.ROW_UNIT) + " = " + column(units, SqlRenderer.UNIT));
        }
        sql.line("AND " + column(rows, SqlRenderer.ROW_TIMESTAMP) + " >= " + column(units, SqlRenderer.FIRST_EXPOSURE));
        plan.experiment().window().end().ifPresent(end ->
                sql.line("AND " + column(rows, SqlRenderer.ROW_TIMESTAMP) + " < " + dialect.timestampLiteral(end)));
        sql.dedent();
        sql.line("WHERE " + column(rows, ROW_VALUE) + " IS NOT NULL");
        sql.dedent().line(more ? ")," : ")");
    }

    /** The source's rows: their unit (or mapped) ID, timestamp and value. */
    private void sourceRows(SqlWriter sql, PercentilePlan plan) {
        sql.line("SELECT").indent();
        sql.list(List.of(
                column(SqlRenderer.SOURCE_ALIAS, plan.unitColumn()) + " AS " + quote(SqlRenderer.ROW_UNIT),
                column(SqlRenderer.SOURCE_ALIAS, plan.timestampColumn()) + " AS " + quote(SqlRenderer.ROW_TIMESTAMP),
                dialect.castToDouble(base.rowExpression(plan.value())) + " AS " + quote(ROW_VALUE)));
        sql.dedent();
        base.from(sql, plan.relation());
    }

    private void groupQuantiles(SqlWriter sql, PercentilePlan plan) {
        sql.line(quote(GROUP_QUANTILES) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(List.of(
                quote(GROUP) + " AS " + quote(GROUP),
                dialect.discreteQuantile(quote(VALUE), plan.probability()) + " AS " + quote(QUANTILE),
                "COUNT(*) AS " + quote(RECORDS)));
        sql.dedent();
        sql.line("FROM " + quote(ROWS));
        sql.line("GROUP BY " + quote(GROUP));
        sql.dedent().line("),");
    }

    private void unitCounts(SqlWriter sql) {
        String rows = "pr";
        String quantiles = "q";
        sql.line(quote(UNIT_COUNTS) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(List.of(
                column(rows, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT),
                "COUNT(CASE WHEN " + column(rows, VALUE) + " <= " + column(quantiles, QUANTILE) + " THEN 1 END) AS "
                        + quote(X),
                "COUNT(*) AS " + quote(Y)));
        sql.dedent();
        sql.line("FROM " + quote(ROWS) + " AS " + quote(rows));
        sql.line("JOIN " + quote(GROUP_QUANTILES) + " AS " + quote(quantiles));
        sql.indent().line("ON " + column(quantiles, GROUP) + " = " + column(rows, GROUP)).dedent();
        sql.line("GROUP BY " + column(rows, SqlRenderer.UNIT));
        sql.dedent().line("),");
    }

    /** Every counted unit, with 0 and 0 when it has no records. */
    private void unitValues(SqlWriter sql) {
        String units = "u";
        String counts = "c";
        sql.line(quote(UNIT_VALUES) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(List.of(
                column(units, GROUP) + " AS " + quote(GROUP),
                dialect.castToDouble("COALESCE(" + column(counts, X) + ", 0)") + " AS " + quote(X),
                dialect.castToDouble("COALESCE(" + column(counts, Y) + ", 0)") + " AS " + quote(Y)));
        sql.dedent();
        sql.line("FROM " + quote(SqlRenderer.UNITS) + " AS " + quote(units));
        sql.line("LEFT JOIN " + quote(UNIT_COUNTS) + " AS " + quote(counts));
        sql.indent().line("ON " + column(counts, SqlRenderer.UNIT) + " = " + column(units, SqlRenderer.UNIT)).dedent();
        sql.dedent().line("),");
    }

    private void moments(SqlWriter sql) {
        String x = quote(X);
        String y = quote(Y);
        sql.line(quote(MOMENTS) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(List.of(
                quote(GROUP) + " AS " + quote(GROUP),
                "COUNT(*) AS " + quote(UNITS),
                "AVG(" + x + ") AS " + quote(MEAN_X),
                "AVG(" + y + ") AS " + quote(MEAN_Y),
                "VAR_SAMP(" + x + ") AS " + quote(VAR_X),
                "VAR_SAMP(" + y + ") AS " + quote(VAR_Y),
                "COVAR_SAMP(" + x + ", " + y + ") AS " + quote(COV_XY)));
        sql.dedent();
        sql.line("FROM " + quote(UNIT_VALUES));
        sql.line("GROUP BY " + quote(GROUP));
        sql.dedent().line(")");
    }

    private String column(String table, String column) {
        return quote(table) + "." + quote(column);
    }

    private String quote(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }
}
