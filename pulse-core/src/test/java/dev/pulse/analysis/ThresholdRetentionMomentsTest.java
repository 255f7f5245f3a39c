package dev.pulse.analysis;

import static dev.pulse.analysis.CupedMomentsTest.assertClose;
import static dev.pulse.analysis.CupedMomentsTest.assertMoments;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.query;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.AggregateFunction;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Cuped;
import dev.pulse.model.Direction;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.SourceName;
import dev.pulse.model.UnitThreshold;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.CsvOutput;
import dev.pulse.output.JsonOutput;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Threshold and retention metrics (docs/metric-types.md#threshold, #retention) on the hand-computed data
 * of {@code src/test/resources/threshold_retention/*.csv} in in-memory DuckDB, checked by hand below and
 * against {@code expected.json}, computed from the same rows by
 * {@code src/test/python/reference_threshold_retention.py} without Pulse.
 *
 * <p>Experiment {@code exp} runs 2026-03-01 to 2026-03-10: exposures and rows count before 03-11 00:00.
 * Org 9 is in both groups and org 11 was exposed after the end: neither is a unit. Org 1 is exposed twice
 * (first exposure 03-01). Purchases counted (from the first exposure to the end):
 * <pre>
 *   org group    first exposure  counted purchases (amount product)                 sum   rows distinct
 *   1   control  03-01 00:00     60 A, 40 A, NULL A (02-28's 500 is before exposure) 100    3    1
 *   2   control  03-02 12:00     99.5 A, NULL NULL (03-11 00:00's 1000 is after end) 99.5   2    1
 *   3   control  03-01 00:00     none                                                 0     0    0
 *   4   control  03-06 00:00     150 B (03-06 01:00), -20 C (03-07)                  130    2    2
 *   5   control  03-06 00:00:01  -5 A                                                 -5    1    1
 *   6   treat    03-01 00:00     100 A (at the exposure: counted), NULL B            100    2    2
 *   7   treat    03-02 00:00     30 A on 03-02, 03-03, 03-04                           90    3    1
 *   8   treat    03-08 00:00     200 A on 03-10 01:00 (03-07's 300 is before exposure) 200  1    1
 *   10  treat    03-03 00:00     none                                                 0     0    0
 * </pre>
 * Threshold X per unit, control orgs 1–5 | treat orgs 6, 7, 8, 10 (variance of k ones in n: k(n−k)/(n(n−1))):
 * <pre>
 *   big_spenders         sum >= 100     1 0 0 1 0 | 1 0 1 0   2/5, var 0.3   | 1/2, var 1/3   (ties at 100 count)
 *   big_spenders_strict  sum > 100      0 0 0 1 0 | 0 0 1 0   1/5, var 0.2   | 1/4, var 1/4
 *   frequent_buyers      count >= 3     1 0 0 0 0 | 0 1 0 0   1/5            | 1/4   (org 1's NULL row counts)
 *   multi_product        distinct >= 2  0 0 0 1 0 | 1 0 0 0   1/5            | 1/4   (NULL products ignored)
 *   no_net_refund        sum >= 0       1 1 1 1 0 | 1 1 1 1   4/5, var 0.2   | 1, var 0  (units without rows: 0 >= 0)
 *   big_spenders_d2      sum >= 100 in [fe, fe + 2 days), all windows closed by 03-11:
 *                                       1 0 0 1 0 | 1 0 0 0   2/5            | 1/4   (org 7: 60; org 8's row is at fe + 2d 1h)
 * </pre>
 * Retention {@code d3_retention}: a session in {@code [fe + 3 days, fe + 5 days)}, counted when
 * {@code fe + 5 days <= 03-11 00:00}. Org 1: 03-04 00:00, at the window's start: 1. Org 2: 03-04 12:00
 * (before) and 03-07 12:00 (at the end, out): 0. Org 3: no rows: 0. Org 4: window closes 03-11 00:00
 * exactly (closed); 03-09 session: 1 (03-10 click filtered out). Org 5: open, left out. Org 6: 03-05 23:59:
 * 1. Org 7: 03-04 23:59 (before), 03-07 00:00 (at the end): 0. Org 8: open, left out. Org 10: a click and a
 * NULL event only: 0. Control 1 0 0 1: 1/2, var 1/3; treat 1 0 0: 1/3, var 1/3; 2 units left out.
 *
 * <p>{@code exp_cuped} is the same experiment with CUPED over 7 days. X₀ of big_spenders: org 1 (500 on
 * 02-28) and org 8 (300 on 03-07) reach 100 before exposure: control 1 0 0 0 0, treat 0 0 1 0; cov(X, X₀)
 * control (1 − 5·0.4·0.2)/4 = 0.15, treat (1 − 4·0.5·0.25)/3 = 1/6. X₀ of no_net_refund is 1 for every unit
 * (0 >= 0 without pre-period rows). X₀ of d3_retention: org 6's session of 02-27: treat 1 0 0, control 0s.
 */
class ThresholdRetentionMomentsTest {
    private static final ExperimentName EXP = new ExperimentName("exp");
    private static final ExperimentName EXP_CUPED = new ExperimentName("exp_cuped");
    private static final String[] METRICS = {"big_spenders", "big_spenders_strict", "frequent_buyers",
            "multi_product", "no_net_refund", "big_spenders_d2", "d3_retention"};

    private Warehouse warehouse;

    @BeforeEach
    void createData() throws IOException {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        load("exposures", "{'exp_name': 'VARCHAR', 'variant': 'VARCHAR', 'org': 'BIGINT', 'ts': 'TIMESTAMP'}");
        load("purchases", "{'org': 'BIGINT', 'ts': 'TIMESTAMP', 'amount': 'DOUBLE', 'product': 'VARCHAR'}");
        load("events", "{'org': 'BIGINT', 'ts': 'TIMESTAMP', 'event': 'VARCHAR'}");
    }

    /** The CSV from the classpath (also from pulse-core's test jar, for Spark's equivalence test) as a table. */
    private void load(String table, String columns) throws IOException {
        Path file = Files.createTempFile("pulse-" + table, ".csv");
        try (InputStream in = getClass().getResourceAsStream("/threshold_retention/" + table + ".csv")) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        warehouse.execute("CREATE TABLE " + table + " AS SELECT * FROM read_csv('" + file + "', header = true,"
                + " columns = " + columns + ")");
        Files.delete(file);
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static PulseConfig config() {
        SourceName purchases = new SourceName("purchases");
        List<Metric> metrics = List.of(
                threshold("big_spenders", AggregateFunction.SUM, "amount", 100, UnitThreshold.Comparison.AT_LEAST),
                threshold("big_spenders_strict", AggregateFunction.SUM, "amount", 100, UnitThreshold.Comparison.ABOVE),
                threshold("frequent_buyers", AggregateFunction.COUNT_ROWS, null, 3, UnitThreshold.Comparison.AT_LEAST),
                threshold("multi_product", AggregateFunction.COUNT_DISTINCT, "product", 2, UnitThreshold.Comparison.AT_LEAST),
                threshold("no_net_refund", AggregateFunction.SUM, "amount", 0, UnitThreshold.Comparison.AT_LEAST),
                threshold("big_spenders_d2", AggregateFunction.SUM, "amount", 100, UnitThreshold.Comparison.AT_LEAST)
                        .withOptions(new MetricOptions(Direction.TWO_SIDED, Optional.empty(),
                                Optional.of(new MetricWindow(0, 2)))),
                new Metric.Retention(new MetricName("d3_retention"), new SourceName("events"),
                        Optional.of("event = 'session'"), new MetricWindow(3, 5)));
        assertEquals(purchases, metrics.get(0).numerator().source());
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        assignment("exposures_cuped", query("SELECT 'exp_cuped' AS exp_name, variant, org, ts\n"
                                + "FROM exposures\nWHERE exp_name = 'exp'")),
                        metricSource("purchases", table("purchases")), metricSource("events", table("events"))),
                metrics,
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-10",
                                METRICS).withTimeseries(true),
                        experiment("exp_cuped", "exposures_cuped", List.of("control", "treat"), "2026-03-01",
                                "2026-03-10", METRICS).withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(7)))));
    }

    private static Metric threshold(String name, AggregateFunction function, String value, double threshold,
                                    UnitThreshold.Comparison comparison) {
        return new Metric.Threshold(new MetricName(name), new SourceName("purchases"), function,
                Optional.ofNullable(value), Optional.empty(), new UnitThreshold(threshold, comparison));
    }

    @Test
    void aThresholdIsTheShareOfUnitsWhoseAggregateReachesItWithTiesNullsAndUnitsWithoutRowsAsDocumented() {
        ExperimentData data = MomentsFetcher.fetch(config(), EXP, warehouse);
        assertEquals(Map.of("control", 5L, "treat", 4L), data.units());
        assertEquals(1, data.excludedMultipleGroups());
        assertBinary(data, "big_spenders", 5, 2, 4, 2);
        assertBinary(data, "big_spenders_strict", 5, 1, 4, 1);
        assertBinary(data, "frequent_buyers", 5, 1, 4, 1);
        assertBinary(data, "multi_product", 5, 1, 4, 1);
        assertBinary(data, "no_net_refund", 5, 4, 4, 4);
        assertBinary(data, "big_spenders_d2", 5, 2, 4, 1);
        assertEquals(0L, data.excludedWindowOpen().get(new MetricName("big_spenders_d2")));
    }

    @Test
    void retentionCountsOnlyUnitsWhoseWindowClosedAndReportsTheOthers() throws Exception {
        ExperimentData data = MomentsFetcher.fetch(config(), EXP, warehouse);
        assertBinary(data, "d3_retention", 4, 2, 3, 1);
        assertEquals(2L, data.excludedWindowOpen().get(new MetricName("d3_retention")));

        ExperimentResult result = Analyzer.results(config(), EXP, data);
        MetricResult retention = result.metrics().get(6);
        assertEquals("retention", retention.type());
        assertEquals(4, retention.comparisons().get(0).statistics().controlUnits());
        assertEquals(3, retention.comparisons().get(0).statistics().treatmentUnits());
        JsonNode json = new ObjectMapper().readTree(JsonOutput.experiments(List.of(result)))
                .get("experiments").get(0).get("metrics");
        assertEquals("threshold", json.get(0).get("type").asText());
        assertEquals("retention", json.get(6).get("type").asText());
        assertEquals(2, json.get(6).get("excluded_units_window_open").asLong());
        assertTrue(ConsoleTable.experiments(List.of(result))
                .contains("Metric window of d3_retention: 2 units left out, their window had not closed by the end"));
        String csv = CsvOutput.experiments(List.of(result));
        assertTrue(csv.contains(",big_spenders,") && csv.contains(",threshold,") && csv.contains(",d3_retention,")
                && csv.contains(",retention,"), csv);
    }

    @Test
    void underCupedThePrePeriodValueIsTheSameIndicatorOverThePrePeriodRows() {
        ExperimentData data = MomentsFetcher.fetch(config(), EXP_CUPED, warehouse);
        CovariateMoments control = data.covariates().get(new MetricName("big_spenders")).get("control");
        assertMoments(control.pre(), 5, 0.2, 1, 0.2, 0, 0);
        assertClose(0.15, control.withShifts(0, 0).covXX0(), "cov(X, X0) control");
        CovariateMoments treat = data.covariates().get(new MetricName("big_spenders")).get("treat");
        assertMoments(treat.pre(), 4, 0.25, 1, 0.25, 0, 0);
        assertClose(1.0 / 6, treat.withShifts(0, 0).covXX0(), "cov(X, X0) treat");
        // no pre-period rows: the aggregate is 0, which reaches a threshold of 0
        assertMoments(data.covariates().get(new MetricName("no_net_refund")).get("control").pre(), 5, 1, 1, 0, 0, 0);
        CovariateMoments retained = data.covariates().get(new MetricName("d3_retention")).get("treat");
        assertMoments(retained.pre(), 3, 1.0 / 3, 1, 1.0 / 3, 0, 0);
        assertClose(1.0 / 3, retained.withShifts(0, 0).covXX0(), "cov(X, X0) retention treat");
    }

    /**
     * Daily results of a threshold: on each day the threshold of each unit's running aggregate. 03-01:
     * orgs 1 (60), 3 | 6 (100): control 0 of 2, treat 1 of 1. 03-02: org 1 reaches 100 exactly; orgs 2 and 7
     * join: control 1 of 3, treat 1 of 2. 03-10 is the full result. Windowed metrics have no daily results.
     */
    @Test
    void dailyResultsOfAThresholdAreTheThresholdOfTheRunningAggregate() {
        List<DailyMoments> days = MomentsFetcher.fetch(config(), EXP, warehouse).timeseries();
        assertEquals(10, days.size());
        MetricName big = new MetricName("big_spenders");
        assertMoments(days.get(0).moments().get(big).get("control"), 2, 0, 1, 0, 0, 0);
        assertEquals(1, days.get(0).moments().get(big).get("treat").withShift(0).n());
        assertClose(1, days.get(0).moments().get(big).get("treat").withShift(0).meanX(), "day 0 treat");
        assertMoments(days.get(1).moments().get(big).get("control"), 3, 1.0 / 3, 1, 1.0 / 3, 0, 0);
        assertMoments(days.get(1).moments().get(big).get("treat"), 2, 0.5, 1, 0.5, 0, 0);
        assertMoments(days.get(9).moments().get(big).get("treat"), 4, 0.5, 1, 1.0 / 3, 0, 0);
        assertTrue(!days.get(9).moments().containsKey(new MetricName("d3_retention")));
        assertTrue(!days.get(9).moments().containsKey(new MetricName("big_spenders_d2")));
    }

    /**
     * Per dimension value (platform at the first exposure: ios for orgs 4, 5, 8 and 10, web for the others)
     * the unit values are the same thresholds: big_spenders web control 1 0 0, treat 1 0; ios control 1 0,
     * treat 1 0. Retention leaves out org 5 (ios) and org 8 (ios): ios has 2 units left out, web none.
     */
    @Test
    void dimensionValuesSplitTheSameUnitValues() {
        warehouse.execute("ALTER TABLE exposures ADD COLUMN platform VARCHAR");
        warehouse.execute("UPDATE exposures SET platform = CASE WHEN org IN (4, 5, 8, 10) THEN 'ios' ELSE 'web' END");
        PulseConfig base = config();
        PulseConfig config = TestModel.config(List.copyOf(base.sources().values()), List.copyOf(base.metrics().values()),
                List.of(base.experiment(EXP).withTimeseries(false)
                        .withDimensions(new dev.pulse.model.Dimensions(List.of("platform"), 10))));
        ExperimentData data = MomentsFetcher.fetch(config, EXP, warehouse);
        Map<String, DimensionData> byValue = new java.util.HashMap<>();
        data.dimensions().forEach(value -> byValue.put(value.value(), value));
        MetricName big = new MetricName("big_spenders");
        assertMoments(byValue.get("web").moments().get(big).get("control"), 3, 1.0 / 3, 1, 1.0 / 3, 0, 0);
        assertMoments(byValue.get("web").moments().get(big).get("treat"), 2, 0.5, 1, 0.5, 0, 0);
        assertMoments(byValue.get("ios").moments().get(big).get("control"), 2, 0.5, 1, 0.5, 0, 0);
        assertMoments(byValue.get("ios").moments().get(big).get("treat"), 2, 0.5, 1, 0.5, 0, 0);
        MetricName retention = new MetricName("d3_retention");
        assertEquals(2L, byValue.get("ios").excludedWindowOpen().get(retention));
        assertEquals(0L, byValue.get("web").excludedWindowOpen().get(retention));
        // ios retention: control org 4 retained (n 1), treat org 10 not (n 1)
        assertEquals(1, byValue.get("ios").moments().get(retention).get("control").n());
        assertClose(1, byValue.get("ios").moments().get(retention).get("control").withShift(0).meanX(), "ios control");
    }

    /** A window that closes after the end for every unit: no units, every figure null with a warning, no failure. */
    @Test
    void aRetentionWindowOpenForEveryUnitHasNoFiguresAndSaysWhy() {
        PulseConfig base = config();
        Metric late = new Metric.Retention(new MetricName("d20_retention"), new SourceName("events"), Optional.empty(),
                new MetricWindow(20, 21));
        PulseConfig config = TestModel.config(List.copyOf(base.sources().values()), List.of(late),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-10",
                        "d20_retention")));
        ExperimentResult result = Analyzer.analyze(config, EXP, warehouse);
        MetricResult metric = result.metrics().get(0);
        assertEquals(java.util.OptionalLong.of(9), metric.excludedUnitsWindowOpen());
        Comparison comparison = metric.comparisons().get(0).statistics();
        assertEquals(0, comparison.controlUnits());
        assertEquals(null, comparison.pValue());
        assertEquals(null, comparison.absolute().estimate());
        assertTrue(!comparison.warnings().isEmpty(), comparison.toString());
        assertTrue(!JsonOutput.experiments(List.of(result)).contains("NaN"));
    }

    /** Every figure of expected.json, computed from the raw rows by reference_threshold_retention.py. */
    @Test
    void matchesTheIndependentReferenceComputedFromTheRawRows() throws Exception {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/threshold_retention/expected.json")) {
            expected = new ObjectMapper().readTree(in);
        }
        PulseConfig config = config();
        ExperimentData data = MomentsFetcher.fetch(config, EXP, warehouse);
        ExperimentData cuped = MomentsFetcher.fetch(config, EXP_CUPED, warehouse);
        ExperimentResult result = Analyzer.results(config, EXP, data);
        for (int m = 0; m < METRICS.length; m++) {
            MetricName metric = new MetricName(METRICS[m]);
            JsonNode reference = expected.get("metrics").get(METRICS[m]);
            for (String group : List.of("control", "treat")) {
                JsonNode g = reference.get("groups").get(group);
                GroupMoments post = data.moments().get(metric).get(group).withShift(0);
                assertEquals(g.get("n").asLong(), post.n(), metric + " " + group);
                assertClose(g.get("mean_x").asDouble(), post.meanX(), metric + " " + group + " mean");
                assertClose(g.get("var_x").asDouble(), post.varX(), metric + " " + group + " var");
                CovariateMoments covariates = cuped.covariates().get(metric).get(group).withShifts(0, 0);
                assertClose(g.get("mean_pre_x").asDouble(), covariates.pre().meanX(), metric + " " + group + " mean X0");
                assertClose(g.get("var_pre_x").asDouble(), covariates.pre().varX(), metric + " " + group + " var X0");
                assertClose(g.get("cov_x_pre_x").asDouble(), covariates.covXX0(), metric + " " + group + " cov");
            }
            assertEquals(reference.get("excluded_units_window_open").asLong(),
                    data.excludedWindowOpen().getOrDefault(metric, 0L), metric + " excluded");
            Comparison comparison = result.metrics().get(m).comparisons().get(0).statistics();
            JsonNode c = reference.get("comparison");
            assertClose(c.get("absolute").asDouble(), comparison.absolute().estimate(), metric + " difference");
            assertClose(c.get("standard_error").asDouble(), comparison.absolute().stdError(), metric + " SE");
            assertEquals(c.get("p_value").asDouble(), comparison.pValue(), 1e-9, metric + " p-value");
        }
        MetricName big = new MetricName("big_spenders");
        JsonNode days = expected.get("daily_big_spenders");
        assertEquals(days.size(), data.timeseries().size());
        for (int d = 0; d < days.size(); d++) {
            DailyMoments day = data.timeseries().get(d);
            assertEquals(days.get(d).get("date").asText(), day.date().toString());
            for (String group : List.of("control", "treat")) {
                JsonNode g = days.get(d).get("groups").get(group);
                String what = "big_spenders " + day.date() + " " + group;
                if (g.get("n").asLong() == 0) {
                    assertTrue(!day.units().containsKey(group), what);
                    continue;
                }
                GroupMoments moments = day.moments().get(big).get(group).withShift(0);
                assertEquals(g.get("n").asLong(), moments.n(), what);
                assertClose(g.get("mean_x").asDouble(), moments.meanX(), what + " mean");
                if (!g.get("var_x").isNull()) {
                    assertClose(g.get("var_x").asDouble(), moments.varX(), what + " var");
                }
            }
        }
    }

    /** {@code n} units, {@code k} of them with X = 1: mean k/n, variance k(n−k)/(n(n−1)). */
    private static void assertBinary(ExperimentData data, String metric, long controlN, long controlK, long treatN,
                                     long treatK) {
        Map<String, GroupMoments> moments = data.moments().get(new MetricName(metric));
        assertMoments(moments.get("control"), controlN, (double) controlK / controlN, 1,
                (double) controlK * (controlN - controlK) / (controlN * (controlN - 1.0)), 0, 0);
        assertMoments(moments.get("treat"), treatN, (double) treatK / treatN, 1,
                (double) treatK * (treatN - treatK) / (treatN * (treatN - 1.0)), 0, 0);
    }
}
