package dev.pulse.analysis;

import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.IdType;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Relation;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.UnitAggregate;
import dev.pulse.model.AggregateFunction;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.DeltaMethodComparison;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A/A calibration through the real path (plan → SQL → DuckDB → moments → statistics): orgs of 1 to
 * 150 users whose revenue is correlated within the org and with its size, split at random into two
 * groups {@value #SPLITS} times with no effect at all. Revenue per user (a ratio over distinct users,
 * analysed per org) must reject at about alpha; the naive per-user t-test on the same splits must
 * reject far more often, which is the failure Pulse exists to prevent.
 *
 * <p>Bounds: with {@value #SPLITS} independent splits at alpha 0.05 the false-positive count is
 * Binomial(300, 0.05): mean 15, SD 3.8; the band [0.02, 0.09] is [6, 27] splits, about 2.4
 * SD below and 3.2 SD above. The data and splits are fixed (hash-seeded), so the test is repeatable.
 */
@Tag("slow")
class AaCalibrationTest {
    private static final int SPLITS = 300;
    private static final double ALPHA = 0.05;

    @Test
    void orgLevelRatioRejectsAtAlphaWhileNaiveUserLevelTestDoesNot() {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            makeData(warehouse);
            PulseConfig config = config();

            int pulseRejections = 0;
            for (ExperimentName name : config.experiments().keySet()) {
                ExperimentResult result = Analyzer.analyze(config, name, warehouse);
                assertEquals(0, result.excludedMultipleGroups());
                Comparison comparison = result.metrics().get(0).comparisons().get(0).statistics();
                if (comparison.significant()) {
                    pulseRejections++;
                }
            }
            int naiveRejections = naiveRejections(warehouse);

            double pulseRate = (double) pulseRejections / SPLITS;
            double naiveRate = (double) naiveRejections / SPLITS;
            System.out.printf("A/A over %d org-level splits: Pulse false-positive rate %.3f, naive per-user %.3f%n",
                    SPLITS, pulseRate, naiveRate);
            assertTrue(pulseRate >= 0.02 && pulseRate <= 0.09, "Pulse false-positive rate " + pulseRate);
            assertTrue(naiveRate > 0.25, "naive per-user false-positive rate " + naiveRate);
        }
    }

    /**
     * The same splits under a trigger (docs/triggered-analysis.md): an org counts from its first purchase
     * above 20, which depends on the org's revenue but not on its group. Triggering selects orgs after
     * randomization, yet in an A/A test the selection is the same in both groups, so the false-positive
     * rate must stay near alpha (same binomial band as above); about a third of the orgs never trigger.
     */
    @Test
    void triggeredAnalysisRejectsAtAlphaToo() {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            makeData(warehouse);
            PulseConfig plain = config();
            Map<ExperimentName, Experiment> triggered = new LinkedHashMap<>();
            plain.experiments().forEach((name, experiment) -> triggered.put(name, experiment.toBuilder()
                    .trigger(Optional.of(new dev.pulse.model.Trigger(new SourceName("events"), Optional.of("revenue > 20"))))
                    .build()));
            PulseConfig config = new PulseConfig(plain.file(), plain.warehouse(), plain.sources(), plain.metrics(),
                    triggered);
            int rejections = 0;
            long notTriggered = 0;
            for (ExperimentName name : config.experiments().keySet()) {
                ExperimentResult result = Analyzer.analyze(config, name, warehouse);
                notTriggered = result.excludedNotTriggered().orElseThrow();
                if (result.metrics().get(0).comparisons().get(0).statistics().significant()) {
                    rejections++;
                }
            }
            double rate = (double) rejections / SPLITS;
            System.out.printf("A/A over %d triggered org-level splits: false-positive rate %.3f (%d orgs not triggered)%n",
                    SPLITS, rate, notTriggered);
            assertTrue(notTriggered > 100 && notTriggered < 1100, "orgs not triggered " + notTriggered);
            assertTrue(rate >= 0.02 && rate <= 0.09, "triggered false-positive rate " + rate);
        }
    }

    /** Orgs with 1-150 users, an org effect shared by its users and growing with size, and one exposure table holding every split. */
    private static void makeData(Warehouse warehouse) {
        warehouse.execute("CREATE MACRO uni(k, salt) AS ((hash(k * 1000003 + salt) % 1000000007) + 0.5) / 1000000007.0");
        warehouse.execute("CREATE MACRO gauss(k, salt) AS sqrt(-2 * ln(uni(k, salt))) * cos(2 * pi() * uni(k, salt + 1))");
        warehouse.execute("""
                CREATE TABLE orgs AS
                SELECT org_id, CAST(LEAST(150, floor(exp(5.0 * uni(org_id, 1)))) AS INTEGER) AS users,
                       exp(0.8 * gauss(org_id, 2)) AS quality
                FROM range(1, 1201) t(org_id)""");
        warehouse.execute("""
                CREATE TABLE events AS
                SELECT o.org_id, o.org_id * 1000 + u AS user_id,
                       TIMESTAMP '2026-03-02 00:00:00' + to_seconds(CAST(floor(uni(o.org_id * 1000 + u, 3) * 20 * 86400) AS BIGINT)) AS ts,
                       10 * o.quality * (1 + 0.2 * ln(o.users)) * exp(0.5 * gauss(o.org_id * 1000 + u, 4)) AS revenue
                FROM orgs o, range(1, 151) r(u)
                WHERE u <= o.users AND uni(o.org_id * 1000 + u, 6) < 0.8""");
        warehouse.execute("""
                CREATE TABLE exposures AS
                SELECT org_id, TIMESTAMP '2026-03-01 00:00:00' AS exposed_at, 'aa_' || s AS experiment_name,
                       CASE WHEN uni(org_id * 1009 + s, 5) < 0.5 THEN 'a' ELSE 'b' END AS variant
                FROM orgs, range(0, %d) t(s)""".formatted(SPLITS));
    }

    private static PulseConfig config() {
        IdType org = new IdType("org_id");
        IdType user = new IdType("user_id");
        SourceName events = new SourceName("events");
        SourceName exposures = new SourceName("exposures");
        Map<SourceName, Source> sources = new LinkedHashMap<>();
        sources.put(events, new Source(events, new Relation.Table(List.of("events")), "ts",
                Map.of(org, "org_id", user, "user_id"), Optional.empty()));
        sources.put(exposures, new Source(exposures, new Relation.Table(List.of("exposures")), "exposed_at",
                Map.of(org, "org_id"), Optional.of(new Source.AssignmentColumns("experiment_name", "variant"))));
        MetricName revenuePerUser = new MetricName("revenue_per_user");
        Metric metric = new Metric.Ratio(revenuePerUser,
                new UnitAggregate(events, AggregateFunction.SUM, Optional.of("revenue"), Optional.empty()),
                new UnitAggregate(events, AggregateFunction.COUNT_DISTINCT, Optional.of("user_id"), Optional.empty()));
        Map<ExperimentName, Experiment> experiments = new LinkedHashMap<>();
        for (int s = 0; s < SPLITS; s++) {
            ExperimentName name = new ExperimentName("aa_" + s);
            experiments.put(name, Experiment.builder().name(name).assignment(exposures).unit(org).control("a")
                    .groups(List.of(new Group("a", 0.5), new Group("b", 0.5)))
                    .start(LocalDate.of(2026, 3, 1)).end(LocalDate.of(2026, 3, 28)).alpha(ALPHA).metrics(List.of(revenuePerUser)).build());
        }
        return new PulseConfig(Path.of("aa.yaml").toAbsolutePath(), WarehouseConfig.inMemoryDuckDb(), sources,
                Map.of(revenuePerUser, metric), experiments);
    }

    /** The naive analysis of every split at once: users as independent units, per-user revenue. */
    private static int naiveRejections(Warehouse warehouse) {
        QueryResult rows = warehouse.query("""
                WITH per_user AS (
                  SELECT x.experiment_name, x.variant, e.user_id, SUM(e.revenue) AS revenue
                  FROM exposures x JOIN events e ON e.org_id = x.org_id
                  GROUP BY 1, 2, 3)
                SELECT experiment_name, variant, COUNT(*) AS n, AVG(revenue) AS mean, VAR_SAMP(revenue) AS variance
                FROM per_user GROUP BY 1, 2""");
        Map<String, Map<String, GroupMoments>> splits = new HashMap<>();
        for (QueryResult.Row row : rows.rows()) {
            splits.computeIfAbsent(row.getString("experiment_name"), k -> new HashMap<>())
                    .put(row.getString("variant"), GroupMoments.ofUnitDenominator(
                            row.getLong("n"), row.getDouble("mean"), row.getDouble("variance")));
        }
        assertEquals(SPLITS, splits.size());
        int rejections = 0;
        for (Map<String, GroupMoments> split : splits.values()) {
            if (DeltaMethodComparison.compare(split.get("a"), split.get("b"), ALPHA).significant()) {
                rejections++;
            }
        }
        return rejections;
    }
}
