package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.IdType;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Relation;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
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
 * A/A calibration of first_value, latest_value and participation through the real path (plan → SQL → DuckDB →
 * moments → delta method): 1,500 units exposed at random times over a 14-day experiment, each with its own
 * activity rate and price level, rows at whole hours (so several rows share a timestamp), rounded prices
 * (ties in value) and 10% NULL prices, rows before exposure and after the end; split at random {@value #SPLITS}
 * times with no effect. Each metric must reject at about alpha: the number of units with a value (the
 * denominator of the value metrics) and the days in the experiment (participation's) vary by unit, which the
 * delta method for a ratio must account for.
 *
 * <p>Bounds as in {@link AaCalibrationTest}: Binomial({@value #SPLITS}, 0.05) has mean 15 and SD 3.8; the band
 * [0.02, 0.09] is [6, 27] splits. Data and splits are hash-seeded, so the test is repeatable.
 */
@Tag("slow")
class ValueParticipationAaCalibrationTest {
    private static final int SPLITS = 300;
    private static final double ALPHA = 0.05;
    private static final List<String> METRICS = List.of("latest_price", "first_price", "active_days");

    @Test
    void eachMetricRejectsAtAlphaWithoutAnEffect() {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            makeData(warehouse);
            PulseConfig config = config();
            int[] rejections = new int[METRICS.size()];
            for (ExperimentName name : config.experiments().keySet()) {
                ExperimentResult result = Analyzer.analyze(config, name, warehouse);
                for (int m = 0; m < METRICS.size(); m++) {
                    if (result.metrics().get(m).comparisons().get(0).statistics().significant()) {
                        rejections[m]++;
                    }
                }
            }
            for (int m = 0; m < METRICS.size(); m++) {
                double rate = (double) rejections[m] / SPLITS;
                System.out.printf("A/A over %d splits: %s false-positive rate %.3f%n", SPLITS, METRICS.get(m), rate);
                assertTrue(rate >= 0.02 && rate <= 0.09, METRICS.get(m) + " false-positive rate " + rate);
            }
        }
    }

    private static void makeData(Warehouse warehouse) {
        warehouse.execute("CREATE MACRO uni(k, salt) AS ((hash(k * 1000003 + salt) % 1000000007) + 0.5) / 1000000007.0");
        warehouse.execute("CREATE MACRO gauss(k, salt) AS sqrt(-2 * ln(uni(k, salt))) * cos(2 * pi() * uni(k, salt + 1))");
        warehouse.execute("""
                CREATE TABLE units AS
                SELECT unit_id,
                       TIMESTAMP '2026-03-01 00:00:00' + to_seconds(CAST(floor(uni(unit_id, 1) * 14 * 86400) AS BIGINT)) AS exposed_at,
                       LEAST(1.0, 0.35 * exp(0.8 * gauss(unit_id, 2))) AS rate,
                       20 * exp(0.7 * gauss(unit_id, 4)) AS level
                FROM range(1, 1501) t(unit_id)""");
        // 60 candidate rows per unit at whole hours from 02-22 to 03-16 (before exposure and after the end too)
        warehouse.execute("""
                CREATE TABLE events AS
                SELECT u.unit_id,
                       TIMESTAMP '2026-02-22 00:00:00' + to_seconds(CAST(floor(uni(u.unit_id * 100 + s, 6) * 23 * 24) AS BIGINT) * 3600) AS ts,
                       CASE WHEN uni(u.unit_id * 100 + s, 7) < 0.1 THEN NULL
                            ELSE round(u.level * exp(0.3 * gauss(u.unit_id * 100 + s, 8))) END AS price
                FROM units u, range(0, 60) r(s)
                WHERE uni(u.unit_id * 100 + s, 10) < u.rate""");
        warehouse.execute("""
                CREATE TABLE exposures AS
                SELECT unit_id, exposed_at, 'aa_' || s AS experiment_name,
                       CASE WHEN uni(unit_id * 1009 + s, 11) < 0.5 THEN 'a' ELSE 'b' END AS variant
                FROM units, range(0, %d) t(s)""".formatted(SPLITS));
    }

    private static PulseConfig config() {
        IdType unit = new IdType("unit_id");
        SourceName events = new SourceName("events");
        SourceName exposures = new SourceName("exposures");
        Map<SourceName, Source> sources = new LinkedHashMap<>();
        sources.put(events, new Source(events, new Relation.Table(List.of("events")), "ts", Map.of(unit, "unit_id"),
                Optional.empty()));
        sources.put(exposures, new Source(exposures, new Relation.Table(List.of("exposures")), "exposed_at",
                Map.of(unit, "unit_id"), Optional.of(new Source.AssignmentColumns("experiment_name", "variant"))));
        Map<MetricName, Metric> metrics = new LinkedHashMap<>();
        metrics.put(new MetricName("latest_price"), new Metric.LatestValue(new MetricName("latest_price"), events,
                "price", Optional.empty(), MetricOptions.DEFAULT));
        metrics.put(new MetricName("first_price"), new Metric.FirstValue(new MetricName("first_price"), events,
                "price", Optional.empty(), MetricOptions.DEFAULT));
        metrics.put(new MetricName("active_days"), new Metric.Participation(new MetricName("active_days"), events,
                Optional.empty(), MetricOptions.DEFAULT));
        Map<ExperimentName, Experiment> experiments = new LinkedHashMap<>();
        for (int s = 0; s < SPLITS; s++) {
            ExperimentName name = new ExperimentName("aa_" + s);
            experiments.put(name, Experiment.builder().name(name).assignment(exposures).unit(unit).control("a")
                    .groups(List.of(new Group("a", 0.5), new Group("b", 0.5))).start(LocalDate.of(2026, 3, 1))
                    .end(LocalDate.of(2026, 3, 14)).alpha(ALPHA).metrics(METRICS.stream().map(MetricName::new).toList())
                    .build());
        }
        return new PulseConfig(Path.of("aa.yaml").toAbsolutePath(), WarehouseConfig.inMemoryDuckDb(), sources, metrics,
                experiments);
    }
}
