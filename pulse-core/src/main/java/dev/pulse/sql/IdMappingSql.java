package dev.pulse.sql;

import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.MappingScan;
import dev.pulse.plan.SourcePass;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * ID resolution (docs/id-resolution.md): the CTEs that turn a mapping source into one counted unit per
 * ID, and the counts of what the mapping leaves out. The ID map is built once, before the source
 * passes, with at most one row per ID, so a mapped pass that joins rows → map → units never multiplies
 * a row.
 *
 * <p>The rules, all in SQL: a link is a distinct (unit, ID) pair of the mapping source with both IDs
 * present and a timestamp before the experiment's end (no lower bound: a link is an identity, not an
 * event). Only links to counted units take part. An ID linked to counted units of more than one group
 * is conflicting: its rows are excluded and counted. Otherwise the ID belongs to the unit exposed
 * first among its linked units (ties: the smallest unit ID as text, in code point order on every engine:
 * {@code d10} before {@code d9}, {@code 10} before {@code 9}), so a person with several devices in one group
 * counts once.
 */
final class IdMappingSql {
    static final String LINKS = "pulse_id_links";
    static final String CANDIDATES = "pulse_id_candidates";
    static final String MAP = "pulse_id_map";
    static final String ID = "pulse_id";
    static final String CONFLICTING = "pulse_conflicting";
    static final String UNMAPPED_ROWS = "pulse_unmapped_rows";
    static final String CONFLICTING_ROWS = "pulse_conflicting_rows";
    private static final String RANK = "pulse_rank";
    private static final String MIN_GROUP = "pulse_min_group";
    private static final String MAX_GROUP = "pulse_max_group";
    private static final String ID_ROWS = "pulse_id_rows";
    private static final String ID_EXCLUSIONS = "pulse_id_exclusions";

    private final Dialect dialect;

