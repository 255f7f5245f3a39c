package dev.pulse.sql;

import dev.pulse.plan.PercentilePlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders the two statements of a percentile metric (docs/metric-types.md#percentile; the three-pass protocol of
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
 *
 * <p>With dimensions ({@code dev.pulse.model.Dimensions}) the same two statements also compute every
 * dimension value's own percentile, over that value's units only: the units are bucketed exactly as in
 * the experiment's statement ({@link DimensionSql#buckets} over the same unit table), the records carry
 * their unit's buckets, Q̂ comes per {@code GROUPING SETS ((grp), (grp, d0_bucket), …)}, each record is
 * counted against its group's Q̂ and against its value's (one X per dimension), the moments are grouped
 * by the same grouping sets, and pass 3 reads the level quantiles of every slice and group as further
 * columns of its one row. Still two statements and the same scans, whatever the number of values.
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
    /** With dimensions: the dimension of the row's slice, NULL on the experiment-wide rows. */
    public static final String DIMENSION = ResultColumns.DIMENSION;
    /** With dimensions: the value (or bucket) of the row's slice, NULL on the experiment-wide rows. */
    public static final String DIMENSION_VALUE = ResultColumns.DIMENSION_VALUE;
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

    private static final String ROWS = "pulse_percentile_rows";
    private static final String VALUE = "row_value";
    private static final String ROW_VALUE = "pulse_value";
    private static final String GROUP_QUANTILES = "pulse_group_quantiles";
    private static final String UNIT_COUNTS = "pulse_unit_counts";
    private static final String UNIT_VALUES = "pulse_unit_values";
    private static final String MOMENTS = "pulse_moments";
    private static final String X = "x";
    private static final String Y = "y";

    /**
     * The units with one value of one dimension, as the indicator statement names them.
     *
     * @param dimension the dimension's column, one of the experiment's dimensions
     * @param value     its value or bucket ({@code (null)}, {@code (other)})
     */
    public record Slice(String dimension, String value) {
        public Slice {
            Objects.requireNonNull(dimension);
            Objects.requireNonNull(value);
        }
    }

    /**
     * The probability levels at which the level-quantiles statement reads one group's quantiles.
     *
     * @param slice the dimension value whose units the group is restricted to; empty: all units
     * @param group the group's name as the indicator statement returned it
     * @param lower the lower level, in [0, 1]
     * @param upper the upper level, in [lower, 1]
     */
    public record GroupLevels(Optional<Slice> slice, String group, double lower, double upper) {
        public GroupLevels {
            Objects.requireNonNull(slice);
            Objects.requireNonNull(group);
            if (!(lower >= 0 && lower <= upper && upper <= 1)) {
                throw new IllegalArgumentException("levels must satisfy 0 <= lower <= upper <= 1, got " + lower + ", " + upper);
            }
        }

        /** Levels of a group over all units. */
        public GroupLevels(String group, double lower, double upper) {
            this(Optional.empty(), group, lower, upper);
        }
    }

    private final Dialect dialect;
    private final SqlRenderer base;
    private final IdMappingSql idMapping;
    private final DimensionSql dimensions;

    private PercentileSqlRenderer(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect);
        this.base = SqlRenderer.of(dialect);
        this.idMapping = new IdMappingSql(dialect);
        this.dimensions = new DimensionSql(dialect);
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
     * {@link #MEAN_Y}, {@link #VAR_X}, {@link #VAR_Y}, {@link #COV_XY}. With dimensions, also
     * {@link #DIMENSION} and {@link #DIMENSION_VALUE}: the experiment-wide rows first (both NULL), then
     * one row per dimension value and group with units there, everything computed over that value's
     * units alone.
     */
    public String indicatorStatement(PercentilePlan plan) {
        boolean sliced = sliced(plan);
        SqlWriter sql = new SqlWriter();
        rows(sql, plan, true);
        groupQuantiles(sql, plan);
        unitCounts(sql, plan);
        unitValues(sql, plan);
        moments(sql, plan);
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(MOMENTS, GROUP));
        if (sliced) {
            items.add(column(MOMENTS, DIMENSION));
            items.add(column(MOMENTS, DIMENSION_VALUE));
        }
        items.add(column(MOMENTS, UNITS));
        items.add("COALESCE(" + column(GROUP_QUANTILES, RECORDS) + ", 0) AS " + quote(RECORDS));
        items.add(column(GROUP_QUANTILES, QUANTILE));
        for (String column : List.of(MEAN_X, MEAN_Y, VAR_X, VAR_Y, COV_XY)) {
            items.add(column(MOMENTS, column));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(MOMENTS));
        sql.line("LEFT JOIN " + quote(GROUP_QUANTILES));
        sql.indent().line("ON " + column(GROUP_QUANTILES, GROUP) + " = " + column(MOMENTS, GROUP));
        if (sliced) {
            // the experiment-wide rows have NULL in both, which '=' never matches
            for (String column : List.of(DIMENSION, DIMENSION_VALUE)) {
                String quantiles = column(GROUP_QUANTILES, column);
                String moments = column(MOMENTS, column);
                sql.line("AND (" + quantiles + " = " + moments + " OR (" + quantiles + " IS NULL AND " + moments
                        + " IS NULL))");
            }
        }
        sql.dedent();
        sql.line("ORDER BY " + (sliced ? column(MOMENTS, DIMENSION) + " NULLS FIRST, "
                + column(MOMENTS, DIMENSION_VALUE) + " NULLS FIRST, " : "") + column(MOMENTS, GROUP));
        return sql.toString();
    }

    /**
     * Pass 3: one row with, for each {@code levels.get(i)}, the discrete quantiles of that group's rows
     * at its lower and upper level in columns {@link #lowerQuantile(int)} and {@link #upperQuantile(int)}
     * (each aggregate sees only its group's values; the others are NULL to it). A level of a dimension
     * value's group sees only the records of that group's units with the value (its bucket, as in the
     * indicator statement). The group names and buckets are the indicator statement's results, values from
     * the data: they are parameters of the statement ({@link Dialect#parameter}), never SQL text (the group, then
     * the bucket, for each aggregate in column order).
     *
     * @throws IllegalArgumentException if {@code levels} is empty, or a slice names a dimension the
     *                                  experiment does not have
     */
    public BoundStatement levelQuantilesStatement(PercentilePlan plan, List<GroupLevels> levels) {
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("no group has levels");
        }
        SqlWriter sql = new SqlWriter();
        rows(sql, plan, false);
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            GroupLevels group = levels.get(i);
            // the group name and the bucket came back from the indicator statement: data, bound as parameters
            for (String column : List.of(lowerQuantile(i), upperQuantile(i))) {
                String condition = quote(GROUP) + " = " + dialect.parameter(parameters.size());
                parameters.add(group.group());
                if (group.slice().isPresent()) {
                    Slice slice = group.slice().get();
                    condition += " AND " + quote(DimensionSql.bucket(dimensionIndex(plan, slice))) + " = "
                            + dialect.parameter(parameters.size());
                    parameters.add(slice.value());
                }
                String value = "CASE WHEN " + condition + " THEN " + quote(VALUE) + " END";
                double level = column.equals(lowerQuantile(i)) ? group.lower() : group.upper();
                items.add(dialect.discreteQuantile(value, level) + " AS " + quote(column));
            }
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(ROWS));
        return new BoundStatement(sql.toString(), parameters);
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
        String unitTable = unitTable(sql, plan);
        if (plan.mapped()) {
            idMapping.map(sql, plan.experiment(), base);
        }
        sql.line(quote(ROWS) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>(List.of(
                column(units, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT),
                column(units, GROUP) + " AS " + quote(GROUP)));
        for (int i = 0; i < dimensionCount(plan); i++) {
            items.add(column(units, DimensionSql.bucket(i)) + " AS " + quote(DimensionSql.bucket(i)));
        }
        items.add(column(rows, ROW_VALUE) + " AS " + quote(VALUE));
        sql.list(items);
        sql.dedent();
        if (plan.mapped()) {
            sql.line("FROM (").indent();
            sourceRows(sql, plan);
            sql.dedent().line(") AS " + quote(rows));
            sql.line("JOIN " + quote(IdMappingSql.MAP) + " AS " + quote(map));
            sql.indent().line("ON " + column(map, IdMappingSql.ID) + " = " + column(rows, SqlRenderer.ROW_UNIT)).dedent();
            sql.line("JOIN " + quote(unitTable) + " AS " + quote(units));
            sql.indent();
            sql.line("ON " + column(units, SqlRenderer.UNIT) + " = " + column(map, SqlRenderer.UNIT));
        } else {
            sql.line("FROM " + quote(unitTable) + " AS " + quote(units));
            sql.line("JOIN (").indent();
            sourceRows(sql, plan);
            sql.dedent().line(") AS " + quote(rows));
            sql.indent();
            sql.line("ON " + column(rows, SqlRenderer.ROW_UNIT) + " = " + column(units, SqlRenderer.UNIT));
        }
        sql.line("AND " + column(rows, SqlRenderer.ROW_TIMESTAMP) + " >= "
                + SqlRenderer.analysisStart(dialect, plan.experiment(), units));
        plan.experiment().window().end().ifPresent(end ->
                sql.line("AND " + column(rows, SqlRenderer.ROW_TIMESTAMP) + " < " + dialect.timestampLiteral(end)));
        sql.dedent();
        sql.line("WHERE " + column(rows, ROW_VALUE) + " IS NOT NULL");
        sql.dedent().line(more ? ")," : ")");
    }

    /**
     * The unit table the records are joined to: {@code units}, or with dimensions the bucketing CTEs
     * over it, which it writes, so that every unit carries its bucket per dimension. Over the same
     * units as the experiment's statement ranks (its unit values have one row per counted unit), the
     * ranking puts each unit in the same bucket.
     */
    private String unitTable(SqlWriter sql, PercentilePlan plan) {
        return sliced(plan) ? dimensions.buckets(sql, plan.experiment(), SqlRenderer.UNITS) : SqlRenderer.UNITS;
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
        SqlRenderer.where(sql, base.inDates(plan.experiment(), plan.timestampColumn(), false));
    }

    /** Per group (and with dimensions per dimension value and group) Q̂ and the records. */
    private void groupQuantiles(SqlWriter sql, PercentilePlan plan) {
        sql.line(quote(GROUP_QUANTILES) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(quote(GROUP) + " AS " + quote(GROUP));
        if (sliced(plan)) {
            items.addAll(dimensions.momentItems(plan.experiment()));
        }
        items.add(dialect.discreteQuantile(quote(VALUE), plan.probability()) + " AS " + quote(QUANTILE));
        items.add("COUNT(*) AS " + quote(RECORDS));
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(ROWS));
        sql.line("GROUP BY " + groupBy(plan));
        sql.dedent().line("),");
    }

    /**
     * Per unit with records: Y = its records and X = those at or below its group's Q̂; with dimensions
     * also, per dimension, X against the Q̂ of its group within its bucket ({@link #dimensionX}). Every
     * record has a Q̂ in each of these, since it is one of the records Q̂ was taken over: inner joins.
     */
    private void unitCounts(SqlWriter sql, PercentilePlan plan) {
        String rows = "pr";
        String quantiles = "q";
        sql.line(quote(UNIT_COUNTS) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(rows, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT));
        items.add(indicatorCount(rows, quantiles) + " AS " + quote(X));
        for (int i = 0; i < dimensionCount(plan); i++) {
            items.add(indicatorCount(rows, dimensionQuantiles(i)) + " AS " + quote(dimensionX(i)));
        }
        items.add("COUNT(*) AS " + quote(Y));
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(ROWS) + " AS " + quote(rows));
        sql.line("JOIN " + quote(GROUP_QUANTILES) + " AS " + quote(quantiles));
        sql.indent().line("ON " + column(quantiles, GROUP) + " = " + column(rows, GROUP));
        if (sliced(plan)) {
            sql.line("AND " + column(quantiles, DIMENSION) + " IS NULL");
        }
        sql.dedent();
        List<String> names = plan.experiment().dimensions().columns();
        for (int i = 0; i < names.size(); i++) {
            String alias = dimensionQuantiles(i);
            sql.line("JOIN " + quote(GROUP_QUANTILES) + " AS " + quote(alias));
            sql.indent().line("ON " + column(alias, GROUP) + " = " + column(rows, GROUP));
            sql.line("AND " + column(alias, DIMENSION) + " = " + dialect.stringLiteral(names.get(i)));
            sql.line("AND " + column(alias, DIMENSION_VALUE) + " = " + column(rows, DimensionSql.bucket(i)));
            sql.dedent();
        }
        sql.line("GROUP BY " + column(rows, SqlRenderer.UNIT));
        sql.dedent().line("),");
    }

    private String indicatorCount(String rows, String quantiles) {
        return "COUNT(CASE WHEN " + column(rows, VALUE) + " <= " + column(quantiles, QUANTILE) + " THEN 1 END)";
    }

    /** Every counted unit, with 0 and 0 when it has no records (and its buckets, with dimensions). */
    private void unitValues(SqlWriter sql, PercentilePlan plan) {
        String units = "u";
        String counts = "c";
        sql.line(quote(UNIT_VALUES) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(units, GROUP) + " AS " + quote(GROUP));
        for (int i = 0; i < dimensionCount(plan); i++) {
            items.add(column(units, DimensionSql.bucket(i)) + " AS " + quote(DimensionSql.bucket(i)));
        }
        List<String> counted = new ArrayList<>(List.of(X));
        for (int i = 0; i < dimensionCount(plan); i++) {
            counted.add(dimensionX(i));
        }
        counted.add(Y);
        for (String name : counted) {
            items.add(dialect.castToDouble("COALESCE(" + column(counts, name) + ", 0)") + " AS " + quote(name));
        }
        sql.list(items);
        sql.dedent();
        // with dimensions the bucketing CTE: the same units as "units", with their buckets
        sql.line("FROM " + quote(sliced(plan) ? DimensionSql.BUCKETS : SqlRenderer.UNITS) + " AS " + quote(units));
        sql.line("LEFT JOIN " + quote(UNIT_COUNTS) + " AS " + quote(counts));
        sql.indent().line("ON " + column(counts, SqlRenderer.UNIT) + " = " + column(units, SqlRenderer.UNIT)).dedent();
        sql.dedent().line("),");
    }

    /**
     * Per group, and with dimensions per grouping set: n and the moments of (X, Y). A grouping set of
     * dimension d takes the X counted against its own Q̂ (the column of the set's bucket is not NULL
     * there); every set's aggregates are computed over every X column, a few needless sums over the
     * small unit table that spare a second pass over it.
     */
    private void moments(SqlWriter sql, PercentilePlan plan) {
        String y = quote(Y);
        sql.line(quote(MOMENTS) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(quote(GROUP) + " AS " + quote(GROUP));
        if (sliced(plan)) {
            items.addAll(dimensions.momentItems(plan.experiment()));
        }
        items.add("COUNT(*) AS " + quote(UNITS));
        items.add(perSet(plan, x -> "AVG(" + x + ")") + " AS " + quote(MEAN_X));
        items.add("AVG(" + y + ") AS " + quote(MEAN_Y));
        items.add(perSet(plan, x -> "VAR_SAMP(" + x + ")") + " AS " + quote(VAR_X));
        items.add("VAR_SAMP(" + y + ") AS " + quote(VAR_Y));
        items.add(perSet(plan, x -> dialect.covarianceSample(x, y)) + " AS " + quote(COV_XY));
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(UNIT_VALUES));
        sql.line("GROUP BY " + groupBy(plan));
        sql.dedent().line(")");
    }

    /** {@code aggregate} of X; with dimensions, of the X of the grouping set's dimension. */
    private String perSet(PercentilePlan plan, java.util.function.UnaryOperator<String> aggregate) {
        if (!sliced(plan)) {
            return aggregate.apply(quote(X));
        }
        StringBuilder choice = new StringBuilder("CASE");
        for (int i = 0; i < dimensionCount(plan); i++) {
            choice.append(" WHEN ").append(quote(DimensionSql.bucket(i))).append(" IS NOT NULL THEN ")
                    .append(aggregate.apply(quote(dimensionX(i))));
        }
        return choice.append(" ELSE ").append(aggregate.apply(quote(X))).append(" END").toString();
    }

    private String groupBy(PercentilePlan plan) {
        return sliced(plan) ? dimensions.groupBy(plan.experiment()) : quote(GROUP);
    }

    private static boolean sliced(PercentilePlan plan) {
        return plan.experiment().dimensions().any();
    }

    private static int dimensionCount(PercentilePlan plan) {
        return plan.experiment().dimensions().columns().size();
    }

    private static int dimensionIndex(PercentilePlan plan, Slice slice) {
        int index = plan.experiment().dimensions().columns().indexOf(slice.dimension());
        if (index < 0) {
            throw new IllegalArgumentException("experiment '" + plan.experiment().experiment()
                    + "' has no dimension '" + slice.dimension() + "'");
        }
        return index;
    }

    /** Per unit: its records at or below the Q̂ of its group within its bucket of dimension {@code index}. */
    private static String dimensionX(int index) {
        return "x_d" + index;
    }

    private static String dimensionQuantiles(int index) {
        return "q" + index;
    }

    private String column(String table, String column) {
        return quote(table) + "." + quote(column);
    }

    private String quote(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }
}
