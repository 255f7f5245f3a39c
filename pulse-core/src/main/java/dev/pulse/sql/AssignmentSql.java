package dev.pulse.sql;

import dev.pulse.plan.AssignmentScan;
import dev.pulse.plan.ExposureWindow;

/**
 * Small statements over an experiment's assignment source that explain why an experiment has no units:
 * which experiments the source holds (and when), and which groups an experiment's exposures have in its
 * window. Each reads the source once and returns at most a few rows.
 */
public final class AssignmentSql {
    /** The column names of {@link #experiments}. */
    public static final String EXPERIMENT = "experiment";
    public static final String FIRST = "first_exposure";
    public static final String LAST = "last_exposure";
    /** The column names of {@link #groups}. */
    public static final String GROUP = "group_name";
    public static final String ROWS = "exposure_rows";

    private static final String SOURCE_ALIAS = "src";

    private final Dialect dialect;
    private final SqlRenderer renderer;

    private AssignmentSql(Dialect dialect) {
        this.dialect = dialect;
        this.renderer = SqlRenderer.of(dialect);
    }

    public static AssignmentSql of(Dialect dialect) {
        return new AssignmentSql(dialect);
    }

    /** Every experiment name in the source (as text) with its first and last exposure, by name, at most {@code limit}. */
    public String experiments(AssignmentScan scan, int limit) {
        String name = dialect.castToText(column(scan.experimentColumn()));
        String timestamp = column(scan.timestampColumn());
        SqlWriter sql = new SqlWriter();
        sql.line("SELECT").indent();
        sql.list(java.util.List.of(name + " AS " + quote(EXPERIMENT),
                "MIN(" + timestamp + ") AS " + quote(FIRST),
                "MAX(" + timestamp + ") AS " + quote(LAST)));
        sql.dedent();
        sql.line("FROM " + renderer.relation(scan.relation()) + " AS " + quote(SOURCE_ALIAS));
        sql.line("WHERE " + column(scan.experimentColumn()) + " IS NOT NULL");
        sql.line("GROUP BY " + name);
        sql.line("ORDER BY " + name);
        sql.line("LIMIT " + limit);
        return sql.toString();
    }

    /**
     * The groups (as text) of {@code experiment}'s exposures with a unit ID inside {@code window}, with
     * their numbers of rows, the most frequent first, at most {@code limit}.
     */
    public String groups(AssignmentScan scan, String experiment, ExposureWindow window, int limit) {
        String group = dialect.castToText(column(scan.groupColumn()));
        String timestamp = column(scan.timestampColumn());
        SqlWriter sql = new SqlWriter();
        sql.line("SELECT").indent();
        sql.list(java.util.List.of(group + " AS " + quote(GROUP), "COUNT(*) AS " + quote(ROWS)));
        sql.dedent();
        sql.line("FROM " + renderer.relation(scan.relation()) + " AS " + quote(SOURCE_ALIAS));
        sql.line("WHERE " + column(scan.experimentColumn()) + " = " + dialect.stringLiteral(experiment)).indent();
        sql.line("AND " + column(scan.unitColumn()) + " IS NOT NULL");
        sql.line("AND " + column(scan.groupColumn()) + " IS NOT NULL");
        sql.line("AND " + timestamp + " >= " + dialect.timestampLiteral(window.start()));
        window.end().ifPresent(end -> sql.line("AND " + timestamp + " < " + dialect.timestampLiteral(end)));
        sql.dedent();
        sql.line("GROUP BY " + group);
        sql.line("ORDER BY " + quote(ROWS) + " DESC, " + group);
        sql.line("LIMIT " + limit);
        return sql.toString();
    }

    private String column(String name) {
        return quote(SOURCE_ALIAS) + "." + quote(name);
    }

    private String quote(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }
}
