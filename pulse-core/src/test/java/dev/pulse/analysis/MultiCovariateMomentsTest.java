package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.aggregate;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.count;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.mean;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.ratio;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Cuped;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.DeltaMethodComparison;
import dev.pulse.stats.GroupMoments;
import dev.pulse.stats.JointMoments;
import dev.pulse.stats.MultiCovariateAdjustment;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CUPED with several covariates through the whole analysis in in-memory DuckDB (docs/regression-adjustment.md): the
 * moments and cross covariances the statement returns give the numbers that {@link MultiCovariateAdjustment} gives on
 * per-unit values computed by a hand-written query of the same data (every unit's X, Y, X₀, Y₀ per metric, then
 * plain covariances in Java).
 *
 * <p>600 orgs, control (even) and treat (odd), first exposed on 03-10 + (u mod 5) days + (u mod 24) hours; 12
 * candidate events per org over the 7 days before and after its exposure (some left out), revenue with an org level
 * (u mod 9) that both periods share, kind purchase or view; 8 candidate sessions per org likewise (some more in treat),
 * from another source. Metrics: revenue (sum), purchases (count), sessions (count, the other source), revenue per session (ratio
 * over the two sources), avg_value (mean). CUPED looks back 7 days, with every metric as a covariate.
 */
class MultiCovariateMomentsTest {
    private static final ExperimentName EXP = new ExperimentName("exp");
    private static final List<String> METRICS = List.of("revenue", "purchases", "sessions", "revenue_per_session",
            "avg_value");

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS
                SELECT 'exp' AS exp_name, CASE WHEN u % 2 = 0 THEN 'control' ELSE 'treat' END AS variant, u AS org,
                       TIMESTAMP '2026-03-10 00:00:00' + INTERVAL (u % 5) DAY + INTERVAL (u % 24) HOUR AS ts
                FROM range(1, 601) AS t(u)""");
        warehouse.execute("""
                CREATE TABLE events AS
                SELECT u AS org,
                       TIMESTAMP '2026-03-03 00:00:00' + INTERVAL (u % 5) DAY + INTERVAL (u % 24) HOUR
                           + INTERVAL ((k * 37 + u * 11) % 335) HOUR AS ts,
                       CAST((u * 13 + k * 7) % 50 AS DOUBLE) / 2 + (u % 9) * 3
                           + CASE WHEN u % 2 = 1 AND (k * 37 + u * 11) % 335 >= 168 THEN 1.0 ELSE 0 END AS revenue,
                       CASE WHEN (u + k) % 3 = 0 THEN 'purchase' ELSE 'view' END AS kind
                FROM range(1, 601) AS t(u), range(0, 12) AS r(k)
                WHERE (u * 31 + k * 17) % 5 <> 0 AND (u % 9 > 2 OR k < 9)""");
        warehouse.execute("""
                CREATE TABLE sessions AS
                SELECT u AS org,
                       TIMESTAMP '2026-03-03 00:00:00' + INTERVAL (u % 5) DAY + INTERVAL (u % 24) HOUR
                           + INTERVAL ((k * 53 + u * 7) % 335) HOUR AS ts
                FROM range(1, 601) AS t(u), range(0, 8) AS r(k)
                WHERE (u * 7 + k * 3) % 4 <> 0 OR u % 9 > 4 OR (u % 2 = 1 AND k % 3 = 0)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    /** The fixture of {@link EngineEquivalenceTest}. */
    PulseConfig config() {
        return config(new Cuped(7, List.of(), true));
    }

