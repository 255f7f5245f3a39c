package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.IdType;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Relation;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.UnitThreshold;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A/A calibration of threshold and retention metrics through the real path (plan → SQL → DuckDB →
 * moments → statistics): 2,000 orgs with skewed purchase amounts and sessions spread over four weeks,
 * first exposed over 20 days (so that some D7–14 retention windows are still open at the end), split at
 * random {@value #SPLITS} times with no effect. Each metric must reject at about alpha.
 *
 * <p>Bounds: the false-positive count of one metric over {@value #SPLITS} independent splits at alpha
 * 0.05 is Binomial(300, 0.05): mean 15, SD 3.8; the band [6, 27] splits ([0.02, 0.09]) is about 2.4 SD
 * below and 3.2 SD above, as in {@link AaCalibrationTest}. The data and splits are hash-seeded, so the
 * test is repeatable.
 */
@Tag("slow")
class ThresholdRetentionAaCalibrationTest {
    private static final int SPLITS = 300;
    private static final double ALPHA = 0.05;
    private static final MetricName BIG_SPENDERS = new MetricName("big_spenders");
    private static final MetricName RETENTION = new MetricName("d7_14_retention");

    @Test
    void thresholdAndRetentionRejectAtAlphaWithoutAnEffect() {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            makeData(warehouse);
            PulseConfig config = config();
            int[] rejections = new int[2];
            long excluded = -1;
            double share = 0;
            for (ExperimentName name : config.experiments().keySet()) {
                ExperimentResult result = Analyzer.analyze(config, name, warehouse);
                for (int m = 0; m < 2; m++) {
                    if (result.metrics().get(m).comparisons().get(0).statistics().significant()) {
                        rejections[m]++;
                    }
                }
                long open = result.metrics().get(1).excludedUnitsWindowOpen().orElseThrow();
                assertTrue(excluded < 0 || excluded == open, "the same units are open in every split");
                excluded = open;
                share = result.metrics().get(0).comparisons().get(0).statistics().controlMean();
            }
            double thresholdRate = (double) rejections[0] / SPLITS;
            double retentionRate = (double) rejections[1] / SPLITS;
            System.out.printf("A/A over %d splits: threshold false-positive rate %.3f, retention %.3f"
                    + " (%d units with an open window, last control share %.3f)%n",
                    SPLITS, thresholdRate, retentionRate, excluded, share);
            assertTrue(excluded > 100 && excluded < 1000, "some windows open: " + excluded);
            assertTrue(share > 0.2 && share < 0.8, "a threshold that splits the units: " + share);
            assertTrue(thresholdRate >= 0.02 && thresholdRate <= 0.09, "threshold false-positive rate " + thresholdRate);
            assertTrue(retentionRate >= 0.02 && retentionRate <= 0.09, "retention false-positive rate " + retentionRate);
        }
    }

    /** Orgs first exposed over 20 days; 0–11 purchases of log-normal amounts and 0–15 sessions over four weeks. */
    private static void makeData(Warehouse warehouse) {
        warehouse.execute("CREATE MACRO uni(k, salt) AS ((hash(k * 1000003 + salt) % 1000000007) + 0.5) / 1000000007.0");
        warehouse.execute("CREATE MACRO gauss(k, salt) AS sqrt(-2 * ln(uni(k, salt))) * cos(2 * pi() * uni(k, salt + 1))");
        warehouse.execute("""
                CREATE TABLE orgs AS
                SELECT org_id,
                       TIMESTAMP '2026-03-01 00:00:00' + to_seconds(CAST(floor(uni(org_id, 1) * 20 * 86400) AS BIGINT)) AS fe,
                       CAST(floor(12 * uni(org_id, 3) * uni(org_id, 4)) AS INTEGER) AS purchases,
                       CAST(floor(16 * uni(org_id, 5)) AS INTEGER) AS sessions
                FROM range(1, 2001) t(org_id)""");
        warehouse.execute("""
                CREATE TABLE purchases AS
                SELECT o.org_id, o.fe + to_seconds(CAST(floor(uni(o.org_id * 100 + k, 7) * 10 * 86400) AS BIGINT)) AS ts,
                       round(20 * exp(gauss(o.org_id * 100 + k, 8)), 2) AS amount
                FROM orgs o, range(0, 12) r(k)
                WHERE k < o.purchases""");
        warehouse.execute("""
                CREATE TABLE events AS
                SELECT o.org_id, o.fe + to_seconds(CAST(floor(uni(o.org_id * 100 + k, 10) * 28 * 86400) AS BIGINT)) AS ts,
                       'session_start' AS event
                FROM orgs o, range(0, 16) r(k)
                WHERE k < o.sessions""");
        warehouse.execute("""
                CREATE TABLE exposures AS
                SELECT org_id, fe AS exposed_at, 'aa_' || s AS experiment_name,
                       CASE WHEN uni(org_id * 1009 + s, 11) < 0.5 THEN 'a' ELSE 'b' END AS variant
                FROM orgs, range(0, %d) t(s)""".formatted(SPLITS));
    }

    private static PulseConfig config() {
        IdType org = new IdType("org_id");
        Map<SourceName, Source> sources = new LinkedHashMap<>();
        for (String name : List.of("purchases", "events")) {
            sources.put(new SourceName(name), new Source(new SourceName(name), new Relation.Table(List.of(name)), "ts",
                    Map.of(org, "org_id"), Optional.empty()));
        }
        SourceName exposures = new SourceName("exposures");
        sources.put(exposures, new Source(exposures, new Relation.Table(List.of("exposures")), "exposed_at",
                Map.of(org, "org_id"), Optional.of(new Source.AssignmentColumns("experiment_name", "variant"))));
        Map<MetricName, Metric> metrics = new LinkedHashMap<>();
        metrics.put(BIG_SPENDERS, new Metric.Threshold(BIG_SPENDERS, new SourceName("purchases"), AggregateFunction.SUM,
                Optional.of("amount"), Optional.empty(), new UnitThreshold(100, UnitThreshold.Comparison.AT_LEAST)));
        metrics.put(RETENTION, new Metric.Retention(RETENTION, new SourceName("events"),
                Optional.of("event = 'session_start'"), new MetricWindow(7, 14)));
        Map<ExperimentName, Experiment> experiments = new LinkedHashMap<>();
        for (int s = 0; s < SPLITS; s++) {
            ExperimentName name = new ExperimentName("aa_" + s);
            experiments.put(name, Experiment.builder().name(name).assignment(exposures).unit(org).control("a")
                    .groups(List.of(new Group("a", 0.5), new Group("b", 0.5))).start(LocalDate.of(2026, 3, 1))
                    .end(LocalDate.of(2026, 3, 28)).alpha(ALPHA).metrics(List.of(BIG_SPENDERS, RETENTION)).build());
        }
        assertEquals(SPLITS, experiments.size());
        return new PulseConfig(Path.of("aa.yaml").toAbsolutePath(), WarehouseConfig.inMemoryDuckDb(), sources, metrics,
                experiments);
    }
}
