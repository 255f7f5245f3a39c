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
    private static final String COUNTS = "pulse_dimension_counts";
    /** The CTE {@link #buckets} writes last: one row per unit, with its bucket per dimension. */
    static final String BUCKETS = "pulse_dimension_buckets";

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

    /** The breakdowns' columns of {@code table} (dimensions, then interactions), passed through under their own names. */
    List<String> passThrough(ExperimentPlan plan, String table) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count(plan); i++) {
            items.add(qualified(table, column(i)) + " AS " + quote(column(i)));
        }
        return items;
    }

    /** The unit table's breakdown columns: the dimensions from {@code exposures}, each interaction from its join. */
    List<String> unitItems(ExperimentPlan plan, String exposures) {
        List<String> items = new ArrayList<>();
        int dimensions = plan.dimensions().columns().size();
        for (int i = 0; i < dimensions; i++) {
            items.add(qualified(exposures, column(i)) + " AS " + quote(column(i)));
        }
        for (int j = 0; j < plan.interactions().size(); j++) {
            String other = interactionAlias(j);
            List<String> listed = plan.interactions().get(j).listedGroups();
            String inListed = listed.isEmpty() ? "" : " AND " + qualified(other, ResultColumns.GROUP) + " IN ("
                    + String.join(", ", listed.stream().map(dialect::stringLiteral).toList()) + ")";
            items.add("CASE WHEN " + qualified(other, SqlRenderer.GROUPS_SEEN) + " = 1" + inListed + " THEN "
                    + qualified(other, ResultColumns.GROUP) + " ELSE "
                    + dialect.stringLiteral(dev.pulse.plan.InteractionScan.NOT_IN_EXPERIMENT) + " END AS "
                    + quote(column(dimensions + j)));
        }
        return items;
    }

    /** The alias of interaction {@code index}'s per-unit groups, joined to the unit table. */
    static String interactionAlias(int index) {
        return "other" + index;
    }

    /** The CTE of interaction {@code index}'s per-unit groups. */
    static String interactionTable(int index) {
        return "pulse_other_exposures" + index;
    }

    /** Dimensions and interactions: the breakdowns of the moments. */
    private static int count(ExperimentPlan plan) {
        return plan.dimensions().columns().size() + plan.interactions().size();
    }

    /** The breakdown names the statement returns: the dimensions' columns, then the interactions' labels. */
    private static List<String> names(ExperimentPlan plan) {
        List<String> names = new ArrayList<>(plan.dimensions().columns());
        plan.interactions().forEach(interaction -> names.add(interaction.label()));
        return names;
    }

    /**
     * Writes the bucketing CTEs over {@code values} (one row per unit) and returns the name of the
     * last: every column of {@code values} plus one bucket per dimension, the value itself when it is
     * among the top values by units over all groups (ties broken by the value in code point order, whatever
     * the collation), else OTHER.
     */
    String buckets(SqlWriter sql, ExperimentPlan plan, String values) {
        int count = plan.dimensions().columns().size();
        int all = count(plan);
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
        for (int i = count; i < all; i++) {
            // an interaction's values are the other experiment's groups: every one is reported
            items.add(quote(column(i)) + " AS " + quote(bucket(i)));
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(COUNTS));
        sql.dedent().line("),");
        return BUCKETS;
    }

    /** The moments' items naming the dimension and its value; both NULL on the experiment-wide rows. */
    List<String> momentItems(ExperimentPlan plan) {
        List<String> columns = names(plan);
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
        for (int i = 0; i < count(plan); i++) {
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
