package dev.pulse.sql;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.TableName;
import dev.pulse.plan.AssignmentScan;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.SourcePass;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The statements of an incremental refresh (docs/incremental.md): an experiment's state, kept in the warehouse,
 * holds per unit and UTC day the parts its statement sums, so that a refresh reads only the days it has not read
 * (and a few before them) and {@link SqlRenderer#renderFromState} computes the moments from the state.
 *
 * <p>What the state holds ({@link StateTables}): the exposures per unit, day and group (their first timestamp, and
 * the dimension values at it); each exposed unit's first exposure; per pass, per unit and day the daily part of
 * each aggregate ({@link DailySql#dailyPart}) over the rows counted for that unit, as its first exposure classifies
 * them (post-period, window, CUPED pre-period); and for a count of distinct values each (unit, value) pair once,
 * with the first day the unit has it ({@link #distinctParts}).
 *
 * <p>Why replacing days is exact: a unit's rows are classified by its first exposure. A refresh replaces the
 * exposures of the days it reads again; a unit whose first exposure that changes (a new unit, one whose first
 * exposure moved, one no longer exposed) had its exposure rows in those days, and its counted rows start at its
 * first exposure (less the CUPED lookback). So the refresh replaces every unit's parts from the earliest such day
 * less the lookback on ({@link #changedUnits}), or from its own first day if that is earlier; the parts before
 * are classified as before and stay. A distinct count's pairs held with a first day before that day stay too (their
 * rows there are unchanged); the others are those whose rows are all in the days read again ({@link #distinctParts}).
 *
 * <p>Day indices and timestamps are written as constants: they are integers Pulse computes (days since the
 * start, never text read from the data), so that the engines prune partitions on them.
 */
public final class IncrementalSql {
    /** The day column of the state tables and of the queries that return a day. */
    public static final String DAY = ResultColumns.DAY;
    /** The meta table's last day any state table holds (its {@link #DAY} is the watermark, the least of them). */
    public static final String LAST_DAY = "last_day";
    /**
     * The meta table's mark: 1 when the state is whole, 0 while a refresh writes it. Where a refresh is one
     * transaction nobody sees the 0; on Spark a refresh killed or failed midway leaves it, and the next one rebuilds.
     */
    public static final String COMPLETE = "complete";
    /** The meta table's columns, in order. */
    public static final List<String> META_COLUMNS = List.of("fingerprint", DAY, LAST_DAY, COMPLETE);
    static final String FIRST_TS = "first_ts";
    static final String VALUE = "pulse_value";
    private static final String ROWS = "r";
    private static final String UNITS = "u";

    private final Dialect dialect;
    private final SqlRenderer base;
    private final DailySql daily;
    private final DimensionSql dimensions;

    IncrementalSql(Dialect dialect, SqlRenderer base) {
        this.dialect = Objects.requireNonNull(dialect);
        this.base = Objects.requireNonNull(base);
        this.daily = new DailySql(dialect);
        this.dimensions = new DimensionSql(dialect);
    }

    /** The statements for {@code dialect}. */
    public static IncrementalSql of(Dialect dialect) {
        return new IncrementalSql(dialect, SqlRenderer.of(dialect));
    }

    /**
     * Why the plan's statement cannot be computed from a state, if it cannot: an ID mapping (a new link
     * re-attributes rows of any day, which the state's parts per unit cannot tell). Such an experiment is read in
     * full on every refresh.
     */
    public static Optional<String> unsupported(ExperimentPlan plan) {
        if (plan.idMapping().isPresent()) {
            return Optional.of("an ID mapping");
        }
        return Optional.empty();
    }

    /** Every table of the plan's state, the metadata and row counts last. */
    public List<TableName> tables(ExperimentPlan plan, StateTables state) {
        List<TableName> tables = new ArrayList<>(List.of(state.exposures(), state.units()));
        if (plan.triggered()) {
            tables.add(state.triggers());
        }
        for (SourcePass pass : plan.passes()) {
            tables.add(state.pass(pass));
            for (SqlRenderer.Input input : distinctInputs(plan, pass)) {
                tables.add(state.distinct(input.aggregate(), isPre(input)));
            }
        }
        tables.add(state.meta());
        tables.add(state.rows());
        return List.copyOf(tables);
    }

    /**
     * The statements that build the state from every day: each table dropped and created from its SELECT (those with
     * days partitioned by day where the engine partitions, {@link Dialect#stateTableStorage}).
     */
    public List<String> rebuild(ExperimentPlan plan, StateTables state) {
        List<String> statements = new ArrayList<>();
        for (TableName table : tables(plan, state)) {
            if (!table.equals(state.meta()) && !table.equals(state.rows())) {
                statements.add(drop(table));
            }
        }
        statements.add(createAs(state.exposures(), true, exposures(plan, Optional.empty())));
        statements.addAll(statistics(state.exposures()));
        statements.add(createAs(state.units(), false, units(state)));
        statements.addAll(statistics(state.units()));
        if (plan.triggered()) {
            statements.addAll(dialect.unitsAsBuildSide(
                    List.of(createAs(state.triggers(), true, triggerParts(plan, state, Optional.empty())))));
            statements.addAll(statistics(state.triggers()));
        }
        for (SourcePass pass : plan.passes()) {
            List<TableName> created = new ArrayList<>();
            statements.addAll(passTables(plan, pass, state, Optional.empty(), (table, select, keeps) -> {
                created.add(table);
                return List.of(createAs(table, true, select));
            }));
            statements.addAll(statistics(created.toArray(TableName[]::new)));
        }
        return List.copyOf(statements);
    }

    /**
     * The planner's statistics of tables the rebuild has just created, before a statement reads them
     * ({@link Dialect#refreshStatistics}). A refresh that replaces days leaves the statistics of the last commit,
     * which still describe the state: it changes a few days of many.
     */
    private List<String> statistics(TableName... tables) {
        return dialect.refreshStatistics(java.util.Arrays.stream(tables).map(this::table).toList());
    }

    /**
     * The statements that replace the trigger's first rows of the days from {@code triggersFrom} on (rows from the
     * first exposure: the earliest changed unit's first exposure, without the CUPED lookback), then in every pass's
     * tables the parts of the days from the bounds' first day on. A unit's analysis start then changes only within
     * the trigger's days replaced, which the passes' days include. {@code lastDay}: the last day any state table
     * holds, see {@link Dialect#replaceStateDays}.
     */
    public List<String> replaceParts(ExperimentPlan plan, StateTables state, int triggersFrom, Bounds bounds,
                                     Optional<Integer> lastDay) {
        List<String> statements = new ArrayList<>();
        if (plan.triggered()) {
            statements.addAll(dialect.unitsAsBuildSide(replaceDays(state.triggers(), triggersFrom, lastDay,
                    triggerParts(plan, state, Optional.of(new Bounds(triggersFrom))))));
        }
        for (SourcePass pass : plan.passes()) {
            statements.addAll(passTables(plan, pass, state, Optional.of(bounds), (table, select, keeps) -> keeps
                    ? dialect.addStateDays(table(table), quote(DAY), bounds.fromDay(), lastDay, select)
                    : replaceDays(table, bounds.fromDay(), lastDay, select)));
        }
        return List.copyOf(statements);
    }

    /** The state's exposures from {@code fromDay} on (all when empty): per unit, day and group. */
    public String exposures(ExperimentPlan plan, Optional<Integer> fromDay) {
        AssignmentScan scan = plan.assignment();
        String src = SqlRenderer.SOURCE_ALIAS;
        String unit = column(src, scan.unitColumn());
        String timestamp = column(src, scan.timestampColumn());
        String group = dialect.castToText(column(src, scan.groupColumn()));
        String day = dialect.dayIndex(timestamp, plan.window().start());
        SqlWriter sql = new SqlWriter();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>(List.of(
                unit + " AS " + quote(SqlRenderer.UNIT),
                day + " AS " + quote(DAY),
                group + " AS " + quote(ResultColumns.GROUP),
                "MIN(" + timestamp + ") AS " + quote(FIRST_TS)));
        items.addAll(dimensions.exposureItems(plan, src, timestamp));
        sql.list(items);
        sql.dedent();
        base.from(sql, scan.relation());
        List<String> conditions = new ArrayList<>(assignmentConditions(plan));
        fromDay.ifPresent(k -> conditions.add(timestamp + " >= " + dialect.timestampLiteral(dayStart(plan, k))));
        scan.datePartition().ifPresent(column -> conditions.addAll(base.partitionDates(column,
                fromDay.map(k -> dayStart(plan, k)).orElse(plan.window().start()), plan.window().end())));
        SqlRenderer.where(sql, conditions);
        sql.line("GROUP BY " + unit + ", " + day + ", " + group);
        return sql.toString();
    }

    /**
     * The units whose first exposure differs between the state's units (what their rows were classified by) and its
     * exposures as this refresh left them — new units, units whose first exposure moved, units no longer exposed —
     * and the earliest day of their first exposures, old or new: one row with {@code n} and {@link #DAY} (NULL
     * when none changed). Every part from that day less the CUPED lookback on is computed again.
     *
     * <p>Only the units with an exposure on a day replaced ({@code fromDay} on), now or before, are compared: any other
     * unit's exposures are all on days the refresh kept, and its first exposure with them.
     */
    public String changedUnits(ExperimentPlan plan, StateTables state, int fromDay) {
        String now = "n";
        String before = "o";
        String unit = quote(SqlRenderer.UNIT);
        String first = quote(SqlRenderer.FIRST_EXPOSURE);
        String moved = "    WHERE " + column(before, SqlRenderer.UNIT) + " IS NULL OR " + column(now, SqlRenderer.UNIT)
                + " IS NULL OR " + column(before, SqlRenderer.FIRST_EXPOSURE) + " <> " + column(now, SqlRenderer.FIRST_EXPOSURE);
        String candidates = quote("pulse_candidates");
        String nowUnits = quote("pulse_now");
        String beforeUnits = quote("pulse_before");
        return "WITH " + candidates + " AS (\n"
                + "  SELECT " + unit + " FROM " + table(state.exposures()) + " WHERE " + quote(DAY) + " >= " + fromDay + "\n"
                + "  UNION\n"
                + "  SELECT " + unit + " FROM " + table(state.units()) + " WHERE " + first + " >= "
                + dialect.timestampLiteral(dayStart(plan, fromDay)) + "\n"
                + "), " + nowUnits + " AS (\n"
                + "  SELECT " + unit + ", MIN(" + quote(FIRST_TS) + ") AS " + first + " FROM " + table(state.exposures()) + "\n"
                + "  WHERE " + unit + " IN (SELECT " + unit + " FROM " + candidates + ")\n"
                + "  GROUP BY " + unit + "\n"
                + "), " + beforeUnits + " AS (\n"
                + "  SELECT " + unit + ", " + first + " FROM " + table(state.units()) + "\n"
                + "  WHERE " + unit + " IN (SELECT " + unit + " FROM " + candidates + ")\n"
                + ")\n"
                + "SELECT COUNT(DISTINCT " + unit + ") AS " + quote("n") + ", MIN("
                + dialect.dayIndex(first, plan.window().start()) + ") AS " + quote(DAY) + "\n"
                + "FROM (\n"
                + "  SELECT " + column(now, SqlRenderer.UNIT) + " AS " + unit + ", " + column(now, SqlRenderer.FIRST_EXPOSURE) + " AS " + first + "\n"
                + "  FROM " + nowUnits + " AS " + quote(now) + "\n"
                + "  LEFT JOIN " + beforeUnits + " AS " + quote(before) + " ON " + column(before, SqlRenderer.UNIT) + " = " + column(now, SqlRenderer.UNIT) + "\n"
                + moved + "\n"
                + "  UNION ALL\n"
                + "  SELECT " + column(before, SqlRenderer.UNIT) + ", " + column(before, SqlRenderer.FIRST_EXPOSURE) + "\n"
                + "  FROM " + beforeUnits + " AS " + quote(before) + "\n"
                + "  LEFT JOIN " + nowUnits + " AS " + quote(now) + " ON " + column(now, SqlRenderer.UNIT) + " = " + column(before, SqlRenderer.UNIT) + "\n"
                + moved + "\n"
                + ") AS " + quote("c");
    }

    /** Each exposed unit's first exposure, from the state's exposures. */
    public String units(StateTables state) {
        return "SELECT " + quote(SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT) + ", MIN(" + quote(FIRST_TS) + ") AS "
                + quote(SqlRenderer.FIRST_EXPOSURE) + "\nFROM " + table(state.exposures()) + "\nGROUP BY " + quote(SqlRenderer.UNIT);
    }

    /** Replaces the exposures of the days from {@code fromDay} on by the sources' ({@code lastDay}: as {@link #replaceParts}). */
    public List<String> replaceExposures(ExperimentPlan plan, StateTables state, int fromDay, Optional<Integer> lastDay) {
        return replaceDays(state.exposures(), fromDay, lastDay, exposures(plan, Optional.of(fromDay)));
    }

    /** Replaces the state's units with those of its exposures (after {@link #changedUnits} read the old ones). */
    public List<String> replaceUnits(StateTables state) {
        return dialect.replaceStateRows(table(state.units()), Optional.of(units(state)));
    }

    /** Replaces a table's rows of the days from {@code fromDay} on by {@code select}'s. */
    private List<String> replaceDays(TableName table, int fromDay, Optional<Integer> lastDay, String select) {
        return dialect.replaceStateDays(table(table), quote(DAY), fromDay, lastDay, select);
    }

    /**
     * Each exposed unit's first qualifying trigger row per day, from its first exposure to the end: of every day when
     * {@code refresh} is empty, else of its days.
     */
    String triggerParts(ExperimentPlan plan, StateTables state, Optional<Bounds> refresh) {
        String rows = ROWS;
        String timestamp = column(rows, SqlRenderer.ROW_TIMESTAMP);
        String day = dialect.dayIndex(timestamp, plan.window().start());
        SqlWriter sql = new SqlWriter();
        sql.line("WITH " + quote(SqlRenderer.UNITS) + " AS (").indent();
        sql.line("SELECT " + quote(SqlRenderer.UNIT) + ", " + quote(SqlRenderer.FIRST_EXPOSURE) + " FROM " + table(state.units()));
        sql.dedent().line(")");
        sql.line("SELECT").indent();
        sql.list(List.of(column(UNITS, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT), day + " AS " + quote(DAY),
                "MIN(" + timestamp + ") AS " + quote(FIRST_TS)));
        sql.dedent();
        sql.line("FROM (").indent();
        base.triggerRows(sql, plan, refresh.map(bounds -> dayStart(plan, bounds.fromDay())));
        sql.dedent().line(") AS " + quote(rows));
        sql.line("JOIN " + quote(SqlRenderer.UNITS) + " AS " + quote(UNITS));
        sql.indent();
        sql.line("ON " + column(rows, SqlRenderer.ROW_UNIT) + " = " + column(UNITS, SqlRenderer.UNIT));
        sql.line("AND " + timestamp + " >= " + column(UNITS, SqlRenderer.FIRST_EXPOSURE));
        plan.window().end().ifPresent(end -> sql.line("AND " + timestamp + " < " + dialect.timestampLiteral(end)));
        sql.dedent();
        sql.line("GROUP BY " + column(UNITS, SqlRenderer.UNIT) + ", " + day);
        return sql.toString();
    }

    /**
     * The pass's daily parts per unit and day: of every day when {@code refresh} is empty, else of its days. (Public
     * for the bench's floor: a refresh's scan of its days and nothing else.)
     */
    public String passParts(ExperimentPlan plan, SourcePass pass, StateTables state, Optional<Bounds> refresh) {
        return passParts(plan, pass, state, refresh, Optional.empty());
    }

    /** As {@link #passParts(ExperimentPlan, SourcePass, StateTables, Optional)}, from the staged rows when present. */
    private String passParts(ExperimentPlan plan, SourcePass pass, StateTables state, Optional<Bounds> refresh,
                             Optional<String> staged) {
        if (staged.isPresent()) {
            SqlWriter sql = new SqlWriter();
            sql.line("SELECT").indent();
            List<String> items = new ArrayList<>(List.of(quote(SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT),
                    quote(DAY) + " AS " + quote(DAY)));
            for (SqlRenderer.Input input : base.inputs(plan, pass, ROWS, UNITS)) {
                if (input.aggregate().function() != AggregateFunction.COUNT_DISTINCT) {
                    items.add(daily.dailyPart(input, quote(input.name()), quote(SqlRenderer.ROW_TIMESTAMP)) + " AS "
                            + quote(input.name()));
                }
            }
            sql.list(items);
            sql.dedent();
            sql.line("FROM " + staged.get());
            sql.line("GROUP BY " + quote(SqlRenderer.UNIT) + ", " + quote(DAY));
            return sql.toString();
        }
        String day = dialect.dayIndex(SqlRenderer.column(dialect, ROWS, SqlRenderer.ROW_TIMESTAMP), plan.window().start());
        SqlWriter sql = new SqlWriter();
        withUnits(sql, plan, state);
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(UNITS, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT));
        items.add(day + " AS " + quote(DAY));
        String timestamp = column(ROWS, SqlRenderer.ROW_TIMESTAMP);
        for (SqlRenderer.Input input : base.inputs(plan, pass, ROWS, UNITS)) {
            if (input.aggregate().function() != AggregateFunction.COUNT_DISTINCT) {
                items.add(daily.dailyPart(input, input.expression(), timestamp) + " AS " + quote(input.name()));
            }
        }
        sql.list(items);
        sql.dedent();
        joined(sql, plan, pass, refresh, List.of());
        sql.line("GROUP BY " + column(UNITS, SqlRenderer.UNIT) + ", " + day);
        return sql.toString();
    }

    /**
     * The (unit, first day, value) of a count-distinct input over the rows {@link #passParts} reads: each value a unit
     * counts once, on the first day it has it ({@link #DAY}), of every day when {@code refresh} is empty. For a refresh
     * only the pairs the state's table does not keep (see {@link #passTables}): the rows of the days before the
     * refresh's first day are those the kept pairs were computed from, so a pair with a row there keeps its first day,
     * and any other pair's first day is its least day among the rows read again.
     */
    String distinctParts(ExperimentPlan plan, SourcePass pass, SqlRenderer.Input input, StateTables state,
                                Optional<Bounds> refresh) {
        return distinctParts(plan, pass, input, state, refresh, Optional.empty());
    }

    private String distinctParts(ExperimentPlan plan, SourcePass pass, SqlRenderer.Input input, StateTables state,
                                 Optional<Bounds> refresh, Optional<String> staged) {
        SqlWriter sql = new SqlWriter();
        String fresh = "pulse_new_pairs";
        String select;
        if (staged.isPresent()) {
            select = "SELECT " + quote(SqlRenderer.UNIT) + ", MIN(" + quote(DAY) + ") AS " + quote(DAY) + ", "
                    + quote(input.name()) + " AS " + quote(VALUE) + "\nFROM " + staged.get() + "\nWHERE "
                    + quote(input.name()) + " IS NOT NULL\nGROUP BY " + quote(SqlRenderer.UNIT) + ", " + quote(input.name());
            if (refresh.isEmpty()) {
                return select;
            }
            sql.line("WITH " + quote(fresh) + " AS (").indent();
            select.lines().forEach(sql::line);
            sql.dedent().line(")");
        } else {
            String day = dialect.dayIndex(SqlRenderer.column(dialect, ROWS, SqlRenderer.ROW_TIMESTAMP), plan.window().start());
            withUnits(sql, plan, state);
            sql.line(", " + quote(fresh) + " AS (").indent();
            sql.line("SELECT").indent();
            sql.list(List.of(column(UNITS, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT),
                    "MIN(" + day + ") AS " + quote(DAY), input.expression() + " AS " + quote(VALUE)));
            sql.dedent();
            joined(sql, plan, pass, refresh, List.of(input.expression() + " IS NOT NULL"));
            sql.line("GROUP BY " + column(UNITS, SqlRenderer.UNIT) + ", " + input.expression());
            sql.dedent().line(")");
        }
        String kept = "k";
        sql.line("SELECT " + column("n", SqlRenderer.UNIT) + ", " + column("n", DAY) + ", " + column("n", VALUE));
        sql.line("FROM " + quote(fresh) + " AS " + quote("n"));
        if (refresh.isPresent()) {
            sql.line("WHERE NOT EXISTS (").indent();
            sql.line("SELECT 1 FROM " + table(state.distinct(input.aggregate(), isPre(input))) + " AS " + quote(kept));
            sql.line("WHERE " + column(kept, SqlRenderer.UNIT) + " = " + column("n", SqlRenderer.UNIT) + " AND "
                    + column(kept, VALUE) + " = " + column("n", VALUE));
            sql.dedent().line(")");
        }
        return sql.toString();
    }

    /**
     * The pass's rows of the refresh's days joined to their units, with each aggregate's input, as one temporary
     * table's SELECT: a pass with distinct counts writes several state tables from the same rows, and staging them
     * reads the source once.
     */
    private String stagedRows(ExperimentPlan plan, SourcePass pass, StateTables state, Optional<Bounds> refresh) {
        String timestamp = SqlRenderer.column(dialect, ROWS, SqlRenderer.ROW_TIMESTAMP);
        SqlWriter sql = new SqlWriter();
        withUnits(sql, plan, state);
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(UNITS, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT));
        items.add(dialect.dayIndex(timestamp, plan.window().start()) + " AS " + quote(DAY));
        items.add(timestamp + " AS " + quote(SqlRenderer.ROW_TIMESTAMP));
        for (SqlRenderer.Input input : base.inputs(plan, pass, ROWS, UNITS)) {
            items.add(input.expression() + " AS " + quote(input.name()));
        }
        sql.list(items);
        sql.dedent();
        joined(sql, plan, pass, refresh, List.of());
        return sql.toString();
    }

    /**
     * How a state table is written from a SELECT: {@code keeps} when the SELECT reads the rows the table keeps (a
     * distinct count's pairs held before the refresh's first day, see {@link #distinctParts}).
     */
    private interface Write {
        List<String> apply(TableName table, String select, boolean keeps);
    }

    /**
     * The statements that write a pass's state tables (each by {@code write}: its name and SELECT), from one scan of
     * its source when the pass has distinct counts and the engine stages rows ({@link Dialect#stageRows}). A refresh
     * first removes a distinct table's pairs from the refresh's first day on, then adds those of the rows read again
     * that it does not keep ({@link Dialect#addStateDays}).
     */
    private List<String> passTables(ExperimentPlan plan, SourcePass pass, StateTables state, Optional<Bounds> refresh,
                                    Write write) {
        List<SqlRenderer.Input> distinct = distinctInputs(plan, pass);
        Optional<Dialect.StagedRows> stage = distinct.isEmpty() ? Optional.empty()
                : dialect.stageRows("pulse_staged_pass" + pass.index(), stagedRows(plan, pass, state, refresh));
        Optional<String> staged = stage.map(Dialect.StagedRows::table);
        // the statements that join the source's rows to the units: the staging, else each table's own SELECT
        List<String> statements = new ArrayList<>(stage.map(staging -> dialect.unitsAsBuildSide(staging.statements()))
                .orElse(List.of()));
        List<String> parts = write.apply(state.pass(pass), passParts(plan, pass, state, refresh, staged), false);
        statements.addAll(staged.isPresent() ? parts : dialect.unitsAsBuildSide(parts));
        for (SqlRenderer.Input input : distinct) {
            List<String> pairs = write.apply(state.distinct(input.aggregate(), isPre(input)),
                    distinctParts(plan, pass, input, state, refresh, staged), true);
            statements.addAll(staged.isPresent() ? pairs : dialect.unitsAsBuildSide(pairs));
        }
        staged.ifPresent(table -> statements.add("DROP TABLE IF EXISTS " + table));
        return statements;
    }

    /** The count-distinct inputs of a pass, each with its own state table. */
    List<SqlRenderer.Input> distinctInputs(ExperimentPlan plan, SourcePass pass) {
        return base.inputs(plan, pass, ROWS, UNITS).stream()
                .filter(input -> input.aggregate().function() == AggregateFunction.COUNT_DISTINCT)
                .toList();
    }

    /** Whether the input is an aggregate's CUPED pre-period. */
    static boolean isPre(SqlRenderer.Input input) {
        return !input.name().equals(SqlRenderer.aggregateName(input.aggregate()));
    }

    /**
     * The last day the state holds for every source, {@link #DAY}: the least of the exposures' and each pass's latest
     * day, so that a source whose rows lag is read again from its own last day; and the greatest, {@link #LAST_DAY}.
     * NULL for an empty state.
     */
    public String watermark(ExperimentPlan plan, StateTables state) {
        List<String> latest = new ArrayList<>();
        latest.add("SELECT MAX(" + quote(DAY) + ") AS " + quote("latest") + " FROM " + table(state.exposures()));
        for (SourcePass pass : plan.passes()) {
            latest.add("SELECT MAX(" + quote(DAY) + ") FROM " + table(state.pass(pass)));
        }
        if (plan.triggered()) {
            latest.add("SELECT MAX(" + quote(DAY) + ") FROM " + table(state.triggers()));
        }
        return "SELECT MIN(" + quote("latest") + ") AS " + quote(DAY) + ", MAX(" + quote("latest") + ") AS "
                + quote(LAST_DAY) + "\nFROM (\n" + String.join("\nUNION ALL\n", latest)
                + "\n) AS " + quote("w");
    }

    /**
     * A source's rows per day in the experiment's dates (the assignment source's of this experiment), as the
     * refresh records them, so that a later refresh notices rows that changed in days it does not read again.
     * Reads only the timestamp column; for a source with a {@code date_partition}, counts per partition date instead;
     * for Parquet files where the engine reads their footers by SQL (DuckDB), each file's rows and least timestamp
     * from the footers alone ({@link Dialect#parquetFileRows}), no row read: a new, changed or removed file then
     * counts as a change on its first day.
     *
     * @param source  the key the counts are kept under: {@code assignment}, {@code pass<i>} or {@code trigger}
     * @param slack   how many days before a changed count's day the refresh must read again: 1 for partition dates
     *                (a row's partition date may be a day off its UTC day), else 0
     * @param perFile whether the query returns a {@code file} column, each file's counts kept under its own key
     */
    public record RowCount(String source, String sql, int slack, boolean perFile) {}

    /** The row counts of every source the state reads. */
    public List<RowCount> rowCounts(ExperimentPlan plan) {
        List<RowCount> counts = new ArrayList<>();
        AssignmentScan scan = plan.assignment();
        counts.add(footers("assignment", plan, scan.relation(), scan.timestampColumn(), plan.window().start())
                .or(() -> scan.datePartition()
                        .map(column -> partitionCount("assignment", plan, scan.relation(), column, plan.window().start())))
                .orElseGet(() -> new RowCount("assignment", rowCount(plan, scan.relation(), scan.timestampColumn(),
                        assignmentConditions(plan)), 0, false)));
        Instant passesFrom = SqlRenderer.scanStart(plan, plan.cuped().isPresent());
        for (SourcePass pass : plan.passes()) {
            String key = "pass" + pass.index();
            counts.add(footers(key, plan, pass.relation(), pass.timestampColumn(), passesFrom)
                    .or(() -> pass.datePartition()
                            .map(column -> partitionCount(key, plan, pass.relation(), column, passesFrom)))
                    .orElseGet(() -> new RowCount(key, rowCount(plan, pass.relation(), pass.timestampColumn(),
                            base.inDates(plan, pass.timestampColumn(), plan.cuped().isPresent())), 0, false)));
        }
        plan.trigger().ifPresent(trigger -> counts.add(
                footers("trigger", plan, trigger.relation(), trigger.timestampColumn(), plan.window().start())
                        .orElseGet(() -> new RowCount("trigger", rowCount(plan, trigger.relation(),
                                trigger.timestampColumn(), base.inDates(plan, trigger.timestampColumn(), false)), 0, false))));
        return List.copyOf(counts);
    }

    // a source's rows per partition date, in the partitions its scans read (the whole partitions)
    private RowCount partitionCount(String key, ExperimentPlan plan, dev.pulse.model.Relation relation, String column,
                                    Instant from) {
        return new RowCount(key, rowCount(plan, relation, column,
                base.partitionDates(column, from, plan.window().end())), 1, false);
    }

    // a Parquet source's rows per file from its footers, each file on the day of its least timestamp (a file without
    // statistics on the first day the scans read, so that a change to it reads every day again)
    private Optional<RowCount> footers(String key, ExperimentPlan plan, dev.pulse.model.Relation relation,
                                       String timestampColumn, Instant from) {
        if (!(relation instanceof dev.pulse.model.Relation.Files files)) {
            return Optional.empty();
        }
        long lowest = Duration.between(plan.window().start(), from).toDays();
        return dialect.parquetFileRows(files, timestampColumn).map(footers -> new RowCount(key,
                "SELECT " + quote("file") + ", COALESCE(" + dialect.dayIndex(quote("first_ts"), plan.window().start())
                        + ", " + lowest + ") AS " + quote(DAY) + ", " + quote("n") + "\nFROM (" + footers + ") AS "
                        + quote("f"), 0, true));
    }

    private String rowCount(ExperimentPlan plan, dev.pulse.model.Relation relation, String timestampColumn,
                            List<String> conditions) {
        String day = dialect.dayIndex(column(SqlRenderer.SOURCE_ALIAS, timestampColumn), plan.window().start());
        SqlWriter sql = new SqlWriter();
        sql.line("SELECT " + day + " AS " + quote(DAY) + ", COUNT(*) AS " + quote("n"));
        base.from(sql, relation);
        SqlRenderer.where(sql, conditions);
        sql.line("GROUP BY " + day);
        return sql.toString();
    }

    /**
     * {@code CREATE TABLE IF NOT EXISTS} of the state's metadata ({@link #META_COLUMNS}): the config's fingerprint, the
     * watermark, the last day held, and whether the state is complete.
     */
    public String createMeta(StateTables state) {
        String bigint = dialect.columnType(TableStatements.ColumnType.BIGINT);
        return "CREATE TABLE IF NOT EXISTS " + table(state.meta()) + " (" + quote("fingerprint") + " "
                + dialect.columnType(TableStatements.ColumnType.TEXT) + ", " + quote(DAY) + " " + bigint + ", "
                + quote(LAST_DAY) + " " + bigint + ", " + quote(COMPLETE) + " " + bigint + ")" + storage(false);
    }

    /** {@code CREATE TABLE IF NOT EXISTS} of the state's row counts per source and day. */
    public String createRows(StateTables state) {
        return "CREATE TABLE IF NOT EXISTS " + table(state.rows()) + " (" + quote("source") + " "
                + dialect.columnType(TableStatements.ColumnType.TEXT) + ", " + quote(DAY) + " "
                + dialect.columnType(TableStatements.ColumnType.BIGINT) + ", " + quote("n") + " "
                + dialect.columnType(TableStatements.ColumnType.BIGINT) + ")" + storage(false);
    }

    /** The table's rows: {@code SELECT * FROM table}. */
    public String selectAll(TableName table) {
        return "SELECT * FROM " + table(table);
    }

    /**
     * The statements that replace every row of a small table (the meta or row counts) by {@code rows}, their values
     * bound as parameters ({@link Dialect#parameter}), in statements of at most 1,000 rows.
     */
    public List<BoundStatement> replaceRows(TableName table, List<List<Object>> rows) {
        int chunk = 1_000;
        List<BoundStatement> statements = new ArrayList<>();
        List<String> replace = dialect.replaceStateRows(table(table),
                rows.isEmpty() ? Optional.empty() : Optional.of(values(rows.subList(0, Math.min(chunk, rows.size())))));
        for (int i = 0; i < replace.size(); i++) {
            boolean last = i == replace.size() - 1 && !rows.isEmpty();
            statements.add(new BoundStatement(replace.get(i), last ? flat(rows.subList(0, Math.min(chunk, rows.size())))
                    : List.of()));
        }
        for (int from = chunk; from < rows.size(); from += chunk) {
            List<List<Object>> part = rows.subList(from, Math.min(from + chunk, rows.size()));
            statements.add(new BoundStatement("INSERT INTO " + table(table) + "\n" + values(part), flat(part)));
        }
        return List.copyOf(statements);
    }

    // VALUES (p0, p1, …), (…): one parameter marker per value
    private String values(List<List<Object>> rows) {
        List<String> tuples = new ArrayList<>();
        int index = 0;
        for (List<Object> row : rows) {
            List<String> markers = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                markers.add(dialect.parameter(index++));
            }
            tuples.add("(" + String.join(", ", markers) + ")");
        }
        return "VALUES " + String.join(", ", tuples);
    }

    private static List<Object> flat(List<List<Object>> rows) {
        List<Object> values = new ArrayList<>();
        rows.forEach(values::addAll);
        return values;
    }

    /** {@code CREATE TABLE table AS select}, partitioned by day where the engine partitions when {@code days}. */
    String createAs(TableName table, boolean days, String select) {
        return "CREATE TABLE " + table(table) + storage(days) + " AS\n" + select;
    }

    // what follows a state table's name (and column list), with a leading space; nothing on DuckDB and PostgreSQL
    private String storage(boolean days) {
        String storage = dialect.stateTableStorage(days ? Optional.of(quote(DAY)) : Optional.empty());
        return storage.isEmpty() ? "" : " " + storage;
    }

    /** {@code DROP TABLE IF EXISTS table}. */
    public String drop(TableName table) {
        return "DROP TABLE IF EXISTS " + table(table);
    }

    /**
     * What one refresh reads again: every part of the days from {@code fromDay} on (days since the start; before it
     * for a CUPED pre-period), from a scan of those days only.
     */
    public record Bounds(int fromDay) {}

    /** The midnight {@code day} days after the experiment's start (before it when negative). */
    public static Instant dayStart(ExperimentPlan plan, int day) {
        return plan.window().start().plus(Duration.ofDays(day));
    }

    // the state's first qualifying rows as the experiment's triggers CTE: SqlRenderer.triggers' columns
    void triggersFromState(SqlWriter sql, StateTables state) {
        String exposures = SqlRenderer.EXPOSURES;
        String first = "t";
        sql.line(quote(SqlRenderer.TRIGGERS) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(List.of(column(exposures, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT),
                "MIN(" + column(first, FIRST_TS) + ") AS " + quote(SqlRenderer.TRIGGERED_AT)));
        sql.dedent();
        sql.line("FROM " + quote(exposures));
        sql.line("JOIN " + table(state.triggers()) + " AS " + quote(first));
        sql.indent().line("ON " + column(first, SqlRenderer.UNIT) + " = " + column(exposures, SqlRenderer.UNIT)).dedent();
        sql.line("WHERE " + column(exposures, SqlRenderer.GROUPS_SEEN) + " = 1");
        sql.line("GROUP BY " + column(exposures, SqlRenderer.UNIT));
        sql.dedent().line("),");
    }

    // the state's exposures as the experiment's exposures CTE: the same columns as SqlRenderer.exposures
    void exposuresFromState(SqlWriter sql, ExperimentPlan plan, StateTables state) {
        sql.line(quote(SqlRenderer.EXPOSURES) + " AS (").indent();
        sql.line("SELECT").indent();
        String first = quote(FIRST_TS);
        List<String> items = new ArrayList<>(List.of(
                quote(SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT),
                "MIN(" + first + ") AS " + quote(SqlRenderer.FIRST_EXPOSURE),
                "MIN(" + quote(ResultColumns.GROUP) + ") AS " + quote(ResultColumns.GROUP),
                "COUNT(DISTINCT " + quote(ResultColumns.GROUP) + ") AS " + quote(SqlRenderer.GROUPS_SEEN)));
        for (int i = 0; i < plan.dimensions().columns().size(); i++) {
            String dimension = quote(DimensionSql.column(i));
            items.add(dialect.valueAtMinimum(dimension, first) + " AS " + dimension);
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + table(state.exposures()));
        sql.line("GROUP BY " + quote(SqlRenderer.UNIT));
        sql.dedent().line("),");
    }

    // the pass's daily CTE (DailySql's columns) from its state tables: a distinct count's daily part counts the
    // values on their first day for the unit (the day its state table holds), so that the days sum to the distinct count
    void dailyFromState(SqlWriter sql, ExperimentPlan plan, SourcePass pass, StateTables state) {
        String parts = "s";
        sql.line(quote(DailySql.dailyName(pass)) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(parts, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT));
        items.add(column(parts, DAY) + " AS " + quote(DAY));
        List<SqlRenderer.Input> distinct = distinctInputs(plan, pass);
        for (SqlRenderer.Input input : base.inputs(plan, pass, ROWS, UNITS)) {
            int index = distinct.indexOf(input);
            items.add((index < 0 ? column(parts, input.name()) : "COALESCE(" + column("d" + index, "n") + ", 0)")
                    + " AS " + quote(input.name()));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + table(state.pass(pass)) + " AS " + quote(parts));
        for (int i = 0; i < distinct.size(); i++) {
            SqlRenderer.Input input = distinct.get(i);
            String alias = "d" + i;
            sql.line("LEFT JOIN (").indent();
            sql.line("SELECT " + quote(SqlRenderer.UNIT) + ", " + quote(DAY) + ", COUNT(*) AS " + quote("n"));
            sql.line("FROM " + table(state.distinct(input.aggregate(), isPre(input))));
            sql.line("GROUP BY " + quote(SqlRenderer.UNIT) + ", " + quote(DAY));
            sql.dedent().line(") AS " + quote(alias));
            sql.indent().line("ON " + column(alias, SqlRenderer.UNIT) + " = " + column(parts, SqlRenderer.UNIT)
                    + " AND " + column(alias, DAY) + " = " + column(parts, DAY)).dedent();
        }
        sql.dedent().line("),");
    }

    // without daily results, the pass's per-unit CTE (DailySql.unitPass's columns) straight from its state tables: each
    // unit's parts over its days as unitPass over dailyFromState gives them, and a distinct count as the unit's pairs
    // counted (each pair's first day is a day of the unit's parts, so summing the per-day counts over those days counts
    // every pair), without the per-(unit, day) counts and their join
    void unitPassFromState(SqlWriter sql, ExperimentPlan plan, SourcePass pass, StateTables state) {
        String parts = "s";
        List<SqlRenderer.Input> distinct = distinctInputs(plan, pass);
        List<SqlRenderer.Input> inputs = base.inputs(plan, pass, ROWS, UNITS);
        sql.line(quote(SqlRenderer.passName(pass)) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        List<String> sums = new ArrayList<>();
        items.add(column(parts, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT));
        sums.add(quote(SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT));
        for (SqlRenderer.Input input : inputs) {
            int index = distinct.indexOf(input);
            items.add((index < 0 ? column(parts, input.name()) : "COALESCE(" + column("d" + index, "n") + ", 0)")
                    + " AS " + quote(input.name()));
            if (index < 0) {
                sums.add(daily.unitAggregate(input) + " AS " + quote(input.name()));
            }
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM (").indent();
        sql.line("SELECT").indent();
        sql.list(sums);
        sql.dedent();
        sql.line("FROM " + table(state.pass(pass)));
        sql.line("GROUP BY " + quote(SqlRenderer.UNIT));
        sql.dedent().line(") AS " + quote(parts));
        for (int i = 0; i < distinct.size(); i++) {
            SqlRenderer.Input input = distinct.get(i);
            String alias = "d" + i;
            sql.line("LEFT JOIN (").indent();
            sql.line("SELECT " + quote(SqlRenderer.UNIT) + ", COUNT(*) AS " + quote("n"));
            sql.line("FROM " + table(state.distinct(input.aggregate(), isPre(input))));
            sql.line("GROUP BY " + quote(SqlRenderer.UNIT));
            sql.dedent().line(") AS " + quote(alias));
            sql.indent().line("ON " + column(alias, SqlRenderer.UNIT) + " = " + column(parts, SqlRenderer.UNIT)).dedent();
        }
        sql.dedent().line("),");
    }

    // every exposed unit with the first exposure its rows are classified by (and under a trigger its analysis
    // start, its first qualifying row), as the CTE the pass's joins read
    private void withUnits(SqlWriter sql, ExperimentPlan plan, StateTables state) {
        sql.line("WITH " + quote(SqlRenderer.UNITS) + " AS (").indent();
        if (!plan.triggered()) {
            sql.line("SELECT " + quote(SqlRenderer.UNIT) + ", " + quote(SqlRenderer.FIRST_EXPOSURE) + " FROM " + table(state.units()));
        } else {
            String starts = "t";
            sql.line("SELECT " + column("s", SqlRenderer.UNIT) + ", " + column("s", SqlRenderer.FIRST_EXPOSURE) + ", "
                    + column(starts, SqlRenderer.ANALYSIS_START));
            sql.line("FROM " + table(state.units()) + " AS " + quote("s"));
            sql.line("LEFT JOIN (SELECT " + quote(SqlRenderer.UNIT) + ", MIN(" + quote(FIRST_TS) + ") AS "
                    + quote(SqlRenderer.ANALYSIS_START) + " FROM " + table(state.triggers()) + " GROUP BY "
                    + quote(SqlRenderer.UNIT) + ") AS " + quote(starts));
            sql.indent().line("ON " + column(starts, SqlRenderer.UNIT) + " = " + column("s", SqlRenderer.UNIT)).dedent();
        }
        sql.dedent().line(")");
    }

    // the pass's rows joined to their units (SqlRenderer.joinedRows), from the refresh's first day when it has one
    private void joined(SqlWriter sql, ExperimentPlan plan, SourcePass pass, Optional<Bounds> refresh, List<String> conditions) {
        base.joinedRows(sql, plan, pass, ROWS, UNITS, refresh.map(bounds -> dayStart(plan, bounds.fromDay())));
        SqlRenderer.where(sql, conditions);
    }

    private List<String> assignmentConditions(ExperimentPlan plan) {
        AssignmentScan scan = plan.assignment();
        String src = SqlRenderer.SOURCE_ALIAS;
        String timestamp = column(src, scan.timestampColumn());
        List<String> conditions = new ArrayList<>();
        conditions.add(column(src, scan.experimentColumn()) + " = " + dialect.stringLiteral(plan.experiment().value()));
        conditions.add(column(src, scan.unitColumn()) + " IS NOT NULL");
        conditions.add(column(src, scan.groupColumn()) + " IS NOT NULL");
        conditions.add(timestamp + " >= " + dialect.timestampLiteral(plan.window().start()));
        plan.window().end().ifPresent(end -> conditions.add(timestamp + " < " + dialect.timestampLiteral(end)));
        return conditions;
    }

    private String table(TableName table) {
        return dialect.tableName(table.parts());
    }

    private String column(String table, String column) {
        return SqlRenderer.column(dialect, table, column);
    }

    private String quote(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }
}
