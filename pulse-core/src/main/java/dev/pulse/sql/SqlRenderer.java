package dev.pulse.sql;

import dev.pulse.model.Relation;
import dev.pulse.plan.AggregateColumn;
import dev.pulse.plan.AssignmentScan;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.MetricColumns;
import dev.pulse.plan.RowExpression;
import dev.pulse.plan.SourcePass;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Renders an {@link ExperimentPlan} as one statement in one {@link Dialect} (DESIGN §4). Every
 * identifier Pulse writes goes through {@link Dialect#quoteIdentifier}; user SQL (queries, values,
 * filters) is only ever wrapped in parentheses, and user expressions are evaluated in a subquery over
 * the source alone so that they see only the source's own columns.
 */
public final class SqlRenderer {

    private static final String SOURCE_ALIAS = "src";
    private static final String UNIT = "unit_id";
    private static final String ROW_UNIT = "pulse_unit_id";
    private static final String ROW_TIMESTAMP = "pulse_ts";
    private static final String FIRST_EXPOSURE = "first_exposure";
    private static final String GROUPS_SEEN = "groups_seen";
    private static final String EXPOSURES = "exposures";
    private static final String UNITS = "units";
    private static final String UNIT_VALUES = "unit_values";
    private static final String MOMENTS = "moments";
    private static final String EXCLUSIONS = "exclusions";

    private final Dialect dialect;

