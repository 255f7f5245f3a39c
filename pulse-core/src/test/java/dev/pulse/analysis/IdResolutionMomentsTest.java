package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.count;
import static dev.pulse.plan.TestModel.countDistinct;
import static dev.pulse.plan.TestModel.mean;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Cuped;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.IdMapping;
import dev.pulse.model.IdType;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.plan.TestModel;
import dev.pulse.sql.StagingColumns;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ID resolution (docs/id-resolution.md) on a small hand-computed data set in in-memory DuckDB: a
 * device-level experiment ({@code stable_id}) whose purchases are keyed by {@code user_id}, bridged by
 * identify rows. Window [2026-03-01, 2026-03-04), groups control and treat listed.
 *
 * <p>Devices (group, first exposure): D1 control 03-01 08:00; D2 control 03-01 10:00; D3 treat 03-01 09:00;
 * D4 treat 03-02 09:00; D5 control 03-02 12:00 (no user: zeros); D6 control and treat (excluded).
 *
 * <p>Links: u1 on D1 (control) and D3 (treat): conflicting, excluded. u2 on D1 and D2, both control:
 * attributed to D1, exposed first. u3 and u4 on D3: two users, one device. u5 on D4, logged in on 03-03
 * after its purchase: a late login still links. u7 on D2 at 03-04 01:00, after the end: no link. u8 on D6,
 * an excluded device: no link to a counted unit. u6: no link at all. A NULL user on D2: ignored.
 */
class IdResolutionMomentsTest {
    private static final double TOLERANCE = 1e-12;
    private static final IdType DEVICE = new IdType("stable_id");
    private static final IdType USER = new IdType("user_id");

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS SELECT * FROM (VALUES
                  ('exp', 'control', 'D1', TIMESTAMP '2026-03-01 08:00:00'),
                  ('exp', 'control', 'D2', TIMESTAMP '2026-03-01 10:00:00'),
                  ('exp', 'treat',   'D3', TIMESTAMP '2026-03-01 09:00:00'),
                  ('exp', 'treat',   'D4', TIMESTAMP '2026-03-02 09:00:00'),
                  ('exp', 'control', 'D5', TIMESTAMP '2026-03-02 12:00:00'),
                  ('exp', 'control', 'D6', TIMESTAMP '2026-03-01 09:00:00'),
                  ('exp', 'treat',   'D6', TIMESTAMP '2026-03-02 09:00:00')
                ) AS t(exp_name, variant, device, ts)""");
        warehouse.execute("""
                CREATE TABLE identify AS SELECT * FROM (VALUES
                  ('D1', 'u1', TIMESTAMP '2026-03-01 08:05:00'),
                  ('D3', 'u1', TIMESTAMP '2026-03-01 09:10:00'),
                  ('D1', 'u2', TIMESTAMP '2026-03-01 08:06:00'),
                  ('D2', 'u2', TIMESTAMP '2026-03-01 10:30:00'),
                  ('D2', 'u2', TIMESTAMP '2026-03-02 10:30:00'),
                  ('D3', 'u3', TIMESTAMP '2026-03-01 09:20:00'),
                  ('D3', 'u4', TIMESTAMP '2026-02-20 09:00:00'),
                  ('D4', 'u5', TIMESTAMP '2026-03-03 20:00:00'),
                  ('D2', 'u7', TIMESTAMP '2026-03-04 01:00:00'),
                  ('D6', 'u8', TIMESTAMP '2026-03-01 09:30:00'),
                  ('D2', NULL, TIMESTAMP '2026-03-01 11:00:00')
                ) AS t(device, user_id, ts)""");
        warehouse.execute("""
                CREATE TABLE purchases AS SELECT * FROM (VALUES
                  ('u1', TIMESTAMP '2026-03-01 12:00:00', 100.0),
                  ('u1', TIMESTAMP '2026-03-02 12:00:00', 50.0),
                  ('u2', TIMESTAMP '2026-03-01 07:00:00', 7.0),
                  ('u2', TIMESTAMP '2026-03-01 11:00:00', 20.0),
                  ('u2', TIMESTAMP '2026-03-02 09:00:00', 10.0),
                  ('u2', TIMESTAMP '2026-03-04 00:00:00', 1000.0),
                  ('u3', TIMESTAMP '2026-03-01 09:30:00', 5.0),
                  ('u4', TIMESTAMP '2026-03-01 10:00:00', 15.0),
                  ('u4', TIMESTAMP '2026-03-02 10:00:00', NULL),
                  ('u5', TIMESTAMP '2026-03-02 08:00:00', 3.0),
                  ('u5', TIMESTAMP '2026-03-02 10:00:00', 40.0),
                  ('u6', TIMESTAMP '2026-02-28 23:00:00', 5.0),
                  ('u6', TIMESTAMP '2026-03-02 10:00:00', 999.0),
                  ('u7', TIMESTAMP '2026-03-01 11:00:00', 11.0),
                  ('u8', TIMESTAMP '2026-03-02 10:00:00', 8.0),
                  (NULL, TIMESTAMP '2026-03-02 10:00:00', 1.0)
                ) AS t(user_id, ts, revenue)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    /**
     * The experiment with daily results, a percentile metric (the median purchase) through the mapping
     * and a dimension with one value for every unit (the experiment's name), whose results must be the
     * experiment-wide ones; the engine-equivalence suite runs it besides {@link #config()}.
     */
    static PulseConfig extendedConfig() {
        PulseConfig config = config();
        Experiment experiment = config.experiment(new ExperimentName("exp"));
        List<dev.pulse.model.Metric> metrics = new java.util.ArrayList<>(config.metrics().values());
        metrics.add(TestModel.percentile("median_purchase", "purchases", "revenue", 0.5, null));
        List<MetricName> names = new java.util.ArrayList<>(experiment.metrics());
        names.add(new MetricName("median_purchase"));
        return TestModel.config(List.copyOf(config.sources().values()), metrics, List.of(experiment.toBuilder().metrics(names)
                .timeseries(true).dimensions(new dev.pulse.model.Dimensions(List.of("exp_name"), 10)).build()));
    }

