package dev.pulse.analysis;

import static dev.pulse.analysis.CupedMomentsTest.assertClose;
import static dev.pulse.analysis.CupedMomentsTest.assertMoments;
import static dev.pulse.plan.TestModel.aggregate;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.ratio;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Cuped;
import dev.pulse.model.Direction;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.model.Winsorization;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Winsorization in the warehouse on a small hand-computed data set in in-memory DuckDB.
 *
 * <p>Experiment {@code exp}: window [2026-03-10, 2026-03-12), every counted unit exposed on 03-10
 * 00:00; control orgs 1, 2, 3, treat orgs 4, 5; org 6 is in both groups and excluded, so its huge
 * values must not move the caps. Per unit (X revenue, Y sessions, X₀ revenue of the 2-day pre-period
 * [03-08, 03-10) under CUPED):
 * <pre>
 *   org  group    X    Y   X₀
 *   1    control    0  0    0    no rows at all
 *   2    control   10  1    6    50 on 03-07 is before the pre-period
 *   3    control  100  5    2
 *   4    treat     20  2    0
 *   5    treat     30  2   12
 * </pre>
 * {@code QUANTILE_CONT(v, p)} over the n = 5 pooled units (sorted x₀ … x₄) is x⌊h⌋ + (h − ⌊h⌋)(x⌈h⌉ − x⌊h⌋)
 * with h = 4p (Hyndman &amp; Fan type 7). For p = 0.1, h = 0.4; for p = 0.8, h = 3.2:
 * <ul>
 *   <li>X sorted 0, 10, 20, 30, 100: lower 0 + 0.4 · 10 = 4, upper 30 + 0.2 · 70 = 44</li>
 *   <li>Y sorted 0, 1, 2, 2, 5: lower 0 + 0.4 · 1 = 0.4, upper 2 + 0.2 · 3 = 2.6</li>
 *   <li>X₀ sorted 0, 0, 2, 6, 12: lower 0, upper 6 + 0.2 · 6 = 7.2</li>
 * </ul>
 */
