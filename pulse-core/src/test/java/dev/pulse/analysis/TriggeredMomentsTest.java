package dev.pulse.analysis;

import static dev.pulse.analysis.CupedMomentsTest.assertClose;
import static dev.pulse.analysis.CupedMomentsTest.assertMoments;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Cuped;
import dev.pulse.model.Direction;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.SourceName;
import dev.pulse.model.Trigger;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Triggered analysis (docs/triggered-analysis.md) on a small hand-computed data set in in-memory DuckDB.
 *
 * <p>Experiment {@code exp} runs 2026-03-01 to 2026-03-05 (rows count before 03-06 00:00); its trigger is a
 * {@code page_views} row with {@code page = 'checkout'} at or after the unit's first exposure. Org 8 is in
 * both groups and excluded before any trigger.
 * <pre>
 *   org group    first exposure  checkout rows (qualifying in bold)          analysis start   revenue rows counted (post)
 *   1   control  03-01 00:00     03-01 06:00*, 03-02 06:00                    03-01 06:00      03-01 06:00 5, 03-02 10:00 7      = 12
 *                                (revenue 03-01 03:00 100: after exposure, before trigger: in neither period)
 *   2   control  03-01 10:00     03-01 09:00 (before exposure), 03-03 00:00*  03-03 00:00      03-03 00:00 4, 03-04 00:00 6      = 10
 *                                (revenue 03-02 00:00 9: before trigger: out)
 *   3   control  03-02 00:00     03-01 12:00 (before exposure); 'home' only   never: excluded
 *   4   control  03-03 00:00     NULL page 03-03 01:00, 03-04 00:00*          03-04 00:00      03-04 12:00 3, 03-05 23:59 NULL   = 3
 *   5   treat    03-01 00:00     03-01 00:00* (at the exposure itself)        03-01 00:00      03-01 00:00 10, 03-03 00:00 20    = 30
 *   6   treat    03-02 00:00     03-02 00:00*                                 03-02 00:00      03-02 00:00 8                     = 8
 *   7   treat    03-05 12:00     03-06 00:00 (at the end: out)                never: excluded
 *   9   treat    03-01 00:00     03-05 06:00*                                 03-05 06:00      none                              = 0
 * </pre>
 * {@code revenue}: control 12, 10, 3 (mean 25/3, variance 67/3); treat 30, 8, 0 (mean 38/3, variance 724/3);
 * 2 units not triggered (orgs 3 and 7). {@code revenue_d0_1} (window {@code [start, start + 1 day)}, closed when
 * the start is at or before 03-05 00:00): control 5, 4, 3 (mean 4, variance 1); treat 10, 8 (mean 9, variance 2);
 * org 9's window is open (measured from its exposure, 03-01, it would have closed).
 * Under CUPED (lookback 2 days) the pre-period is {@code [first exposure − 2 days, first exposure)}: org 1
 * 02-28 12:00 50, org 2 03-01 09:30 2, org 5 02-28 00:00 15: X₀ control 50, 2, 0 (mean 52/3), treat 15, 0, 0
 * (mean 5); the post-period values stay those above.
 * {@code active_days} (participation): X the distinct days with a counted row, Y the days from the analysis
 * start's day through 03-05: control X 2, 2, 2 and Y 5, 3, 2 (org 2 starts on 03-03: from its exposure it
 * would be 5); treat X 2, 1, 0 and Y 5, 4, 1.
 * {@code big_then_checkout} (funnel, denominator: every counted unit): a row with revenue ≥ 9, then a checkout
 * at or after it, both from the analysis start: only org 5 (10 at 03-01 00:00, checkout at 03-01 00:00) gets
 * through, so control 0 of 3 and treat 1 of 3. Counted from the exposures instead, orgs 1 (100 at 03-01 03:00)
 * and 2 (9 at 03-02 00:00) would too.
 */