    /** A dimension every unit shares reproduces the experiment-wide results through the mapping, percentile included. */
    @Test
    void aDimensionOfOneValueRepeatsTheExperimentWideResults() {
        ExperimentResult result = Analyzer.analyze(extendedConfig(), new ExperimentName("exp"), warehouse);
        assertEquals(1, result.dimensions().size());
        ExperimentResult.DimensionResult only = result.dimensions().get(0);
        assertEquals("exp", only.value());
        assertEquals(result.groups(), only.groups());
        assertEquals(result.metrics().size(), only.metrics().size());
        for (int m = 0; m < result.metrics().size(); m++) {
            MetricResult expected = result.metrics().get(m);
            MetricResult actual = only.metrics().get(m);
            assertEquals(expected.metric(), actual.metric());
            dev.pulse.stats.Comparison e = expected.comparisons().get(0).statistics();
            dev.pulse.stats.Comparison a = actual.comparisons().get(0).statistics();
            assertEquals(e.controlUnits(), a.controlUnits(), expected.metric());
            assertEquals(e.treatmentUnits(), a.treatmentUnits(), expected.metric());
            assertClose(e.relative().estimate(), a.relative().estimate(), expected.metric() + " relative");
            assertClose(e.relative().lower(), a.relative().lower(), expected.metric() + " lower");
            assertClose(e.pValue(), a.pValue(), expected.metric() + " p");
        }
        assertTrue(result.metrics().stream().anyMatch(metric -> metric.type().equals("percentile")));
    }

    static PulseConfig config() {
        Source exposures = new Source(new SourceName("exposures"), table("exposures"), "ts", Map.of(DEVICE, "device"),
                Optional.of(new Source.AssignmentColumns("exp_name", "variant")));
        Source identify = new Source(new SourceName("identify"), table("identify"), "ts",
                Map.of(DEVICE, "device", USER, "user_id"), Optional.empty());
        Source purchases = new Source(new SourceName("purchases"), table("purchases"), "ts", Map.of(USER, "user_id"),
                Optional.empty());
        Experiment experiment = Experiment.builder().name(new ExperimentName("exp")).assignment(new SourceName("exposures"))
                .unit(DEVICE).control("control").groups(List.of(new Group("control", 0.5), new Group("treat", 0.5)))
                .start(LocalDate.parse("2026-03-01")).end(LocalDate.parse("2026-03-03")).alpha(0.05)
                .metrics(List.of("revenue", "purchases", "avg_purchase_value", "buyers").stream().map(MetricName::new).toList())
                .idMapping(Optional.of(new IdMapping(new SourceName("identify"), USER))).build();
        return TestModel.config(List.of(exposures, identify, purchases),
                List.of(sum("revenue", "purchases", "revenue", null),
                        count("purchases", "purchases", null),
                        mean("avg_purchase_value", "purchases", "revenue", null),
                        countDistinct("buyers", "purchases", "user_id", null)),
                List.of(experiment));
    }

