package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.percentile;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.error.PulseException;
import dev.pulse.model.Direction;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.JsonOutput;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.GroupMoments;
import dev.pulse.stats.Interval;
import dev.pulse.stats.Percentiles;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A percentile metric through its two statements on a hand-computed data set in in-memory DuckDB:
 * the median (p = ½) of {@code latency} over rows with {@code page = 'checkout'}.
 *
 * <p>Experiment {@code exp}: window [2026-03-01, 2026-03-03), groups control and treat, α = ½ (so that
 * the levels fall inside (0, 1) on so few rows; z = z(0.75) = 0.6744897501960817, scipy
 * {@code norm.ppf(0.75)}). Counted rows per org (rows outside windows, NULL values, filtered rows and
 * excluded units in brackets):
 * <ul>
 *   <li>control 1: 1, 1, 2 [and 100 on 02-28, before its exposure]</li>
 *   <li>control 2: 2, 3 [and a NULL value: not a record]</li>
 *   <li>control 3, exposed 03-01 12:00: none [0 at 06:00, before its exposure] — counted with X = Y = 0</li>
 *   <li>control 4: 3, 5 [and 0 on 03-03, after the end]</li>
 *   <li>treat 5: 4, 6, 6 [and 0 on page 'home', filtered out]</li>
 *   <li>treat 6: 6, 8</li>
 *   <li>treat 7, exposed 03-02: 7 [and 0 on 03-01 23:00, before its exposure]</li>
 *   <li>org 8, in both groups: excluded [its 0]</li>
 * </ul>
 *
 * <p><b>Control.</b> Rows 1, 1, 2, 2, 3, 3, 5 (n = 7): Q̂ = x₍⌈3.5⌉₎ = x₍₄₎ = 2 (tie: both 2s count).
 * X = rows ≤ 2 = (3, 1, 0, 0), Y = (3, 2, 0, 2): x̄ = 1, ȳ = 7/4, s_xx = 6/3 = 2,
 * s_yy = (1.5625 + 0.0625 + 3.0625 + 0.0625)/3 = 19/12, s_xy = (2.5 + 0 + 1.75 − 0.25)/3 = 4/3.
 * p̂ = 4/7; linearized (X − p̂Y)/ȳ = (9/7, −1/7, 0, −8/7)/ȳ, so σ² = (146/49)/3/(49/16)/4 = 584/7203.
 * z·σ = 0.6744897501960817 · 0.28474… = 0.19206…: levels 0.30794… and 0.69206…;
 * ⌈7 · 0.30794⌉ = ⌈2.156⌉ = 3 → x₍₃₎ = 2; ⌈7 · 0.69206⌉ = ⌈4.844⌉ = 5 → x₍₅₎ = 3. Interval [2, 3].
 *
 * <p><b>Treat.</b> Rows 4, 6, 6, 6, 7, 8 (n = 6): Q̂ = x₍₃₎ = 6 (tie: three 6s count, p̂ > ½).
 * X = (3, 1, 0), Y = (3, 2, 1): x̄ = 4/3, ȳ = 2, s_xx = (25/9 + 1/9 + 16/9)/2 = 7/3, s_yy = 1,
 * s_xy = (5/3 + 0 + 4/3)/2 = 3/2. p̂ = 2/3; linearized (1, −1/3, −2/3)/2, σ² = (14/9)/2/4/3 = 7/108.
 * z·σ = 0.17171…: levels 0.32828… and 0.67172…; ⌈6 · 0.32828⌉ = ⌈1.970⌉ = 2 → 6;
 * ⌈6 · 0.67172⌉ = ⌈4.030⌉ = 5 → 7. Interval [6, 7].
 *
 * <p><b>Difference.</b> Both SE = 1/(2z); Δ = 4, SE = √2/(2z), interval 4 ± √2/2.
 */