class WinsorizedMomentsTest {
    private static final ExperimentName EXP = new ExperimentName("exp");
    private static final Winsorization BOTH = Winsorization.between(0.1, 0.8);

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS SELECT * FROM (VALUES
                  ('exp', 'control', 1, TIMESTAMP '2026-03-10 00:00:00'),
                  ('exp', 'control', 2, TIMESTAMP '2026-03-10 00:00:00'),
                  ('exp', 'control', 3, TIMESTAMP '2026-03-10 00:00:00'),
                  ('exp', 'treat',   4, TIMESTAMP '2026-03-10 00:00:00'),
                  ('exp', 'treat',   5, TIMESTAMP '2026-03-10 00:00:00'),
                  ('exp', 'control', 6, TIMESTAMP '2026-03-10 00:00:00'),
                  ('exp', 'treat',   6, TIMESTAMP '2026-03-10 01:00:00')
                ) AS t(exp_name, variant, org, ts)""");
        warehouse.execute("""
                CREATE TABLE events AS SELECT * FROM (VALUES
                  (2, TIMESTAMP '2026-03-07 00:00:00', 50.0),
                  (2, TIMESTAMP '2026-03-09 00:00:00', 6.0),
                  (2, TIMESTAMP '2026-03-10 01:00:00', 10.0),
                  (3, TIMESTAMP '2026-03-08 00:00:00', 2.0),
                  (3, TIMESTAMP '2026-03-10 00:00:00', 60.0),
                  (3, TIMESTAMP '2026-03-11 00:00:00', 40.0),
                  (4, TIMESTAMP '2026-03-10 00:00:00', 20.0),
                  (5, TIMESTAMP '2026-03-09 00:00:00', 12.0),
                  (5, TIMESTAMP '2026-03-11 00:00:00', 30.0),
                  (6, TIMESTAMP '2026-03-09 00:00:00', 10000.0),
                  (6, TIMESTAMP '2026-03-10 02:00:00', 10000.0)
                ) AS t(org, ts, revenue)""");
        warehouse.execute("""
                CREATE TABLE sessions AS SELECT * FROM (VALUES
                  (2, TIMESTAMP '2026-03-10 05:00:00'),
                  (3, TIMESTAMP '2026-03-10 01:00:00'), (3, TIMESTAMP '2026-03-10 02:00:00'),
                  (3, TIMESTAMP '2026-03-10 03:00:00'), (3, TIMESTAMP '2026-03-10 04:00:00'),
                  (3, TIMESTAMP '2026-03-10 05:00:00'),
                  (4, TIMESTAMP '2026-03-10 01:00:00'), (4, TIMESTAMP '2026-03-11 01:00:00'),
                  (5, TIMESTAMP '2026-03-10 01:00:00'), (5, TIMESTAMP '2026-03-11 01:00:00'),
                  (6, TIMESTAMP '2026-03-10 03:00:00')
                ) AS t(org, ts)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static PulseConfig config(boolean cuped) {
        Experiment experiment = experiment("exp", "exposures", List.of("control", "treat"), "2026-03-10", "2026-03-11",
                "revenue", "revenue_per_session", "revenue_upper", "revenue_raw");
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", table("events")),
                        metricSource("sessions", table("sessions"))),
                List.of(sum("revenue", "events", "revenue", null).withOptions(capped(BOTH)),
                        ratio("revenue_per_session",
                                aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("sessions", AggregateFunction.COUNT_ROWS, null, null)).withOptions(capped(BOTH)),
                        sum("revenue_upper", "events", "revenue", null).withOptions(
                                capped(new Winsorization(OptionalDouble.empty(), OptionalDouble.of(0.8)))),
                        sum("revenue_raw", "events", "revenue", null)),
                List.of(cuped ? experiment.withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(2))) : experiment));
    }

    private static MetricOptions capped(Winsorization winsorization) {
        return new MetricOptions(Direction.TWO_SIDED, Optional.of(winsorization));
    }

    @Test
    void valuesAreCappedAtQuantilesOfAllCountedUnits() {
        Map<String, GroupMoments> revenue = moments(false, "revenue");
        // control 4, 10, 44: mean 58/3, deviations -46/3, -28/3, 74/3 → (2116 + 784 + 5476)/9/2 = 1396/3
        assertMoments(revenue.get("control"), 3, 58.0 / 3, 1, 1396.0 / 3, 0, 0);
        // treat 20, 30 (inside the caps): mean 25, var 50
        assertMoments(revenue.get("treat"), 2, 25, 1, 50, 0, 0);
    }

    @Test
    void ratioNumeratorAndDenominatorAreEachCappedOverTheSameUnits() {
        Map<String, GroupMoments> ratio = moments(false, "revenue_per_session");
        // control X 4, 10, 44; Y 0.4, 1, 2.6: mean Y 4/3, deviations -14/15, -5/15, 19/15
        //   var Y (196 + 25 + 361)/225/2 = 97/75; cov ((-46)(-14) + (-28)(-5) + 74 · 19)/45/2 = 2190/90 = 73/3
        assertMoments(ratio.get("control"), 3, 58.0 / 3, 4.0 / 3, 1396.0 / 3, 97.0 / 75, 73.0 / 3);
        // treat X 20, 30; Y 2, 2: mean Y 2, var Y 0, cov 0
        assertMoments(ratio.get("treat"), 2, 25, 2, 50, 0, 0);
    }

    @Test
    void anUpperCapAloneLeavesSmallValuesAndAnUncappedMetricSharesTheColumn() {
        // control 0, 10, 44: mean 18, deviations -18, -8, 26 → (324 + 64 + 676)/2 = 532
        assertMoments(moments(false, "revenue_upper").get("control"), 3, 18, 1, 532, 0, 0);
        // the same per-unit column, not capped: 0, 10, 100: mean 110/3, (12100 + 6400 + 36100)/9/2 = 9100/3
        assertMoments(moments(false, "revenue_raw").get("control"), 3, 110.0 / 3, 1, 9100.0 / 3, 0, 0);
        assertMoments(moments(false, "revenue_raw").get("treat"), 2, 25, 1, 50, 0, 0);
    }

    @Test
    void prePeriodValuesAreCappedAtTheirOwnQuantiles() {
        ExperimentData data = MomentsFetcher.fetch(config(true), EXP, warehouse);
        CovariateMoments control = data.covariates().get(new MetricName("revenue")).get("control");
        // X₀ capped to [0, 7.2]: control 0, 6, 2: mean 8/3, deviations -8/3, 10/3, -2/3 → (64 + 100 + 4)/9/2 = 28/3
        // cov XX₀ with X deviations -46/3, -28/3, 74/3: (368 - 280 - 148)/9/2 = -10/3
        assertMoments(control.pre(), 3, 8.0 / 3, 1, 28.0 / 3, 0, 0);
        assertClose(-10.0 / 3, control.covXX0(), "covXX0");
        CovariateMoments treat = data.covariates().get(new MetricName("revenue")).get("treat");
        // treat 0, 12 → 0, 7.2: mean 3.6, var 2 · 3.6² = 25.92; cov XX₀ ((-5)(-3.6) + 5 · 3.6)/1 = 36
        assertMoments(treat.pre(), 2, 3.6, 1, 25.92, 0, 0);
        assertClose(36, treat.covXX0(), "covXX0");
        // the post-period moments are those without CUPED
        assertMoments(data.moments().get(new MetricName("revenue")).get("treat"), 2, 25, 1, 50, 0, 0);
    }

    private Map<String, GroupMoments> moments(boolean cuped, String metric) {
        return MomentsFetcher.fetch(config(cuped), EXP, warehouse).moments().get(new MetricName(metric));
    }
}
