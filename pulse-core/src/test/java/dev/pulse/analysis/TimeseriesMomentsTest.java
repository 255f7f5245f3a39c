package dev.pulse.analysis;

import static dev.pulse.analysis.CupedMomentsTest.assertMoments;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.countDistinct;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static dev.pulse.plan.TestModel.unitCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.JsonOutput;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.GroupMoments;
import dev.pulse.stats.Interval;
import dev.pulse.sql.SqlRenderer;
import dev.pulse.sql.dialect.DuckDbDialect;
import dev.pulse.plan.Planner;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Daily (cumulative) results on a small hand-computed data set in in-memory DuckDB.
 *
 * <p>Experiment {@code exp} runs 2026-03-01 to 03-04. As of day d, the units are those first exposed
 * before d + 1 00:00, each with its rows in [first exposure, d + 1 00:00). Org 9 is in two groups
 * (the second exposure on 03-04) and is excluded on every day, as in the full result.
 * <pre>
 *   org group    first exposure  rows (revenue, user)
 *   1   control  03-02 10:00     03-02 12:00 (5, a), 03-04 01:00 (7, a)
 *   2   control  03-02 00:00     none
 *   3   treat    03-03 05:00     03-03 06:00 (4, a), 03-03 07:00 (4, b), 03-04 10:00 (2, a)
 *   4   treat    03-02 00:00     03-01 12:00 (100, a: before exposure), 03-02 09:00 (3, a)
 *
 *   day    control revenue  treat revenue   control users  treat users
 *   03-01  no units         no units
 *   03-02  5, 0             3               1, 0           1
 *   03-03  5, 0             3, 8            1, 0           1, 2
 *   03-04  12, 0            3, 10           1, 0           1, 2   (org 3's user a again: still 2)
 * </pre>
 */
class TimeseriesMomentsTest {
    private static final ExperimentName EXP = new ExperimentName("exp");

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS SELECT * FROM (VALUES
                  ('exp', 'control', 1, TIMESTAMP '2026-03-02 10:00:00'),
                  ('exp', 'control', 1, TIMESTAMP '2026-03-03 10:00:00'),
                  ('exp', 'control', 2, TIMESTAMP '2026-03-02 00:00:00'),
                  ('exp', 'treat',   3, TIMESTAMP '2026-03-03 05:00:00'),
                  ('exp', 'treat',   4, TIMESTAMP '2026-03-02 00:00:00'),
                  ('exp', 'control', 9, TIMESTAMP '2026-03-02 00:00:00'),
                  ('exp', 'treat',   9, TIMESTAMP '2026-03-04 00:00:00')
                ) AS t(exp_name, variant, org, ts)""");
        warehouse.execute("""
                CREATE TABLE events AS SELECT * FROM (VALUES
                  (1, TIMESTAMP '2026-03-02 12:00:00', 5.0, 'a'),
                  (1, TIMESTAMP '2026-03-04 01:00:00', 7.0, 'a'),
                  (3, TIMESTAMP '2026-03-03 06:00:00', 4.0, 'a'),
                  (3, TIMESTAMP '2026-03-03 07:00:00', 4.0, 'b'),
                  (3, TIMESTAMP '2026-03-04 10:00:00', 2.0, 'a'),
                  (4, TIMESTAMP '2026-03-01 12:00:00', 100.0, 'a'),
                  (4, TIMESTAMP '2026-03-02 09:00:00', 3.0, 'a'),
                  (9, TIMESTAMP '2026-03-02 09:00:00', 1000.0, 'z')
                ) AS t(org, ts, revenue, user_name)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static PulseConfig config() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                List.of(sum("revenue", "events", "revenue", null),
                        countDistinct("users", "events", "user_name", null),
                        unitCount("buyers", "events", "revenue > 4")),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-04",
                        "revenue", "users", "buyers").withTimeseries(true)));
    }

    @Test
    void eachDayCountsTheUnitsExposedByThenWithTheirRowsUpToThen() {
        List<DailyMoments> days = MomentsFetcher.fetch(config(), EXP, warehouse).timeseries();
        assertEquals(List.of("2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"),
                days.stream().map(day -> day.date().toString()).toList());
        // no unit yet: an explicit empty day
        assertEquals(Map.of(), days.get(0).units());
        assertEquals(Map.of("control", 2L, "treat", 1L), days.get(1).units());
        assertMoments(revenue(days.get(1)).get("control"), 2, 2.5, 1, 12.5, 0, 0);
        assertMoments(revenue(days.get(1)).get("treat"), 1, 3, 1, 0, 0, 0);
        // 03-03: org 3 joins the treatment with 8
        assertMoments(revenue(days.get(2)).get("treat"), 2, 5.5, 1, 12.5, 0, 0);
        // 03-04: control 12, 0: mean 6, var 72; treat 3, 10: mean 6.5, var 24.5
        assertMoments(revenue(days.get(3)).get("control"), 2, 6, 1, 72, 0, 0);
        assertMoments(revenue(days.get(3)).get("treat"), 2, 6.5, 1, 24.5, 0, 0);
        // distinct users: org 3's user a on 03-04 is not counted again (treat 1, 2)
        assertMoments(metric(days.get(3), "users").get("treat"), 2, 1.5, 1, 0.5, 0, 0);
        assertMoments(metric(days.get(2), "users").get("control"), 2, 0.5, 1, 0.5, 0, 0);
        // buyers (a row with revenue > 4): control org 1 from 03-02 on; treat none before org 3... 4 is not > 4
        assertMoments(metric(days.get(1), "buyers").get("control"), 2, 0.5, 1, 0.5, 0, 0);
        assertMoments(metric(days.get(3), "buyers").get("treat"), 2, 0, 1, 0, 0, 0);
    }

    @Test
    void theLastDayEqualsTheFullResult() {
        PulseConfig config = config();
        ExperimentData full = MomentsFetcher.fetch(config, EXP, warehouse);
        List<DailyMoments> days = full.timeseries();
        for (String metric : List.of("revenue", "users", "buyers")) {
            for (String group : List.of("control", "treat")) {
                GroupMoments expected = full.moments().get(new MetricName(metric)).get(group).withShift(0);
                assertMoments(metric(days.get(3), metric).get(group), expected.n(), expected.meanX(), expected.meanY(),
                        expected.varX(), expected.varY(), expected.covXY());
            }
        }

        ExperimentResult result = Analyzer.analyze(config, EXP, warehouse);
        for (MetricResult metric : result.metrics()) {
            MetricResult.GroupComparison comparison = metric.comparisons().get(0);
            List<MetricResult.DailyPoint> series = metric.timeseries().get("treat");
            assertEquals(4, series.size(), metric.metric());
            MetricResult.DailyPoint last = series.get(3);
            assertEquals(LocalDate.parse("2026-03-04"), last.date());
            Comparison expected = comparison.statistics();
            assertEquals(expected.controlUnits(), last.controlUnits());
            assertEquals(expected.treatmentUnits(), last.treatmentUnits());
            assertRelativelyClose(expected.absolute(), last.comparison().absolute(), metric.metric());
            assertRelativelyClose(expected.relative(), last.comparison().relative(), metric.metric());
            assertRelativelyClose(expected.pValue(), last.comparison().pValue(), metric.metric());
        }
        // 03-01: no units in either group, explicit zeros and no statistics
        MetricResult.DailyPoint first = result.metrics().get(0).timeseries().get("treat").get(0);
        assertEquals(0, first.controlUnits());
        assertEquals(0, first.treatmentUnits());
        assertNull(first.comparison().pValue());

        String json = JsonOutput.experiments(List.of(result)).replaceAll("\\s", "");
        assertTrue(json.contains("\"timeseries\":[{\"date\":\"2026-03-01\",\"control_units\":0,\"treatment_units\":0,"),
                json);
    }

    /**
     * The daily parts leave the full result unchanged with every option the per-unit values feed:
     * CUPED's pre-period (org 4's row of 03-01 is before its exposure), a metric window, winsorization,
     * a ratio with a distinct count and a dimension-free unit count.
     */
    @Test
    void theFullResultIsTheSameWithAndWithoutDailyResults() {
        List<dev.pulse.model.Metric> metrics = List.of(sum("revenue", "events", "revenue", null),
                countDistinct("users", "events", "user_name", null),
                unitCount("buyers", "events", "revenue > 4"),
                TestModel.ratio("revenue_per_user",
                        TestModel.aggregate("events", dev.pulse.model.AggregateFunction.SUM, "revenue", null),
                        TestModel.aggregate("events", dev.pulse.model.AggregateFunction.COUNT_DISTINCT, "user_name", null)),
                sum("revenue_1d", "events", "revenue", null).withOptions(new dev.pulse.model.MetricOptions(
                        dev.pulse.model.Direction.TWO_SIDED, java.util.Optional.empty(),
                        java.util.Optional.of(new dev.pulse.model.MetricWindow(0, 1)))),
                sum("revenue_capped", "events", "revenue", null).withOptions(new dev.pulse.model.MetricOptions(
                        dev.pulse.model.Direction.TWO_SIDED, java.util.Optional.of(new dev.pulse.model.Winsorization(
                                java.util.OptionalDouble.empty(), java.util.OptionalDouble.of(0.9))))));
        dev.pulse.model.Experiment experiment = experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01",
                "2026-03-04", "revenue", "users", "buyers", "revenue_per_user", "revenue_1d", "revenue_capped")
                .withOptions(dev.pulse.model.AnalysisOptions.DEFAULT.withCuped(new dev.pulse.model.Cuped(2)));
        List<dev.pulse.model.Source> sources = List.of(assignment("exposures", table("exposures")),
                metricSource("events", table("events")));
        ExperimentData plain = MomentsFetcher.fetch(TestModel.config(sources, metrics, List.of(experiment)), EXP, warehouse);
        ExperimentData daily = MomentsFetcher.fetch(TestModel.config(sources, metrics,
                List.of(experiment.withTimeseries(true))), EXP, warehouse);
        assertTrue(plain.timeseries().isEmpty());
        assertEquals(4, daily.timeseries().size());
        assertEquals(plain.units(), daily.units());
        assertEquals(plain.excludedWindowOpen(), daily.excludedWindowOpen());
        for (MetricName metric : plain.moments().keySet()) {
            for (String group : List.of("control", "treat")) {
                GroupMoments expected = plain.moments().get(metric).get(group).withShift(0);
                assertMoments(daily.moments().get(metric).get(group), expected.n(), expected.meanX(), expected.meanY(),
                        expected.varX(), expected.varY(), expected.covXY());
                dev.pulse.stats.CovariateMoments pre = plain.covariates().get(metric).get(group).withShifts(0, 0);
                dev.pulse.stats.CovariateMoments actual = daily.covariates().get(metric).get(group).withShifts(0, 0);
                assertMoments(actual.pre(), pre.pre().n(), pre.pre().meanX(), pre.pre().meanY(), pre.pre().varX(),
                        pre.pre().varY(), pre.pre().covXY());
                assertEquals(pre.covXX0(), actual.covXX0(), 1e-12, metric + " cov(X, X0)");
                assertEquals(pre.covYY0(), actual.covYY0(), 1e-12, metric + " cov(Y, Y0)");
            }
        }
        // the pre-period is not empty: org 4's 100 before its exposure
        assertTrue(plain.covariates().get(new MetricName("revenue")).get("treat").pre().value() > 0);
        // windowed and winsorized metrics have no series
        assertEquals(java.util.Set.of("revenue", "users", "buyers", "revenue_per_user"),
                daily.timeseries().get(3).moments().keySet().stream().map(MetricName::value)
                        .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void oneScanOfEachSource() {
        String sql = SqlRenderer.of(DuckDbDialect.DEFAULT).render(Planner.plan(config(), EXP));
        QueryResult plan = warehouse.query("EXPLAIN " + sql);
        String text = plan.rows().stream().map(row -> String.valueOf(row.get(plan.columns().get(1))))
                .reduce("", String::concat).toLowerCase(Locale.ROOT);
        assertEquals(1, count(text, "main.events"), text);
        assertEquals(1, count(text, "main.exposures"), text);
    }

    private static int count(String text, String word) {
        int count = 0;
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length())) {
            count++;
        }
        return count;
    }

    private static void assertRelativelyClose(Interval expected, Interval actual, String what) {
        assertRelativelyClose(expected.estimate(), actual.estimate(), what + " estimate");
        assertRelativelyClose(expected.stdError(), actual.stdError(), what + " std error");
        assertRelativelyClose(expected.lower(), actual.lower(), what + " lower");
        assertRelativelyClose(expected.upper(), actual.upper(), what + " upper");
    }

    private static void assertRelativelyClose(Double expected, Double actual, String what) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, what);
            return;
        }
        assertEquals(expected, actual, 1e-12 * Math.max(Math.abs(expected), Double.MIN_NORMAL), what);
    }

    private static Map<String, GroupMoments> revenue(DailyMoments day) {
        return metric(day, "revenue");
    }

    private static Map<String, GroupMoments> metric(DailyMoments day, String metric) {
        return day.moments().get(new MetricName(metric));
    }
}