class PercentileFetcherTest {
    private static final double TOLERANCE = 1e-12;
    private static final double Z_75 = 0.6744897501960817;
    private static final MetricName MEDIAN = new MetricName("median_latency");

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS SELECT * FROM (VALUES
                  ('exp', 'control', 1, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'control', 2, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'control', 3, TIMESTAMP '2026-03-01 12:00:00'),
                  ('exp', 'control', 4, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'treat',   5, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'treat',   6, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'treat',   7, TIMESTAMP '2026-03-02 00:00:00'),
                  ('exp', 'control', 8, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'treat',   8, TIMESTAMP '2026-03-01 01:00:00'),
                  ('tiny', 'control', 11, TIMESTAMP '2026-03-01 00:00:00'),
                  ('tiny', 'treat',   12, TIMESTAMP '2026-03-01 00:00:00')
                ) AS t(exp_name, variant, org, ts)""");
        warehouse.execute("""
                CREATE TABLE page_loads AS SELECT * FROM (VALUES
                  (1, TIMESTAMP '2026-03-01 01:00:00', 'checkout', 1),
                  (1, TIMESTAMP '2026-03-01 02:00:00', 'checkout', 1),
                  (1, TIMESTAMP '2026-03-02 03:00:00', 'checkout', 2),
                  (1, TIMESTAMP '2026-02-28 03:00:00', 'checkout', 100),
                  (2, TIMESTAMP '2026-03-01 04:00:00', 'checkout', 2),
                  (2, TIMESTAMP '2026-03-02 05:00:00', 'checkout', 3),
                  (2, TIMESTAMP '2026-03-02 06:00:00', 'checkout', NULL),
                  (3, TIMESTAMP '2026-03-01 06:00:00', 'checkout', 0),
                  (4, TIMESTAMP '2026-03-01 07:00:00', 'checkout', 3),
                  (4, TIMESTAMP '2026-03-02 23:59:59', 'checkout', 5),
                  (4, TIMESTAMP '2026-03-03 00:00:00', 'checkout', 0),
                  (5, TIMESTAMP '2026-03-01 08:00:00', 'checkout', 4),
                  (5, TIMESTAMP '2026-03-01 09:00:00', 'checkout', 6),
                  (5, TIMESTAMP '2026-03-02 10:00:00', 'checkout', 6),
                  (5, TIMESTAMP '2026-03-02 11:00:00', 'home', 0),
                  (6, TIMESTAMP '2026-03-01 12:00:00', 'checkout', 6),
                  (6, TIMESTAMP '2026-03-02 13:00:00', 'checkout', 8),
                  (7, TIMESTAMP '2026-03-02 14:00:00', 'checkout', 7),
                  (7, TIMESTAMP '2026-03-01 23:00:00', 'checkout', 0),
                  (8, TIMESTAMP '2026-03-01 15:00:00', 'checkout', 0),
                  (11, TIMESTAMP '2026-03-01 15:00:00', 'checkout', 1),
                  (11, TIMESTAMP '2026-03-01 16:00:00', 'checkout', 2),
                  (12, TIMESTAMP '2026-03-01 16:00:00', 'home', 2)
                ) AS t(org, ts, page, latency)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static PulseConfig config(String value) {
        return config(value, Direction.TWO_SIDED);
    }