    private static PulseConfig config(Cuped cuped) {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events")),
                        metricSource("sessions", table("sessions"))),
                List.of(sum("revenue", "events", "revenue", null), count("purchases", "events", "kind = 'purchase'"),
                        count("sessions", "sessions", null),
                        ratio("revenue_per_session", aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("sessions", AggregateFunction.COUNT_ROWS, null, null)),
                        mean("avg_value", "events", "revenue", null)),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-10", "2026-03-23",
                        METRICS.toArray(String[]::new)).withOptions(AnalysisOptions.DEFAULT.withCuped(cuped))));
    }

    /** Per group, per unit: X, Y, X₀, Y₀ of each metric, from a query written by hand for this data. */
    private Map<String, List<double[]>> units() {
        QueryResult rows = warehouse.query("""
                WITH u AS (
                  SELECT org, MIN(ts) AS first, MIN(variant) AS grp FROM exposures GROUP BY org
                ), e AS (
                  SELECT u.org,
                    SUM(CASE WHEN ts >= first THEN revenue ELSE 0 END) AS rev,
                    SUM(CASE WHEN ts < first THEN revenue ELSE 0 END) AS rev0,
                    SUM(CASE WHEN ts >= first AND kind = 'purchase' THEN 1 ELSE 0 END) AS pur,
                    SUM(CASE WHEN ts < first AND kind = 'purchase' THEN 1 ELSE 0 END) AS pur0,
                    SUM(CASE WHEN ts >= first THEN 1 ELSE 0 END) AS n,
                    SUM(CASE WHEN ts < first THEN 1 ELSE 0 END) AS n0
                  FROM u JOIN events e ON e.org = u.org
                  WHERE e.ts >= first - INTERVAL 7 DAY AND e.ts < TIMESTAMP '2026-03-24 00:00:00'
                  GROUP BY u.org
                ), s AS (
                  SELECT u.org, SUM(CASE WHEN ts >= first THEN 1 ELSE 0 END) AS ses,
                    SUM(CASE WHEN ts < first THEN 1 ELSE 0 END) AS ses0
                  FROM u JOIN sessions s ON s.org = u.org
                  WHERE s.ts >= first - INTERVAL 7 DAY AND s.ts < TIMESTAMP '2026-03-24 00:00:00'
                  GROUP BY u.org
                )
                SELECT u.grp, CAST(COALESCE(rev, 0) AS DOUBLE) AS rev, CAST(COALESCE(rev0, 0) AS DOUBLE) AS rev0,
                  CAST(COALESCE(pur, 0) AS DOUBLE) AS pur, CAST(COALESCE(pur0, 0) AS DOUBLE) AS pur0,
                  CAST(COALESCE(ses, 0) AS DOUBLE) AS ses, CAST(COALESCE(ses0, 0) AS DOUBLE) AS ses0,
                  CAST(COALESCE(n, 0) AS DOUBLE) AS n, CAST(COALESCE(n0, 0) AS DOUBLE) AS n0
                FROM u LEFT JOIN e ON e.org = u.org LEFT JOIN s ON s.org = u.org
                ORDER BY u.org""");
        Map<String, List<double[]>> groups = new LinkedHashMap<>();
        for (QueryResult.Row row : rows.rows()) {
            double rev = row.getDouble("rev");
            double rev0 = row.getDouble("rev0");
            double ses = row.getDouble("ses");
            double ses0 = row.getDouble("ses0");
            // per metric (X, Y) and then (X₀, Y₀), in METRICS order
            double[] post = {rev, 1, row.getDouble("pur"), 1, ses, 1, rev, ses, rev, row.getDouble("n")};
            double[] pre = {rev0, 1, row.getDouble("pur0"), 1, ses0, 1, rev0, ses0, rev0, row.getDouble("n0")};
            double[] unit = new double[20];
            System.arraycopy(post, 0, unit, 0, 10);
            System.arraycopy(pre, 0, unit, 10, 10);
            groups.computeIfAbsent(row.getString("grp"), g -> new ArrayList<>()).add(unit);
        }
        return groups;
    }

    // the joint moments of metric m and the pre-periods of m and the others, from the per-unit values
    private static JointMoments joint(List<double[]> units, int m) {
        List<int[]> variables = new ArrayList<>();
        variables.add(new int[] {2 * m, 2 * m + 1});
        variables.add(new int[] {10 + 2 * m, 10 + 2 * m + 1});
        for (int j = 0; j < METRICS.size(); j++) {
            if (j != m) {
                variables.add(new int[] {10 + 2 * j, 10 + 2 * j + 1});
            }
        }
        int n = units.size();
        double[][] columns = new double[2 * variables.size()][n];
        for (int v = 0; v < variables.size(); v++) {
            for (int u = 0; u < n; u++) {
                columns[2 * v][u] = units.get(u)[variables.get(v)[0]];
                columns[2 * v + 1][u] = units.get(u)[variables.get(v)[1]];
            }
        }
        double[] means = new double[columns.length];
        for (int c = 0; c < columns.length; c++) {
            for (double value : columns[c]) {
                means[c] += value / n;
            }
        }
        double[][] cov = new double[columns.length][columns.length];
        for (int a = 0; a < columns.length; a++) {
            for (int b = 0; b < columns.length; b++) {
                double sum = 0;
                for (int u = 0; u < n; u++) {
                    sum += (columns[a][u] - means[a]) * (columns[b][u] - means[b]);
                }
                cov[a][b] = sum / (n - 1);
            }
        }
        List<GroupMoments> own = new ArrayList<>();
        for (int v = 0; v < variables.size(); v++) {
            own.add(new GroupMoments(n, means[2 * v], means[2 * v + 1], cov[2 * v][2 * v], cov[2 * v + 1][2 * v + 1],
                    cov[2 * v][2 * v + 1]));
        }
        JointMoments.Builder builder = JointMoments.builder(own);
        for (int a = 0; a < variables.size(); a++) {
            for (int b = a + 1; b < variables.size(); b++) {
                builder.cross(a, b, cov[2 * a][2 * b], cov[2 * a][2 * b + 1], cov[2 * a + 1][2 * b],
                        cov[2 * a + 1][2 * b + 1]);
            }
        }
        return builder.build();
    }

    @Test
    void theStatementsMomentsGiveTheAdjustmentOfThePerUnitValues() {
        ExperimentResult result = Analyzer.analyze(config(), EXP, warehouse);
        Map<String, List<double[]>> units = units();
        assertEquals(2, units.size());
        for (int m = 0; m < METRICS.size(); m++) {
            Map<String, JointMoments> arms = new LinkedHashMap<>();
            arms.put("control", joint(units.get("control"), m));
            arms.put("treat", joint(units.get("treat"), m));
            List<String> names = new ArrayList<>(List.of(METRICS.get(m)));
            METRICS.stream().filter(name -> !name.equals(names.get(0))).forEach(names::add);
            MultiCovariateAdjustment.Result expected = MultiCovariateAdjustment.compare(arms, "control",
                    DeltaMethodComparison.Options.of(0.05), names);
            MetricResult metric = result.metrics().get(m);
            assertEquals(METRICS.get(m), metric.metric());
            MetricResult.CupedResult cuped = metric.comparisons().get(0).cuped().orElseThrow();
            assertEquals(names, cuped.covariates().stream().map(MetricResult.Coefficient::metric).toList());
            for (int k = 0; k < names.size(); k++) {
                Double theta = expected.coefficients().get(k);
                Double actual = cuped.covariates().get(k).theta();
                String what = METRICS.get(m) + " theta of " + names.get(k);
                if (theta == null) {
                    assertEquals(null, actual, what);
                } else {
                    assertNotNull(actual, what);
                    assertEquals(theta, actual, 1e-9 * Math.abs(theta) + 1e-12, what);
                }
            }
            Comparison want = expected.comparisons().get(0).adjusted();
            Comparison got = cuped.adjusted();
            assertEquals(want.absolute().estimate(), got.absolute().estimate(),
                    1e-9 * Math.abs(want.absolute().estimate()) + 1e-12, METRICS.get(m) + " difference");
            assertEquals(want.absolute().stdError(), got.absolute().stdError(), 1e-7 * want.absolute().stdError(),
                    METRICS.get(m) + " SE");
            assertEquals(want.pValue(), got.pValue(), 1e-6 * want.pValue() + 1e-15, METRICS.get(m) + " p");
            assertTrue(cuped.varianceReduction() > 0, METRICS.get(m) + " variance reduction " + cuped.varianceReduction());
        }
    }

    /**
     * The covariates remove more variance than each metric's own pre-period alone: here revenue per session's own
     * pre-period ratio predicts it less well than the pre-period revenue and sessions apart.
     */
    @Test
    void moreCovariatesRemoveMoreVarianceThanTheOwnPrePeriod() {
        ExperimentResult several = Analyzer.analyze(config(), EXP, warehouse);
        ExperimentResult own = Analyzer.analyze(config(new Cuped(7)), EXP, warehouse);
        for (int m = 0; m < METRICS.size(); m++) {
            double many = several.metrics().get(m).comparisons().get(0).cuped().orElseThrow().varianceReduction();
            double one = own.metrics().get(m).comparisons().get(0).cuped().orElseThrow().varianceReduction();
            assertTrue(many >= one - 0.01, METRICS.get(m) + ": " + many + " vs own " + one);
        }
    }

    /** A config naming covariates asks for those alone: the others' pre-periods are not covariates. */
    @Test
    void listedCovariatesAreTheOnlyOnes() {
        ExperimentResult result = Analyzer.analyze(config(new Cuped(7, List.of(new MetricName("sessions")), false)),
                EXP, warehouse);
        assertEquals(List.of("revenue", "sessions"), result.metrics().get(0).comparisons().get(0).cuped().orElseThrow()
                .covariates().stream().map(MetricResult.Coefficient::metric).toList());
        assertEquals(List.of("sessions"), result.metrics().get(2).comparisons().get(0).cuped().orElseThrow()
                .covariates().stream().map(MetricResult.Coefficient::metric).toList());
    }
}
