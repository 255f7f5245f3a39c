package dev.pulse.sql;

import dev.pulse.model.Relation;
import dev.pulse.model.Winsorization;
import dev.pulse.plan.AggregateColumn;
import dev.pulse.plan.AssignmentScan;
import dev.pulse.model.ExperimentName;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.ExposureWindow;
import dev.pulse.plan.InteractionScan;
import dev.pulse.plan.MetricColumns;
import dev.pulse.plan.RowExpression;
import dev.pulse.plan.SourcePass;
import dev.pulse.plan.TriggerScan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders an {@link ExperimentPlan} as one statement in one {@link Dialect} (docs/architecture.md#data-flow). Every
 * identifier Pulse writes goes through {@link Dialect#quoteIdentifier}; user SQL (queries, values,
 * filters) is only ever wrapped in parentheses, and user expressions are evaluated in a subquery over
 * the source alone so that they see only the source's own columns.
 */
public final class SqlRenderer {

    // The CTE names, exposures(), units(), from() and rowExpression() are package-private for
    // PercentileSqlRenderer, whose statements count units exactly as this one does, and DailySql.
    static final String SOURCE_ALIAS = "src";
    static final String UNIT = "unit_id";
    static final String ROW_UNIT = "pulse_unit_id";
    static final String ROW_TIMESTAMP = "pulse_ts";
    static final String FIRST_EXPOSURE = "first_exposure";
    static final String ANALYSIS_START = "analysis_start";
    static final String TRIGGERS = "pulse_triggers";
    static final String TRIGGERED_AT = "triggered_at";
    static final String GROUPS_SEEN = "groups_seen";
    static final String EXPOSURES = "pulse_exposures";
    static final String UNITS = "pulse_units";
    static final String MAP_ALIAS = "m";
    private static final String UNIT_VALUES = "pulse_unit_values";
    private static final String CAPS = "pulse_caps";
    private static final String CAPPED_VALUES = "pulse_capped_values";
    private static final String PILOTS = "pulse_pilots";
    private static final String SHIFTED_VALUES = "pulse_shifted_values";
    private static final String MOMENTS = "pulse_moments";
    private static final String EXCLUSIONS = "pulse_exclusions";
    private static final String COMPUTED_ONCE = "pulse_computed_once";

    private final Dialect dialect;
    private final WindowSql windows;
    private final DimensionSql dimensions;
    private final IdMappingSql idMapping;
    private final DailySql daily;
    private final ShiftSql shifts;

    private SqlRenderer(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect);
        this.windows = new WindowSql(dialect);
        this.dimensions = new DimensionSql(dialect);
        this.idMapping = new IdMappingSql(dialect);
        this.daily = new DailySql(dialect);
        this.shifts = new ShiftSql(dialect);
    }

    /** The renderer for {@code dialect}. */
    public static SqlRenderer of(Dialect dialect) {
        return new SqlRenderer(dialect);
    }

    /** The experiment's one statement; its result columns are named by {@link ResultColumns}. */
    public String render(ExperimentPlan plan) {
        SqlWriter sql = new SqlWriter();
        sql.line("WITH");
        interactionAssignments(sql, plan);
        exposures(sql, plan);
        units(sql, plan);
        if (plan.idMapping().isPresent()) {
            idMapping.map(sql, plan, this);
        }
        for (SourcePass pass : plan.passes()) {
            if (plan.timeseries()) {
                daily.pass(sql, plan, pass, this, idMapping);
            } else {
                pass(sql, plan, pass);
            }
        }
        return afterPasses(sql, plan);
    }

    /**
     * The experiment's one statement computed from an incremental refresh's state instead of its sources: the
     * exposures and each pass's daily parts come from the {@code state} tables ({@link IncrementalSql}), and
     * everything after them (units, unit values, caps, dimensions, shifts, moments, daily results) is
     * {@link #render}'s. Its result columns are the same.
     */
    public String renderFromState(ExperimentPlan plan, StateTables state) {
        IncrementalSql incremental = new IncrementalSql(dialect, this);
        SqlWriter sql = new SqlWriter();
        sql.line("WITH");
        interactionAssignments(sql, plan);
        incremental.exposuresFromState(sql, plan, state);
        if (plan.triggered()) {
            incremental.triggersFromState(sql, state);
        }
        unitsAfterTriggers(sql, plan);
        for (SourcePass pass : plan.passes()) {
            if (plan.timeseries()) {
                incremental.dailyFromState(sql, plan, pass, state);
                daily.unitPass(sql, pass, inputs(plan, pass, "r", "u"), List.of());
            } else {
                incremental.unitPassFromState(sql, plan, pass, state);
            }
        }
        return afterPasses(sql, plan);
    }

    private String afterPasses(SqlWriter sql, ExperimentPlan plan) {
        unitValues(sql, plan);
        if (plan.winsorizes()) {
            caps(sql, plan);
            cappedValues(sql, plan);
        }
        String values = plan.winsorizes() ? CAPPED_VALUES : UNIT_VALUES;
        if (plan.brokenDown()) {
            values = dimensions.buckets(sql, plan, values);
        }
        values = shifts.write(sql, pairs(plan), values, PILOTS, SHIFTED_VALUES, List.of(quote(values) + ".*"),
                Optional.empty());
        moments(sql, plan, values);
        if (plan.timeseries()) {
            daily.series(sql, plan);
        }
        if (plan.idMapping().isPresent()) {
            idMapping.exclusions(sql, plan, plan.passes().stream().map(SqlRenderer::passName).toList());
        }
        exclusions(sql, plan);
        finalSelect(sql, plan);
        return sql.toString();
    }

    /** {@code SELECT <columns> FROM <relation> LIMIT 0}: checks that a source and its columns exist. */
    public String probeColumns(Relation relation, List<String> columns) {
        SqlWriter sql = new SqlWriter();
        sql.line("SELECT").indent();
        sql.list(columns.stream().map(column -> column(SOURCE_ALIAS, column)).toList());
        sql.dedent();
        from(sql, relation);
        sql.line("LIMIT 0");
        return sql.toString();
    }

    /**
     * {@code relation} as it stands in a FROM clause before its alias: the dialect's file reader, the
     * quoted table name, or a query wrapped in parentheses (on lines of its own, so that a trailing
     * line comment cannot swallow the closing parenthesis). For statements built around a source,
     * such as the historical population of a power analysis.
     */
    public String relation(Relation relation) {
        if (relation instanceof Relation.Files files) {
            return dialect.fileRelation(files);
        } else if (relation instanceof Relation.Table table) {
            return dialect.tableName(table.nameParts());
        } else if (relation instanceof Relation.Query query) {
            return "(\n" + query.sql().stripLeading() + "\n)";
        }
        throw new IllegalStateException("unknown relation " + relation);
    }

    /** {@code SELECT <row expression> FROM <relation> LIMIT 0}: checks a metric's value and filter. */
    public String probeExpression(Relation relation, RowExpression expression) {
        SqlWriter sql = new SqlWriter();
        sql.line("SELECT").indent();
        sql.line(rowExpression(expression) + " AS " + quote("probe"));
        sql.dedent();
        from(sql, relation);
        sql.line("LIMIT 0");
        return sql.toString();
    }

    /** Each interacting experiment's per-unit groups ({@link InteractionScan}), first in the WITH list. */
    private void interactionAssignments(SqlWriter sql, ExperimentPlan plan) {
        for (int j = 0; j < plan.interactions().size(); j++) {
            InteractionScan other = plan.interactions().get(j);
            assignments(sql, DimensionSql.interactionTable(j), other.assignment(), other.experiment(), other.window(),
                    false, List.of());
        }
    }

    void exposures(SqlWriter sql, ExperimentPlan plan) {
        String timestamp = column(SOURCE_ALIAS, plan.assignment().timestampColumn());
        assignments(sql, EXPOSURES, plan.assignment(), plan.experiment(), plan.window(), true,
                dimensions.exposureItems(plan, SOURCE_ALIAS, timestamp));
    }

    /**
     * Each unit's assignment rows of {@code experiment} inside {@code window}, grouped by unit: its first exposure
     * when {@code firstExposure}, its group (the least, as text), how many groups it was seen in, and {@code items},
     * as CTE {@code name}.
     */
    private void assignments(SqlWriter sql, String name, AssignmentScan scan, ExperimentName experiment,
                             ExposureWindow window, boolean firstExposure, List<String> items) {
        String unit = column(SOURCE_ALIAS, scan.unitColumn());
        String timestamp = column(SOURCE_ALIAS, scan.timestampColumn());
        String group = dialect.castToText(column(SOURCE_ALIAS, scan.groupColumn()));
        sql.line(quote(name) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> all = new ArrayList<>(List.of(unit + " AS " + quote(UNIT)));
        if (firstExposure) {
            all.add("MIN(" + timestamp + ") AS " + quote(FIRST_EXPOSURE));
        }
        all.add("MIN(" + group + ") AS " + quote(ResultColumns.GROUP));
        all.add("COUNT(DISTINCT " + group + ") AS " + quote(GROUPS_SEEN));
        all.addAll(items);
        computeOnce(all);
        sql.list(all);
        sql.dedent();
        from(sql, scan.relation());
        sql.line("WHERE " + column(SOURCE_ALIAS, scan.experimentColumn()) + " = "
                + dialect.stringLiteral(experiment.value())).indent();
        sql.line("AND " + unit + " IS NOT NULL");
        sql.line("AND " + column(SOURCE_ALIAS, scan.groupColumn()) + " IS NOT NULL");
        sql.line("AND " + timestamp + " >= " + dialect.timestampLiteral(window.start()));
        window.end().ifPresent(end -> sql.line("AND " + timestamp + " < " + dialect.timestampLiteral(end)));
        scan.datePartition().ifPresent(column -> partitionDates(column, window.start(), window.end())
                .forEach(condition -> sql.line("AND " + condition)));
        sql.dedent();
        sql.line("GROUP BY " + unit);
        sql.dedent().line("),");
    }

    /** The dialect's {@link Dialect#computeOnceMarker} as a last, unread column of a CTE that several parts read. */
    private void computeOnce(List<String> items) {
        dialect.computeOnceMarker().ifPresent(marker -> items.add(marker + " AS " + quote(COMPUTED_ONCE)));
    }

    /*
     * Each exposed unit's first qualifying row of the trigger source at or after its first exposure and
     * before the end: one scan of the trigger source, grouped by unit. The filter is evaluated in the
     * source's own subquery, like a metric's, so that it sees only the source's columns.
     */
    private void triggers(SqlWriter sql, ExperimentPlan plan) {
        String rows = "r";
        sql.line(quote(TRIGGERS) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(List.of(column(EXPOSURES, UNIT) + " AS " + quote(UNIT),
                "MIN(" + column(rows, ROW_TIMESTAMP) + ") AS " + quote(TRIGGERED_AT)));
        sql.dedent();
        sql.line("FROM " + quote(EXPOSURES));
        sql.line("JOIN (").indent();
        triggerRows(sql, plan, Optional.empty());
        sql.dedent().line(") AS " + quote(rows));
        sql.indent();
        sql.line("ON " + column(rows, ROW_UNIT) + " = " + column(EXPOSURES, UNIT));
        sql.line("AND " + column(rows, ROW_TIMESTAMP) + " >= " + column(EXPOSURES, FIRST_EXPOSURE));
        plan.window().end().ifPresent(end ->
                sql.line("AND " + column(rows, ROW_TIMESTAMP) + " < " + dialect.timestampLiteral(end)));
        sql.dedent();
        sql.line("WHERE " + column(EXPOSURES, GROUPS_SEEN) + " = 1");
        sql.line("GROUP BY " + column(EXPOSURES, UNIT));
        sql.dedent().line("),");
    }

    /**
     * The trigger source's qualifying rows (its filter evaluated in the source's own SELECT, so that it sees only the
     * source's columns) in the experiment's dates, from {@code scanFrom} when present: their unit and timestamp.
     */
    void triggerRows(SqlWriter sql, ExperimentPlan plan, Optional<Instant> scanFrom) {
        TriggerScan trigger = plan.trigger().orElseThrow();
        sql.line("SELECT").indent();
        sql.list(List.of(column(SOURCE_ALIAS, trigger.unitColumn()) + " AS " + quote(ROW_UNIT),
                column(SOURCE_ALIAS, trigger.timestampColumn()) + " AS " + quote(ROW_TIMESTAMP)));
        sql.dedent();
        from(sql, trigger.relation());
        List<String> conditions = new ArrayList<>(inDates(plan, trigger.timestampColumn(), false, scanFrom));
        trigger.filter().ifPresent(filter -> sql.line("WHERE (").verbatim(filter).line(")"));
        if (trigger.filter().isPresent()) {
            conditions.forEach(condition -> sql.indent().line("AND " + condition).dedent());
        } else {
            where(sql, conditions);
        }
    }

    /**
     * Where a unit's analysis period starts, as a column of the unit table aliased {@code units}: its first
     * exposure, or under a trigger its first qualifying row. Metric rows, windows and daily results count
     * from here; the CUPED pre-period ends at the first exposure all the same.
     */
    String analysisStart(ExperimentPlan plan, String units) {
        return analysisStart(dialect, plan, units);
    }

    static String analysisStart(Dialect dialect, ExperimentPlan plan, String units) {
        return column(dialect, units, plan.triggered() ? ANALYSIS_START : FIRST_EXPOSURE);
    }

    void units(SqlWriter sql, ExperimentPlan plan) {
        if (plan.triggered()) {
            triggers(sql, plan);
        }
        unitsAfterTriggers(sql, plan);
    }

    /** The units CTE, after the triggers CTE when the experiment has a trigger. */
    void unitsAfterTriggers(SqlWriter sql, ExperimentPlan plan) {
        sql.line(quote(UNITS) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>(List.of(
                column(EXPOSURES, UNIT) + " AS " + quote(UNIT),
                column(EXPOSURES, ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP),
                column(EXPOSURES, FIRST_EXPOSURE) + " AS " + quote(FIRST_EXPOSURE)));
        if (plan.triggered()) {
            items.add(column(TRIGGERS, TRIGGERED_AT) + " AS " + quote(ANALYSIS_START));
        }
        items.addAll(dimensions.unitItems(plan, EXPOSURES));
        computeOnce(items);
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(EXPOSURES));
        for (int j = 0; j < plan.interactions().size(); j++) {
            // every unit stays: one the other experiment did not count is "(not in experiment)"
            String other = DimensionSql.interactionAlias(j);
            sql.line("LEFT JOIN " + quote(DimensionSql.interactionTable(j)) + " AS " + quote(other));
            sql.indent().line("ON " + column(other, UNIT) + " = " + column(EXPOSURES, UNIT)).dedent();
        }
        if (plan.triggered()) {
            // units that never qualify are not counted (the exclusions count them)
            sql.line("JOIN " + quote(TRIGGERS));
            sql.indent().line("ON " + column(TRIGGERS, UNIT) + " = " + column(EXPOSURES, UNIT)).dedent();
        }
        sql.line("WHERE " + column(EXPOSURES, GROUPS_SEEN) + " = 1");
        if (plan.groupsListed()) {
            sql.indent().line("AND " + column(EXPOSURES, ResultColumns.GROUP) + " IN (" + groupList(plan) + ")").dedent();
        }
        sql.dedent().line("),");
    }

    /*
     * A source pass: the inner SELECT evaluates only the user's expressions over the wrapped source
     * and names its outputs with a "pulse_" prefix, so that an engine that lets a select item refer
     * to an earlier alias (DuckDB) cannot resolve a user's misspelt column to one of ours.
     */
    private void pass(SqlWriter sql, ExperimentPlan plan, SourcePass pass) {
        String rows = "r";
        String units = "u";
        sql.line(quote(passName(pass)) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(units, UNIT) + " AS " + quote(UNIT));
        String timestamp = column(rows, ROW_TIMESTAMP);
        String day = dialect.dayIndex(timestamp, plan.window().start());
        for (Input input : inputs(plan, pass, rows, units)) {
            items.add(aggregate(input.aggregate(), input.expression(), timestamp, day) + " AS " + quote(input.name()));
        }
        if (pass.mapped()) {
            items.addAll(idMapping.rowCounts(plan, rows, MAP_ALIAS));
        }
        sql.list(items);
        sql.dedent();
        joinedRows(sql, plan, pass, rows, units);
        sql.line("GROUP BY " + column(units, UNIT));
        sql.dedent().line("),");
    }

    /**
     * One input of a pass's aggregate: the row value it aggregates, NULL on rows it does not count.
     *
     * @param name       the aggregate's column in the pass ({@link #aggregateName}, or its pre-period's)
     * @param expression over the joined rows ({@code rows}) and units ({@code units}) of {@link #joinedRows}
     */
    record Input(AggregateColumn aggregate, String name, String expression) {}

    /**
     * The inputs of the pass's aggregates in column order: each aggregate's value on the rows inside its
     * metric window, and under CUPED split into the post-period (from the first exposure) and the
     * pre-period (before it), so that one scan serves every window and both periods. The days in the
     * experiment ({@code EXPOSED_DAYS}) read no row and have no input: see {@link #unitValue}.
     */
    List<Input> inputs(ExperimentPlan plan, SourcePass pass, String rows, String units) {
        String timestamp = column(rows, ROW_TIMESTAMP);
        String firstExposure = column(units, FIRST_EXPOSURE);
        String start = analysisStart(plan, units);
        List<Input> inputs = new ArrayList<>();
        for (AggregateColumn aggregate : pass.aggregates()) {
            if (aggregate.function() == dev.pulse.model.AggregateFunction.EXPOSED_DAYS) {
                continue;
            }
            String input = column(rows, expressionName(pass, aggregate.expression()));
            String post = windows.rowsInside(aggregate.window(), input, timestamp, start);
            if (plan.cuped().isEmpty()) {
                inputs.add(new Input(aggregate, aggregateName(aggregate), post));
            } else {
                // under a trigger, the rows between the exposure and the qualifying row are in neither period
                inputs.add(new Input(aggregate, aggregateName(aggregate),
                        "CASE WHEN " + timestamp + " >= " + start + " THEN " + post + " END"));
                inputs.add(new Input(aggregate, preAggregateName(aggregate),
                        "CASE WHEN " + timestamp + " < " + firstExposure + " THEN " + input + " END"));
            }
        }
        return inputs;
    }

    /**
     * The FROM clause of a pass: each counted unit joined to its rows (as {@code rows}) from its first
     * exposure (less the CUPED lookback) to the end; for a mapped pass, every row in the dates with its
     * unit through the ID map ({@value #MAP_ALIAS}), NULL when it has none.
     */
    void joinedRows(SqlWriter sql, ExperimentPlan plan, SourcePass pass, String rows, String units) {
        if (pass.mapped()) {
            mappedRows(sql, plan, pass, rows, units);
            return;
        }
        sql.line("FROM " + quote(UNITS) + " AS " + quote(units));
        sql.line("JOIN (").indent();
        passRows(sql, plan, pass, Optional.empty());
        sql.dedent().line(") AS " + quote(rows));
        unitConditions(sql, plan, rows, units);
    }

    /**
     * As {@link #joinedRows(SqlWriter, ExperimentPlan, SourcePass, String, String)}, for an incremental refresh
     * ({@link IncrementalSql}, which reads no mapped pass): the scan starting at {@code scanFrom} when present (a
     * refresh reads only its days), and the source's rows written before the units, as
     * {@link Dialect#unitsAsBuildSide} needs.
     */
    void joinedRows(SqlWriter sql, ExperimentPlan plan, SourcePass pass, String rows, String units,
                    Optional<Instant> scanFrom) {
        if (pass.mapped()) {
            throw new IllegalStateException("an incremental refresh reads an experiment with an ID mapping in full");
        }
        sql.line("FROM (").indent();
        passRows(sql, plan, pass, scanFrom);
        sql.dedent().line(") AS " + quote(rows));
        sql.line("JOIN " + quote(UNITS) + " AS " + quote(units));
        unitConditions(sql, plan, rows, units);
    }

    // a row counts from its unit's analysis start (the CUPED lookback before its first exposure) to the end
    private void unitConditions(SqlWriter sql, ExperimentPlan plan, String rows, String units) {
        String firstExposure = column(units, FIRST_EXPOSURE);
        sql.indent();
        sql.line("ON " + column(rows, ROW_UNIT) + " = " + column(units, UNIT));
        String from = plan.cuped()
                .map(cuped -> dialect.minusDays(firstExposure, cuped.lookbackDays()))
                .orElse(analysisStart(plan, units));
        sql.line("AND " + column(rows, ROW_TIMESTAMP) + " >= " + from);
        plan.window().end().ifPresent(end ->
                sql.line("AND " + column(rows, ROW_TIMESTAMP) + " < " + dialect.timestampLiteral(end)));
        sql.dedent();
    }

    /**
     * The inner SELECT of a pass: the row's unit (or mapped) ID, timestamp and the user's expressions, of the rows
     * in the experiment's dates ({@link #inDates}; widened by the CUPED lookback, when there is one).
     */
    private void passRows(SqlWriter sql, ExperimentPlan plan, SourcePass pass) {
        passRows(sql, plan, pass, Optional.empty());
    }

    private void passRows(SqlWriter sql, ExperimentPlan plan, SourcePass pass, Optional<Instant> scanFrom) {
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(SOURCE_ALIAS, pass.unitColumn()) + " AS " + quote(ROW_UNIT));
        items.add(column(SOURCE_ALIAS, pass.timestampColumn()) + " AS " + quote(ROW_TIMESTAMP));
        for (int i = 0; i < pass.expressions().size(); i++) {
            items.add(rowExpression(pass.expressions().get(i)) + " AS " + quote(expressionName(pass, i)));
        }
        sql.list(items);
        sql.dedent();
        from(sql, pass.relation());
        List<String> conditions = new ArrayList<>(inDates(plan, pass.timestampColumn(), plan.cuped().isPresent(), scanFrom));
        pass.datePartition().ifPresent(column -> conditions.addAll(
                partitionDates(column, scanFrom.orElse(scanStart(plan, plan.cuped().isPresent())), plan.window().end())));
        where(sql, conditions);
    }

    /** Where a scan of the experiment's dates starts: its start, less the CUPED lookback when {@code preperiod}. */
    static Instant scanStart(ExperimentPlan plan, boolean preperiod) {
        Instant start = plan.window().start();
        return preperiod ? start.minus(Duration.ofDays(plan.cuped().orElseThrow().lookbackDays())) : start;
    }

    /**
     * The dates of a scan from {@code from} to {@code end} as conditions on a source's date partition column, widened
     * by a day on each side (a partition date in another time zone than UTC still holds all of the rows), so that the
     * engine skips the other partitions whole; the conditions on the timestamp keep the rows exact.
     */
    List<String> partitionDates(String column, Instant from, Optional<Instant> end) {
        String date = column(SOURCE_ALIAS, column);
        List<String> conditions = new ArrayList<>();
        conditions.add(date + " >= " + dialect.dateLiteral(java.time.LocalDate.ofInstant(from, java.time.ZoneOffset.UTC).minusDays(1)));
        end.ifPresent(e -> conditions.add(date + " <= " + dialect.dateLiteral(java.time.LocalDate.ofInstant(e, java.time.ZoneOffset.UTC))));
        return conditions;
    }

    /**
     * The experiment's dates as conditions on a source's own timestamp column, with constants only: from its start
     * (less the CUPED lookback when {@code preperiod}) to its end. A scan of a source's rows carries them in its
     * WHERE, so that an engine prunes the partitions, files or blocks of a table partitioned, sorted or clustered by
     * that column (docs/architecture.md, "What Pulse reads"). The joins after the scan keep each unit's rows from
     * its own first exposure (or trigger), which is never before the start: these conditions change no number.
     */
    List<String> inDates(ExperimentPlan plan, String timestampColumn, boolean preperiod) {
        return inDates(plan, timestampColumn, preperiod, Optional.empty());
    }

    /** As {@link #inDates(ExperimentPlan, String, boolean)}, from {@code scanFrom} when present. */
    List<String> inDates(ExperimentPlan plan, String timestampColumn, boolean preperiod, Optional<Instant> scanFrom) {
        String timestamp = column(SOURCE_ALIAS, timestampColumn);
        Instant start = plan.window().start();
        Instant from = scanFrom.orElse(
                preperiod ? start.minus(Duration.ofDays(plan.cuped().orElseThrow().lookbackDays())) : start);
        List<String> conditions = new ArrayList<>();
        conditions.add(timestamp + " >= " + dialect.timestampLiteral(from));
        plan.window().end().ifPresent(end -> conditions.add(timestamp + " < " + dialect.timestampLiteral(end)));
        return conditions;
    }

    /** {@code WHERE} and {@code conditions} joined by {@code AND}, one per line. */
    static void where(SqlWriter sql, List<String> conditions) {
        for (int i = 0; i < conditions.size(); i++) {
            if (i == 0) {
                sql.line("WHERE " + conditions.get(i)).indent();
            } else {
                sql.line("AND " + conditions.get(i));
            }
        }
        if (!conditions.isEmpty()) {
            sql.dedent();
        }
    }

    /*
     * A mapped pass: rows → id_map → units, both LEFT joins, so that the rows whose ID is unmapped or
     * conflicting are counted (in the group with a NULL unit, which no unit joins). id_map has one row
     * per ID, so no row is multiplied. The scan keeps the rows in the experiment's dates (widened by the
     * CUPED lookback); the unit join keeps each unit's own rows from its first exposure on.
     */
    private void mappedRows(SqlWriter sql, ExperimentPlan plan, SourcePass pass, String rows, String units) {
        String map = MAP_ALIAS;
        String timestamp = column(rows, ROW_TIMESTAMP);
        String firstExposure = column(units, FIRST_EXPOSURE);
        sql.line("FROM (").indent();
        passRows(sql, plan, pass);
        sql.dedent().line(") AS " + quote(rows));
        sql.line("LEFT JOIN " + quote(IdMappingSql.MAP) + " AS " + quote(map));
        sql.indent().line("ON " + column(map, IdMappingSql.ID) + " = " + column(rows, ROW_UNIT)).dedent();
        sql.line("LEFT JOIN " + quote(UNITS) + " AS " + quote(units));
        sql.indent();
        sql.line("ON " + column(units, UNIT) + " = " + column(map, UNIT));
        sql.line("AND " + timestamp + " >= " + plan.cuped()
                .map(cuped -> dialect.minusDays(firstExposure, cuped.lookbackDays()))
                .orElse(analysisStart(plan, units)));
        sql.dedent();
    }

    private void unitValues(SqlWriter sql, ExperimentPlan plan) {
        String units = "u";
        sql.line(quote(UNIT_VALUES) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(units, ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP));
        items.addAll(dimensions.passThrough(plan, units));
        String firstExposure = analysisStart(plan, units);
        for (SourcePass pass : plan.passes()) {
            for (AggregateColumn aggregate : pass.aggregates()) {
                // a unit whose window is still open at the end has no value: NULL, left out of n and the moments
                items.add(windows.closedOnly(plan, aggregate.window(), firstExposure,
                        unitValue(plan, pass, aggregate, false, units)) + " AS " + quote(valueName(aggregate)));
                if (plan.cuped().isPresent()) {
                    items.add(windows.closedOnly(plan, aggregate.window(), firstExposure,
                            unitValue(plan, pass, aggregate, true, units)) + " AS " + quote(preValueName(aggregate)));
                }
            }
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(UNITS) + " AS " + quote(units));
        for (SourcePass pass : plan.passes()) {
            sql.line("LEFT JOIN " + quote(passName(pass)) + " AS " + quote(passAlias(pass)));
            sql.indent().line("ON " + column(passAlias(pass), UNIT) + " = " + column(units, UNIT)).dedent();
        }
        sql.dedent().line("),");
    }

    /**
     * The per-unit value of {@code aggregate} (of its pre-period when {@code pre}) as a double, over the
     * units ({@code units}) LEFT JOINed to the pass: the pass's column, 0 for a unit without rows (for a
     * threshold, 1 when that value reaches it, else 0: {@link #thresholded}). The days in
     * the experiment ({@code EXPOSED_DAYS}, a participation metric's Y) are no aggregate over rows: a unit
     * without rows has them too, so they come from the unit's analysis start here (its first exposure, or its
     * trigger), in the unit table, as the experiment's days less the whole days from its start to that day (the
     * pre-period's: the CUPED lookback). The pass computes nothing for them ({@link #inputs}).
     */
    private String unitValue(ExperimentPlan plan, SourcePass pass, AggregateColumn aggregate, boolean pre, String units) {
        if (aggregate.function() == dev.pulse.model.AggregateFunction.EXPOSED_DAYS) {
            return dialect.castToDouble(pre
                    ? Integer.toString(plan.cuped().orElseThrow().lookbackDays())
                    : "(" + plan.window().days() + " - " + dialect.dayIndex(analysisStart(plan, units),
                            plan.window().start()) + ")");
        }
        return thresholded(dialect, aggregate, dialect.castToDouble("COALESCE(" + column(passAlias(pass),
                (pre ? preAggregateName(aggregate) : aggregateName(aggregate))) + ", 0)"));
    }

    /*
     * Winsorization: the caps are quantiles of each capped component over all counted units (every
     * group pooled), one aggregate pass over the unit table; the capped values are a projection of it.
     */
    private void caps(SqlWriter sql, ExperimentPlan plan) {
        sql.line(quote(CAPS) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < plan.metrics().size(); i++) {
            MetricColumns metric = plan.metrics().get(i);
            if (metric.winsorize().isEmpty()) {
                continue;
            }
            Winsorization caps = metric.winsorize().get();
            for (Component component : components(plan, metric)) {
                String value = quote(component.valueColumn());
                if (caps.lower().isPresent()) {
                    items.add(dialect.quantile(value, caps.lower().getAsDouble()) + " AS " + quote(lowerCapName(metric, component.kind())));
                }
                if (caps.upper().isPresent()) {
                    items.add(dialect.quantile(value, caps.upper().getAsDouble()) + " AS " + quote(upperCapName(metric, component.kind())));
                }
            }
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(UNIT_VALUES));
        sql.dedent().line("),");
    }

    private void cappedValues(SqlWriter sql, ExperimentPlan plan) {
        sql.line(quote(CAPPED_VALUES) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(UNIT_VALUES, ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP));
        items.addAll(dimensions.passThrough(plan, UNIT_VALUES));
        Set<String> passedThrough = new LinkedHashSet<>();
        List<String> capped = new ArrayList<>();
        for (int i = 0; i < plan.metrics().size(); i++) {
            MetricColumns metric = plan.metrics().get(i);
            for (Component component : components(plan, metric)) {
                if (metric.winsorize().isEmpty()) {
                    passedThrough.add(component.valueColumn());
                    continue;
                }
                String value = capped(column(UNIT_VALUES, component.valueColumn()), metric.winsorize().get(), metric, component.kind());
                if (metric.window().isPresent()) {
                    // GREATEST and LEAST skip NULLs: a unit without a value must not get a cap as its value
                    value = "CASE WHEN " + column(UNIT_VALUES, component.valueColumn()) + " IS NOT NULL THEN "
                            + value + " END";
                }
                capped.add(value + " AS " + quote(cappedName(metric, component.kind())));
            }
        }
        passedThrough.forEach(value -> items.add(column(UNIT_VALUES, value) + " AS " + quote(value)));
        items.addAll(capped);
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(UNIT_VALUES));
        sql.line("CROSS JOIN " + quote(CAPS));
        sql.dedent().line("),");
    }

    private void moments(SqlWriter sql, ExperimentPlan plan, String values) {
        sql.line(quote(MOMENTS) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(quote(ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP));
        if (plan.brokenDown()) {
            items.addAll(dimensions.momentItems(plan));
        }
        items.add("COUNT(*) AS " + quote(ResultColumns.UNITS));
        for (int i = 0; i < plan.metrics().size(); i++) {
            for (Moment moment : moments(plan, i)) {
                items.add(moment.expression() + " AS " + quote(moment.name()));
            }
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(values));
        sql.line("GROUP BY " + (plan.brokenDown() ? dimensions.groupBy(plan) : quote(ResultColumns.GROUP)));
        sql.dedent().line("),");
    }

    /** One result column of a metric's moments: its name and the aggregate that computes it. */
    private record Moment(String name, String expression) {}

    /**
     * The moments of metric {@code i}: of X (and Y), then under CUPED of the pre-period X₀ (and Y₀)
     * with the cross covariances; for {@code Y ≡ 1} only those of X and X₀. Those of X are moments of the
     * shifted values {@code X − c·Y}, followed by the pilot c; the variances and covariances of Y are taken of
     * {@code Y − b} ({@link ShiftSql}), its mean of Y itself.
     */
    private List<Moment> moments(ExperimentPlan plan, int i) {
        MetricColumns metric = plan.metrics().get(i);
        String x = quote(shiftedName(metric, Component.Kind.X));
        List<Moment> moments = new ArrayList<>();
        if (metric.window().isPresent()) {
            moments.add(new Moment(ResultColumns.metricUnits(metric), "COUNT(" + x + ")"));
        }
        moments.add(new Moment(ResultColumns.meanX(metric), "AVG(" + x + ")"));
        moments.add(new Moment(ResultColumns.varX(metric), "VAR_SAMP(" + x + ")"));
        String y = metric.y().isPresent() ? quote(shiftedName(metric, Component.Kind.Y)) : null;
        if (y != null) {
            moments.add(new Moment(ResultColumns.meanY(metric), "AVG(" + quote(input(plan, metric, Component.Kind.Y)) + ")"));
            moments.add(new Moment(ResultColumns.varY(metric), "VAR_SAMP(" + y + ")"));
            moments.add(new Moment(ResultColumns.covXY(metric), dialect.covarianceSample(x, y)));
        }
        moments.add(pilot(ResultColumns.shiftX(metric)));
        moments.add(new Moment(ResultColumns.rawMeanX(metric), "AVG(" + quote(input(plan, metric, Component.Kind.X)) + ")"));
        if (plan.cuped().isPresent()) {
            String x0 = quote(shiftedName(metric, Component.Kind.PRE_X));
            moments.add(new Moment(ResultColumns.meanPreX(metric), "AVG(" + x0 + ")"));
            moments.add(new Moment(ResultColumns.varPreX(metric), "VAR_SAMP(" + x0 + ")"));
            moments.add(new Moment(ResultColumns.covXPreX(metric), dialect.covarianceSample(x, x0)));
            moments.add(pilot(ResultColumns.shiftPreX(metric)));
            if (y != null) {
                String y0 = quote(shiftedName(metric, Component.Kind.PRE_Y));
                moments.add(new Moment(ResultColumns.meanPreY(metric), "AVG(" + quote(input(plan, metric, Component.Kind.PRE_Y)) + ")"));
                moments.add(new Moment(ResultColumns.varPreY(metric), "VAR_SAMP(" + y0 + ")"));
                moments.add(new Moment(ResultColumns.covPreXPreY(metric), dialect.covarianceSample(x0, y0)));
                moments.add(new Moment(ResultColumns.covXPreY(metric), dialect.covarianceSample(x, y0)));
                moments.add(new Moment(ResultColumns.covYPreX(metric), dialect.covarianceSample(y, x0)));
                moments.add(new Moment(ResultColumns.covYPreY(metric), dialect.covarianceSample(y, y0)));
            }
            // several covariates: the covariances with other metrics' pre-periods, of the same shifted values
            for (ResultColumns.CrossCovariance cross : ResultColumns.crossCovariances(plan, i)) {
                moments.add(new Moment(cross.name(), dialect.covarianceSample(
                        quote(shiftedName(plan.metrics().get(cross.i()), kind(cross.a()))),
                        quote(shiftedName(plan.metrics().get(cross.j()), kind(cross.b()))))));
            }
        }
        return moments;
    }

    private static Component.Kind kind(ResultColumns.Part part) {
        return switch (part) {
            case X -> Component.Kind.X;
            case Y -> Component.Kind.Y;
            case PRE_X -> Component.Kind.PRE_X;
            case PRE_Y -> Component.Kind.PRE_Y;
        };
    }

    /** A pilot, the same on every row of a group: carried through the GROUP BY as its MIN. */
    private Moment pilot(String name) {
        return new Moment(name, "MIN(" + quote(name) + ")");
    }

    /**
     * The pairs of components whose moments the statement returns, with the names of their shifted values
     * and pilots: per metric (X, Y) and under CUPED (X₀, Y₀).
     */
    private static List<ShiftSql.Pair> pairs(ExperimentPlan plan) {
        List<ShiftSql.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < plan.metrics().size(); i++) {
            MetricColumns metric = plan.metrics().get(i);
            boolean hasY = metric.y().isPresent();
            pairs.add(new ShiftSql.Pair(input(plan, metric, Component.Kind.X),
                    hasY ? Optional.of(input(plan, metric, Component.Kind.Y)) : Optional.empty(),
                    shiftedName(metric, Component.Kind.X), shiftedName(metric, Component.Kind.Y),
                    ResultColumns.shiftX(metric), centerName(metric, Component.Kind.Y)));
            if (plan.cuped().isPresent()) {
                pairs.add(new ShiftSql.Pair(input(plan, metric, Component.Kind.PRE_X),
                        hasY ? Optional.of(input(plan, metric, Component.Kind.PRE_Y)) : Optional.empty(),
                        shiftedName(metric, Component.Kind.PRE_X), shiftedName(metric, Component.Kind.PRE_Y),
                        ResultColumns.shiftPreX(metric), centerName(metric, Component.Kind.PRE_Y)));
            }
        }
        return pairs;
    }

    /** The pilot b that component {@code kind} (Y or Y₀) of {@code metric} is centred by. */
    static String centerName(MetricColumns metric, Component.Kind kind) {
        return metric.columnName().with("__center_" + kind.suffix);
    }

    /** The shifted value of one component of {@code metric} ({@code X − c·Y} or {@code Y − b}). */
    static String shiftedName(MetricColumns metric, Component.Kind kind) {
        return metric.columnName().with("__shifted_" + kind.suffix);
    }

    /** One per-unit component of a metric (X, Y, X₀ or Y₀) and the unit-table column holding it. */
    record Component(Kind kind, String valueColumn) {
        enum Kind {
            X("x"),
            Y("y"),
            PRE_X("x0"),
            PRE_Y("y0");

            private final String suffix;

            Kind(String suffix) {
                this.suffix = suffix;
            }
        }
    }

    /** The components the plan computes for {@code metric}, in the order X, Y, X₀, Y₀. */
    private static List<Component> components(ExperimentPlan plan, MetricColumns metric) {
        List<Component> components = new ArrayList<>();
        AggregateColumn x = plan.aggregate(metric.x());
        Optional<AggregateColumn> y = metric.y().isPresent()
                ? Optional.of(plan.aggregate(metric.y().getAsInt()))
                : Optional.empty();
        components.add(new Component(Component.Kind.X, valueName(x)));
        y.ifPresent(column -> components.add(new Component(Component.Kind.Y, valueName(column))));
        if (plan.cuped().isPresent()) {
            components.add(new Component(Component.Kind.PRE_X, preValueName(x)));
            y.ifPresent(column -> components.add(new Component(Component.Kind.PRE_Y, preValueName(column))));
        }
        return components;
    }

    /** The column the moments read for one component of {@code metric}: capped or as computed. */
    private static String input(ExperimentPlan plan, MetricColumns metric, Component.Kind kind) {
        if (metric.winsorize().isPresent()) {
            return cappedName(metric, kind);
        }
        return switch (kind) {
            case X -> valueName(plan.aggregate(metric.x()));
            case Y -> valueName(plan.aggregate(metric.y().orElseThrow()));
            case PRE_X -> preValueName(plan.aggregate(metric.x()));
            case PRE_Y -> preValueName(plan.aggregate(metric.y().orElseThrow()));
        };
    }

    /** {@code value} held between the caps of {@code metric}'s component {@code kind} (columns of {@code caps}). */
    private String capped(String value, Winsorization caps, MetricColumns metric, Component.Kind kind) {
        String capped = value;
        if (caps.lower().isPresent()) {
            capped = "GREATEST(" + capped + ", " + column(CAPS, lowerCapName(metric, kind)) + ")";
        }
        if (caps.upper().isPresent()) {
            capped = "LEAST(" + capped + ", " + column(CAPS, upperCapName(metric, kind)) + ")";
        }
        return capped;
    }

    private static String cappedName(MetricColumns metric, Component.Kind kind) {
        return metric.columnName().with("__capped_" + kind.suffix);
    }

    private static String lowerCapName(MetricColumns metric, Component.Kind kind) {
        return metric.columnName().with("__lower_cap_" + kind.suffix);
    }

    private static String upperCapName(MetricColumns metric, Component.Kind kind) {
        return metric.columnName().with("__upper_cap_" + kind.suffix);
    }

    private void exclusions(SqlWriter sql, ExperimentPlan plan) {
        String groupsSeen = quote(GROUPS_SEEN);
        sql.line(quote(EXCLUSIONS) + " AS (").indent();
        sql.line("SELECT").indent();
        String unknown = plan.groupsListed()
                ? "COUNT(CASE WHEN " + groupsSeen + " = 1 AND " + quote(ResultColumns.GROUP)
                        + " NOT IN (" + groupList(plan) + ") THEN 1 END)"
                : "0";
        List<String> items = new ArrayList<>(List.of(
                "COUNT(CASE WHEN " + groupsSeen + " > 1 THEN 1 END) AS " + quote(ResultColumns.EXCLUDED_MULTIPLE_GROUPS),
                unknown + " AS " + quote(ResultColumns.EXCLUDED_UNKNOWN_GROUP)));
        if (plan.triggered()) {
            // exposed units that would be counted but never qualified
            String listed = plan.groupsListed()
                    ? " AND " + column(EXPOSURES, ResultColumns.GROUP) + " IN (" + groupList(plan) + ")"
                    : "";
            items.add("COUNT(CASE WHEN " + column(EXPOSURES, GROUPS_SEEN) + " = 1" + listed + " AND "
                    + column(TRIGGERS, UNIT) + " IS NULL THEN 1 END) AS " + quote(ResultColumns.EXCLUDED_NOT_TRIGGERED));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(EXPOSURES));
        if (plan.triggered()) {
            sql.line("LEFT JOIN " + quote(TRIGGERS));
            sql.indent().line("ON " + column(TRIGGERS, UNIT) + " = " + column(EXPOSURES, UNIT)).dedent();
        }
        sql.dedent().line(")");
    }

    /*
     * With daily results the rows of the daily moments follow those of the full result (UNION ALL):
     * the full result's rows have a NULL day, the daily rows NULL in every column they do not have.
     */
    private void finalSelect(SqlWriter sql, ExperimentPlan plan) {
        List<String> names = new ArrayList<>();
        names.add(ResultColumns.GROUP);
        if (plan.brokenDown()) {
            names.add(ResultColumns.DIMENSION);
            names.add(ResultColumns.DIMENSION_VALUE);
        }
        names.add(ResultColumns.UNITS);
        for (int i = 0; i < plan.metrics().size(); i++) {
            for (Moment moment : moments(plan, i)) {
                names.add(moment.name());
            }
        }
        List<String> items = new ArrayList<>(names.stream().map(name -> column(MOMENTS, name)).toList());
        items.add(column(EXCLUSIONS, ResultColumns.EXCLUDED_MULTIPLE_GROUPS));
        items.add(column(EXCLUSIONS, ResultColumns.EXCLUDED_UNKNOWN_GROUP));
        if (plan.triggered()) {
            items.add(column(EXCLUSIONS, ResultColumns.EXCLUDED_NOT_TRIGGERED));
        }
        if (plan.idMapping().isPresent()) {
            items.addAll(idMapping.resultItems());
        }
        if (plan.timeseries()) {
            items.add(0, "NULL AS " + quote(ResultColumns.DAY));
            // typed: PostgreSQL unions left to right, and NULL with the daily rows' NULL would make it text
            items.add(1, "CAST(NULL AS " + dialect.columnType(TableStatements.ColumnType.BIGINT) + ") AS "
                    + quote(ResultColumns.DAYS_SINCE_EXPOSURE));
        }
        sql.line("SELECT").indent();
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(EXCLUSIONS));
        if (plan.idMapping().isPresent()) {
            sql.line(idMapping.crossJoin());
        }
        sql.line("LEFT JOIN " + quote(MOMENTS));
        sql.indent().line("ON 1 = 1").dedent();
        String dimensionOrder = plan.brokenDown()
                ? "%s NULLS FIRST, %s NULLS FIRST, "
                : "";
        if (!plan.timeseries()) {
            sql.line("ORDER BY " + String.format(dimensionOrder, column(MOMENTS, ResultColumns.DIMENSION),
                    column(MOMENTS, ResultColumns.DIMENSION_VALUE)) + column(MOMENTS, ResultColumns.GROUP));
            return;
        }
        java.util.Set<String> daily = DailySql.dailyColumns(plan);
        // the calendar days' rows (a day, no days since exposure), then the days-since-exposure rows
        seriesRows(sql, names, items.size(), daily, quote(ResultColumns.DAY), "NULL", DailySql.DAILY_MOMENTS);
        seriesRows(sql, names, items.size(), daily, "NULL", quote(ResultColumns.DAYS_SINCE_EXPOSURE),
                DailySql.EXPOSURE_DAY_MOMENTS);
        sql.line("ORDER BY " + quote(ResultColumns.DAY) + " NULLS FIRST, " + quote(ResultColumns.DAYS_SINCE_EXPOSURE)
                + " NULLS FIRST, " + String.format(dimensionOrder, quote(ResultColumns.DIMENSION),
                quote(ResultColumns.DIMENSION_VALUE)) + quote(ResultColumns.GROUP));
    }

    /** One series' rows in the final union: its key columns, the series columns of {@code names}, NULL for the rest. */
    private void seriesRows(SqlWriter sql, List<String> names, int width, java.util.Set<String> series, String day,
                            String sinceExposure, String from) {
        List<String> items = new ArrayList<>();
        items.add(day);
        items.add(sinceExposure);
        names.forEach(name -> items.add(series.contains(name) ? quote(name) : "NULL"));
        items.addAll(java.util.Collections.nCopies(width - items.size(), "NULL"));
        sql.line("UNION ALL");
        sql.line("SELECT").indent();
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(from));
    }

    void from(SqlWriter sql, Relation relation) {
        String alias = " AS " + quote(SOURCE_ALIAS);
        // Java 17 has no pattern switch; Relation is sealed to these three.
        if (relation instanceof Relation.Files files) {
            sql.line("FROM " + dialect.fileRelation(files) + alias);
        } else if (relation instanceof Relation.Table table) {
            sql.line("FROM " + dialect.tableName(table.nameParts()) + alias);
        } else if (relation instanceof Relation.Query query) {
            sql.line("FROM (").verbatim(query.sql()).line(")" + alias);
        } else {
            throw new IllegalStateException("unknown relation " + relation);
        }
    }

    String rowExpression(RowExpression expression) {
        String value = expression.value().map(v -> "(" + v + ")").orElse("1");
        return expression.filter()
                .map(filter -> "CASE WHEN (" + filter + ") THEN " + value + " END")
                .orElse(value);
    }

    /**
     * The aggregate over a unit's rows of {@code input} (NULL on rows it does not count), whose row has
     * {@code timestamp} and the UTC day index {@code day} from the experiment's start.
     */
    private String aggregate(AggregateColumn aggregate, String input, String timestamp, String day) {
        return switch (aggregate.function()) {
            case SUM -> "SUM(" + input + ")";
            case COUNT_ROWS, COUNT_VALUES -> "COUNT(" + input + ")";
            case COUNT_DISTINCT -> "COUNT(DISTINCT " + input + ")";
            case ANY_ROW, HAS_VALUE -> "CASE WHEN COUNT(" + input + ") > 0 THEN 1 ELSE 0 END";
            case FIRST_VALUE -> dialect.firstValue(dialect.castToDouble(input), timestamp);
            case LATEST_VALUE -> dialect.latestValue(dialect.castToDouble(input), timestamp);
            case DISTINCT_DAYS -> "COUNT(DISTINCT CASE WHEN " + input + " IS NOT NULL THEN " + day + " END)";
            case EXPOSED_DAYS -> throw new IllegalStateException("the days in the experiment come from the unit table");
        };
    }

    /**
     * {@code value} (a double) as the unit's value of {@code aggregate}: itself, or for a threshold
     * {@code CAST(CASE WHEN value >= t THEN 1 ELSE 0 END AS DOUBLE)}. The threshold is written as Java's
     * shortest round-trip decimal of the double ({@code 100.0}, {@code 1.0E-5}), a numeric literal in
     * every dialect, and cast to double so that the comparison is between doubles on every engine.
     */
    static String thresholded(Dialect dialect, AggregateColumn aggregate, String value) {
        return aggregate.aggregate().threshold()
                .map(threshold -> dialect.castToDouble("CASE WHEN " + value + " " + threshold.comparison().symbol() + " "
                        + dialect.castToDouble(Double.toString(threshold.value())) + " THEN 1 ELSE 0 END"))
                .orElse(value);
    }

    private String groupList(ExperimentPlan plan) {
        return String.join(", ", plan.listedGroups().stream().map(dialect::stringLiteral).toList());
    }

    private String column(String table, String column) {
        return column(dialect, table, column);
    }

    static String column(Dialect dialect, String table, String column) {
        return dialect.quoteIdentifier(table) + "." + dialect.quoteIdentifier(column);
    }

    private String quote(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }

    static String passName(SourcePass pass) {
        return "pulse_pass_" + pass.index();
    }

    private static String passAlias(SourcePass pass) {
        return "p" + pass.index();
    }

    /**
     * The column of row expression {@code index} in the pass's inner SELECT: {@code pulse_} and the name of the
     * first aggregate that reads it ({@code pulse_revenue__numerator}); the prefix keeps a user's column from
     * ever resolving to one of ours.
     */
    static String expressionName(SourcePass pass, int index) {
        return "pulse_" + pass.aggregates().stream()
                .filter(aggregate -> aggregate.expression() == index)
                .findFirst()
                .orElseThrow()
                .name()
                .value();
    }

    /** The aggregate's column in its pass: {@code revenue_per_user__numerator}. */
    static String aggregateName(AggregateColumn aggregate) {
        return aggregate.name().value();
    }

    /** Under CUPED, the aggregate's pre-period column in its pass: {@code revenue_per_user__numerator_pre}. */
    private static String preAggregateName(AggregateColumn aggregate) {
        return aggregate.name().with("_pre");
    }

    /** The unit's value of the aggregate in the unit table, named as in the pass. */
    static String valueName(AggregateColumn aggregate) {
        return aggregateName(aggregate);
    }

    private static String preValueName(AggregateColumn aggregate) {
        return preAggregateName(aggregate);
    }

    /*
     * The staging table of `pulse analyze --materialize`. The unit table of render() carries no unit
     * ID, so the last CTE projects the same per-unit values beside the unit's ID and first exposure,
     * with the same expressions (COALESCE to 0, cast to double, then GREATEST/LEAST against the same
     * caps over unit_values); StagingTest recomputes the moments from it and compares them to render()'s.
     */
    /**
     * The experiment's per-unit values instead of its moments: the CTEs of {@link #render} up to the
     * unit values (and, when metrics are winsorized, their caps), then one row per counted unit with its
     * ID, group, first exposure and each metric's components (capped as the moments see them), named by
     * {@link StagingColumns}. Percentile metrics have no per-unit value and no column.
     */
    public String renderUnits(ExperimentPlan experimentPlan) {
        // a unit's row does not carry its groups in other experiments: their assignments need not be read
        ExperimentPlan plan = experimentPlan.withoutInteractions();
        SqlWriter sql = new SqlWriter();
        sql.line("WITH");
        exposures(sql, plan);
        units(sql, plan);
        if (plan.idMapping().isPresent()) {
            idMapping.map(sql, plan, this);
        }
        for (SourcePass pass : plan.passes()) {
            pass(sql, plan, pass);
        }
        if (plan.winsorizes()) {
            unitValues(sql, plan);
            caps(sql, plan);
        }
        String units = "u";
        java.util.Map<Integer, String> values = new java.util.HashMap<>();
        java.util.Map<Integer, String> preValues = new java.util.HashMap<>();
        for (SourcePass pass : plan.passes()) {
            for (AggregateColumn aggregate : pass.aggregates()) {
                values.put(aggregate.id(), unitValue(plan, pass, aggregate, false, units));
                if (plan.cuped().isPresent()) {
                    preValues.put(aggregate.id(), unitValue(plan, pass, aggregate, true, units));
                }
            }
        }
        List<String> items = new ArrayList<>();
        items.add(column(units, UNIT) + " AS " + quote(StagingColumns.UNIT));
        items.add(column(units, ResultColumns.GROUP) + " AS " + quote(StagingColumns.GROUP));
        items.add(column(units, FIRST_EXPOSURE) + " AS " + quote(StagingColumns.FIRST_EXPOSURE));
        if (plan.triggered()) {
            items.add(column(units, ANALYSIS_START) + " AS " + quote(StagingColumns.ANALYSIS_START));
        }
        for (int i = 0; i < plan.metrics().size(); i++) {
            MetricColumns metric = plan.metrics().get(i);
            for (Component component : components(plan, metric)) {
                int id = switch (component.kind()) {
                    case X, PRE_X -> metric.x();
                    case Y, PRE_Y -> metric.y().orElseThrow();
                };
                boolean pre = component.kind() == Component.Kind.PRE_X || component.kind() == Component.Kind.PRE_Y;
                String value = (pre ? preValues : values).get(id);
                if (metric.winsorize().isPresent()) {
                    value = capped(value, metric.winsorize().get(), metric, component.kind());
                }
                String name = switch (component.kind()) {
                    case X, PRE_X -> StagingColumns.numerator(metric.metric());
                    case Y, PRE_Y -> StagingColumns.denominator(metric.metric(), metric.type());
                };
                items.add(value + " AS " + quote(pre ? StagingColumns.prePeriod(name) : name));
            }
        }
        sql.line(quote("pulse_staging") + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(UNITS) + " AS " + quote(units));
        for (SourcePass pass : plan.passes()) {
            sql.line("LEFT JOIN " + quote(passName(pass)) + " AS " + quote(passAlias(pass)));
            sql.indent().line("ON " + column(passAlias(pass), UNIT) + " = " + column(units, UNIT)).dedent();
        }
        if (plan.winsorizes()) {
            sql.line("CROSS JOIN " + quote(CAPS));
        }
        sql.dedent().line(")");
        sql.line("SELECT *");
        sql.line("FROM " + quote("pulse_staging"));
        return sql.toString();
    }
}