    private static PulseConfig config(String value, Direction direction) {
        Experiment exp = experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-02",
                "median_latency");
        Experiment tiny = experiment("tiny", "exposures", List.of("control", "treat", "holdout"), "2026-03-01",
                "2026-03-02", "median_latency");
        return dev.pulse.plan.TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("page_loads", table("page_loads"))),
                List.of(percentile("median_latency", "page_loads", value, 0.5, "page = 'checkout'")
                        .withOptions(new MetricOptions(direction, Optional.empty()))),
                List.of(withAlpha(exp, 0.5), tiny));
    }

    private static Experiment withAlpha(Experiment e, double alpha) {
        return e.toBuilder().alpha(alpha).build();
    }

    @Test
    void handComputedQuantilesIndicatorMomentsAndLevels() {
        PercentileData data = PercentileFetcher.fetch(config("latency"), new ExperimentName("exp"), MEDIAN, warehouse);
        assertEquals(List.of("control", "treat"), data.groups().stream().map(PercentileData.GroupQuantile::name).toList());

        PercentileData.GroupQuantile control = data.group("control").orElseThrow();
        assertEquals(4, control.units());
        assertEquals(7, control.records());
        assertEquals(2.0, control.quantile());
        assertMoments(new GroupMoments(4, 1, 7.0 / 4, 2, 19.0 / 12, 4.0 / 3), control.indicatorMoments());
        assertClose(4.0 / 7, control.levels().observedProbability(), "control p-hat");
        double sigmaControl = Math.sqrt(584.0 / 7203);
        assertClose(sigmaControl, control.levels().standardError(), "control sigma");
        assertClose(0.5 - Z_75 * sigmaControl, control.levels().lowerLevel(), "control lower level");
        assertClose(0.5 + Z_75 * sigmaControl, control.levels().upperLevel(), "control upper level");
        assertEquals(2.0, control.interval().lower());
        assertEquals(3.0, control.interval().upper());
        assertClose(1 / (2 * Z_75), control.interval().stdError(), "control SE");
        assertEquals(List.of(), control.warnings());

        PercentileData.GroupQuantile treat = data.group("treat").orElseThrow();
        assertEquals(3, treat.units());
        assertEquals(6, treat.records());
        assertEquals(6.0, treat.quantile());
        assertMoments(new GroupMoments(3, 4.0 / 3, 2, 7.0 / 3, 1, 1.5), treat.indicatorMoments());
        assertClose(2.0 / 3, treat.levels().observedProbability(), "treat p-hat");
        double sigmaTreat = Math.sqrt(7.0 / 108);
        assertClose(sigmaTreat, treat.levels().standardError(), "treat sigma");
        assertClose(0.5 - Z_75 * sigmaTreat, treat.levels().lowerLevel(), "treat lower level");
        assertClose(0.5 + Z_75 * sigmaTreat, treat.levels().upperLevel(), "treat upper level");
        assertEquals(new Interval(6.0, treat.interval().stdError(), 6.0, 7.0), treat.interval());

        PercentileData.QuantileDifference difference = data.comparisons().get(0);
        assertEquals("treat", difference.group());
        assertEquals("control", difference.control());
        Percentiles.QuantileComparison statistics = difference.statistics().orElseThrow();
        assertEquals(Percentiles.compare(control.interval(), treat.interval(), 0.5), statistics);
        assertClose(4, statistics.absolute().estimate(), "difference");
        assertClose(Math.sqrt(2) / (2 * Z_75), statistics.absolute().stdError(), "difference SE");
        assertClose(4 - Math.sqrt(2) / 2, statistics.absolute().lower(), "difference lower");
        assertClose(4 + Math.sqrt(2) / 2, statistics.absolute().upper(), "difference upper");
        assertTrue(data.levelQuantilesSql().isPresent());
    }

    /**
     * Experiment {@code tiny} (α = 0.05): control has one unit (rows 1, 2: Q̂ = x₍₁₎ = 1, X = 1, Y = 2,
     * no σ), treat one unit whose only row is filtered out (no quantile), holdout no units at all.
     * No group has levels, so the level-quantiles statement is not run.
     */
    @Test
    void tinyGroupsHaveEstimatesOnlyAndNoThirdPass() {
        PercentileData data = PercentileFetcher.fetch(config("latency"), new ExperimentName("tiny"), MEDIAN, warehouse);
        PercentileData.GroupQuantile control = data.group("control").orElseThrow();
        assertEquals(1.0, control.quantile());
        assertEquals(new Interval(1.0, null, null, null), control.interval());
        assertEquals(List.of("group has fewer than 2 units"), control.warnings());
        PercentileData.GroupQuantile treat = data.group("treat").orElseThrow();
        assertEquals(1, treat.units());
        assertEquals(0, treat.records());
        assertNull(treat.quantile());
        assertEquals(List.of("group denominator sums to zero", "group has no rows with a value: no quantile"),
                treat.warnings());
        PercentileData.GroupQuantile holdout = data.group("holdout").orElseThrow();
        assertEquals(0, holdout.units());
        assertEquals(List.of("group has no units"), holdout.warnings());
        assertEquals(List.of("treat", "holdout"), data.comparisons().stream()
                .map(PercentileData.QuantileDifference::group).toList());
        assertEquals(Optional.empty(), data.comparisons().get(0).statistics());
        assertEquals(List.of("group 'treat' has no quantile"), data.comparisons().get(0).warnings());
        assertEquals(Optional.empty(), data.levelQuantilesSql());
    }

    /**
     * The analysis keeps a comparison whose group has no quantile: the JSON has it, with the quantile that
     * exists, every statistic null, {@code significant} false and the reason as a warning (experiment
     * {@code tiny}: treat has a unit but no record, holdout no unit).
     */
    @Test
    void aGroupWithoutRecordsKeepsItsComparisonWithNullsAndAWarning() throws Exception {
        ExperimentResult result = Analyzer.analyze(config("latency"), new ExperimentName("tiny"), warehouse);
        JsonNode comparisons = new ObjectMapper().readTree(JsonOutput.experiments(List.of(result)))
                .get("experiments").get(0).get("metrics").get(0).get("comparisons");
        assertEquals(2, comparisons.size(), comparisons.toString());
        JsonNode treat = comparisons.get(0);
        assertEquals("treat", treat.get("group").asText());
        assertEquals(1.0, treat.get("control_mean").asDouble());
        assertTrue(treat.get("treatment_mean").isNull(), treat.toString());
        assertEquals(1, treat.get("control_units").asLong());
        assertEquals(1, treat.get("treatment_units").asLong());
        for (String part : List.of("absolute", "relative")) {
            for (String field : List.of("estimate", "std_error", "ci_lower", "ci_upper")) {
                assertTrue(treat.get(part).get(field).isNull(), part + "." + field + ": " + treat);
            }
        }
        assertTrue(treat.get("p_value").isNull(), treat.toString());
        assertEquals(false, treat.get("significant").asBoolean());
        assertEquals("[\"group 'treat' has no quantile\"]", treat.get("warnings").toString());
        JsonNode holdout = comparisons.get(1);
        assertEquals("holdout", holdout.get("group").asText());
        assertEquals(0, holdout.get("treatment_units").asLong());
        assertTrue(holdout.get("p_value").isNull(), holdout.toString());
        assertEquals("[\"group 'holdout' has no quantile\"]", holdout.get("warnings").toString());
    }

    /**
     * The metric's direction makes the comparison of {@code exp} (α = ½) one-sided. Δ = 4,
     * SE = √2/(2z(0.75)), Δ/SE = 3.8154902096357586; scipy: {@code norm.sf} = 6.79564225353801e-05 (half
     * the two-sided 0.0001359128450707602), {@code norm.cdf} = 0.9999320435774646. At α = ½ the one-sided
     * bound is Δ itself (z(½) = 0): [4, +∞) for an increase, (−∞, 4] for a decrease; the relative
     * difference 6/2 − 1 = 2 likewise.
     */
    @Test
    void aDirectionMakesThePercentileComparisonOneSided() {
        Comparison twoSided = comparison(Direction.TWO_SIDED);
        assertClose(0.0001359128450707602, twoSided.pValue(), 1e-12, "two-sided p");

        Comparison increase = comparison(Direction.INCREASE);
        assertClose(6.79564225353801e-05, increase.pValue(), 1e-12, "p, increase");
        assertClose(twoSided.pValue() / 2, increase.pValue(), 1e-15, "p, increase = two-sided / 2");
        assertTrue(increase.significant());
        assertClose(4, increase.absolute().lower(), "lower, increase");
        assertNull(increase.absolute().upper());
        assertTrue(increase.absolute().upperUnbounded());
        assertClose(2, increase.relative().lower(), "relative lower, increase");
        assertTrue(increase.relative().upperUnbounded());

        Comparison decrease = comparison(Direction.DECREASE);
        assertClose(0.9999320435774646, decrease.pValue(), 1e-12, "p, decrease");
        assertTrue(!decrease.significant());
        assertClose(4, decrease.absolute().upper(), "upper, decrease");
        assertTrue(decrease.absolute().lowerUnbounded());
        assertClose(twoSided.absolute().stdError(), decrease.absolute().stdError(), "SE");
    }

    private Comparison comparison(Direction direction) {
        ExperimentResult result = Analyzer.analyze(config("latency", direction), new ExperimentName("exp"), warehouse);
        assertEquals(direction, result.metrics().get(0).direction());
        return result.metrics().get(0).comparisons().get(0).statistics();
    }

    /** DuckDB's physical plans: the indicator statement reads the source at most twice, the level statement once. */
    @Test
    void atMostThreePassesOverTheSource() {
        PercentileData data = PercentileFetcher.fetch(config("latency"), new ExperimentName("exp"), MEDIAN, warehouse);
        int indicatorScans = scans(data.indicatorSql());
        int levelScans = scans(data.levelQuantilesSql().orElseThrow());
        System.out.printf("page_loads scans: indicator statement %d, level statement %d%n", indicatorScans, levelScans);
        assertTrue(indicatorScans >= 1 && indicatorScans <= 2, "indicator statement scans " + indicatorScans);
        assertEquals(1, levelScans);
    }

    private int scans(String sql) {
        // the level statement's group names and buckets are parameters: any value gives the same plan
        int parameters = sql.split("\\?", -1).length - 1;
        String plan = warehouse.query("EXPLAIN " + sql, java.util.Collections.nCopies(parameters, "x")).rows().stream()
                .map(row -> String.valueOf(row.get("explain_value"))).reduce("", String::concat);
        return plan.split("page_loads", -1).length - 1;
    }

    @Test
    void warehouseFailureNamesTheMetricAndItsValue() {
        PulseException failure = assertThrows(PulseException.class, () -> PercentileFetcher.fetch(
                config("latencyy"), new ExperimentName("exp"), MEDIAN, warehouse));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertTrue(failure.getMessage().startsWith(
                "experiment 'exp', percentile metric 'median_latency' value 'latencyy': "), failure.getMessage());
    }

    @Test
    void ordinaryStatementStillCountsTheUnitsOfAPercentileOnlyExperiment() {
        ExperimentData data = MomentsFetcher.fetch(config("latency"), new ExperimentName("exp"), warehouse);
        assertEquals(4L, data.units().get("control"));
        assertEquals(3L, data.units().get("treat"));
        assertEquals(1, data.excludedMultipleGroups());
        assertTrue(data.moments().isEmpty());
    }

    private static void assertMoments(GroupMoments expected, GroupMoments actual) {
        assertEquals(expected.n(), actual.n());
        assertClose(expected.meanX(), actual.meanX(), "mean X");
        assertClose(expected.meanY(), actual.meanY(), "mean Y");
        assertClose(expected.varX(), actual.varX(), "var X");
        assertClose(expected.varY(), actual.varY(), "var Y");
        assertClose(expected.covXY(), actual.covXY(), "cov XY");
    }

    private static void assertClose(double expected, Double actual, String what) {
        assertEquals(expected, actual, TOLERANCE, what);
    }

    private static void assertClose(double expected, Double actual, double tolerance, String what) {
        assertEquals(expected, actual, tolerance, what);
    }
}