    private ExperimentData fetch() {
        return MomentsFetcher.fetch(config(), new ExperimentName("exp"), warehouse);
    }

    @Test
    void countsUnitsAndWhatTheMappingExcludes() {
        ExperimentData data = fetch();
        // control D1, D2, D5; treat D3, D4; D6 in two groups
        assertEquals(Map.of("control", 3L, "treat", 2L), data.units());
        assertEquals(1, data.excludedMultipleGroups());
        // u1 conflicting with its 2 rows; unmapped rows in the dates: u6 on 03-02 (not 02-28), u7, u8;
        // units without an ID: D2 (u2 went to D1, u7 linked after the end) and D5
        assertEquals(Optional.of(new IdResolution("identify", "user_id", 1, 2, 3, 2)), data.idResolution());
    }

    /*
     * Rows counted per device (first exposure .. 03-04 00:00), by the mapped user:
     *   D1: u2 03-01 11:00 20; u2 03-02 09:00 10            (u2 07:00 before D1's exposure, 03-04 after the end)
     *   D2, D5: none
     *   D3: u3 5; u4 15; u4 NULL
     *   D4: u5 03-02 10:00 40                                (u5 08:00 before D4's exposure)
     */

    @Test
    void sumCountsEachRowOnceForItsUnit() {
        Map<String, GroupMoments> revenue = fetch().moments().get(new MetricName("revenue"));
        // control X = 30, 0, 0: mean 10, var (400 + 100 + 100)/2 = 300; treat 20, 40: mean 30, var 200
        assertMoments(revenue.get("control"), 3, 10, 1, 300, 0, 0);
        assertMoments(revenue.get("treat"), 2, 30, 1, 200, 0, 0);
    }

    @Test
    void countAndDistinctUsers() {
        ExperimentData data = fetch();
        Map<String, GroupMoments> purchases = data.moments().get(new MetricName("purchases"));
        // control 2, 0, 0: mean 2/3, var (16/9 + 4/9 + 4/9)/2 = 4/3; treat 3, 1: mean 2, var 2
        assertMoments(purchases.get("control"), 3, 2.0 / 3, 1, 4.0 / 3, 0, 0);
        assertMoments(purchases.get("treat"), 2, 2, 1, 2, 0, 0);
        Map<String, GroupMoments> buyers = data.moments().get(new MetricName("buyers"));
        // control {u2}, {}, {} → 1, 0, 0: mean 1/3, var (4/9 + 1/9 + 1/9)/2 = 1/3; treat {u3, u4}, {u5}: mean 3/2, var 1/2
        assertMoments(buyers.get("control"), 3, 1.0 / 3, 1, 1.0 / 3, 0, 0);
        assertMoments(buyers.get("treat"), 2, 1.5, 1, 0.5, 0, 0);
    }

    @Test
    void meanPerPurchase() {
        Map<String, GroupMoments> mean = fetch().moments().get(new MetricName("avg_purchase_value"));
        // control X = 30, 0, 0; Y (records) = 2, 0, 0: meanY 2/3, varY 4/3,
        // cov (20·4/3 + (−10)(−2/3) + (−10)(−2/3))/2 = 20
        assertMoments(mean.get("control"), 3, 10, 2.0 / 3, 300, 4.0 / 3, 20);
        // treat X = 20, 40; Y = 2 (u4's NULL is no record), 1: meanY 3/2, varY 1/2, cov (−10·1/2 + 10·(−1/2))/1 = −10
        assertMoments(mean.get("treat"), 2, 30, 1.5, 200, 0.5, -10);
    }

