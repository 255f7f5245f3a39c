package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.aggregate;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.ratio;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Cuped;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Sequential;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CUPED pre-period moments on a small hand-computed data set in in-memory DuckDB.
 *
 * <p>Experiment {@code exp}: window [2026-03-10, 2026-03-13), groups control and treat listed,
 * lookback 3 days. Each unit's pre-period is [its own first exposure − 3 days, first exposure); its
 * analysis period [first exposure, 03-13 00:00), as without CUPED. Exposures (org: group, first
 * counted exposure → pre-period):
 * <ul>
 *   <li>1: control, 03-10 12:00 (and a duplicate on 03-11) → [03-07 12:00, 03-10 12:00)</li>
 *   <li>2: control, 03-11 00:00 → [03-08, 03-11): rows only in its pre-period</li>
 *   <li>3: control, 03-10 06:00 → no rows at all: zeros in both periods</li>
 *   <li>4: treat, 03-10 00:00 → [03-07, 03-10); its control exposure on 03-05 is outside the window</li>
 *   <li>5: treat, 03-12 00:00 → [03-09, 03-12): rows inside the experiment's dates but before its own
 *       exposure are pre-period rows</li>
 *   <li>7: treat, 03-11 00:00 → [03-08, 03-11): no revenue before exposure, zero pre-period X</li>
 *   <li>6: control and treat — excluded, its rows count nowhere</li>
 * </ul>
 *
 * <p>Per-unit values (X revenue, Y sessions; X₀, Y₀ the same in the pre-period):
 * <pre>
 *   org  group    X   X₀   Y  Y₀
 *   1    control  30  10   2  1     X: 10 (at exposure) + 20; X₀: 4 (at 03-07 12:00) + 6; 1000 before, 500 after end
 *   2    control   0   8   1  1     X₀: 8 + NULL
 *   3    control   0   0   0  0
 *   4    treat    15   5   1  2     700 on 03-06 23:00 is before its pre-period
 *   5    treat    12  12   1  0     X₀: 9 + 3; session on 03-08 23:00 is before its pre-period
 *   7    treat     6   0   1  1
 * </pre>
 */
