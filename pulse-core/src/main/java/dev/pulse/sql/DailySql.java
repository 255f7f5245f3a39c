package dev.pulse.sql;

import dev.pulse.model.AggregateFunction;
import dev.pulse.plan.AggregateColumn;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.MetricColumns;
import dev.pulse.plan.SourcePass;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The SQL of daily results ({@code timeseries: true}) inside the experiment's one statement, so that
 * they cost no extra scan of any source.
 *
 * <p>Each source pass groups its counted rows by unit and day (whole UTC days since the start), and
 * the per-unit pass sums those daily partial aggregates: a sum or count is the sum of its daily parts;
 * "any row" is whether the daily counts sum above 0; a count of distinct values counts each value on
 * the first day it appears for the unit (inside the aggregate's window and period), so that the daily
 * counts add up to the distinct count; the distinct days sum each day's 0 or 1; a first or latest value
 * is the day's, and the unit's that of its first or last day with one. (The last two are not running
 * totals, so they have no series: {@link ExperimentPlan#seriesMetrics}.) The same daily aggregates then feed the series: a grid of each
 * counted unit and every day from its first exposure's day carries their running sums (window
 * functions over the unit's days; a threshold's value is whether its running aggregate reaches it),
 * and the moments of the series metrics are grouped by day and group, of each day's running values
 * shifted by that day's pilots ({@link ShiftSql}, grouped by day over the grid). The days-since-exposure
 * series groups the same running values by each grid row's days since the unit's exposure day instead
 * (its own pilots, shifted values and moments): the grid runs from the exposure day to the end, so a
 * unit's day k is there only when it ended by the end. The daily CTE is read twice (per-unit values and
 * series), the grid four times (each series' pilots and shifted values): DuckDB and PostgreSQL
 * materialize them, and Spark reuses its exchange, so each source is still scanned once.
 */
final class DailySql {
    private static final String DAYS = "pulse_days";
    private static final String UNIT_DAYS = "pulse_unit_days";
    private static final String CUMULATIVE = "pulse_cumulative";
    private static final String DAILY_PILOTS = "pulse_daily_pilots";
    private static final String DAILY_SHIFTED = "pulse_daily_shifted";
    static final String DAILY_MOMENTS = "pulse_daily_moments";
    private static final String EXPOSURE_DAY_PILOTS = "pulse_exposure_day_pilots";
    private static final String EXPOSURE_DAY_SHIFTED = "pulse_exposure_day_shifted";
    static final String EXPOSURE_DAY_MOMENTS = "pulse_exposure_day_moments";

    private final Dialect dialect;

    DailySql(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect);
    }

    /**
     * The pass as three CTEs: its counted rows with their day and each aggregate's input (as {@link
     * SqlRenderer#inputs} conditions it on windows and periods), their aggregates per unit and day,
     * and the per-unit pass {@code SqlRenderer} reads, summed over the days.
     */
    void pass(SqlWriter sql, ExperimentPlan plan, SourcePass pass, SqlRenderer base, IdMappingSql idMapping) {
        String rows = "r";
        String units = "u";
        String day = dialect.dayIndex(SqlRenderer.column(dialect, rows, SqlRenderer.ROW_TIMESTAMP), plan.window().start());
        List<SqlRenderer.Input> inputs = base.inputs(plan, pass, rows, units);
        // a mapped pass also counts its unmapped and conflicting rows (under the NULL unit)
        List<IdMappingSql.RowFlag> flags = pass.mapped()
                ? idMapping.rowFlags(plan, rows, SqlRenderer.MAP_ALIAS)
                : List.of();
        sql.line(quote(rowsName(pass)) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(units, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT));
        items.add(day + " AS " + quote(ResultColumns.DAY));
        if (inputs.stream().anyMatch(input -> byTime(input.aggregate().function()))) {
            items.add(SqlRenderer.column(dialect, rows, SqlRenderer.ROW_TIMESTAMP) + " AS " + quote(SqlRenderer.ROW_TIMESTAMP));
        }
        for (SqlRenderer.Input input : inputs) {
            items.add(input.expression() + " AS " + quote(input.name()));
            if (input.aggregate().function() == AggregateFunction.COUNT_DISTINCT) {
                items.add("MIN(" + day + ") OVER (PARTITION BY " + column(units, SqlRenderer.UNIT) + ", "
                        + input.expression() + ") AS " + quote(firstDay(input.name())));
            }
        }
        for (IdMappingSql.RowFlag flag : flags) {
            items.add("CASE WHEN " + flag.condition() + " THEN 1 END AS " + quote(flag.name()));
        }
        sql.list(items);
        sql.dedent();
        base.joinedRows(sql, plan, pass, rows, units);
        sql.dedent().line("),");

        sql.line(quote(dailyName(pass)) + " AS (").indent();
        sql.line("SELECT").indent();
        items = new ArrayList<>();
        items.add(quote(SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT));
        items.add(quote(ResultColumns.DAY) + " AS " + quote(ResultColumns.DAY));
        for (SqlRenderer.Input input : inputs) {
            String value = quote(input.name());
            String daily = input.aggregate().function() == AggregateFunction.COUNT_DISTINCT
                    ? "COUNT(DISTINCT CASE WHEN " + quote(firstDay(input.name())) + " = "
                            + quote(ResultColumns.DAY) + " THEN " + value + " END)"
                    : dailyPart(input, value, quote(SqlRenderer.ROW_TIMESTAMP));
            items.add(daily + " AS " + value);
        }
        for (IdMappingSql.RowFlag flag : flags) {
            items.add("COUNT(" + quote(flag.name()) + ") AS " + quote(flag.name()));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(rowsName(pass)));
        sql.line("GROUP BY " + quote(SqlRenderer.UNIT) + ", " + quote(ResultColumns.DAY));
        sql.dedent().line("),");
        unitPass(sql, pass, inputs, flags);
    }

    /**
     * The aggregate of one day's rows of {@code input} (its values {@code value}, of rows at {@code timestamp}) that
     * the per-unit pass sums over the days ({@link #unitPass}); not for a count of distinct values, whose days
     * cannot be summed without knowing each value's first day.
     */
    String dailyPart(SqlRenderer.Input input, String value, String timestamp) {
        return switch (input.aggregate().function()) {
            case SUM -> "SUM(" + value + ")";
            case COUNT_ROWS, COUNT_VALUES, ANY_ROW, HAS_VALUE -> "COUNT(" + value + ")";
            // the day's first or latest value; the unit's is then that of its first or last day with one
            case FIRST_VALUE -> dialect.firstValue(dialect.castToDouble(value), timestamp);
            case LATEST_VALUE -> dialect.latestValue(dialect.castToDouble(value), timestamp);
            case DISTINCT_DAYS -> "CASE WHEN COUNT(" + value + ") > 0 THEN 1 ELSE 0 END";
            case COUNT_DISTINCT -> throw new IllegalStateException("a distinct count's days are counted from its values' first days");
            case EXPOSED_DAYS -> throw new IllegalStateException("the days in the experiment come from the unit table");
        };
    }

    /**
     * The per-unit pass {@code SqlRenderer} reads, from the pass's daily parts ({@link #dailyName}) summed over
     * the days: written after the daily CTE of {@link #pass}, or of an incremental refresh's state
     * ({@link IncrementalSql}).
     */
    void unitPass(SqlWriter sql, SourcePass pass, List<SqlRenderer.Input> inputs, List<IdMappingSql.RowFlag> flags) {
        sql.line(quote(SqlRenderer.passName(pass)) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(quote(SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT));
        for (SqlRenderer.Input input : inputs) {
            items.add(unitAggregate(input) + " AS " + quote(input.name()));
        }
        for (IdMappingSql.RowFlag flag : flags) {
            items.add("SUM(" + quote(flag.name()) + ") AS " + quote(flag.name()));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(dailyName(pass)));
        sql.line("GROUP BY " + quote(SqlRenderer.UNIT));
        sql.dedent().line("),");
    }

    /** The unit's value of {@code input} from its daily parts (a column of that name, beside the day column). */
    String unitAggregate(SqlRenderer.Input input) {
        String value = quote(input.name());
        String sum = "SUM(" + value + ")";
        return switch (input.aggregate().function()) {
            case SUM, COUNT_ROWS, COUNT_VALUES, COUNT_DISTINCT, DISTINCT_DAYS -> sum;
            case ANY_ROW, HAS_VALUE -> "CASE WHEN " + sum + " > 0 THEN 1 ELSE 0 END";
            case FIRST_VALUE -> dialect.firstValue(value, quote(ResultColumns.DAY));
            case LATEST_VALUE -> dialect.latestValue(value, quote(ResultColumns.DAY));
            case EXPOSED_DAYS -> throw new IllegalStateException("the days in the experiment come from the unit table");
        };
    }

    /**
     * The series CTEs after the experiment's moments: the days, the unit-day grid, each unit's running
     * values of the series metrics' aggregates, and their moments per day and group ({@link #DAILY_MOMENTS}:
     * {@link ResultColumns#DAY}, {@link ResultColumns#GROUP}, {@link ResultColumns#UNITS} and the moments of
     * each series metric under the names of the full result), and per days since exposure and group
     * ({@link #EXPOSURE_DAY_MOMENTS}, keyed by {@link ResultColumns#DAYS_SINCE_EXPOSURE}).
     */
    void series(SqlWriter sql, ExperimentPlan plan) {
        Set<Integer> needed = neededAggregates(plan);
        String day = quote(ResultColumns.DAY);
        sql.line(quote(DAYS) + " AS (").indent();
        sql.line("SELECT " + column("d", ResultColumns.DAY) + " AS " + day);
        sql.line("FROM " + dialect.integerRange(plan.window().days(), quote("d"), day));
        sql.dedent().line("),");

        String units = "u";
        sql.line(quote(UNIT_DAYS) + " AS (").indent();
        sql.line("SELECT").indent();
        String exposureDay = dialect.dayIndex(SqlRenderer.analysisStart(dialect, plan, units), plan.window().start());
        String sinceExposure = quote(ResultColumns.DAYS_SINCE_EXPOSURE);
        sql.list(List.of(
                column(units, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT),
                column(units, ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP),
                column(DAYS, ResultColumns.DAY) + " AS " + day,
                column(DAYS, ResultColumns.DAY) + " - " + exposureDay + " AS " + sinceExposure));
        sql.dedent();
        sql.line("FROM " + quote(SqlRenderer.UNITS) + " AS " + quote(units));
        sql.line("JOIN " + quote(DAYS));
        sql.indent().line("ON " + column(DAYS, ResultColumns.DAY) + " >= " + exposureDay).dedent();
        sql.dedent().line("),");

        List<SourcePass> passes = plan.passes().stream()
                .filter(pass -> pass.aggregates().stream().anyMatch(aggregate -> needed.contains(aggregate.id())))
                .toList();
        String unitDays = "ud";
        String running = " OVER (PARTITION BY " + column(unitDays, SqlRenderer.UNIT) + " ORDER BY "
                + column(unitDays, ResultColumns.DAY) + " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)";
        sql.line(quote(CUMULATIVE) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(unitDays, ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP));
        items.add(column(unitDays, ResultColumns.DAY) + " AS " + day);
        items.add(column(unitDays, ResultColumns.DAYS_SINCE_EXPOSURE) + " AS " + sinceExposure);
        for (SourcePass pass : passes) {
            for (AggregateColumn aggregate : pass.aggregates()) {
                if (!needed.contains(aggregate.id())) {
                    continue;
                }
                String sum = "SUM(COALESCE(" + column(alias(pass), SqlRenderer.aggregateName(aggregate)) + ", 0))"
                        + running;
                String value = aggregate.function() == AggregateFunction.ANY_ROW
                        ? "CASE WHEN " + sum + " > 0 THEN 1 ELSE 0 END"
                        : sum;
                // a threshold's daily value: whether the unit's running aggregate has reached it by that day
                items.add(SqlRenderer.thresholded(dialect, aggregate, dialect.castToDouble(value))
                        + " AS " + quote(SqlRenderer.valueName(aggregate)));
            }
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(UNIT_DAYS) + " AS " + quote(unitDays));
        for (SourcePass pass : passes) {
            sql.line("LEFT JOIN " + quote(dailyName(pass)) + " AS " + quote(alias(pass))).indent();
            sql.line("ON " + column(alias(pass), SqlRenderer.UNIT) + " = " + column(unitDays, SqlRenderer.UNIT));
            sql.line("AND " + column(alias(pass), ResultColumns.DAY) + " = " + column(unitDays, ResultColumns.DAY)).dedent();
        }
        sql.dedent().line("),");

        // each day's values shifted by that day's pilots (the running values grow day by day)
        List<ShiftSql.Pair> pairs = new ArrayList<>();
        for (int i : plan.seriesMetrics()) {
            MetricColumns metric = plan.metrics().get(i);
            pairs.add(new ShiftSql.Pair(SqlRenderer.valueName(plan.aggregate(metric.x())),
                    metric.y().isPresent() ? java.util.Optional.of(SqlRenderer.valueName(plan.aggregate(metric.y().getAsInt())))
                            : java.util.Optional.empty(),
                    SqlRenderer.shiftedName(metric, SqlRenderer.Component.Kind.X),
                    SqlRenderer.shiftedName(metric, SqlRenderer.Component.Kind.Y),
                    ResultColumns.shiftX(metric), SqlRenderer.centerName(metric, SqlRenderer.Component.Kind.Y)));
        }
        // the calendar-day series: each day's running values over the units exposed by then
        moments(sql, plan, pairs, ResultColumns.DAY, DAILY_PILOTS, DAILY_SHIFTED, DAILY_MOMENTS);
        // the days-since-exposure series: the same running values keyed by the unit's own day; the grid ends at
        // `end`, so a unit has a row for its day k only when that day ended by then (no unit that could not yet
        // reach day k is in k's point)
        moments(sql, plan, pairs, ResultColumns.DAYS_SINCE_EXPOSURE, EXPOSURE_DAY_PILOTS, EXPOSURE_DAY_SHIFTED,
                EXPOSURE_DAY_MOMENTS);
    }

    /**
     * The moments of the series metrics per {@code key} (a column of the grid: the calendar day, or the days
     * since the unit's exposure) and group, of the running values shifted by that key's pilots: the CTEs
     * {@code pilots}, {@code shifted} and {@code moments}.
     */
    private void moments(SqlWriter sql, ExperimentPlan plan, List<ShiftSql.Pair> pairs, String key, String pilots,
                         String shiftedName, String momentsName) {
        String by = quote(key);
        List<String> carried = new ArrayList<>(List.of(
                column(CUMULATIVE, ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP),
                column(CUMULATIVE, key) + " AS " + by));
        // the plain values too: the mean of Y is taken of them, and that of X tells a value of exactly 0
        pairs.stream().flatMap(pair -> java.util.stream.Stream.concat(java.util.stream.Stream.of(pair.x()), pair.y().stream()))
                .distinct()
                .forEach(value -> carried.add(column(CUMULATIVE, value) + " AS " + quote(value)));
        String shifted = new ShiftSql(dialect).write(sql, pairs, CUMULATIVE, pilots, shiftedName, carried,
                java.util.Optional.of(key));

        sql.line(quote(momentsName) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(by + " AS " + by);
        items.add(quote(ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP));
        items.add("COUNT(*) AS " + quote(ResultColumns.UNITS));
        for (int i : plan.seriesMetrics()) {
            MetricColumns metric = plan.metrics().get(i);
            String x = quote(SqlRenderer.shiftedName(metric, SqlRenderer.Component.Kind.X));
            items.add("AVG(" + x + ") AS " + quote(ResultColumns.meanX(metric)));
            items.add("VAR_SAMP(" + x + ") AS " + quote(ResultColumns.varX(metric)));
            if (metric.y().isPresent()) {
                String y = quote(SqlRenderer.shiftedName(metric, SqlRenderer.Component.Kind.Y));
                items.add("AVG(" + quote(SqlRenderer.valueName(plan.aggregate(metric.y().getAsInt()))) + ") AS " + quote(ResultColumns.meanY(metric)));
                items.add("VAR_SAMP(" + y + ") AS " + quote(ResultColumns.varY(metric)));
                items.add(dialect.covarianceSample(x, y) + " AS " + quote(ResultColumns.covXY(metric)));
            }
            items.add("MIN(" + quote(ResultColumns.shiftX(metric)) + ") AS " + quote(ResultColumns.shiftX(metric)));
            items.add("AVG(" + quote(SqlRenderer.valueName(plan.aggregate(metric.x()))) + ") AS " + quote(ResultColumns.rawMeanX(metric)));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(shifted));
        sql.line("GROUP BY " + by + ", " + quote(ResultColumns.GROUP));
        sql.dedent().line("),");
    }

    /**
     * The columns {@link #DAILY_MOMENTS} has: day, group, units and the series metrics' moments; those of
     * {@link #EXPOSURE_DAY_MOMENTS} are the same with days since exposure in place of the day.
     */
    static Set<String> dailyColumns(ExperimentPlan plan) {
        Set<String> columns = new LinkedHashSet<>(List.of(ResultColumns.DAY, ResultColumns.GROUP, ResultColumns.UNITS));
        for (int i : plan.seriesMetrics()) {
            MetricColumns metric = plan.metrics().get(i);
            columns.addAll(List.of(ResultColumns.meanX(metric), ResultColumns.varX(metric), ResultColumns.shiftX(metric),
                    ResultColumns.rawMeanX(metric)));
            if (metric.y().isPresent()) {
                columns.addAll(List.of(ResultColumns.meanY(metric), ResultColumns.varY(metric), ResultColumns.covXY(metric)));
            }
        }
        return columns;
    }

    /** The aggregates the series metrics read. */
    private static Set<Integer> neededAggregates(ExperimentPlan plan) {
        Set<Integer> needed = new LinkedHashSet<>();
        for (int i : plan.seriesMetrics()) {
            needed.add(plan.metrics().get(i).x());
            plan.metrics().get(i).y().ifPresent(needed::add);
        }
        return needed;
    }

    /** Whether the aggregate picks a row by its timestamp (first and latest value). */
    private static boolean byTime(AggregateFunction function) {
        return function == AggregateFunction.FIRST_VALUE || function == AggregateFunction.LATEST_VALUE;
    }

    private String column(String table, String column) {
        return SqlRenderer.column(dialect, table, column);
    }

    private String quote(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }

    static String rowsName(SourcePass pass) {
        return "pulse_daily_rows_" + pass.index();
    }

    static String dailyName(SourcePass pass) {
        return "pulse_daily_" + pass.index();
    }

    private static String alias(SourcePass pass) {
        return "d" + pass.index();
    }

    private static String firstDay(String input) {
        return input + "_first_day";
    }
}
