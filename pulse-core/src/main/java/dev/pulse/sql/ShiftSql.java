package dev.pulse.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Shifted per-unit values, so that the moments keep the digits of the spread when values are large
 * against it (issue 10, §3; docs/statistics.md, "How the moments are computed"). For each metric's
 * pair of per-unit components X and Y, a pilot CTE computes over every row of the unit table (all
 * groups pooled; per day for the daily series) the pilot ratio {@code c = ΣX / ΣY} ({@code c = AVG(X)}
 * for {@code Y ≡ 1}) and the centre {@code b = AVG(Y)}; a projection then gives every unit
 * {@code X − c·Y} and {@code Y − b}, whose variances and covariances the statement returns beside c
 * (the mean of Y is taken of Y itself, so that a zero denominator stays exactly 0). The pilots are
 * aggregates of the small unit table in the same statement, so no source is read again.
 */
final class ShiftSql {

    /**
     * One pair of per-unit components.
     *
     * @param x        X's column in the unit table
     * @param y        Y's column, empty for {@code Y ≡ 1}
     * @param shiftedX the column of {@code X − c·Y} in the shifted CTE
     * @param shiftedY the column of {@code Y − b}
     * @param shift    the column (and result column) of c
     * @param center   the column of b
     */
    record Pair(String x, Optional<String> y, String shiftedX, String shiftedY, String shift, String center) {}

    private final Dialect dialect;

    ShiftSql(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect);
    }

    /**
     * Writes the CTE {@code pilots} over {@code from} (grouped by {@code day} when present), then the CTE
     * {@code shifted}: {@code carried} items of {@code from}, each pair's shifted values and its pilot c, one
     * row per row of {@code from} (joined to its day's pilots, or to the one row of pilots). Returns the CTE
     * the moments read: {@code shifted}, or {@code from} itself when there are no pairs (nothing is written).
     */
    String write(SqlWriter sql, List<Pair> pairs, String from, String pilots, String shifted, List<String> carried,
                 Optional<String> day) {
        if (pairs.isEmpty()) {
            return from;
        }
        sql.line(quote(pilots) + " AS (").indent();
        sql.line("SELECT").indent();
        List<String> items = new ArrayList<>();
        day.ifPresent(d -> items.add(quote(d) + " AS " + quote(d)));
        for (Pair pair : pairs) {
            String x = quote(pair.x());
            if (pair.y().isPresent()) {
                String y = quote(pair.y().get());
                items.add("CASE WHEN SUM(" + y + ") <> 0 THEN SUM(" + x + ") / SUM(" + y + ") ELSE 0 END AS "
                        + quote(pair.shift()));
                items.add("COALESCE(AVG(" + y + "), 0) AS " + quote(pair.center()));
            } else {
                items.add("COALESCE(AVG(" + x + "), 0) AS " + quote(pair.shift()));
            }
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(from));
        day.ifPresent(d -> sql.line("GROUP BY " + quote(d)));
        sql.dedent().line("),");

        sql.line(quote(shifted) + " AS (").indent();
        sql.line("SELECT").indent();
        items.clear();
        items.addAll(carried);
        for (Pair pair : pairs) {
            String shift = column(pilots, pair.shift());
            String x = column(from, pair.x());
            if (pair.y().isPresent()) {
                String y = column(from, pair.y().get());
                items.add(x + " - " + shift + " * " + y + " AS " + quote(pair.shiftedX()));
                items.add(y + " - " + column(pilots, pair.center()) + " AS " + quote(pair.shiftedY()));
                items.add(shift + " AS " + quote(pair.shift()));
            } else {
                items.add(x + " - " + shift + " AS " + quote(pair.shiftedX()));
                items.add(shift + " AS " + quote(pair.shift()));
            }
        }
        sql.list(items);
        sql.dedent();
        sql.line("FROM " + quote(from));
        if (day.isPresent()) {
            sql.line("JOIN " + quote(pilots));
            sql.indent().line("ON " + column(pilots, day.get()) + " = " + column(from, day.get())).dedent();
        } else {
            sql.line("CROSS JOIN " + quote(pilots));
        }
        sql.dedent().line("),");
        return shifted;
    }

    private String column(String table, String column) {
        return SqlRenderer.column(dialect, table, column);
    }

    private String quote(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }
}
