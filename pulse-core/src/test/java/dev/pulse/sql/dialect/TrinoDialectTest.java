package dev.pulse.sql.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.Relation;
import dev.pulse.sql.TableStatements;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.TestTrino;
import dev.pulse.warehouse.Warehouse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link TrinoDialect}: its text, and its functions run on a real Trino ({@link TestTrino}) against values worked
 * out by hand (or by the definitions in {@code sql.Dialect}, computed here in Java with exact integer ranks).
 */
class TrinoDialectTest {
    private static final TrinoDialect TRINO = TrinoDialect.DEFAULT;

    @Test
    void quotingAndLiterals() {
        assertEquals("\"a\"\"b\"", TRINO.quoteIdentifier("a\"b"));
        assertEquals("'it''s \\ fine'", TRINO.stringLiteral("it's \\ fine"));
        assertEquals("TIMESTAMP '2026-03-01 10:00:00'", TRINO.timestampLiteral(Instant.parse("2026-03-01T10:00:00Z")));
        assertEquals("(\"ts\" - INTERVAL '3' DAY)", TRINO.minusDays("\"ts\"", 3));
        assertEquals("UNNEST(sequence(0, 4)) AS \"d\"(\"i\")", TRINO.integerRange(5, "\"d\"", "\"i\""));
        assertEquals("TIMESTAMP(6) WITH TIME ZONE", TRINO.columnType(TableStatements.ColumnType.TIMESTAMP_WITH_TIME_ZONE));
        assertFalse(TRINO.transactionalDdl());
        assertEquals(List.of(), TRINO.writeLock(List.of("pulse_results")));
        PulseException failure = assertThrows(PulseException.class,
                () -> TRINO.fileRelation(new Relation.Files("/data/e.parquet", Relation.FileFormat.PARQUET)));
        assertTrue(failure.getMessage().contains("dialect trino"), failure.getMessage());
    }

    @Test
    void valuesWithQuotesAndBackslashesReadBackAsThemselves() {
        try (TestTrino.Schema schema = TestTrino.freshSchema("pulse_dialect")) {
            for (String value : List.of("it's", "a\\", "x'); DROP TABLE t; --", "é ✓ 😀", "")) {
                assertEquals(value, schema.warehouse().query("SELECT " + TRINO.stringLiteral(value) + " AS v")
                        .rows().get(0).getString("v"));
            }
        }
    }

    /**
     * Quantiles over 1 … n (and a NULL) for several n and fractions: the discrete one is x_k with k = max(1, ⌈n·f⌉)
     * computed here in exact integers (f has at most 4 decimals: k = ⌈n·f·10⁴ / 10⁴⌉), so 0.07 of 100 is the 7th
     * value, not the 8th a double product would give; the continuous one is type 7,
     * x_⌊h⌋ + (h − ⌊h⌋)(x_⌈h⌉ − x_⌊h⌋) at h = (n − 1)f + 1. Over no rows both are NULL.
     */
    @Test
    void quantilesAreExact() {
        double[] fractions = {0, 0.01, 0.07, 0.25, 0.5, 0.9, 0.99, 0.999, 1};
        int[] sizes = {1, 2, 3, 10, 100, 1000};
        try (TestTrino.Schema schema = TestTrino.freshSchema("pulse_dialect")) {
            Warehouse trino = schema.warehouse();
            for (int n : sizes) {
                List<String> columns = new ArrayList<>();
                for (int i = 0; i < fractions.length; i++) {
                    columns.add(TRINO.discreteQuantile("\"x\"", fractions[i]) + " AS \"d" + i + "\"");
                    columns.add(TRINO.quantile("\"x\"", fractions[i]) + " AS \"c" + i + "\"");
                }
                QueryResult.Row row = trino.query("SELECT " + String.join(", ", columns) + " FROM (SELECT x FROM "
                        + "UNNEST(sequence(1, " + n + ")) AS t(x) UNION ALL SELECT NULL) AS v").rows().get(0);
                for (int i = 0; i < fractions.length; i++) {
                    long scaled = Math.round(fractions[i] * 10_000);
                    long k = Math.max(1, (n * scaled + 9_999) / 10_000);
                    assertEquals(k, row.getLong("d" + i), "discrete " + fractions[i] + " of 1.." + n);
                    double h = (n - 1) * fractions[i] + 1;
                    double expected = Math.floor(h) + (h - Math.floor(h)) * (Math.ceil(h) - Math.floor(h));
                    assertEquals(expected, row.getDouble("c" + i), 1e-12, "continuous " + fractions[i] + " of 1.." + n);
                }
            }
            QueryResult.Row none = trino.query("SELECT " + TRINO.discreteQuantile("x", 0.5) + " AS d, "
                    + TRINO.quantile("x", 0.5) + " AS c FROM (SELECT CAST(NULL AS DOUBLE) AS x) AS v WHERE x IS NOT NULL")
                    .rows().get(0);
            assertEquals(Arrays.asList(null, null), Arrays.asList(none.get("d"), none.get("c")));
        }
    }