class CupedMomentsTest {
    private static final double TOLERANCE = 1e-12;
    private static final ExperimentName EXP = new ExperimentName("exp");

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS SELECT * FROM (VALUES
                  ('exp', 'control', 1, TIMESTAMP '2026-03-10 12:00:00'),
                  ('exp', 'control', 1, TIMESTAMP '2026-03-11 12:00:00'),
                  ('exp', 'control', 2, TIMESTAMP '2026-03-11 00:00:00'),
                  ('exp', 'control', 3, TIMESTAMP '2026-03-10 06:00:00'),
                  ('exp', 'treat',   4, TIMESTAMP '2026-03-10 00:00:00'),
                  ('exp', 'control', 4, TIMESTAMP '2026-03-05 00:00:00'),
                  ('exp', 'treat',   5, TIMESTAMP '2026-03-12 00:00:00'),
                  ('exp', 'treat',   7, TIMESTAMP '2026-03-11 00:00:00'),
                  ('exp', 'control', 6, TIMESTAMP '2026-03-10 00:00:00'),
                  ('exp', 'treat',   6, TIMESTAMP '2026-03-11 00:00:00')
                ) AS t(exp_name, variant, org, ts)""");
        warehouse.execute("""
                CREATE TABLE events AS SELECT * FROM (VALUES
                  (1, TIMESTAMP '2026-03-07 11:59:00', 1000.0),
                  (1, TIMESTAMP '2026-03-07 12:00:00', 4.0),
                  (1, TIMESTAMP '2026-03-10 11:59:00', 6.0),
                  (1, TIMESTAMP '2026-03-10 12:00:00', 10.0),
                  (1, TIMESTAMP '2026-03-12 23:00:00', 20.0),
                  (1, TIMESTAMP '2026-03-13 00:00:00', 500.0),
                  (2, TIMESTAMP '2026-03-09 00:00:00', 8.0),
                  (2, TIMESTAMP '2026-03-10 13:00:00', NULL),
                  (4, TIMESTAMP '2026-03-06 23:00:00', 700.0),
                  (4, TIMESTAMP '2026-03-08 00:00:00', 5.0),
                  (4, TIMESTAMP '2026-03-10 01:00:00', 15.0),
                  (5, TIMESTAMP '2026-03-10 00:00:00', 9.0),
                  (5, TIMESTAMP '2026-03-11 00:00:00', 3.0),
                  (5, TIMESTAMP '2026-03-12 06:00:00', 12.0),
                  (7, TIMESTAMP '2026-03-11 02:00:00', 6.0),
                  (6, TIMESTAMP '2026-03-09 00:00:00', 999.0),
                  (6, TIMESTAMP '2026-03-10 09:00:00', 999.0)
                ) AS t(org, ts, revenue)""");
        warehouse.execute("""
                CREATE TABLE sessions AS SELECT * FROM (VALUES
                  (1, TIMESTAMP '2026-03-08 00:00:00'),
                  (1, TIMESTAMP '2026-03-10 13:00:00'),
                  (1, TIMESTAMP '2026-03-11 00:00:00'),
                  (2, TIMESTAMP '2026-03-10 00:00:00'),
                  (2, TIMESTAMP '2026-03-11 01:00:00'),
                  (4, TIMESTAMP '2026-03-09 00:00:00'),
                  (4, TIMESTAMP '2026-03-09 12:00:00'),
                  (4, TIMESTAMP '2026-03-10 02:00:00'),
                  (5, TIMESTAMP '2026-03-08 23:00:00'),
                  (5, TIMESTAMP '2026-03-12 07:00:00'),
                  (7, TIMESTAMP '2026-03-10 00:00:00'),
                  (7, TIMESTAMP '2026-03-11 05:00:00'),
                  (6, TIMESTAMP '2026-03-09 00:00:00')
                ) AS t(org, ts)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static PulseConfig config(boolean cuped) {
        return config(cuped, AnalysisOptions.DEFAULT);
    }

    /**
     * As {@link #config(boolean)} with GrowthBook's confidence sequence on every comparison (EngineEquivalenceTest:
     * the same sequential figures on every engine).
     */
    private static PulseConfig growthBookConfig(boolean cuped) {
        return config(cuped, AnalysisOptions.DEFAULT.withSequential(Sequential.growthBook(1, OptionalDouble.of(1000))));
    }

