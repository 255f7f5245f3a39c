package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.pulse.model.WarehouseConfig;
import dev.pulse.stats.Interval;
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
 * A/A calibration of percentile metrics through the real path (plan → both statements → DuckDB →
 * {@code Percentiles}): 1,000 orgs with 1 to 20 page loads each, whose latency shares a strong org
 * effect (log-normal, org SD 0.7 against row SD 0.4, rounded to whole milliseconds so that ties
 * occur), split at random into two groups {@value #SPLITS} times with no effect. The 95% interval of
 * the difference of the groups' 90th percentiles must cover 0 in about 95% of the splits.
 *
 * <p>Bounds: the covered count is Binomial(200, 0.95): mean 190, SD 3.1; the band [181, 198]
 * (coverage 0.905 to 0.99) is 2.9 SD below and 2.6 SD above. Data and splits are fixed (hash-seeded),
 * so the test is repeatable.
 */
@Tag("slow")
class PercentileCalibrationTest {
    private static final int SPLITS = 200;
    private static final double ALPHA = 0.05;
    private static final MetricName P90 = new MetricName("p90_latency");

    @Test
    void differenceIntervalCoversZeroAtNinetyFivePercent() {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            makeData(warehouse);
            PulseConfig config = config();
            long started = System.nanoTime();
            int covered = 0;
            double widths = 0;
            for (ExperimentName name : config.experiments().keySet()) {
                PercentileData data = PercentileFetcher.fetch(config, name, P90, warehouse);
                assertEquals(2, data.groups().size());
                Interval difference = data.comparisons().get(0).statistics().orElseThrow().absolute();
                if (difference.lower() <= 0 && 0 <= difference.upper()) {
                    covered++;
                }
                widths += difference.upper() - difference.lower();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("percentile A/A over %d splits: 0 covered in %d (%.3f), mean width %.2f ms, %.1f s%n",
                    SPLITS, covered, (double) covered / SPLITS, widths / SPLITS, seconds);
            assertTrue(covered >= 181 && covered <= 198, "covered " + covered + " of " + SPLITS);
        }
    }

    /** Orgs with 1-20 page loads, an org effect shared by its loads, and one exposure table holding every split. */
    private static void makeData(Warehouse warehouse) {
        warehouse.execute("CREATE MACRO uni(k, salt) AS ((hash(k * 1000003 + salt) % 1000000007) + 0.5) / 1000000007.0");
        warehouse.execute("CREATE MACRO gauss(k, salt) AS sqrt(-2 * ln(uni(k, salt))) * cos(2 * pi() * uni(k, salt + 1))");
        warehouse.execute("""
                CREATE TABLE orgs AS
                SELECT org_id, 1 + CAST(floor(20 * uni(org_id, 1)) AS INTEGER) AS loads, 0.7 * gauss(org_id, 2) AS effect
                FROM range(1, 1001) t(org_id)""");
        warehouse.execute("""
                CREATE TABLE page_loads AS
                SELECT o.org_id, TIMESTAMP '2026-03-02 00:00:00' + to_seconds(CAST(floor(uni(o.org_id * 100 + l, 3) * 20 * 86400) AS BIGINT)) AS ts,
                       round(200 * exp(o.effect + 0.4 * gauss(o.org_id * 100 + l, 4))) AS latency_ms
                FROM orgs o, range(1, 21) r(l)
                WHERE l <= o.loads""");
        warehouse.execute("""
                CREATE TABLE exposures AS
                SELECT org_id, TIMESTAMP '2026-03-01 00:00:00' AS exposed_at, 'aa_' || s AS experiment_name,
                       CASE WHEN uni(org_id * 1009 + s, 5) < 0.5 THEN 'a' ELSE 'b' END AS variant
                FROM orgs, range(0, %d) t(s)""".formatted(SPLITS));
    }

    private static PulseConfig config() {
        IdType org = new IdType("org_id");
        SourceName loads = new SourceName("page_loads");
        SourceName exposures = new SourceName("exposures");
        Map<SourceName, Source> sources = new LinkedHashMap<>();
        sources.put(loads, new Source(loads, new Relation.Table(List.of("page_loads")), "ts",
                Map.of(org, "org_id"), Optional.empty()));
        sources.put(exposures, new Source(exposures, new Relation.Table(List.of("exposures")), "exposed_at",
                Map.of(org, "org_id"), Optional.of(new Source.AssignmentColumns("experiment_name", "variant"))));
        Metric metric = new Metric.Percentile(P90, loads, "latency_ms", 0.9, Optional.empty());
        Map<ExperimentName, Experiment> experiments = new LinkedHashMap<>();
        for (int s = 0; s < SPLITS; s++) {
            ExperimentName name = new ExperimentName("aa_" + s);
            experiments.put(name, Experiment.builder().name(name).assignment(exposures).unit(org).control("a")
                    .groups(List.of(new Group("a", 0.5), new Group("b", 0.5)))
                    .start(LocalDate.of(2026, 3, 1)).end(LocalDate.of(2026, 3, 28)).alpha(ALPHA).metrics(List.of(P90)).build());
        }
        return new PulseConfig(Path.of("percentile-aa.yaml").toAbsolutePath(), WarehouseConfig.inMemoryDuckDb(), sources,
                Map.of(P90, metric), experiments);
    }
}
