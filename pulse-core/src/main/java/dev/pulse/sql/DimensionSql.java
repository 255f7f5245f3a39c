package dev.pulse.sql;

import dev.pulse.model.Dimensions;
import dev.pulse.plan.ExperimentPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SQL of a breakdown by dimensions ({@link Dimensions}): each dimension column is taken at the
 * unit's first exposure in the exposures aggregate, carried through the unit table, bucketed into
 * its top values by units (the rest in {@link Dimensions#OTHER}) with window functions over the unit
 * table, and the moments are grouped by {@code GROUPING SETS ((grp), (grp, d0), (grp, d1), …)}. No
 * source is read again: everything after the exposures works on the small unit table.
 */
final class DimensionSql {
    private static final String COUNTS = "dimension_counts";
    /** The CTE {@link #buckets} writes last: one row per unit, with its bucket per dimension. */
    static final String BUCKETS = "dimension_buckets";

    private final Dialect dialect;

    DimensionSql(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect);
    }

    /** The unit-table column holding dimension {@code index} (a text, never NULL). */
    static String column(int index) {
        return "d" + index;
    }

    private static String units(int index) {
        return "d" + index + "_units";
    }

    /** The bucketing CTE's column holding dimension {@code index}'s bucket: its value or OTHER. */
    static String bucket(int index) {
        return "d" + index + "_bucket";
    }

    /**
     * The exposures aggregate's items: per dimension, its text at the first exposure, NULL as
     * {@link Dimensions#NULL_VALUE}.
     */
    List<String> exposureItems(ExperimentPlan plan, String sourceAlias, String timestamp) {
        List<String> items = new ArrayList<>();
        List<String> columns = plan.dimensions().columns();
        for (int i = 0; i < columns.size(); i++) {
            String value = "COALESCE(" + dialect.castToText(qualified(sourceAlias, columns.get(i))) + ", "
                    + dialect.stringLiteral(Dimensions.NULL_VALUE) + ")";
            items.add(dialect.valueAtMinimum(value, timestamp) + " AS " + quote(column(i)));
        }
        return items;
    }

    /** The dimension columns of {@code table}, passed through under their own names. */
    List<String> passThrough(ExperimentPlan plan, String table) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < plan.dimensions().columns().size(); i++) {
            items.add(qualified(table, column(i)) + " AS " + quote(column(i)));
        }
        return items;
    }

    /**
     * Writes the bucketing CTEs over {@code values} (one row per unit) and returns the name of the
     * last: every column of {@code values} plus one bucket per dimension, the value itself when it is
     * among the top values by units over all groups (ties broken by the value in code point order, whatever
     * the collation), else OTHER.
     */
    String buckets(SqlWriter sql, ExperimentPlan plan, String values) {
        int count = plan.dimensions().columns().size();
        sql.line(quote(COUNTS) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        items.add(qualified(values, "*"));
        for (int i = 0; i < count; i++) {
            items.add("COUNT(*) OVER (PARTITION BY " + quote(column(i)) + ") AS " + quote(units(i)));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(values));
        sql.dedent().line("),");
        sql.line(quote(BUCKETS) + " AS (").indent();
        sql.line("SELECT").indent();
        items = new ArrayList<>();
        items.add(qualified(COUNTS, "*"));
        for (int i = 0; i < count; i++) {
            items.add("CASE WHEN DENSE_RANK() OVER (ORDER BY " + quote(units(i)) + " DESC, "
                    + dialect.codePointOrder(quote(column(i))) + ") <= "
                    + plan.dimensions().topValues() + " THEN " + quote(column(i)) + " ELSE "
                    + dialect.stringLiteral(Dimensions.OTHER) + " END AS " + quote(bucket(i)));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(COUNTS));
        sql.dedent().line("),");
        return BUCKETS;
    }

    /** The moments' items naming the dimension and its value; both NULL on the experiment-wide rows. */
    List<String> momentItems(ExperimentPlan plan) {
        List<String> columns = plan.dimensions().columns();
        StringBuilder dimension = new StringBuilder("CASE");
        List<String> buckets = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            dimension.append(" WHEN ").append(quote(bucket(i))).append(" IS NOT NULL THEN ")
                    .append(dialect.stringLiteral(columns.get(i)));
            buckets.add(quote(bucket(i)));
        }
        dimension.append(" END");
        String value = buckets.size() == 1 ? buckets.get(0) : "COALESCE(" + String.join(", ", buckets) + ")";
        return List.of(dimension + " AS " + quote(ResultColumns.DIMENSION),
                value + " AS " + quote(ResultColumns.DIMENSION_VALUE));
    }

    /** {@code GROUPING SETS ((grp), (grp, d0_bucket), …)}. */
    String groupBy(ExperimentPlan plan) {
        String group = quote(ResultColumns.GROUP);
        List<String> sets = new ArrayList<>();
        sets.add("(" + group + ")");
        for (int i = 0; i < plan.dimensions().columns().size(); i++) {
            sets.add("(" + group + ", " + quote(bucket(i)) + ")");
        }
        return "GROUPING SETS (" + String.join(", ", sets) + ")";
    }

    private String qualified(String table, String column) {
        return quote(table) + "." + (column.equals("*") ? "*" : quote(column));
    }

    private String quote(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }
}
