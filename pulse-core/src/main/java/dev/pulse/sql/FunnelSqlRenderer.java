package dev.pulse.sql;

import dev.pulse.plan.FunnelPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Renders the statement of a funnel metric (docs/metric-types.md#funnel). It starts with the experiment's
 * {@code exposures} and {@code units} CTEs exactly as {@link SqlRenderer} writes them (and its ID map when
 * a step source is mapped), then:
 * <ol>
 *   <li>{@code funnel_rows}: one scan of each step source ({@code UNION ALL} over the distinct sources),
 *       keeping only the rows in a counted unit's analysis period ({@code [first exposure, end)}) that match
 *       some step, each tagged with the steps it matches ({@code is_<step>} = 1 or 0; a NULL filter is 0);</li>
 *   <li>per step, in order, {@code step_<step>}: per unit its step time, the earliest of its rows of that step
 *       at or after the previous step's time (when ordered; equal times count) and before the window's end
 *       ({@code t₁ + W} or {@code t_{k−1} + W}), by a GROUP BY unit over those step rows joined to the
 *       previous step's one row per unit — never a join of rows with rows;</li>
 *   <li>{@code funnel_values}: every counted unit with reached_k = 1 (else NULL) per step, and with dimensions
 *       its buckets ({@link DimensionSql#buckets} over the same units, as in the experiment's statement);</li>
 *   <li>per group (per {@code GROUPING SETS} with dimensions) its units and, per step, the units that reached
 *       it.</li>
 * </ol>
 * Per-unit values are indicators with reached_k ≤ reached_{k−1}, so these integer counts determine every
 * moment of each conversion exactly ({@code FunnelFetcher}): no sum of squares, and no shifted values
 * ({@link ShiftSql}) are needed to keep digits, and every engine returns the same integers.
 * Result columns: {@link ResultColumns#GROUP}, with dimensions {@link ResultColumns#DIMENSION} and
 * {@link ResultColumns#DIMENSION_VALUE}, {@link ResultColumns#UNITS}, then {@link #reached} per step.
 */
public final class FunnelSqlRenderer {
    private static final String ROWS = "pulse_funnel_rows";
    private static final String VALUES = "pulse_funnel_values";
    private static final String COUNTS = "pulse_funnel_counts";
    private static final String REACHED_AT = "reached_at";
    private static final String STARTED_AT = "started_at";

    private final Dialect dialect;
    private final SqlRenderer base;
    private final IdMappingSql idMapping;
    private final DimensionSql dimensions;

    private FunnelSqlRenderer(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect);
        this.base = SqlRenderer.of(dialect);
        this.idMapping = new IdMappingSql(dialect);
        this.dimensions = new DimensionSql(dialect);
    }

    /** The renderer for {@code dialect}. */
    public static FunnelSqlRenderer of(Dialect dialect) {
        return new FunnelSqlRenderer(dialect);
    }

    /** The result column of the units (per group) that reached step {@code k} (0-based). */
    public static String reached(FunnelPlan plan, int k) {
        return "reached_" + plan.steps().get(k).name();
    }

    /** The statement: one row per group (and per dimension value and group), ordered as the experiment's. */
    public String render(FunnelPlan plan) {
        SqlWriter sql = new SqlWriter();
        sql.line("WITH");
        base.exposures(sql, plan.experiment());
        base.units(sql, plan.experiment());
        if (plan.sources().stream().anyMatch(FunnelPlan.StepSource::mapped)) {
            idMapping.map(sql, plan.experiment(), base);
        }
        rows(sql, plan);
        for (int k = 0; k < plan.steps().size(); k++) {
            step(sql, plan, k);
        }
        String units = sliced(plan) ? dimensions.buckets(sql, plan.experiment(), SqlRenderer.UNITS) : SqlRenderer.UNITS;
        values(sql, plan, units);
        counts(sql, plan);
        sql.line("SELECT *");
        sql.line("FROM " + quote(COUNTS));
        sql.line("ORDER BY " + (sliced(plan) ? quote(ResultColumns.DIMENSION) + " NULLS FIRST, "
                + quote(ResultColumns.DIMENSION_VALUE) + " NULLS FIRST, " : "") + quote(ResultColumns.GROUP));
        return sql.toString();
    }

    /** {@code funnel_rows}: per source one scan, the rows of counted units in their period that match a step. */
    private void rows(SqlWriter sql, FunnelPlan plan) {
        sql.line(quote(ROWS) + " AS (").indent();
        for (int s = 0; s < plan.sources().size(); s++) {
            if (s > 0) {
                sql.line("UNION ALL");
            }
            sourceRows(sql, plan, s);
        }
        sql.dedent().line("),");
    }

    private void sourceRows(SqlWriter sql, FunnelPlan plan, int sourceIndex) {
        FunnelPlan.StepSource source = plan.sources().get(sourceIndex);
        String rows = "r";
        String units = "u";
        String map = SqlRenderer.MAP_ALIAS;
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>(List.of(
                column(units, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT),
                column(rows, SqlRenderer.ROW_TIMESTAMP) + " AS " + quote(SqlRenderer.ROW_TIMESTAMP)));
        List<String> matches = new ArrayList<>();
        for (int k = 0; k < plan.steps().size(); k++) {
            FunnelPlan.Step step = plan.steps().get(k);
            boolean here = step.source() == sourceIndex;
            items.add((here ? column(rows, tag(plan, k)) : "0") + " AS " + quote(tag(plan, k)));
            if (here) {
                matches.add(column(rows, tag(plan, k)) + " = 1");
            }
        }
        sql.list(items);
        sql.dedent();
        if (source.mapped()) {
            // inner joins: a row whose ID is unmapped or conflicting reaches no unit (the experiment's
            // statement counts those rows)
            sql.line("FROM (").indent();
            scan(sql, plan, sourceIndex);
            sql.dedent().line(") AS " + quote(rows));
            sql.line("JOIN " + quote(IdMappingSql.MAP) + " AS " + quote(map));
            sql.indent().line("ON " + column(map, IdMappingSql.ID) + " = " + column(rows, SqlRenderer.ROW_UNIT)).dedent();
            sql.line("JOIN " + quote(SqlRenderer.UNITS) + " AS " + quote(units));
            sql.indent().line("ON " + column(units, SqlRenderer.UNIT) + " = " + column(map, SqlRenderer.UNIT));
        } else {
            sql.line("FROM " + quote(SqlRenderer.UNITS) + " AS " + quote(units));
            sql.line("JOIN (").indent();
            scan(sql, plan, sourceIndex);
            sql.dedent().line(") AS " + quote(rows));
            sql.indent().line("ON " + column(rows, SqlRenderer.ROW_UNIT) + " = " + column(units, SqlRenderer.UNIT));
        }
        sql.line("AND " + column(rows, SqlRenderer.ROW_TIMESTAMP) + " >= "
                + SqlRenderer.analysisStart(dialect, plan.experiment(), units));
        plan.experiment().window().end().ifPresent(end ->
                sql.line("AND " + column(rows, SqlRenderer.ROW_TIMESTAMP) + " < " + dialect.timestampLiteral(end)));
        sql.dedent();
        sql.line("WHERE " + String.join(" OR ", matches));
    }

    /**
     * The inner SELECT over the source alone: its unit (or mapped) ID, timestamp and per step of this
     * source whether the row passes the step's filter (user SQL, only ever wrapped).
     */
    private void scan(SqlWriter sql, FunnelPlan plan, int sourceIndex) {
        FunnelPlan.StepSource source = plan.sources().get(sourceIndex);
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>(List.of(
                column(SqlRenderer.SOURCE_ALIAS, source.unitColumn()) + " AS " + quote(SqlRenderer.ROW_UNIT),
                column(SqlRenderer.SOURCE_ALIAS, source.timestampColumn()) + " AS " + quote(SqlRenderer.ROW_TIMESTAMP)));
        for (int k = 0; k < plan.steps().size(); k++) {
            FunnelPlan.Step step = plan.steps().get(k);
            if (step.source() == sourceIndex) {
                items.add(step.filter().map(filter -> "CASE WHEN (" + filter + ") THEN 1 ELSE 0 END").orElse("1")
                        + " AS " + quote(tag(plan, k)));
            }
        }
        sql.list(items);
        sql.dedent();
        base.from(sql, source.relation());
        SqlRenderer.where(sql, base.inDates(plan.experiment(), source.timestampColumn(), false));
    }

    /**
     * {@code step_<k>}: per unit that reached it, its step time and its first step's time. Step 1 is the
     * earliest step-1 row; step k the earliest step-k row of a unit that reached step k − 1, at or after
     * that step's time when ordered, and before the window's end.
     */
    private void step(SqlWriter sql, FunnelPlan plan, int k) {
        String rows = "r";
        String previous = "p";
        sql.line(quote(stepTable(plan, k)) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(List.of(
                column(rows, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT),
                "MIN(" + column(rows, SqlRenderer.ROW_TIMESTAMP) + ") AS " + quote(REACHED_AT),
                (k == 0 ? "MIN(" + column(rows, SqlRenderer.ROW_TIMESTAMP) + ")"
                        : "MIN(" + column(previous, STARTED_AT) + ")") + " AS " + quote(STARTED_AT)));
        sql.dedent();
        sql.line("FROM " + quote(ROWS) + " AS " + quote(rows));
        if (k > 0) {
            sql.line("JOIN " + quote(stepTable(plan, k - 1)) + " AS " + quote(previous));
            sql.indent().line("ON " + column(previous, SqlRenderer.UNIT) + " = " + column(rows, SqlRenderer.UNIT)).dedent();
        }
        sql.line("WHERE " + column(rows, tag(plan, k)) + " = 1").indent();
        if (k > 0) {
            String timestamp = column(rows, SqlRenderer.ROW_TIMESTAMP);
            if (plan.ordered()) {
                sql.line("AND " + timestamp + " >= " + column(previous, REACHED_AT));
            }
            if (plan.windowDays().isPresent()) {
                String from = column(previous, switch (plan.windowFrom()) {
                    case FIRST_STEP -> STARTED_AT;
                    case PREVIOUS_STEP -> REACHED_AT;
                });
                sql.line("AND " + timestamp + " < " + dialect.plusDays(from, plan.windowDays().getAsInt()));
            }
        }
        sql.dedent();
        sql.line("GROUP BY " + column(rows, SqlRenderer.UNIT));
        sql.dedent().line("),");
    }

    /** {@code funnel_values}: every counted unit (with its buckets), reached_k per step: 1, or NULL when not reached. */
    private void values(SqlWriter sql, FunnelPlan plan, String unitTable) {
        String units = "u";
        sql.line(quote(VALUES) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(units, ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP));
        for (int i = 0; i < plan.experiment().dimensions().columns().size(); i++) {
            items.add(column(units, DimensionSql.bucket(i)) + " AS " + quote(DimensionSql.bucket(i)));
        }
        for (int k = 0; k < plan.steps().size(); k++) {
            items.add("CASE WHEN " + column(stepAlias(k), SqlRenderer.UNIT) + " IS NOT NULL THEN 1 END AS "
                    + quote(reached(plan, k)));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(unitTable) + " AS " + quote(units));
        for (int k = 0; k < plan.steps().size(); k++) {
            sql.line("LEFT JOIN " + quote(stepTable(plan, k)) + " AS " + quote(stepAlias(k)));
            sql.indent().line("ON " + column(stepAlias(k), SqlRenderer.UNIT) + " = " + column(units, SqlRenderer.UNIT))
                    .dedent();
        }
        sql.dedent().line("),");
    }

    /** Per group (per grouping set with dimensions): its units and, per step, those that reached it (exact integers). */
    private void counts(SqlWriter sql, FunnelPlan plan) {
        sql.line(quote(COUNTS) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(quote(ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP));
        if (sliced(plan)) {
            items.addAll(dimensions.momentItems(plan.experiment()));
        }
        items.add("COUNT(*) AS " + quote(ResultColumns.UNITS));
        for (int k = 0; k < plan.steps().size(); k++) {
            items.add("COUNT(" + quote(reached(plan, k)) + ") AS " + quote(reached(plan, k)));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(VALUES));
        sql.line("GROUP BY " + (sliced(plan) ? dimensions.groupBy(plan.experiment()) : quote(ResultColumns.GROUP)));
        sql.dedent().line(")");
    }

    private static boolean sliced(FunnelPlan plan) {
        return plan.experiment().dimensions().any();
    }

    /** The row tag of step {@code k}: 1 when the row passes the step's filter. */
    private static String tag(FunnelPlan plan, int k) {
        return "is_" + plan.steps().get(k).name();
    }

    private static String stepTable(FunnelPlan plan, int k) {
        return "pulse_step_" + plan.steps().get(k).name();
    }

    private static String stepAlias(int k) {
        return "s" + k;
    }

    private String column(String table, String column) {
        return SqlRenderer.column(dialect, table, column);
    }

    private String quote(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }
}
