package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.plan.TestModel;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A/A calibration of a funnel through the real path (plan → the funnel statement → DuckDB → moments → delta
 * method): 3,000 orgs, each with views, carts and purchases at random times (some out of order, some outside the
 * 7-day window), split at random into two groups {@value #SPLITS} times with no effect. The overall conversion
 * and each step's conversion must reject at about alpha.
 *
 * <p>Bounds: as in {@link AaCalibrationTest}, the false-positive count of each figure is Binomial(300, 0.05),
 * mean 15, SD 3.8, and the band [0.02, 0.09] is [6, 27] splits. Data and splits are hash-seeded: repeatable.
 */
@Tag("slow")
class FunnelCalibrationTest {
    private static final int SPLITS = 300;
    private static final double ALPHA = 0.05;

    @Test
    void overallAndStepConversionsRejectAtAlpha() {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            makeData(warehouse);
            PulseConfig config = config();
            int[] rejections = new int[3]; // overall, carted, bought
            for (ExperimentName name : config.experiments().keySet()) {
                ExperimentResult result = Analyzer.analyze(config, name, warehouse);
                MetricResult funnel = result.metrics().get(0);
                assertEquals(2, funnel.steps().size());
                rejections[0] += funnel.comparisons().get(0).statistics().significant() ? 1 : 0;
                for (int k = 0; k < 2; k++) {
                    rejections[k + 1] += funnel.steps().get(k).comparisons().get(0).statistics().significant() ? 1 : 0;
                }
            }
            for (int i = 0; i < 3; i++) {
                double rate = (double) rejections[i] / SPLITS;
                System.out.printf("funnel A/A over %d splits, conversion %d: false-positive rate %.3f%n", SPLITS, i, rate);
                assertTrue(rate >= 0.02 && rate <= 0.09, "conversion " + i + " false-positive rate " + rate);
            }
        }
    }

    private static void makeData(Warehouse warehouse) {
        warehouse.execute("CREATE MACRO uni(k, salt) AS ((hash(k * 1000003 + salt) % 1000000007) + 0.5) / 1000000007.0");
        warehouse.execute("CREATE MACRO random_time(k, salt) AS TIMESTAMP '2026-03-01 00:00:00'"
                + " + to_seconds(CAST(floor(uni(k, salt) * 20 * 86400) AS BIGINT))");
        // per org 0-2 views, 0-2 carts and 0-1 purchases, each at a random time in 20 days
        warehouse.execute("""
                CREATE TABLE events AS
                SELECT org, random_time(org * 10 + i, 1) AS ts, 'view' AS event
                FROM range(1, 3001) o(org), range(0, 2) r(i) WHERE uni(org * 10 + i, 2) < 0.6
                UNION ALL
                SELECT org, random_time(org * 10 + i, 3), 'cart'
                FROM range(1, 3001) o(org), range(0, 2) r(i) WHERE uni(org * 10 + i, 4) < 0.45
                UNION ALL
                SELECT org, random_time(org, 5), 'buy' FROM range(1, 3001) o(org) WHERE uni(org, 6) < 0.5""");
        warehouse.execute("""
                CREATE TABLE exposures AS
                SELECT org, TIMESTAMP '2026-03-01 00:00:00' AS ts, 'aa_' || s AS exp_name,
                       CASE WHEN uni(org * 1009 + s, 7) < 0.5 THEN 'control' ELSE 'treat' END AS variant
                FROM range(1, 3001) o(org), range(0, %d) t(s)""".formatted(SPLITS));
    }

    private static PulseConfig config() {
        Metric funnel = TestModel.funnel("checkout", 7, Metric.Funnel.WindowFrom.FIRST_STEP, true,
                Metric.Funnel.Denominator.FIRST_STEP, new String[] {"viewed", "events", "event = 'view'"},
                new String[] {"carted", "events", "event = 'cart'"}, new String[] {"bought", "events", "event = 'buy'"});
        List<Experiment> experiments = new ArrayList<>();
        for (int s = 0; s < SPLITS; s++) {
            experiments.add(Experiment.builder().name(new ExperimentName("aa_" + s))
                    .assignment(new dev.pulse.model.SourceName("exposures")).unit(TestModel.ORG).control("control")
                    .groups(List.of(new Group("control", 0.5), new Group("treat", 0.5))).start(LocalDate.of(2026, 3, 1))
                    .end(LocalDate.of(2026, 3, 28)).alpha(ALPHA).metrics(List.of(new MetricName("checkout"))).build());
        }
        return TestModel.config(List.of(TestModel.assignment("exposures", TestModel.table("exposures")),
                TestModel.metricSource("events", TestModel.table("events"))), List.of(funnel), experiments);
    }
}
