package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.PulseConfig;
import dev.pulse.sql.dialect.RedshiftDialect;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.RedshiftOnPostgres;
import dev.pulse.warehouse.TestPostgres;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Redshift has no COVAR_SAMP; {@link RedshiftDialect#covarianceSample} is a one-pass sum of products, stable
 * because Pulse shifts values by their pooled pilot means first. Checked on PostgreSQL, with values near 10⁹ and
 * a spread of about 1:
 * <ul>
 *   <li>the whole analysis of {@link LargeValuesTest} (offsets 0 to 10¹², CUPED covariances, ratios, per day and
 *       per dimension) with the Redshift SQL agrees with its BigDecimal reference to 1e-6 in every standard error,
 *       as DuckDB, PostgreSQL and Spark do;</li>
 *   <li>the expression itself, over centred values, agrees with an exact BigDecimal covariance to 1e-12 relative,
 *       while over the raw values near 10⁹ it is off by far more (why the shift matters; seed {@value #SEED}).</li>
 * </ul>
 */
class RedshiftCovarianceTest {
    static final long SEED = 20261206L;
    private static final int N = 2000;
    private static final double OFFSET = 1e9;

    @Test
    void largeValuesMatchTheReferenceWithTheRedshiftSql() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_redshift_large")) {
            LargeValuesTest.load(schema.warehouse(), "CREATE TABLE %s AS SELECT * FROM (VALUES %s) AS t(%s)",
                    "CAST(%s AS DOUBLE PRECISION)");
            PulseConfig config = LargeValuesTest.config();
            LargeValuesTest.assertMatchesReference(new PulseConfig(config.file(), RedshiftOnPostgres.config(),
                    config.sources(), config.metrics(), config.experiments()), new RedshiftOnPostgres(schema.warehouse()));
        }
    }

    @Test
    void theOnePassCovarianceOfCentredValuesIsExactToTwelveDigits() {
        Random random = new Random(SEED);
        List<double[]> pairs = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            // multiples of 1/8 below 4 over 10⁹: exact doubles, correlated
            double a = random.nextInt(32) / 8.0;
            double b = (random.nextInt(16) + Math.floor(a * 2)) / 8.0;
            pairs.add(new double[] {OFFSET + a, OFFSET + b});
            rows.add("(" + BigDecimal.valueOf(OFFSET + a).toPlainString() + ", " + BigDecimal.valueOf(OFFSET + b).toPlainString() + ")");
        }
        BigDecimal exact = exactCovariance(pairs);
        RedshiftDialect dialect = RedshiftDialect.DEFAULT;
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_redshift_cov")) {
            schema.warehouse().execute("CREATE TABLE pairs AS SELECT CAST(x AS DOUBLE PRECISION) AS x, "
                    + "CAST(y AS DOUBLE PRECISION) AS y FROM (VALUES " + String.join(", ", rows) + ") AS t(x, y)");
            // centred as Pulse's pilots centre: by the mean over all rows, in the same statement
            QueryResult result = schema.warehouse().query("WITH pilots AS (SELECT AVG(x) AS cx, AVG(y) AS cy FROM pairs), "
                    + "shifted AS (SELECT x - cx AS sx, y - cy AS sy, x, y FROM pairs CROSS JOIN pilots) SELECT "
                    + dialect.covarianceSample("sx", "sy") + " AS centred, "
                    + dialect.covarianceSample("x", "y") + " AS raw FROM shifted");
            double centred = result.rows().get(0).getDouble("centred");
            double raw = result.rows().get(0).getDouble("raw");
            double relative = Math.abs(centred - exact.doubleValue()) / Math.abs(exact.doubleValue());
            assertTrue(relative < 1e-12, "centred " + centred + " vs exact " + exact + ": " + relative);
            double rawRelative = Math.abs(raw - exact.doubleValue()) / Math.abs(exact.doubleValue());
            assertTrue(rawRelative > 1e-6, "the raw one-pass form was expected to lose digits at 1e9: " + raw + " vs " + exact);
        }
    }

    @Test
    void constantValuesGiveExactlyZeroAndFewerThanTwoPairsNull() {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_redshift_cov0")) {
            schema.warehouse().execute("CREATE TABLE t AS SELECT CAST(x AS DOUBLE PRECISION) AS x, CAST(y AS DOUBLE PRECISION) AS y, g "
                    + "FROM (VALUES (0.1, 0.7, 1), (0.2, 0.7, 1), (0.30000000000000004, 0.7, 1), (5, NULL, 2), (1, 2, 2), "
                    + "(NULL, 3, 3)) AS v(x, y, g)");
            QueryResult result = schema.warehouse().query("SELECT g, " + RedshiftDialect.DEFAULT.covarianceSample("x", "y")
                    + " AS c, COVAR_SAMP(x, y) AS expected FROM t GROUP BY g ORDER BY g");
            // group 1: y constant, exactly 0; group 2: one pair (the NULL y leaves out its x too); group 3: no pair
            assertTrue(Double.valueOf(0.0).equals(result.rows().get(0).getDouble("c")), result.toString());
            assertTrue(result.rows().get(1).getDouble("c") == null && result.rows().get(1).getDouble("expected") == null,
                    result.toString());
            assertTrue(result.rows().get(2).getDouble("c") == null, result.toString());
        }
    }

    /** Σ(x − x̄)(y − ȳ)/(n − 1) in exact decimal arithmetic (34 digits where it divides). */
    private static BigDecimal exactCovariance(List<double[]> pairs) {
        BigDecimal n = BigDecimal.valueOf(pairs.size());
        BigDecimal sx = BigDecimal.ZERO;
        BigDecimal sy = BigDecimal.ZERO;
        for (double[] p : pairs) {
            sx = sx.add(new BigDecimal(p[0]));
            sy = sy.add(new BigDecimal(p[1]));
        }
        BigDecimal mx = sx.divide(n, MathContext.DECIMAL128);
        BigDecimal my = sy.divide(n, MathContext.DECIMAL128);
        BigDecimal sum = BigDecimal.ZERO;
        for (double[] p : pairs) {
            sum = sum.add(new BigDecimal(p[0]).subtract(mx).multiply(new BigDecimal(p[1]).subtract(my)));
        }
        return sum.divide(n.subtract(BigDecimal.ONE), MathContext.DECIMAL128);
    }
}
