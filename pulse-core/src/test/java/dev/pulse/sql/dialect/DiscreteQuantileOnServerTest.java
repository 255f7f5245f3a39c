package dev.pulse.sql.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.model.WarehouseConfig;
import dev.pulse.sql.Dialect;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.TestPostgres;
import dev.pulse.warehouse.Warehouse;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Dialect#discreteQuantile} on the engines themselves: over the values 1 … n (and a NULL), the
 * rendered aggregate gives k = max(1, ⌈n·f⌉) computed exactly in decimal, on DuckDB and on PostgreSQL.
 * The cases include products that double precision rounds up past an integer (0.07 × 100 =
 * 7.000000000000001), found by enumerating f = k/1000 and n &lt; 2000 with exact fractions.
 */
class DiscreteQuantileOnServerTest {

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String f : List.of("0", "0.07", "0.034", "0.14", "0.27", "0.5", "0.9", "0.99", "1", "0.8803", "0.075")) {
            for (int n : List.of(1, 7, 100, 200, 500, 1000, 1999)) {
                cases.add(Arguments.of(f, n));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "f = {0}, n = {1}")
    @MethodSource("cases")
    void rankIsExact(String fraction, int n) {
        long expected = Math.max(1, new BigDecimal(fraction).multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.CEILING)
                .longValueExact());
        String values = "(SELECT CAST(x AS DOUBLE PRECISION) AS v FROM generate_series(1, " + n + ") AS t(x) "
                + "UNION ALL SELECT NULL) AS s";
        assertEquals(expected, rank(duckDb, DuckDbDialect.DEFAULT, values, fraction), "duckdb");
        assertEquals(expected, rank(postgres.warehouse(), PostgresDialect.DEFAULT, values, fraction), "postgres");
    }

    private static Warehouse duckDb;
    private static TestPostgres.Schema postgres;

    @BeforeAll
    static void open() {
        duckDb = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        postgres = TestPostgres.freshSchema("pulse_quantile");
    }

    @AfterAll
    static void close() {
        duckDb.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    private static long rank(Warehouse warehouse, Dialect dialect, String values, String fraction) {
        return Math.round(warehouse.query("SELECT " + dialect.discreteQuantile("v", Double.parseDouble(fraction))
                + " AS q FROM " + values).rows().get(0).getDouble("q"));
    }
}