    IdMappingSql(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect);
    }

    /** {@code id_links}, {@code id_candidates} and {@code id_map}: one row per ID, its unit or a conflict. */
    void map(SqlWriter sql, ExperimentPlan plan, SqlRenderer base) {
        MappingScan scan = plan.idMapping().orElseThrow();
        String unit = column(SqlRenderer.SOURCE_ALIAS, scan.unitColumn());
        String id = column(SqlRenderer.SOURCE_ALIAS, scan.idColumn());
        sql.line(quote(LINKS) + " AS (").indent();
        sql.line("SELECT DISTINCT").indent();
        sql.list(List.of(unit + " AS " + quote(SqlRenderer.UNIT), id + " AS " + quote(ID)));
        sql.dedent();
        base.from(sql, scan.relation());
        sql.line("WHERE " + unit + " IS NOT NULL").indent();
        sql.line("AND " + id + " IS NOT NULL");
        plan.window().end().ifPresent(end -> sql.line("AND " + column(SqlRenderer.SOURCE_ALIAS, scan.timestampColumn())
                + " < " + dialect.timestampLiteral(end)));
        sql.dedent();
        sql.dedent().line("),");

        String links = "l";
        String units = "u";
        String byId = " OVER (PARTITION BY " + column(links, ID);
        String group = column(units, ResultColumns.GROUP);
        sql.line(quote(CANDIDATES) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(List.of(
                column(links, ID) + " AS " + quote(ID),
                column(units, SqlRenderer.UNIT) + " AS " + quote(SqlRenderer.UNIT),
                "ROW_NUMBER()" + byId + " ORDER BY " + column(units, SqlRenderer.FIRST_EXPOSURE) + ", "
                        + dialect.codePointOrder(dialect.castToText(column(units, SqlRenderer.UNIT))) + ") AS "
                        + quote(RANK),
                "MIN(" + group + ")" + byId + ") AS " + quote(MIN_GROUP),
                "MAX(" + group + ")" + byId + ") AS " + quote(MAX_GROUP)));
        sql.dedent();
        sql.line("FROM " + quote(LINKS) + " AS " + quote(links));
        sql.line("JOIN " + quote(SqlRenderer.UNITS) + " AS " + quote(units));
        sql.indent().line("ON " + column(units, SqlRenderer.UNIT) + " = " + column(links, SqlRenderer.UNIT)).dedent();
        sql.dedent().line("),");

        String agree = quote(MIN_GROUP) + " = " + quote(MAX_GROUP);
        sql.line(quote(MAP) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(List.of(
                quote(ID),
                "CASE WHEN " + agree + " THEN " + quote(SqlRenderer.UNIT) + " END AS " + quote(SqlRenderer.UNIT),
                "CASE WHEN " + agree + " THEN 0 ELSE 1 END AS " + quote(CONFLICTING)));
        sql.dedent();
        sql.line("FROM " + quote(CANDIDATES));
        sql.line("WHERE " + quote(RANK) + " = 1");
        sql.dedent().line("),");
    }

    /** A row flag of a mapped pass: its column name and when a row has it. */
    record RowFlag(String name, String condition) {}

    /**
     * The row flags of a mapped pass, over the rows inside the experiment's dates: rows whose ID has no
     * link to a counted unit, and rows whose ID is conflicting. Counted per unit, they land in the
     * pass's row with a NULL unit, which no unit joins.
     */
    List<RowFlag> rowFlags(ExperimentPlan plan, String rows, String map) {
        String inDates = column(rows, SqlRenderer.ROW_TIMESTAMP) + " >= " + dialect.timestampLiteral(plan.window().start());
        return List.of(
                new RowFlag(UNMAPPED_ROWS, column(rows, SqlRenderer.ROW_UNIT) + " IS NOT NULL AND " + column(map, ID)
                        + " IS NULL AND " + inDates),
                new RowFlag(CONFLICTING_ROWS, column(map, CONFLICTING) + " = 1 AND " + inDates));
    }

    /** The row-count items of a mapped pass: {@link #rowFlags} counted. */
    List<String> rowCounts(ExperimentPlan plan, String rows, String map) {
        return rowFlags(plan, rows, map).stream()
                .map(flag -> "COUNT(CASE WHEN " + flag.condition() + " THEN 1 END) AS " + quote(flag.name()))
                .toList();
    }

    /** {@code id_rows} (the mapped passes' row counts) and {@code id_exclusions} (one row of counts). */
    void exclusions(SqlWriter sql, ExperimentPlan plan, List<String> passNames) {
        List<SourcePass> mapped = plan.passes().stream().filter(SourcePass::mapped).toList();
        if (!mapped.isEmpty()) {
            sql.line(quote(ID_ROWS) + " AS (").indent();
            for (int i = 0; i < mapped.size(); i++) {
                if (i > 0) {
                    sql.line("UNION ALL");
                }
                sql.line("SELECT " + quote(UNMAPPED_ROWS) + ", " + quote(CONFLICTING_ROWS));
                sql.line("FROM " + quote(passNames.get(mapped.get(i).index())));
                sql.line("WHERE " + quote(SqlRenderer.UNIT) + " IS NULL");
            }
            sql.dedent().line("),");
        }
        List<String> items = new ArrayList<>();
        items.add("(SELECT COUNT(*) FROM " + quote(MAP) + " WHERE " + quote(CONFLICTING) + " = 1) AS "
                + quote(ResultColumns.EXCLUDED_CONFLICTING_IDS));
        items.add(rowSum(mapped, CONFLICTING_ROWS) + " AS " + quote(ResultColumns.EXCLUDED_CONFLICTING_ROWS));
        items.add(rowSum(mapped, UNMAPPED_ROWS) + " AS " + quote(ResultColumns.EXCLUDED_UNMAPPED_ROWS));
        items.add("(SELECT COUNT(*) FROM " + quote(SqlRenderer.UNITS) + " WHERE " + quote(SqlRenderer.UNIT)
                + " NOT IN (SELECT " + quote(SqlRenderer.UNIT) + " FROM " + quote(MAP) + " WHERE "
                + quote(SqlRenderer.UNIT) + " IS NOT NULL)) AS " + quote(ResultColumns.UNITS_WITHOUT_IDS));
        sql.line(quote(ID_EXCLUSIONS) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(items);
        sql.dedent();
        sql.dedent().line("),");
    }

    /** The final SELECT's columns of {@code id_exclusions}. */
    List<String> resultItems() {
        return List.of(ResultColumns.EXCLUDED_CONFLICTING_IDS, ResultColumns.EXCLUDED_CONFLICTING_ROWS,
                        ResultColumns.EXCLUDED_UNMAPPED_ROWS, ResultColumns.UNITS_WITHOUT_IDS).stream()
                .map(name -> column(ID_EXCLUSIONS, name)).toList();
    }

    /** The CROSS JOIN that brings {@code id_exclusions} into the final SELECT. */
    String crossJoin() {
        return "CROSS JOIN " + quote(ID_EXCLUSIONS);
    }

    private String rowSum(List<SourcePass> mapped, String column) {
        if (mapped.isEmpty()) {
            return "0";
        }
        return "(SELECT COALESCE(SUM(" + quote(column) + "), 0) FROM " + quote(ID_ROWS) + ")";
    }

    private String column(String table, String column) {
        return quote(table) + "." + quote(column);
    }

    private String quote(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }
}
