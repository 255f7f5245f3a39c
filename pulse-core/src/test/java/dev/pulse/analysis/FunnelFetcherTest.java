package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.funnel;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.Dimensions;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Funnel metrics through their statement on a hand-worked data set in in-memory DuckDB (docs/metric-types.md#funnel).
 * Steps: viewed (events, {@code event = 'view'}), carted (events, {@code event = 'cart'}), bought (purchases).
 * Experiment {@code exp}: 2026-03-01 to 2026-03-03 (rows count in [first exposure, 03-04 00:00)), groups control
 * and treat. Three funnels, each a 1-day (24 h) window:
 * <ul>
 *   <li>A {@code funnel_first}: ordered, window from the first step, denominator first_step;</li>
 *   <li>C {@code funnel_previous}: ordered, window from the previous step, denominator first_step;</li>
 *   <li>B {@code funnel_unordered}: not ordered, window from the previous step, denominator exposed.</li>
 * </ul>
 * Per unit (times on 03-01 unless a date is given; [rows in brackets] do not count), reached (viewed, carted, bought):
 * <pre>
 * control
 *  1  view 10:00; cart 09:00 (before the view), cart 12:00; buy 03-02 10:00 (exactly t1 + 1 day)
 *     A: t1 10:00, t2 12:00, buy not &lt; t1 + 1d → (1,1,0); C: buy &lt; t2 + 1d = 03-02 12:00 → (1,1,1);
 *     B: t2 = earliest cart &lt; t1 + 1d = 09:00, buy not &lt; 03-02 09:00 → (1,1,0)
 *  2  [view 02-28: before exposure]; view, cart and buy all at 08:00 (ties count as in order) → (1,1,1) in A, B, C
 *  3  exposed 12:00; [view 06:00: before exposure]; cart 13:00 → no step 1: (0,0,0), also in B
 *  4  no rows → (0,0,0)
 *  5  event NULL 01:00 (a NULL filter: no step); view 02:00; buy 03:00 without a cart → (1,0,0)
 *  6  exposed 03-01 and again 03-02 (first exposure 03-01); view 05:00, cart 06:00, buy 07:00 → (1,1,1)
 * treat
 *  7  view 10:00; cart 03-02 09:59:59 (inside t1 + 1d); buy 03-02 09:00 (before the cart), buy 03-02 10:00 (at the edge)
 *     A: (1,1,0); C: buy ≥ t2 and &lt; 03-03 09:59:59 → 03-02 10:00: (1,1,1); B: earliest buy 03-02 09:00 → (1,1,1)
 *  8  view 01:00, view 20:00; cart 03-02 15:00 (after t1 + 1d = 03-02 01:00) → (1,0,0) in A, B, C
 *  9  view 03-03 23:00; [cart 03-04 00:00: after the end] → (1,0,0)
 * 10  view 05:00, cart 06:00, buy 07:00 → (1,1,1)
 * 11  exposed to both groups: excluded (its rows are ignored)
 * 12  exposed 03-02 00:00; [view 03-01 05:00: before exposure]; cart 03-02 01:00, view 03-02 02:00, buy 03-02 03:00
 *     A, C: t1 02:00, no cart at or after it → (1,0,0); B: cart 01:00 &lt; t1 + 1d, buy &lt; t2 + 1d → (1,1,1)
 * </pre>
 * Overall conversion (A, C: ΣX/ΣY = Σreached_3 / Σreached_1; B: mean of reached_3 over all units):
 * A control 2/4, treat 1/5; C control 3/4, treat 2/5; B control 2/6, treat 3/5.
 * Steps (Σreached_k / Σreached_{k−1}): A carted 3/4 and 2/5, bought 2/3 and 1/2; C carted 3/4 and 2/5, bought 3/3
 * and 2/2; B carted 3/4 and 3/5, bought 2/3 and 3/3.
 *
 * <p>Moments of A's overall conversion in control: X = (0,1,0,0,0,1), Y = (1,1,0,0,1,1): x̄ = 1/3, ȳ = 2/3,
 * s_xx = (2 − 6/9)/5 = 4/15, s_yy = (4 − 24/9)/5 = 4/15, s_xy = (2 − 12/9)/5 = 2/15; treat X = (0,0,0,1,0), Y ≡ 1
 * over its 5 units: x̄ = 1/5, s_xx = (1 − 5/25)/4 = 1/5, ȳ = 1, s_yy = s_xy = 0.
 *
 * <p>Experiment {@code exp_dims} (the same exposures) is {@code exp} by {@code country} (DE: units 1, 3, 7, 8; US: the others).
 * A among DE: control units 1 (1,1,0) and 3 (0,0,0) → overall 0/1, carted 1/1; treat 7 (1,1,0) and 8 (1,0,0) →
 * overall 0/2, carted 1/2.
 */
class FunnelFetcherTest {
    static final double TOLERANCE = 1e-12;
    static final ExperimentName EXP = new ExperimentName("exp");
    static final ExperimentName EXP_DIMS = new ExperimentName("exp_dims");
    static final List<String> FUNNELS = List.of("funnel_first", "funnel_previous", "funnel_unordered");

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS SELECT * FROM (VALUES
                  ('exp', 'control', 1, TIMESTAMP '2026-03-01 00:00:00', 'DE'),
                  ('exp', 'control', 2, TIMESTAMP '2026-03-01 00:00:00', 'US'),
                  ('exp', 'control', 3, TIMESTAMP '2026-03-01 12:00:00', 'DE'),
                  ('exp', 'control', 4, TIMESTAMP '2026-03-01 00:00:00', 'US'),
                  ('exp', 'control', 5, TIMESTAMP '2026-03-01 00:00:00', 'US'),
                  ('exp', 'control', 6, TIMESTAMP '2026-03-01 00:00:00', 'US'),
                  ('exp', 'control', 6, TIMESTAMP '2026-03-02 00:00:00', 'US'),
                  ('exp', 'treat',   7, TIMESTAMP '2026-03-01 00:00:00', 'DE'),
                  ('exp', 'treat',   8, TIMESTAMP '2026-03-01 00:00:00', 'DE'),
                  ('exp', 'treat',   9, TIMESTAMP '2026-03-01 00:00:00', 'US'),
                  ('exp', 'treat',  10, TIMESTAMP '2026-03-01 00:00:00', 'US'),
                  ('exp', 'control', 11, TIMESTAMP '2026-03-01 00:00:00', 'US'),
                  ('exp', 'treat',  11, TIMESTAMP '2026-03-01 01:00:00', 'US'),
                  ('exp', 'treat',  12, TIMESTAMP '2026-03-02 00:00:00', 'US')
                ) AS t(exp_name, variant, org, ts, country)""");
        warehouse.execute("INSERT INTO exposures SELECT 'exp_dims', variant, org, ts, country FROM exposures");
        warehouse.execute("""
                CREATE TABLE events AS SELECT * FROM (VALUES
                  (1, TIMESTAMP '2026-03-01 10:00:00', 'view'),
                  (1, TIMESTAMP '2026-03-01 09:00:00', 'cart'),
                  (1, TIMESTAMP '2026-03-01 12:00:00', 'cart'),
                  (2, TIMESTAMP '2026-02-28 08:00:00', 'view'),
                  (2, TIMESTAMP '2026-03-01 08:00:00', 'view'),
                  (2, TIMESTAMP '2026-03-01 08:00:00', 'cart'),
                  (3, TIMESTAMP '2026-03-01 06:00:00', 'view'),
                  (3, TIMESTAMP '2026-03-01 13:00:00', 'cart'),
                  (5, TIMESTAMP '2026-03-01 01:00:00', NULL),
                  (5, TIMESTAMP '2026-03-01 02:00:00', 'view'),
                  (6, TIMESTAMP '2026-03-01 05:00:00', 'view'),
                  (6, TIMESTAMP '2026-03-01 06:00:00', 'cart'),
                  (7, TIMESTAMP '2026-03-01 10:00:00', 'view'),
                  (7, TIMESTAMP '2026-03-02 09:59:59', 'cart'),
                  (8, TIMESTAMP '2026-03-01 01:00:00', 'view'),
                  (8, TIMESTAMP '2026-03-01 20:00:00', 'view'),
                  (8, TIMESTAMP '2026-03-02 15:00:00', 'cart'),
                  (9, TIMESTAMP '2026-03-03 23:00:00', 'view'),
                  (9, TIMESTAMP '2026-03-04 00:00:00', 'cart'),
                  (10, TIMESTAMP '2026-03-01 05:00:00', 'view'),
                  (10, TIMESTAMP '2026-03-01 06:00:00', 'cart'),
                  (11, TIMESTAMP '2026-03-01 05:00:00', 'view'),
                  (11, TIMESTAMP '2026-03-01 06:00:00', 'cart'),
                  (12, TIMESTAMP '2026-03-01 05:00:00', 'view'),
                  (12, TIMESTAMP '2026-03-02 01:00:00', 'cart'),
                  (12, TIMESTAMP '2026-03-02 02:00:00', 'view')
                ) AS t(org, ts, event)""");
        warehouse.execute("""
                CREATE TABLE purchases AS SELECT * FROM (VALUES
                  (1, TIMESTAMP '2026-03-02 10:00:00', 10.0),
                  (2, TIMESTAMP '2026-03-01 08:00:00', 10.0),
                  (5, TIMESTAMP '2026-03-01 03:00:00', 10.0),
                  (6, TIMESTAMP '2026-03-01 07:00:00', 10.0),
                  (7, TIMESTAMP '2026-03-02 09:00:00', 10.0),
                  (7, TIMESTAMP '2026-03-02 10:00:00', 10.0),
                  (8, TIMESTAMP '2026-03-02 16:00:00', 10.0),
                  (10, TIMESTAMP '2026-03-01 07:00:00', 10.0),
                  (11, TIMESTAMP '2026-03-01 07:00:00', 10.0),
                  (12, TIMESTAMP '2026-03-02 03:00:00', 10.0)
                ) AS t(org, ts, amount)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    /** Experiments {@code exp} and {@code exp_dims} with the three funnels. */
    static PulseConfig config() {
        String[][] steps = {
            {"viewed", "events", "event = 'view'"}, {"carted", "events", "event = 'cart'"}, {"bought", "purchases", null}};
        Experiment exp = experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-03",
                FUNNELS.toArray(String[]::new));
        Experiment dims = experiment("exp_dims", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-03",
                FUNNELS.toArray(String[]::new));
        dims = dims.withDimensions(new Dimensions(List.of("country"), 5));
        return dev.pulse.plan.TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events")),
                        metricSource("purchases", table("purchases"))),
                List.of(funnel("funnel_first", 1, Metric.Funnel.WindowFrom.FIRST_STEP, true,
                                Metric.Funnel.Denominator.FIRST_STEP, steps),
                        funnel("funnel_previous", 1, Metric.Funnel.WindowFrom.PREVIOUS_STEP, true,
                                Metric.Funnel.Denominator.FIRST_STEP, steps),
                        funnel("funnel_unordered", 1, Metric.Funnel.WindowFrom.PREVIOUS_STEP, false,
                                Metric.Funnel.Denominator.EXPOSED, steps)),
                List.of(exp, dims));
    }

    @Test
    void handWorkedMomentsOfTheOverallConversion() {
        FunnelData data = FunnelFetcher.fetch(config(), EXP, new MetricName("funnel_first"), warehouse);
        GroupMoments control = data.conversions().overall().get("control").withShift(0);
        assertEquals(6, control.n());
        assertClose(1.0 / 3, control.meanX(), "mean x");
        assertClose(2.0 / 3, control.meanY(), "mean y");
        assertClose(4.0 / 15, control.varX(), "var x");
        assertClose(4.0 / 15, control.varY(), "var y");
        assertClose(2.0 / 15, control.covXY(), "cov xy");
        GroupMoments treat = data.conversions().overall().get("treat").withShift(0);
        assertEquals(5, treat.n());
        assertClose(0.2, treat.meanX(), "treat mean x");
        assertClose(1, treat.meanY(), "treat mean y");
        assertClose(0.2, treat.varX(), "treat var x");
        assertEquals(List.of("carted", "bought"), List.copyOf(data.conversions().steps().keySet()));
    }

    @Test
    void handWorkedConversionsOfEveryFunnel() {
        ExperimentResult result = Analyzer.analyze(config(), EXP, warehouse);
        assertEquals(List.of(6L, 5L), result.groups().stream().map(ExperimentResult.GroupCount::units).toList());
        assertEquals(1, result.excludedMultipleGroups());
        // {control, treat} per: overall, carted, bought
        Map<String, double[][]> expected = Map.of(
                "funnel_first", new double[][] {{2.0 / 4, 1.0 / 5}, {3.0 / 4, 2.0 / 5}, {2.0 / 3, 1.0 / 2}},
                "funnel_previous", new double[][] {{3.0 / 4, 2.0 / 5}, {3.0 / 4, 2.0 / 5}, {1, 1}},
                "funnel_unordered", new double[][] {{2.0 / 6, 3.0 / 5}, {3.0 / 4, 3.0 / 5}, {2.0 / 3, 1}});
        for (String name : FUNNELS) {
            MetricResult metric = metric(result.metrics(), name);
            assertEquals("funnel", metric.type());
            double[][] values = expected.get(name);
            assertMeans(values[0], metric.comparisons().get(0), name + " overall");
            assertEquals(List.of("carted", "bought"), metric.steps().stream().map(MetricResult.Step::step).toList());
            for (int k = 0; k < 2; k++) {
                MetricResult.Step step = metric.steps().get(k);
                assertMeans(values[k + 1], step.comparisons().get(0), name + " " + step.step());
                assertTrue(step.comparisons().get(0).corrected().isEmpty(), "steps are not corrected");
            }
        }
    }

    @Test
    void dimensionValuesHaveTheirOwnFunnel() {
        ExperimentResult result = Analyzer.analyze(config(), EXP_DIMS, warehouse);
        ExperimentResult.DimensionResult de = result.dimensions().stream()
                .filter(d -> d.dimension().equals("country") && d.value().equals("DE")).findFirst().orElseThrow();
        MetricResult first = metric(de.metrics(), "funnel_first");
        assertMeans(new double[] {0, 0}, first.comparisons().get(0), "DE overall");
        assertMeans(new double[] {1, 0.5}, first.steps().get(0).comparisons().get(0), "DE carted");
        // the experiment-wide rows of the same statement match exp's
        assertMeans(new double[] {0.5, 0.2}, metric(result.metrics(), "funnel_first").comparisons().get(0), "all");
    }

    /**
     * The same figures from raw rows by an independent script (pulse-core/src/test/python/reference_funnel.py,
     * its output checked in as reference/funnel_reference.json): group values, difference, its standard error
     * and p-value (null where the difference has no spread).
     */
    @Test
    void matchesTheIndependentReference() throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode reference;
        try (var in = getClass().getResourceAsStream("/reference/funnel_reference.json")) {
            reference = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).get("funnels");
        }
        ExperimentResult result = Analyzer.analyze(config(), EXP, warehouse);
        for (String name : FUNNELS) {
            MetricResult metric = metric(result.metrics(), name);
            assertReference(reference.get(name).get("overall"), metric.comparisons().get(0), name);
            for (MetricResult.Step step : metric.steps()) {
                assertReference(reference.get(name).get(step.step()), step.comparisons().get(0), name + " " + step.step());
            }
        }
    }

    private static void assertReference(com.fasterxml.jackson.databind.JsonNode expected,
                                        MetricResult.GroupComparison comparison, String what) {
        dev.pulse.stats.Comparison c = comparison.statistics();
        assertEquals(expected.get("control_units").asLong(), c.controlUnits(), what);
        assertEquals(expected.get("treatment_units").asLong(), c.treatmentUnits(), what);
        assertClose(expected.get("control_mean").asDouble(), c.controlMean(), what + " control");
        assertClose(expected.get("treatment_mean").asDouble(), c.treatmentMean(), what + " treat");
        assertClose(expected.get("absolute_estimate").asDouble(), c.absolute().estimate(), what + " difference");
        if (expected.get("p_value").isNull()) {
            assertEquals(null, c.pValue(), what + " p");
        } else {
            assertClose(expected.get("std_error").asDouble(), c.absolute().stdError(), what + " SE");
            assertTrue(Math.abs(expected.get("p_value").asDouble() - c.pValue()) <= 1e-9, what + " p: "
                    + expected.get("p_value") + " vs " + c.pValue());
        }
    }

    static MetricResult metric(List<MetricResult> metrics, String name) {
        return metrics.stream().filter(m -> m.metric().equals(name)).findFirst().orElseThrow();
    }

    private static void assertMeans(double[] expected, MetricResult.GroupComparison comparison, String what) {
        assertClose(expected[0], comparison.statistics().controlMean(), what + " control");
        assertClose(expected[1], comparison.statistics().treatmentMean(), what + " treat");
    }

    private static void assertClose(double expected, Double actual, String what) {
        assertTrue(actual != null && Math.abs(expected - actual) <= TOLERANCE, what + ": " + expected + " vs " + actual);
    }
}