    @Test
    void cupedPrePeriodReadsMappedRowsBeforeEachUnitsExposure() {
        PulseConfig config = config();
        ExperimentName name = new ExperimentName("exp");
        PulseConfig cuped = TestModel.config(List.copyOf(config.sources().values()), List.copyOf(config.metrics().values()),
                List.of(config.experiment(name).withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(7)))));
        ExperimentData data = MomentsFetcher.fetch(cuped, name, warehouse);
        // post-period unchanged; pre-period [first exposure − 7 days, first exposure): D1 gets u2's 07:00 row (7),
        // D4 u5's 08:00 row (3). Control X₀ = 7, 0, 0: mean 7/3, var (196/9 + 49/9 + 49/9)/2 = 49/3;
        // treat X₀ = 0, 3: mean 3/2, var 9/2; cov(X, X₀): control (20·14/3 + (−10)(−7/3)·2)/2 = 70, treat (−10)(−3/2)·2 = 30
        CovariateMoments control = data.covariates().get(new MetricName("revenue")).get("control");
        CovariateMoments treat = data.covariates().get(new MetricName("revenue")).get("treat");
        assertMoments(control.post(), 3, 10, 1, 300, 0, 0);
        assertMoments(control.pre(), 3, 7.0 / 3, 1, 49.0 / 3, 0, 0);
        assertClose(70, control.covXX0(), "control cov xx0");
        assertMoments(treat.pre(), 2, 1.5, 1, 4.5, 0, 0);
        assertClose(30, treat.covXX0(), "treat cov xx0");
        // the same conflicting and unmapped rows: the counts stay within the experiment's dates
        assertEquals(Optional.of(new IdResolution("identify", "user_id", 1, 2, 3, 2)), data.idResolution());
    }

    /*
     * Daily results read the mapped rows too, with the mapping of the whole window (a late login links
     * earlier rows on their own day). As of 03-01: control D1 (u2 03-01 11:00: 20), D2 (0); treat D3
     * (u3 5 + u4 15 = 20); D4 and D5 are exposed on 03-02.
     */
    @Test
    void dailyResultsReadTheMappedRows() {
        ExperimentData data = MomentsFetcher.fetch(extendedConfig(), new ExperimentName("exp"), warehouse);
        assertEquals(3, data.timeseries().size());
        DailyMoments first = data.timeseries().get(0);
        assertEquals(Map.of("control", 2L, "treat", 1L), first.units());
        // control 20, 0: mean 10, var 200; treat 20
        assertMoments(first.moments().get(new MetricName("revenue")).get("control"), 2, 10, 1, 200, 0, 0);
        assertMoments(first.moments().get(new MetricName("revenue")).get("treat"), 1, 20, 1, 0, 0, 0);
        // distinct buyers: control {u2}, {}; treat {u3, u4}
        assertMoments(first.moments().get(new MetricName("buyers")).get("control"), 2, 0.5, 1, 0.5, 0, 0);
        assertMoments(first.moments().get(new MetricName("buyers")).get("treat"), 1, 2, 1, 0, 0, 0);
        // the last day is the full result, which the daily parts leave unchanged
        ExperimentData plain = fetch();
        for (MetricName metric : plain.moments().keySet()) {
            for (String group : List.of("control", "treat")) {
                GroupMoments expected = plain.moments().get(metric).get(group);
                assertEquals(expected, data.moments().get(metric).get(group), metric + " " + group);
                GroupMoments last = data.timeseries().get(2).moments().get(metric).get(group);
                GroupMoments raw = expected.withShift(0);
                assertMoments(last, raw.n(), raw.meanX(), raw.meanY(), raw.varX(), raw.varY(), raw.covXY());
            }
        }
        // each conflicting and unmapped row still counted once
        assertEquals(Optional.of(new IdResolution("identify", "user_id", 1, 2, 3, 2)), data.idResolution());
        String sql = data.sql();
        assertEquals(1, occurrences(sql, "FROM \"purchases\""));
        assertEquals(1, occurrences(sql, "FROM \"identify\""));
    }

    /*
     * A percentile metric reads the mapped rows too: the same as reading a source that carries each
     * row's device by the rules above (u2 → D1, u3 and u4 → D3, u5 → D4; u1 conflicting, u6 to u8 and
     * the NULL user without a counted device), written here by hand.
     */
    @Test
    void percentileReadsTheMappedRowsOfEachUnit() {
        warehouse.execute("""
                CREATE TABLE purchases_by_device AS
                SELECT CASE user_id WHEN 'u2' THEN 'D1' WHEN 'u5' THEN 'D4' ELSE 'D3' END AS device, ts, revenue
                FROM purchases WHERE user_id IN ('u2', 'u3', 'u4', 'u5')""");
        PulseConfig config = config();
        ExperimentName name = new ExperimentName("exp");
        Source byDevice = new Source(new SourceName("purchases_by_device"), table("purchases_by_device"), "ts",
                Map.of(DEVICE, "device"), Optional.empty());
        List<Source> sources = new java.util.ArrayList<>(config.sources().values());
        sources.add(byDevice);
        List<dev.pulse.model.Metric> metrics = new java.util.ArrayList<>(config.metrics().values());
        metrics.add(TestModel.percentile("median_mapped", "purchases", "revenue", 0.5, null));
        metrics.add(TestModel.percentile("median_by_device", "purchases_by_device", "revenue", 0.5, null));
        Experiment experiment = config.experiment(name);
        PulseConfig both = TestModel.config(sources, metrics, List.of(experiment.toBuilder()
                .metrics(List.of(new MetricName("median_mapped"), new MetricName("median_by_device"))).build()));

        PercentileData mapped = PercentileFetcher.fetch(both, name, new MetricName("median_mapped"), warehouse);
        PercentileData direct = PercentileFetcher.fetch(both, name, new MetricName("median_by_device"), warehouse);
        // records in the units' windows: control D1 20, 10; treat D3 5, 15 (u4's NULL is none), D4 40
        assertEquals(List.of(2L, 3L), mapped.groups().stream().map(PercentileData.GroupQuantile::records).toList());
        assertEquals(List.of(3L, 2L), mapped.groups().stream().map(PercentileData.GroupQuantile::units).toList());
        for (int g = 0; g < 2; g++) {
            PercentileData.GroupQuantile expected = direct.groups().get(g);
            PercentileData.GroupQuantile actual = mapped.groups().get(g);
            assertEquals(expected.quantile(), actual.quantile(), expected.name());
            assertEquals(expected.indicatorMoments(), actual.indicatorMoments(), expected.name());
            assertEquals(expected.interval(), actual.interval(), expected.name());
        }
        assertEquals(direct.comparisons().get(0).statistics(), mapped.comparisons().get(0).statistics());
        assertTrue(mapped.indicatorSql().contains("\"pulse_id_map\""), mapped.indicatorSql());
    }

    @Test
    void stagingHasOneRowPerUnitWithItsMappedValues() {
        QueryResult rows = warehouse.query(Staging.sql(config(), new ExperimentName("exp")) + " ORDER BY 1");
        List<String> units = rows.rows().stream().map(row -> row.getString(StagingColumns.UNIT)).toList();
        assertEquals(List.of("D1", "D2", "D3", "D4", "D5"), units);
        double[] revenue = {30, 0, 20, 40, 0};
        for (int i = 0; i < revenue.length; i++) {
            assertClose(revenue[i], rows.rows().get(i).getDouble(StagingColumns.numerator(new MetricName("revenue"))),
                    units.get(i));
        }
    }

    @Test
    void aMissingMappingColumnIsNamedWithItsSource() {
        warehouse.execute("ALTER TABLE identify RENAME COLUMN user_id TO uid");
        PulseException error = assertThrows(PulseException.class,
                () -> MomentsFetcher.fetch(config(), new ExperimentName("exp"), warehouse));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, error.category());
        assertTrue(error.getMessage().contains("identify"), error.getMessage());
    }

    @Test
    void renderedOnceAndNotMultiplied() {
        String sql = fetch().sql();
        // one pass over the purchases and one over the identify rows
        assertEquals(1, occurrences(sql, "FROM \"purchases\""));
        assertEquals(1, occurrences(sql, "FROM \"identify\""));
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static void assertMoments(GroupMoments shifted, long n, double meanX, double meanY,
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

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
    }
}