class TriggeredMomentsTest {
    private static final ExperimentName EXP = new ExperimentName("exp");

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS SELECT * FROM (VALUES
                  ('exp', 'control', 1, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'control', 2, TIMESTAMP '2026-03-01 10:00:00'),
                  ('exp', 'control', 3, TIMESTAMP '2026-03-02 00:00:00'),
                  ('exp', 'control', 4, TIMESTAMP '2026-03-03 00:00:00'),
                  ('exp', 'control', 4, TIMESTAMP '2026-03-04 00:00:00'),
                  ('exp', 'treat',   5, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'treat',   6, TIMESTAMP '2026-03-02 00:00:00'),
                  ('exp', 'treat',   7, TIMESTAMP '2026-03-05 12:00:00'),
                  ('exp', 'control', 8, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'treat',   8, TIMESTAMP '2026-03-01 01:00:00'),
                  ('exp', 'treat',   9, TIMESTAMP '2026-03-01 00:00:00')
                ) AS t(exp_name, variant, org, ts)""");
        warehouse.execute("""
                CREATE TABLE page_views AS SELECT * FROM (VALUES
                  (1, TIMESTAMP '2026-03-01 06:00:00', 'checkout'),
                  (1, TIMESTAMP '2026-03-02 06:00:00', 'checkout'),
                  (2, TIMESTAMP '2026-03-01 09:00:00', 'checkout'),
                  (2, TIMESTAMP '2026-03-03 00:00:00', 'checkout'),
                  (3, TIMESTAMP '2026-03-01 12:00:00', 'checkout'),
                  (3, TIMESTAMP '2026-03-03 00:00:00', 'home'),
                  (4, TIMESTAMP '2026-03-03 01:00:00', NULL),
                  (4, TIMESTAMP '2026-03-04 00:00:00', 'checkout'),
                  (5, TIMESTAMP '2026-03-01 00:00:00', 'checkout'),
                  (6, TIMESTAMP '2026-03-02 00:00:00', 'checkout'),
                  (7, TIMESTAMP '2026-03-06 00:00:00', 'checkout'),
                  (8, TIMESTAMP '2026-03-01 00:00:00', 'checkout'),
                  (9, TIMESTAMP '2026-03-05 06:00:00', 'checkout')
                ) AS t(org, ts, page)""");
        warehouse.execute("""
                CREATE TABLE events AS SELECT * FROM (VALUES
                  (1, TIMESTAMP '2026-02-28 12:00:00', 50.0),
                  (1, TIMESTAMP '2026-03-01 03:00:00', 100.0),
                  (1, TIMESTAMP '2026-03-01 06:00:00', 5.0),
                  (1, TIMESTAMP '2026-03-02 10:00:00', 7.0),
                  (2, TIMESTAMP '2026-03-01 09:30:00', 2.0),
                  (2, TIMESTAMP '2026-03-02 00:00:00', 9.0),
                  (2, TIMESTAMP '2026-03-03 00:00:00', 4.0),
                  (2, TIMESTAMP '2026-03-04 00:00:00', 6.0),
                  (3, TIMESTAMP '2026-03-03 10:00:00', 1000.0),
                  (4, TIMESTAMP '2026-03-04 12:00:00', 3.0),
                  (4, TIMESTAMP '2026-03-05 23:59:00', NULL),
                  (5, TIMESTAMP '2026-02-28 00:00:00', 15.0),
                  (5, TIMESTAMP '2026-03-01 00:00:00', 10.0),
                  (5, TIMESTAMP '2026-03-03 00:00:00', 20.0),
                  (6, TIMESTAMP '2026-03-02 00:00:00', 8.0),
                  (7, TIMESTAMP '2026-03-05 13:00:00', 77.0),
                  (8, TIMESTAMP '2026-03-02 00:00:00', 999.0)
                ) AS t(org, ts, revenue)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    /** The experiment with its trigger; with CUPED (2 days) or with daily results. */
    static PulseConfig config(boolean cuped) {
        Experiment experiment = experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-05",
                "revenue", "revenue_d0_1", "active_days", "big_then_checkout").toBuilder()
                .trigger(Optional.of(new Trigger(new SourceName("page_views"), Optional.of("page = 'checkout'"))))
                .timeseries(!cuped)
                .build();
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("page_views", table("page_views")),
                        metricSource("events", table("events"))),
                List.of(sum("revenue", "events", "revenue", null),
                        sum("revenue_d0_1", "events", "revenue", null).withOptions(new MetricOptions(Direction.TWO_SIDED,
                                Optional.empty(), Optional.of(new MetricWindow(0, 1)))),
                        new dev.pulse.model.Metric.Participation(new MetricName("active_days"),
                                new SourceName("events"), Optional.empty(), MetricOptions.DEFAULT),
                        new dev.pulse.model.Metric.Funnel(new MetricName("big_then_checkout"), List.of(
                                new dev.pulse.model.Metric.Funnel.Step("big", new SourceName("events"),
                                        Optional.of("revenue >= 9")),
                                new dev.pulse.model.Metric.Funnel.Step("checkout", new SourceName("page_views"),
                                        Optional.of("page = 'checkout'"))),
                                java.util.OptionalInt.empty(), dev.pulse.model.Metric.Funnel.WindowFrom.FIRST_STEP, true,
                                dev.pulse.model.Metric.Funnel.Denominator.EXPOSED, MetricOptions.DEFAULT)),
                List.of(cuped ? experiment.withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(2))) : experiment));
    }

    @Test
    void unitsCountFromTheirFirstQualifyingRowAndTheOthersAreLeftOutAndCounted() {
        ExperimentData data = MomentsFetcher.fetch(config(false), EXP, warehouse);
        assertEquals(Map.of("control", 3L, "treat", 3L), data.units());
        assertEquals(2, data.excludedNotTriggered());
        assertEquals(1, data.excludedMultipleGroups());
        Map<String, GroupMoments> revenue = data.moments().get(new MetricName("revenue"));
        assertMoments(revenue.get("control"), 3, 25.0 / 3, 1, 67.0 / 3, 0, 0);
        assertMoments(revenue.get("treat"), 3, 38.0 / 3, 1, 724.0 / 3, 0, 0);
    }

    @Test
    void participationCountsTheDaysFromTheAnalysisStart() {
        ExperimentData data = MomentsFetcher.fetch(config(false), EXP, warehouse);
        Map<String, GroupMoments> days = data.moments().get(new MetricName("active_days"));
        // control Y 5, 3, 2: mean 10/3, variance 7/3; X constant 2
        assertMoments(days.get("control"), 3, 2, 10.0 / 3, 0, 7.0 / 3, 0);
        // treat X 2, 1, 0 and Y 5, 4, 1: variances 1 and 13/3, covariance (1·5/3 + 0 + (−1)(−7/3))/2 = 2
        assertMoments(days.get("treat"), 3, 1, 10.0 / 3, 1, 13.0 / 3, 2);
    }

    @Test
    void aFunnelCountsItsStepsFromTheAnalysisStart() {
        ExperimentResult result = Analyzer.analyze(config(false), EXP, warehouse);
        MetricResult funnel = result.metrics().stream().filter(m -> m.metric().equals("big_then_checkout"))
                .findFirst().orElseThrow();
        assertClose(0, funnel.comparisons().get(0).statistics().controlMean(), "control conversion");
        assertClose(1.0 / 3, funnel.comparisons().get(0).statistics().treatmentMean(), "treatment conversion");
        assertEquals(3, funnel.comparisons().get(0).statistics().controlUnits());
    }

    @Test
    void aWindowIsMeasuredFromTheAnalysisStart() {
        ExperimentData data = MomentsFetcher.fetch(config(false), EXP, warehouse);
        Map<String, GroupMoments> windowed = data.moments().get(new MetricName("revenue_d0_1"));
        assertMoments(windowed.get("control"), 3, 4, 1, 1, 0, 0);
        assertMoments(windowed.get("treat"), 2, 9, 1, 2, 0, 0);
        assertEquals(Map.of(new MetricName("revenue_d0_1"), 1L), data.excludedWindowOpen());
    }

    @Test
    void thePrePeriodStillEndsAtTheFirstExposureAndRowsBeforeTheTriggerAreInNeitherPeriod() {
        ExperimentData data = MomentsFetcher.fetch(config(true), EXP, warehouse);
        Map<String, GroupMoments> revenue = data.moments().get(new MetricName("revenue"));
        assertMoments(revenue.get("control"), 3, 25.0 / 3, 1, 67.0 / 3, 0, 0);
        assertMoments(revenue.get("treat"), 3, 38.0 / 3, 1, 724.0 / 3, 0, 0);
        var covariates = data.covariates().get(new MetricName("revenue"));
        assertClose(52.0 / 3, covariates.get("control").pre().withShift(0).meanX(), "control pre mean");
        assertClose(5, covariates.get("treat").pre().withShift(0).meanX(), "treat pre mean");
    }

    /**
     * Daily results: a unit joins the series on its analysis start's day. As of 03-01 only orgs 1 (5) and 5
     * (10) have started; as of 03-05 every counted unit has, and the values are the final ones.
     */
    @Test
    void dailyResultsCountEachUnitFromItsAnalysisStartDay() {
        ExperimentData data = MomentsFetcher.fetch(config(false), EXP, warehouse);
        DailyMoments first = data.timeseries().get(0);
        assertEquals(LocalDate.parse("2026-03-01"), first.date());
        assertEquals(Map.of("control", 1L, "treat", 1L), first.units());
        assertMoments(first.moments().get(new MetricName("revenue")).get("control"), 1, 5, 1, 0, 0, 0);
        DailyMoments last = data.timeseries().get(data.timeseries().size() - 1);
        assertEquals(Map.of("control", 3L, "treat", 3L), last.units());
        assertMoments(last.moments().get(new MetricName("revenue")).get("treat"), 3, 38.0 / 3, 1, 724.0 / 3, 0, 0);
    }

    @Test
    void theSrmCheckRunsOnTheTriggeredUnits() {
        ExperimentResult result = Analyzer.analyze(config(false), EXP, warehouse);
        assertEquals(3, result.groups().get(0).units());
        assertEquals(3, result.groups().get(1).units());
        assertTrue(result.srm().orElseThrow().passed());
        assertEquals(java.util.OptionalLong.of(2), result.excludedNotTriggered());
        String json = dev.pulse.output.JsonOutput.experiments(List.of(result)).replaceAll("\\s", "");
        assertTrue(json.contains("\"excluded_units\":{\"multiple_groups\":1,\"unknown_group\":0,\"not_triggered\":2}"),
                json);
        assertTrue(dev.pulse.output.ConsoleTable.experiments(List.of(result))
                .contains("Trigger: 2 exposed units not triggered (no qualifying row after exposure), left out"));
        assertTrue(ResultsTable.rows(result).stream().anyMatch(row -> row.statistic().equals("excluded_not_triggered")
                && row.value() == 2.0));
    }

    /** The staging table has each unit's analysis start, and its per-unit values are the hand-computed ones. */
    @Test
    void theStagingTableHasEachUnitsAnalysisStart() {
        String sql = dev.pulse.sql.SqlRenderer.of(dev.pulse.sql.dialect.Dialects.forEngine(dev.pulse.model.Engine.DUCKDB))
                .renderUnits(dev.pulse.plan.Planner.plan(config(false), EXP));
        var rows = warehouse.query("SELECT unit_id, CAST(analysis_start AS VARCHAR) AS analysis_start,"
                + " revenue__numerator FROM (" + sql + ") ORDER BY unit_id").rows();
        assertEquals(6, rows.size());
        assertEquals("2026-03-03 00:00:00", rows.get(1).getString("analysis_start"));
        assertEquals(10.0, rows.get(1).getDouble("revenue__numerator"));
        assertEquals("2026-03-05 06:00:00", rows.get(5).getString("analysis_start"));
        assertEquals(0.0, rows.get(5).getDouble("revenue__numerator"));
    }

    @Test
    void withoutATriggerTheOutputsHaveNoTriggerFigures() {
        PulseConfig config = config(false);
        Experiment plain = config.experiment(EXP).toBuilder().trigger(Optional.empty()).build();
        ExperimentResult result = Analyzer.analyze(TestModel.config(List.copyOf(config.sources().values()),
                List.copyOf(config.metrics().values()), List.of(plain)), EXP, warehouse);
        assertEquals(java.util.OptionalLong.empty(), result.excludedNotTriggered());
        assertFalse(dev.pulse.output.JsonOutput.experiments(List.of(result)).contains("not_triggered"));
        // without the trigger orgs 3 and 7 are counted: 4 units per group
        assertEquals(4, result.groups().get(0).units());
    }

    /** A filter ending in a line comment stays one expression inside its parentheses: the same units. */
    @Test
    void aTriggerFilterEndingInALineCommentQualifiesTheSameUnits() {
        PulseConfig config = config(false);
        Experiment commented = config.experiment(EXP).toBuilder()
                .trigger(Optional.of(new Trigger(new SourceName("page_views"),
                        Optional.of("page = 'checkout' -- the checkout page)"))))
                .build();
        ExperimentData data = MomentsFetcher.fetch(TestModel.config(List.copyOf(config.sources().values()),
                List.copyOf(config.metrics().values()), List.of(commented)), EXP, warehouse);
        assertEquals(Map.of("control", 3L, "treat", 3L), data.units());
        assertEquals(2, data.excludedNotTriggered());
    }

    @Test
    void anExperimentWhereNoUnitQualifiesSaysSo() {
        PulseConfig config = config(false);
        Experiment none = config.experiment(EXP).toBuilder()
                .trigger(Optional.of(new Trigger(new SourceName("page_views"), Optional.of("page = 'nowhere'"))))
                .build();
        PulseConfig noneQualify = TestModel.config(List.copyOf(config.sources().values()),
                List.copyOf(config.metrics().values()), List.of(none));
        PulseException failure = assertThrows(PulseException.class, () -> Analyzer.analyze(noneQualify, EXP, warehouse));
        assertEquals(PulseException.Category.INPUT_INVALID, failure.category());
        assertTrue(failure.getMessage().contains("none of its 8 exposed unit(s) has a qualifying row of trigger source"
                + " 'page_views'"), failure.getMessage());
        assertFalse(failure.getMessage().contains("null"), failure.getMessage());
    }
}
