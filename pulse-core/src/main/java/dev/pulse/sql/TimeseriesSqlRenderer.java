package dev.pulse.sql;

import dev.pulse.model.AggregateFunction;
import dev.pulse.plan.AggregateColumn;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.MetricColumns;
import dev.pulse.plan.SourcePass;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The daily-results statement of an experiment: per day d of {@code [start, end]} and per group, the
 * moments of every series metric over the units first exposed by the end of day d, each unit's value
 * taken over its rows up to the end of day d (cumulative results "as of" each day).
 *
 * <p>One pass per source, grouped by unit and day (a row's day is whole UTC days since the start); a
 * count of distinct values counts each value on the first day it appears for the unit, so that the
 * daily counts add up to the distinct count. A grid of each unit and every day from its first
 * exposure's day carries the running sums (window functions over the unit's days), and the moments
 * are grouped by day and group. It uses the experiment's {@code exposures} and {@code units} CTEs
 * exactly as {@link SqlRenderer} writes them, so the units are the same as in the full result.
 * Series metrics are those without a window and without winsorization ({@link #seriesMetrics}).
 */
public final class TimeseriesSqlRenderer {
    /** The day column of the result: whole days since the start, 0 for the start day. */
    public static final String DAY = "day";

    private static final String DAYS = "days";
    private static final String UNIT_DAYS = "unit_days";
    private static final String CUMULATIVE = "cumulative";

    private final Dialect dialect;
    private final SqlRenderer base;

    private TimeseriesSqlRenderer(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect);
        this.base = SqlRenderer.of(dialect);
    }

    /** The renderer for {@code dialect}. */
    public static TimeseriesSqlRenderer of(Dialect dialect) {
        return new TimeseriesSqlRenderer(dialect);
    }

    /** Indices into {@code plan.metrics()} of the metrics with daily results: no window, no winsorization. */
    public static List<Integer> seriesMetrics(ExperimentPlan plan) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < plan.metrics().size(); i++) {
            MetricColumns metric = plan.metrics().get(i);
            if (metric.window().isEmpty() && metric.winsorize().isEmpty()) {
                indices.add(i);
            }
        }
        return indices;
    }

    /** The number of days from the plan's start to its end (both inclusive). */
    public static int days(ExperimentPlan plan) {
        Instant end = plan.window().end().orElseThrow(() -> new IllegalArgumentException("daily results need an end"));
        return (int) Duration.between(plan.window().start(), end).toDays();
    }

    /**
     * The statement: rows ordered by {@link #DAY} and group, with {@link ResultColumns#GROUP},
     * {@link ResultColumns#UNITS} and, for each series metric {@code i}, the moments named by
     * {@link ResultColumns#meanX(int)} and its siblings (as the experiment's statement names them).
     * Days before the first exposure have no rows.
     */
    public String render(ExperimentPlan plan) {
        if (plan.mapsIds()) {
            // the config validator rejects timeseries with an ID-mapped metric source; this guards other callers
            throw new dev.pulse.error.PulseException(dev.pulse.error.PulseException.Category.SQL_UNSUPPORTED,
                    "experiment '" + plan.experiment() + "': daily results do not yet read sources through an ID mapping");
        }
        Set<Integer> needed = new LinkedHashSet<>();
        for (int i : seriesMetrics(plan)) {
            needed.add(plan.metrics().get(i).x());
            plan.metrics().get(i).y().ifPresent(needed::add);
        }
        SqlWriter sql = new SqlWriter();
        sql.line("WITH");
        base.exposures(sql, plan);
        base.units(sql, plan);
        sql.line(quote(DAYS) + " AS (").indent();
        sql.line("SELECT " + column("d", DAY) + " AS " + quote(DAY));
        sql.line("FROM " + dialect.integerRange(days(plan), quote("d"), quote(DAY)));
        sql.dedent().line("),");
        List<SourcePass> passes = new ArrayList<>();
        for (SourcePass pass : plan.passes()) {
            if (pass.aggregates().stream().anyMatch(aggregate -> needed.contains(aggregate.id()))) {
                passes.add(pass);
                rows(sql, plan, pass, needed);
                daily(sql, pass, needed);
            }
        }
        unitDays(sql, plan);
        cumulative(sql, passes, needed);
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(quote(DAY) + " AS " + quote(DAY));
        items.add(quote(ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP));
        items.add("COUNT(*) AS " + quote(ResultColumns.UNITS));
        for (int i : seriesMetrics(plan)) {
            MetricColumns metric = plan.metrics().get(i);
            String x = quote(value(metric.x()));
            items.add("AVG(" + x + ") AS " + quote(ResultColumns.meanX(i)));
            items.add("VAR_SAMP(" + x + ") AS " + quote(ResultColumns.varX(i)));
            if (metric.y().isPresent()) {
                String y = quote(value(metric.y().getAsInt()));
                items.add("AVG(" + y + ") AS " + quote(ResultColumns.meanY(i)));
                items.add("VAR_SAMP(" + y + ") AS " + quote(ResultColumns.varY(i)));
                items.add("COVAR_SAMP(" + x + ", " + y + ") AS " + quote(ResultColumns.covXY(i)));
            }
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(CUMULATIVE));
        sql.line("GROUP BY " + quote(DAY) + ", " + quote(ResultColumns.GROUP));
        sql.line("ORDER BY " + quote(DAY) + ", " + quote(ResultColumns.GROUP));
        return sql.toString();
    }

    /** The pass's counted rows with their unit, day, inputs and, for distinct counts, each value's first day. */
    private void rows(SqlWriter sql, ExperimentPlan plan, SourcePass pass, Set<Integer> needed) {
        String rows = "r";
        String units = "u";
        String day = dialect.dayIndex(column(rows, SqlRenderer.ROW_TIMESTAMP), plan.window().start());
        sql.line(quote(rowsName(pass)) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(units, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT));
        items.add(day + " AS " + quote(DAY));
        for (int e : expressions(pass, needed)) {
            items.add(column(rows, input(e)) + " AS " + quote(input(e)));
        }
        for (int e : distinctExpressions(pass, needed)) {
            items.add("MIN(" + day + ") OVER (PARTITION BY " + column(units, SqlRenderer.UNIT) + ", "
                    + column(rows, input(e)) + ") AS " + quote(firstDay(e)));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(SqlRenderer.UNITS) + " AS " + quote(units));
        sql.line("JOIN (").indent();
        sql.line("SELECT").indent();
        items = new ArrayList<>();
        items.add(column(SqlRenderer.SOURCE_ALIAS, pass.unitColumn()) + " AS " + quote(SqlRenderer.ROW_UNIT));
        items.add(column(SqlRenderer.SOURCE_ALIAS, pass.timestampColumn()) + " AS " + quote(SqlRenderer.ROW_TIMESTAMP));
        for (int e : expressions(pass, needed)) {
            items.add(base.rowExpression(pass.expressions().get(e)) + " AS " + quote(input(e)));
        }
        sql.list(items);
        sql.dedent();
        base.from(sql, pass.relation());
        sql.dedent().line(") AS " + quote(rows));
        sql.indent();
        sql.line("ON " + column(rows, SqlRenderer.ROW_UNIT) + " = " + column(units, SqlRenderer.UNIT));
        sql.line("AND " + column(rows, SqlRenderer.ROW_TIMESTAMP) + " >= " + column(units, SqlRenderer.FIRST_EXPOSURE));
        sql.line("AND " + column(rows, SqlRenderer.ROW_TIMESTAMP) + " < "
                + dialect.timestampLiteral(plan.window().end().orElseThrow()));
        sql.dedent();
        sql.dedent().line("),");
    }

    /** Per unit and day: each needed aggregate over that day's rows (distinct values on their first day). */
    private void daily(SqlWriter sql, SourcePass pass, Set<Integer> needed) {
        sql.line(quote(passName(pass)) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(quote(SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT));
        items.add(quote(DAY) + " AS " + quote(DAY));
        for (AggregateColumn aggregate : pass.aggregates()) {
            if (!needed.contains(aggregate.id())) {
                continue;
            }
            String input = quote(input(aggregate.expression()));
            String daily = switch (aggregate.function()) {
                case SUM -> "SUM(" + input + ")";
                case COUNT_ROWS, COUNT_VALUES, ANY_ROW -> "COUNT(" + input + ")";
                case COUNT_DISTINCT -> "COUNT(DISTINCT CASE WHEN " + quote(firstDay(aggregate.expression())) + " = "
                        + quote(DAY) + " THEN " + input + " END)";
            };
            items.add(daily + " AS " + quote(aggregateName(aggregate.id())));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(rowsName(pass)));
        sql.line("GROUP BY " + quote(SqlRenderer.UNIT) + ", " + quote(DAY));
        sql.dedent().line("),");
    }

    /** Every counted unit on every day from its first exposure's day to the end. */
    private void unitDays(SqlWriter sql, ExperimentPlan plan) {
        String units = "u";
        sql.line(quote(UNIT_DAYS) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(List.of(
                column(units, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT),
                column(units, ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP),
                column(DAYS, DAY) + " AS " + quote(DAY)));
        sql.dedent();
        sql.line("FROM " + quote(SqlRenderer.UNITS) + " AS " + quote(units));
        sql.line("JOIN " + quote(DAYS));
        sql.indent().line("ON " + column(DAYS, DAY) + " >= "
                + dialect.dayIndex(column(units, SqlRenderer.FIRST_EXPOSURE), plan.window().start())).dedent();
        sql.dedent().line("),");
    }

    /** Each unit's values as of each day: running sums of its daily aggregates (0 on days without rows). */
    private void cumulative(SqlWriter sql, List<SourcePass> passes, Set<Integer> needed) {
        String unitDays = "ud";
        String running = " OVER (PARTITION BY " + column(unitDays, SqlRenderer.UNIT) + " ORDER BY "
                + column(unitDays, DAY) + " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)";
        sql.line(quote(CUMULATIVE) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(unitDays, ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP));
        items.add(column(unitDays, DAY) + " AS " + quote(DAY));
        for (SourcePass pass : passes) {
            for (AggregateColumn aggregate : pass.aggregates()) {
                if (!needed.contains(aggregate.id())) {
                    continue;
                }
                String sum = "SUM(COALESCE(" + column(passAlias(pass), aggregateName(aggregate.id())) + ", 0))" + running;
                String value = aggregate.function() == AggregateFunction.ANY_ROW
                        ? "CASE WHEN " + sum + " > 0 THEN 1 ELSE 0 END"
                        : sum;
                items.add(dialect.castToDouble(value) + " AS " + quote(value(aggregate.id())));
            }
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(UNIT_DAYS) + " AS " + quote(unitDays));
        for (SourcePass pass : passes) {
            sql.line("LEFT JOIN " + quote(passName(pass)) + " AS " + quote(passAlias(pass))).indent();
            sql.line("ON " + column(passAlias(pass), SqlRenderer.UNIT) + " = " + column(unitDays, SqlRenderer.UNIT));
            sql.line("AND " + column(passAlias(pass), DAY) + " = " + column(unitDays, DAY)).dedent();
        }
        sql.dedent().line(")");
    }

    private static List<Integer> expressions(SourcePass pass, Set<Integer> needed) {
        return pass.aggregates().stream().filter(aggregate -> needed.contains(aggregate.id()))
                .map(AggregateColumn::expression).distinct().sorted().toList();
    }

    private static List<Integer> distinctExpressions(SourcePass pass, Set<Integer> needed) {
        return pass.aggregates().stream()
                .filter(aggregate -> needed.contains(aggregate.id()) && aggregate.function() == AggregateFunction.COUNT_DISTINCT)
                .map(AggregateColumn::expression).distinct().sorted().toList();
    }

    private String column(String table, String column) {
        return quote(table) + "." + quote(column);
    }

    private String quote(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }

    private static String rowsName(SourcePass pass) {
        return "rows_" + pass.index();
    }

    private static String passName(SourcePass pass) {
        return "daily_" + pass.index();
    }

    private static String passAlias(SourcePass pass) {
        return "p" + pass.index();
    }

    private static String input(int expression) {
        return "pulse_c" + expression;
    }

    private static String firstDay(int expression) {
        return "pulse_c" + expression + "_first_day";
    }

    private static String aggregateName(int id) {
        return "a" + id;
    }

    private static String value(int id) {
        return "v" + id;
    }
}