    private SqlRenderer(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect);
    }

    /** The renderer for {@code dialect}. */
    public static SqlRenderer of(Dialect dialect) {
        return new SqlRenderer(dialect);
    }

    /** The experiment's one statement; its result columns are named by {@link ResultColumns}. */
    public String render(ExperimentPlan plan) {
        SqlWriter sql = new SqlWriter();
        sql.line("WITH");
        exposures(sql, plan);
        units(sql, plan);
        for (SourcePass pass : plan.passes()) {
            pass(sql, plan, pass);
        }
        unitValues(sql, plan);
        moments(sql, plan);
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

    private void exposures(SqlWriter sql, ExperimentPlan plan) {
        AssignmentScan scan = plan.assignment();
        String unit = column(SOURCE_ALIAS, scan.unitColumn());
        String timestamp = column(SOURCE_ALIAS, scan.timestampColumn());
        String group = dialect.castToText(column(SOURCE_ALIAS, scan.groupColumn()));
        sql.line(quote(EXPOSURES) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(List.of(
                unit + " AS " + quote(UNIT),
                "MIN(" + timestamp + ") AS " + quote(FIRST_EXPOSURE),
                "MIN(" + group + ") AS " + quote(ResultColumns.GROUP),
                "COUNT(DISTINCT " + group + ") AS " + quote(GROUPS_SEEN)));
        sql.dedent();
        from(sql, scan.relation());
        sql.line("WHERE " + column(SOURCE_ALIAS, scan.experimentColumn()) + " = "
                + dialect.stringLiteral(plan.experiment().value())).indent();
        sql.line("AND " + unit + " IS NOT NULL");
        sql.line("AND " + column(SOURCE_ALIAS, scan.groupColumn()) + " IS NOT NULL");
        sql.line("AND " + timestamp + " >= " + dialect.timestampLiteral(plan.window().start()));
        plan.window().end().ifPresent(end -> sql.line("AND " + timestamp + " < " + dialect.timestampLiteral(end)));
        sql.dedent();
        sql.line("GROUP BY " + unit);
        sql.dedent().line("),");
    }

    private void units(SqlWriter sql, ExperimentPlan plan) {
        sql.line(quote(UNITS) + " AS (").indent();
        sql.line("SELECT").indent();
        sql.list(List.of(
                column(EXPOSURES, UNIT) + " AS " + quote(UNIT),
                column(EXPOSURES, ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP),
                column(EXPOSURES, FIRST_EXPOSURE) + " AS " + quote(FIRST_EXPOSURE)));
        sql.dedent();
        sql.line("FROM " + quote(EXPOSURES));
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
        for (AggregateColumn aggregate : pass.aggregates()) {
            items.add(aggregate(aggregate, column(rows, expressionName(aggregate.expression())))
                    + " AS " + quote(aggregateName(aggregate.id())));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(UNITS) + " AS " + quote(units));
        sql.line("JOIN (").indent();
        sql.line("SELECT").indent();
        items = new ArrayList<>();
        items.add(column(SOURCE_ALIAS, pass.unitColumn()) + " AS " + quote(ROW_UNIT));
        items.add(column(SOURCE_ALIAS, pass.timestampColumn()) + " AS " + quote(ROW_TIMESTAMP));
        for (int i = 0; i < pass.expressions().size(); i++) {
            items.add(rowExpression(pass.expressions().get(i)) + " AS " + quote(expressionName(i)));
        }
        sql.list(items);
        sql.dedent();
        from(sql, pass.relation());
        sql.dedent().line(") AS " + quote(rows));
        sql.indent();
        sql.line("ON " + column(rows, ROW_UNIT) + " = " + column(units, UNIT));
        sql.line("AND " + column(rows, ROW_TIMESTAMP) + " >= " + column(units, FIRST_EXPOSURE));
        plan.window().end().ifPresent(end ->
                sql.line("AND " + column(rows, ROW_TIMESTAMP) + " < " + dialect.timestampLiteral(end)));
        sql.dedent();
        sql.line("GROUP BY " + column(units, UNIT));
        sql.dedent().line("),");
    }

    private void unitValues(SqlWriter sql, ExperimentPlan plan) {
        String units = "u";
        sql.line(quote(UNIT_VALUES) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(units, ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP));
        for (SourcePass pass : plan.passes()) {
            for (AggregateColumn aggregate : pass.aggregates()) {
                items.add(dialect.castToDouble("COALESCE(" + column(passAlias(pass), aggregateName(aggregate.id())) + ", 0)")
                        + " AS " + quote(valueName(aggregate.id())));
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

    private void moments(SqlWriter sql, ExperimentPlan plan) {
        sql.line(quote(MOMENTS) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(quote(ResultColumns.GROUP) + " AS " + quote(ResultColumns.GROUP));
        items.add("COUNT(*) AS " + quote(ResultColumns.UNITS));
        for (int i = 0; i < plan.metrics().size(); i++) {
            MetricColumns metric = plan.metrics().get(i);
            String x = quote(valueName(metric.x()));
            items.add("AVG(" + x + ") AS " + quote(ResultColumns.meanX(i)));
            items.add("VAR_SAMP(" + x + ") AS " + quote(ResultColumns.varX(i)));
            if (metric.y().isPresent()) {
                String y = quote(valueName(metric.y().getAsInt()));
                items.add("AVG(" + y + ") AS " + quote(ResultColumns.meanY(i)));
                items.add("VAR_SAMP(" + y + ") AS " + quote(ResultColumns.varY(i)));
                items.add("COVAR_SAMP(" + x + ", " + y + ") AS " + quote(ResultColumns.covXY(i)));
            }
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(UNIT_VALUES));
        sql.line("GROUP BY " + quote(ResultColumns.GROUP));
        sql.dedent().line("),");
    }

    private void exclusions(SqlWriter sql, ExperimentPlan plan) {
        String groupsSeen = quote(GROUPS_SEEN);
        sql.line(quote(EXCLUSIONS) + " AS (").indent();
        sql.line("SELECT").indent();
        String unknown = plan.groupsListed()
                ? "COUNT(CASE WHEN " + groupsSeen + " = 1 AND " + quote(ResultColumns.GROUP)
                        + " NOT IN (" + groupList(plan) + ") THEN 1 END)"
                : "0";
        sql.list(List.of(
                "COUNT(CASE WHEN " + groupsSeen + " > 1 THEN 1 END) AS " + quote(ResultColumns.EXCLUDED_MULTIPLE_GROUPS),
                unknown + " AS " + quote(ResultColumns.EXCLUDED_UNKNOWN_GROUP)));
        sql.dedent();
        sql.line("FROM " + quote(EXPOSURES));
        sql.dedent().line(")");
    }

    private void finalSelect(SqlWriter sql, ExperimentPlan plan) {
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(column(MOMENTS, ResultColumns.GROUP));
        items.add(column(MOMENTS, ResultColumns.UNITS));
        for (int i = 0; i < plan.metrics().size(); i++) {
            items.add(column(MOMENTS, ResultColumns.meanX(i)));
            items.add(column(MOMENTS, ResultColumns.varX(i)));
            if (plan.metrics().get(i).y().isPresent()) {
                items.add(column(MOMENTS, ResultColumns.meanY(i)));
                items.add(column(MOMENTS, ResultColumns.varY(i)));
                items.add(column(MOMENTS, ResultColumns.covXY(i)));
            }
        }
        items.add(column(EXCLUSIONS, ResultColumns.EXCLUDED_MULTIPLE_GROUPS));
        items.add(column(EXCLUSIONS, ResultColumns.EXCLUDED_UNKNOWN_GROUP));
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(EXCLUSIONS));
        sql.line("LEFT JOIN " + quote(MOMENTS));
        sql.indent().line("ON 1 = 1").dedent();
        sql.line("ORDER BY " + column(MOMENTS, ResultColumns.GROUP));
    }

    private void from(SqlWriter sql, Relation relation) {
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

    private String rowExpression(RowExpression expression) {
        String value = expression.value().map(v -> "(" + v + ")").orElse("1");
        return expression.filter()
                .map(filter -> "CASE WHEN (" + filter + ") THEN " + value + " END")
                .orElse(value);
    }

    private String aggregate(AggregateColumn aggregate, String input) {
        return switch (aggregate.function()) {
            case SUM -> "SUM(" + input + ")";
            case COUNT_ROWS, COUNT_VALUES -> "COUNT(" + input + ")";
            case COUNT_DISTINCT -> "COUNT(DISTINCT " + input + ")";
            case ANY_ROW -> "CASE WHEN COUNT(" + input + ") > 0 THEN 1 ELSE 0 END";
        };
    }

    private String groupList(ExperimentPlan plan) {
        return String.join(", ", plan.listedGroups().stream().map(dialect::stringLiteral).toList());
    }

    private String column(String table, String column) {
        return quote(table) + "." + quote(column);
    }

    private String quote(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }

    private static String passName(SourcePass pass) {
        return "pass_" + pass.index();
    }

    private static String passAlias(SourcePass pass) {
        return "p" + pass.index();
    }

    private static String expressionName(int index) {
        return "pulse_c" + index;
    }

    private static String aggregateName(int id) {
        return "a" + id;
    }

    private static String valueName(int id) {
        return "v" + id;
    }
}
