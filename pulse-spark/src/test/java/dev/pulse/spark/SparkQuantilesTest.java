package dev.pulse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.model.WarehouseConfig;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.dialect.DuckDbDialect;
import dev.pulse.sql.dialect.SparkDialect;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@link SparkDialect}'s quantiles on Spark itself. Discrete: over 1 … n (and a NULL) the aggregate gives
 * k = max(1, ⌈n·f⌉) computed exactly in decimal, including products double precision rounds up past an
 * integer (0.07 × 100 = 7.000000000000001), as {@code DiscreteQuantileOnServerTest} checks DuckDB and
 * PostgreSQL. Continuous: equal to DuckDB's {@code QUANTILE_CONT} on the same seeded values (as doubles, as Pulse
 * renders them: over a DECIMAL, DuckDB rounds the interpolated quantile to the column's scale).
 */
class SparkQuantilesTest {
    private static final List<String> FRACTIONS = List.of("0", "0.07", "0.034", "0.14", "0.27", "0.5", "0.9", "0.99", "1",
            "0.8803", "0.075");

    @Test
    void discreteRankIsExact() {
        Warehouse spark = TestSpark.warehouse();
        for (int n : List.of(1, 7, 100, 200, 500, 1000, 1999)) {
            StringBuilder select = new StringBuilder("SELECT ");
            for (int i = 0; i < FRACTIONS.size(); i++) {
                select.append(i == 0 ? "" : ", ").append(SparkDialect.DEFAULT.discreteQuantile("v",
                        Double.parseDouble(FRACTIONS.get(i)))).append(" AS q").append(i);
            }
            select.append(" FROM (SELECT CAST(id AS DOUBLE) AS v FROM range(1, ").append(n + 1)
                    .append(") UNION ALL SELECT NULL) AS s");
            QueryResult.Row row = spark.query(select.toString()).rows().get(0);
            for (int i = 0; i < FRACTIONS.size(); i++) {
                long expected = Math.max(1, new BigDecimal(FRACTIONS.get(i)).multiply(BigDecimal.valueOf(n))
                        .setScale(0, RoundingMode.CEILING).longValueExact());
                assertEquals(expected, Math.round(row.getDouble("q" + i)), "f = " + FRACTIONS.get(i) + ", n = " + n);
            }
        }
    }

    @Test
    void continuousQuantilesEqualDuckDbs() {
        long seed = 20260301L;
        Random random = new Random(seed);
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 257; i++) {
            values.append(i == 0 ? "" : ", ").append('(').append(Math.round(random.nextGaussian() * 1e6) / 1e3).append(')');
        }
        try (Warehouse duckDb = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            Warehouse spark = TestSpark.warehouse();
            for (String fraction : List.of("0", "0.01", "0.05", "0.5", "0.95", "0.99", "1")) {
                double f = Double.parseDouble(fraction);
                double expected = quantile(duckDb, DuckDbDialect.DEFAULT, values, f);
                double actual = quantile(spark, SparkDialect.DEFAULT, values, f);
                assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), "f = " + fraction + ", seed " + seed);
            }
        }
    }

    private static double quantile(Warehouse warehouse, Dialect dialect, CharSequence values, double fraction) {
        return warehouse.query("SELECT " + dialect.quantile("x", fraction) + " AS q FROM (SELECT " + dialect.castToDouble("v")
                + " AS x FROM (VALUES " + values + ") AS t(v)) AS s")
                .rows().get(0).getDouble("q");
    }
}