    /**
     * First and latest values: order ties resolve to the greatest value, NULL values are left out, and a group with
     * only NULL values gives NULL. Group a: order 1 has 5 and 7 (first: 7), order 3 has 2 and NULL (latest: 2);
     * group b: only NULL.
     */
    @Test
    void firstAndLatestValuesFollowTheDialectContract() {
        try (TestTrino.Schema schema = TestTrino.freshSchema("pulse_dialect")) {
            List<List<Object>> rows = values(schema.warehouse().query("SELECT g, " + TRINO.firstValue("v", "o") + " AS f, "
                    + TRINO.latestValue("v", "o") + " AS l, " + TRINO.valueAtMinimum("v", "o") + " AS m FROM (VALUES "
                    + "('a', 1, 5.0E0), ('a', 1, 7.0E0), ('a', 2, 1.0E0), ('a', 3, 2.0E0), ('a', 3, NULL), ('a', 0, NULL), "
                    + "('b', 1, NULL)) AS t(g, o, v) GROUP BY g ORDER BY g"));
            assertEquals(List.of(Arrays.asList("a", 7.0, 2.0, null), Arrays.asList("b", null, null, null)).get(1), rows.get(1));
            assertEquals("a", rows.get(0).get(0));
            assertEquals(7.0, rows.get(0).get(1));
            assertEquals(2.0, rows.get(0).get(2));
            // the value at the least order among non-NULL values: order 1 has 5 and 7, either may come back
            assertTrue(List.of(5.0, 7.0).contains(rows.get(0).get(3)), rows.toString());
        }
    }

    /** Day indexes in UTC for plain and zoned timestamps: an hour before the start is day −1, the start day 0. */
    @Test
    void dayIndexIsTheUtcDayForPlainAndZonedTimestamps() {
        Instant start = Instant.parse("2026-03-10T00:00:00Z");
        try (TestTrino.Schema schema = TestTrino.freshSchema("pulse_dialect")) {
            List<List<Object>> rows = values(schema.warehouse().query("SELECT "
                    + TRINO.dayIndex("TIMESTAMP '2026-03-09 23:00:00'", start) + " AS a, "
                    + TRINO.dayIndex("TIMESTAMP '2026-03-10 00:00:00'", start) + " AS b, "
                    + TRINO.dayIndex("TIMESTAMP '2026-03-11 23:59:59.999999'", start) + " AS c, "
                    // 01:00 in New York on the 10th is 06:00 UTC: day 0; 21:00 there is 02:00 UTC on the 11th: day 1
                    + TRINO.dayIndex("TIMESTAMP '2026-03-10 01:00:00 America/New_York'", start) + " AS d, "
                    + TRINO.dayIndex("TIMESTAMP '2026-03-10 21:00:00 America/New_York'", start) + " AS e, "
                    + TRINO.minusDays("TIMESTAMP '2026-03-10 21:00:00 UTC'", 1) + " < TIMESTAMP '2026-03-09 21:00:01' AS f"));
            assertEquals(List.of(-1L, 0L, 1L, 0L, 1L, true), rows.get(0));
        }
    }

    private static List<List<Object>> values(QueryResult result) {
        return result.rows().stream().map(row -> row.values().values().stream()
                .map(value -> value instanceof Integer i ? (Object) i.longValue() : value).toList()).toList();
    }
}