    private static PulseConfig config(boolean cuped, AnalysisOptions options) {
        Experiment experiment = experiment("exp", "exposures", List.of("control", "treat"), "2026-03-10", "2026-03-12",
                "revenue", "revenue_per_session");
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", table("events")),
                        metricSource("sessions", table("sessions"))),
                List.of(sum("revenue", "events", "revenue", null),
                        ratio("revenue_per_session",
                                aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("sessions", AggregateFunction.COUNT_ROWS, null, null))),
                List.of(experiment.withOptions(cuped ? options.withCuped(new Cuped(3)) : options)));
    }

    /*
     * control: X = 30, 0, 0; X₀ = 10, 8, 0; Y = 2, 1, 0; Y₀ = 1, 1, 0
     *   means X̄ 10, X̄₀ 6, Ȳ 1, Ȳ₀ 2/3; deviations X 20, -10, -10; X₀ 4, 2, -6; Y 1, 0, -1; Y₀ 1/3, 1/3, -2/3
     *   var X (400 + 100 + 100)/2 = 300; var X₀ (16 + 4 + 36)/2 = 28; var Y 1; var Y₀ (1/9 + 1/9 + 4/9)/2 = 1/3
     *   cov XY (20 + 0 + 10)/2 = 15; cov X₀Y₀ (4/3 + 2/3 + 4)/2 = 3
     *   cov XX₀ (80 - 20 + 60)/2 = 60; cov XY₀ (20/3 - 10/3 + 20/3)/2 = 5
     *   cov YX₀ (4 + 0 + 6)/2 = 5;     cov YY₀ (1/3 + 0 + 2/3)/2 = 1/2
     * treat: X = 15, 12, 6; X₀ = 5, 12, 0; Y = 1, 1, 1; Y₀ = 2, 0, 1
     *   means X̄ 11, X̄₀ 17/3, Ȳ 1, Ȳ₀ 1; deviations X 4, 1, -5; X₀ -2/3, 19/3, -17/3; Y 0, 0, 0; Y₀ 1, -1, 0
     *   var X (16 + 1 + 25)/2 = 21; var X₀ (4 + 361 + 289)/9/2 = 109/3; var Y 0; var Y₀ (1 + 1 + 0)/2 = 1
     *   cov XY 0; cov X₀Y₀ (-2/3 - 19/3 + 0)/2 = -7/2
     *   cov XX₀ (-8/3 + 19/3 + 85/3)/2 = 16; cov XY₀ (4 - 1 + 0)/2 = 3/2; cov YX₀ 0; cov YY₀ 0
     */

    @Test
    void ratioPrePeriodMomentsAndCrossCovariances() {
        Map<String, CovariateMoments> covariates = fetch(true).covariates().get(new MetricName("revenue_per_session"));
        CovariateMoments control = covariates.get("control");
        assertMoments(control.post(), 3, 10, 1, 300, 1, 15);
        assertMoments(control.pre(), 3, 6, 2.0 / 3, 28, 1.0 / 3, 3);
        assertCross(control, 60, 5, 5, 0.5);
        CovariateMoments treat = covariates.get("treat");
        assertMoments(treat.post(), 3, 11, 1, 21, 0, 0);
        assertMoments(treat.pre(), 3, 17.0 / 3, 1, 109.0 / 3, 1, -3.5);
        assertCross(treat, 16, 1.5, 0, 0);
    }

    @Test
    void aMetricWithoutDenominatorHasOnlyTheXCovariances() {
        Map<String, CovariateMoments> covariates = fetch(true).covariates().get(new MetricName("revenue"));
        // Y ≡ 1 and Y₀ ≡ 1: means 1, every variance and covariance involving them 0
        assertMoments(covariates.get("control").pre(), 3, 6, 1, 28, 0, 0);
        assertCross(covariates.get("control"), 60, 0, 0, 0);
        assertMoments(covariates.get("treat").pre(), 3, 17.0 / 3, 1, 109.0 / 3, 0, 0);
        assertCross(covariates.get("treat"), 16, 0, 0, 0);
        assertMoments(covariates.get("treat").post(), 3, 11, 1, 21, 0, 0);
    }

    /**
     * A {@code Y ≡ 1} metric's unit without pre-period rows (org 3) is an observation X₀ = 0 with Y₀ = 1,
     * so z₀ = X₀ − R₀ = −6, not 0 as for a mean or ratio metric: θ and the adjusted difference are those of
     * the OLS {@code X ~ 1 + treat + X₀} over X = (30, 0, 0 | 15, 12, 6), X₀ = (10, 8, 0 | 5, 12, 0):
     * numpy 2.4.6 {@code linalg.lstsq} gives the X₀ coefficient 1.18134715 = 228/193 and the arm coefficient
     * 1.39378238 = 269/193 (by hand: θ = (2·60 + 2·16)/(2·28 + 2·109/3), Δ = 1 + θ/3).
     */
    @Test
    void aMetricWithoutDenominatorCountsAUnitWithoutPrePeriodRowsAsXZeroYOne() {
        ExperimentResult result = Analyzer.analyze(config(true), EXP, warehouse);
        MetricResult revenue = result.metrics().stream().filter(m -> m.metric().equals("revenue")).findFirst().orElseThrow();
        MetricResult.CupedResult cuped = revenue.comparisons().get(0).cuped().orElseThrow();
        assertClose(228.0 / 193, cuped.theta(), "theta");
        assertClose(269.0 / 193, cuped.adjusted().absolute().estimate(), "adjusted difference");
    }

    /**
     * GrowthBook's confidence sequence runs on the CUPED-adjusted decision comparison, with t = 3 + 3 units
     * (AsymptoticConfidenceSequence.test on its relative lift; the formula is checked in pulse-stats).
     */
    @Test
    void growthBookSequenceUsesTheAdjustedComparison() {
        ExperimentResult result = Analyzer.analyze(growthBookConfig(true), EXP, warehouse);
        MetricResult.GroupComparison comparison = result.metrics().stream().filter(m -> m.metric().equals("revenue"))
                .findFirst().orElseThrow().comparisons().get(0);
        MetricResult.SequentialResult sequential = comparison.sequential().orElseThrow();
        dev.pulse.stats.Interval adjusted = comparison.cuped().orElseThrow().adjusted().relative();
        dev.pulse.stats.AlwaysValidInference.Result expected = dev.pulse.stats.AsymptoticConfidenceSequence.test(
                adjusted.estimate(), adjusted.stdError(), 6, 1000, result.alpha());
        assertEquals(dev.pulse.model.SequentialMethod.GROWTHBOOK, sequential.method());
        assertEquals(expected, sequential.result().relative());
    }

    @Test
    void thePrePeriodChangesNeitherTheUnitsNorThePostPeriodMoments() {
        ExperimentData with = fetch(true);
        ExperimentData without = fetch(false);
        assertEquals(Map.of("control", 3L, "treat", 3L), with.units());
        assertEquals(without.units(), with.units());
        assertEquals(1, with.excludedMultipleGroups());
        for (MetricName metric : List.of(new MetricName("revenue"), new MetricName("revenue_per_session"))) {
            for (String group : List.of("control", "treat")) {
                GroupMoments plain = without.moments().get(metric).get(group).withShift(0);
                assertMoments(with.moments().get(metric).get(group), plain.n(), plain.meanX(), plain.meanY(),
                        plain.varX(), plain.varY(), plain.covXY());
                assertEquals(with.moments().get(metric).get(group), with.covariates().get(metric).get(group).post());
            }
        }
        assertEquals(Map.of(), without.covariates());
    }

    @Test
    void oneUnitGroupsHaveZeroCovariances() {
        // the same data with only org 1 in control: VAR_SAMP and COVAR_SAMP are NULL → 0
        warehouse.execute("DELETE FROM exposures WHERE org IN (2, 3)");
        CovariateMoments control = fetch(true).covariates().get(new MetricName("revenue_per_session")).get("control");
        assertMoments(control.pre(), 1, 10, 1, 0, 0, 0);
        assertCross(control, 0, 0, 0, 0);
    }

    private ExperimentData fetch(boolean cuped) {
        return MomentsFetcher.fetch(config(cuped), EXP, warehouse);
    }

    /** The cross covariances of the raw values (Pulse's are of shifted ones, docs/statistics.md). */
    private static void assertCross(CovariateMoments shifted, double covXX0, double covXY0, double covYX0, double covYY0) {
        CovariateMoments actual = shifted.withShifts(0, 0);
        assertClose(covXX0, actual.covXX0(), "covXX0");
        assertClose(covXY0, actual.covXY0(), "covXY0");
        assertClose(covYX0, actual.covYX0(), "covYX0");
        assertClose(covYY0, actual.covYY0(), "covYY0");
    }

    static void assertMoments(GroupMoments shifted, long n, double meanX, double meanY,
                              double varX, double varY, double covXY) {
        // the moments of raw X (Pulse's are of X − c·Y, docs/statistics.md)
        GroupMoments actual = shifted.withShift(0);
        assertEquals(n, actual.n(), "n");
        assertClose(meanX, actual.meanX(), "meanX");
        assertClose(meanY, actual.meanY(), "meanY");
        assertClose(varX, actual.varX(), "varX");
        assertClose(varY, actual.varY(), "varY");
        assertClose(covXY, actual.covXY(), "covXY");
    }

    /** Within 1e-12, relative to the magnitude for numbers above 1. */
    static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
    }
}
