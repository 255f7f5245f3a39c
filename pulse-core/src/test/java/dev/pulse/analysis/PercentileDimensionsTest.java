package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.count;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.percentile;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.Dimensions;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.CsvOutput;
import dev.pulse.output.JsonOutput;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.GroupMoments;
import dev.pulse.stats.Interval;
import dev.pulse.stats.Percentiles;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A percentile metric broken down by dimensions, in in-memory DuckDB: each dimension value's quantiles,
 * indicator moments, levels, intervals and comparisons must be those of the experiment-wide percentile
 * run on a copy of the exposures holding only that value's units (an independent computation: the
 * existing statements without dimensions, over units chosen here by hand), to 1e-12.
 *
 * <p>Experiment {@code exp} (2026-03-01 to 03-05), the median of {@code latency} over rows with
 * {@code page = 'checkout'}, dimensions country and platform with the top 3 values each. Orgs 1–40, even
 * in control, odd in treat, first exposed 2026-03-01 at (org mod 3) hours:
 * <ul>
 *   <li>country at the first exposure: 1–12 DE, 13–22 US, 23–30 NULL, 31–35 FR, 36–38 JP, 39–40 BR.
 *       Orgs 1–5 are exposed again on 03-02 with FR (and platform android): their value does not move
 *       (else FR would have 10 units). By units: DE 12, US 10, (null) 8 are the top 3; FR, JP and BR
 *       form (other), orgs 31–40.</li>
 *   <li>platform: NULL when org mod 7 = 0, else ios when org mod 3 = 0, else web: web 23, ios 12,
 *       (null) 5, no (other).</li>
 *   <li>org 41 is in both groups: excluded everywhere.</li>
 * </ul>
 * Org o has (o mod 6) checkout rows, one an hour after its exposure, latency (37·o + 11·j) mod 19 for
 * j = 0, 1, …: orgs with o mod 6 = 0 have none (X = Y = 0). Traps: a row of 1000 before the exposure
 * (o mod 4 = 0), one after the end (o mod 8 = 1), a NULL latency (o mod 5 = 0) and a filtered-out
 * 'home' row of 500 (o mod 3 = 1).
 *
 * <p><b>By hand, country (null), control</b> (orgs 24, 26, 28, 30): rows 12, 4 (org 26) and 10, 2, 13, 5
 * (org 28); sorted 2, 4, 5, 10, 12, 13: Q̂ = x₍₃₎ = 5. X = (0, 1, 2, 0), Y = (0, 2, 4, 0): x̄ = 3/4,
 * ȳ = 3/2, s_xx = 2.75/3 = 11/12, s_yy = 11/3, s_xy = 5.5/3 = 11/6. <b>Treat</b> (orgs 23, 25, 27, 29):
 * 14 rows, sorted 1, 2, 3, 4, 7, 9, 10, 11, …: Q̂ = x₍₇₎ = 10.
 */
class PercentileDimensionsTest {
    private static final double TOLERANCE = 1e-12;
    private static final ExperimentName EXP = new ExperimentName("exp");
    private static final MetricName MEDIAN = new MetricName("median_latency");

    /** Each dimension value's units, as the data above defines them (not as Pulse buckets them). */
    private static final Map<String, List<Integer>> SLICES = slices();

    private Warehouse warehouse;

    private static Map<String, List<Integer>> slices() {
        Map<String, List<Integer>> slices = new LinkedHashMap<>();
        slices.put("country=(null)", range(23, 30));
        slices.put("country=(other)", range(31, 40));
        slices.put("country=DE", range(1, 12));
        slices.put("country=US", range(13, 22));
        slices.put("platform=(null)", range(1, 40).stream().filter(o -> o % 7 == 0).toList());
        slices.put("platform=ios", range(1, 40).stream().filter(o -> o % 7 != 0 && o % 3 == 0).toList());
        slices.put("platform=web", range(1, 40).stream().filter(o -> o % 7 != 0 && o % 3 != 0).toList());
        return slices;
    }

    private static List<Integer> range(int first, int last) {
        return IntStream.rangeClosed(first, last).boxed().toList();
    }

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS
                SELECT 'exp' AS exp_name, CASE WHEN o % 2 = 0 THEN 'control' ELSE 'treat' END AS variant, o AS org,
                       TIMESTAMP '2026-03-01 00:00:00' + to_hours(o % 3) AS ts,
                       CASE WHEN o <= 12 THEN 'DE' WHEN o <= 22 THEN 'US' WHEN o <= 30 THEN NULL
                            WHEN o <= 35 THEN 'FR' WHEN o <= 38 THEN 'JP' ELSE 'BR' END AS country,
                       CASE WHEN o % 7 = 0 THEN NULL WHEN o % 3 = 0 THEN 'ios' ELSE 'web' END AS platform
                FROM range(1, 41) AS t(o)
                UNION ALL
                SELECT 'exp', CASE WHEN o % 2 = 0 THEN 'control' ELSE 'treat' END, o, TIMESTAMP '2026-03-02 00:00:00',
                       'FR', 'android'
                FROM range(1, 6) AS t(o)
                UNION ALL
                SELECT * FROM (VALUES
                  ('exp', 'control', 41, TIMESTAMP '2026-03-01 00:00:00', 'DE', 'web'),
                  ('exp', 'treat',   41, TIMESTAMP '2026-03-01 01:00:00', 'DE', 'web'),
                  ('other', 'treat', 42, TIMESTAMP '2026-03-01 00:00:00', 'FR', 'web'))""");
        warehouse.execute("""
                CREATE TABLE page_loads AS
                SELECT o AS org, TIMESTAMP '2026-03-01 00:00:00' + to_hours(o % 3 + j + 1) AS ts, 'checkout' AS page,
                       CAST((37 * o + 11 * j) % 19 AS DOUBLE) AS latency
                FROM range(1, 42) AS t(o), range(0, 6) AS s(j)
                WHERE j < o % 6
                UNION ALL
                SELECT o, TIMESTAMP '2026-02-28 00:00:00', 'checkout', 1000 FROM range(1, 42) AS t(o) WHERE o % 4 = 0
                UNION ALL
                SELECT o, TIMESTAMP '2026-03-06 00:00:00', 'checkout', 1000 FROM range(1, 42) AS t(o) WHERE o % 8 = 1
                UNION ALL
                SELECT o, TIMESTAMP '2026-03-01 10:00:00', 'checkout', NULL FROM range(1, 42) AS t(o) WHERE o % 5 = 0
                UNION ALL
                SELECT o, TIMESTAMP '2026-03-01 11:00:00', 'home', 500 FROM range(1, 42) AS t(o) WHERE o % 3 = 1""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    /** The experiment with dimensions: a count beside the median, so that both kinds of metric are broken down. */
    private static PulseConfig config() {
        return config("exposures", new Dimensions(List.of("country", "platform"), 3));
    }

    private static PulseConfig config(String exposures, Dimensions dimensions) {
        return TestModel.config(
                List.of(assignment("exposures", table(exposures)), metricSource("page_loads", table("page_loads"))),
                List.of(count("loads", "page_loads", "page = 'checkout'"),
                        percentile("median_latency", "page_loads", "latency", 0.5, "page = 'checkout'")),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-05",
                        "loads", "median_latency").withDimensions(dimensions)));
    }

    /** The experiment without dimensions over only {@code orgs}' exposures. */
    private PulseConfig sliceConfig(String slice) {
        String table = "exposures_" + slice.replaceAll("[^a-z]", "_");
        warehouse.execute("CREATE OR REPLACE TABLE " + table + " AS SELECT * FROM exposures WHERE org IN ("
                + SLICES.get(slice).stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
        return config(table, Dimensions.NONE);
    }

    @Test
    void eachValueIsTheExperimentWidePercentileOverOnlyItsUnits() {
        PercentileData data = PercentileFetcher.fetch(config(), EXP, MEDIAN, warehouse);
        assertEquals(List.copyOf(SLICES.keySet()), data.dimensions().stream()
                .map(slice -> slice.dimension() + "=" + slice.value()).toList());
        for (String slice : SLICES.keySet()) {
            String[] key = slice.split("=");
            PercentileData expected = PercentileFetcher.fetch(sliceConfig(slice), EXP, MEDIAN, warehouse);
            assertSame(expected, data.dimension(key[0], key[1]).orElseThrow(), slice);
        }
    }

    @Test
    void theNullValueByHand() {
        PercentileData data = PercentileFetcher.fetch(config(), EXP, MEDIAN, warehouse).dimension("country", "(null)")
                .orElseThrow();
        PercentileData.GroupQuantile control = data.group("control").orElseThrow();
        assertEquals(4, control.units());
        assertEquals(6, control.records());
        assertEquals(5.0, control.quantile());
        assertMoments(new GroupMoments(4, 0.75, 1.5, 11.0 / 12, 11.0 / 3, 11.0 / 6), control.indicatorMoments(), "control");
        PercentileData.GroupQuantile treat = data.group("treat").orElseThrow();
        assertEquals(4, treat.units());
        assertEquals(14, treat.records());
        assertEquals(10.0, treat.quantile());
    }

    @Test
    void theExperimentWideResultIsTheSameWithAndWithoutDimensions() {
        PercentileData with = PercentileFetcher.fetch(config(), EXP, MEDIAN, warehouse);
        PercentileData without = PercentileFetcher.fetch(config("exposures", Dimensions.NONE), EXP, MEDIAN, warehouse);
        assertSame(without, with, "experiment-wide");
        assertTrue(without.dimensions().isEmpty());
    }

    /** Every output shows the percentile's comparison per value, as the other metrics'. */
    @Test
    void everyOutputShowsThePercentileComparisonPerValue() {
        ExperimentResult result = Analyzer.analyze(config(), EXP, warehouse);
        assertEquals(SLICES.size(), result.dimensions().size());
        for (ExperimentResult.DimensionResult value : result.dimensions()) {
            String slice = value.dimension() + "=" + value.value();
            assertEquals(List.of("loads", "median_latency"), value.metrics().stream().map(MetricResult::metric).toList());
            MetricResult median = value.metrics().get(1);
            assertEquals("percentile", median.type());
            MetricResult expected = Analyzer.analyze(sliceConfig(slice), EXP, warehouse).metrics().get(1);
            assertComparison(expected.comparisons().get(0).statistics(), median.comparisons().get(0).statistics(), slice);
        }
        String json = JsonOutput.experiments(List.of(result)).replaceAll("\\s", "");
        int dimensions = json.indexOf("\"dimensions\":[");
        assertTrue(dimensions > 0 && json.indexOf("\"metric\":\"median_latency\",\"type\":\"percentile\"", dimensions) > 0,
                json);
        String table = ConsoleTable.experiments(List.of(result));
        assertTrue(table.contains("  (null): control 4, treat 4"), table);
        assertTrue(table.lines().filter(line -> line.startsWith("    median_latency / treat: ")).count() == SLICES.size(),
                table);
        List<String> csvRows = CsvOutput.experiments(List.of(result)).lines()
                .filter(line -> line.startsWith("exp,median_latency,")).toList();
        assertEquals(1 + SLICES.size(), csvRows.size(), String.join("\n", csvRows));
        assertTrue(csvRows.stream().anyMatch(line -> line.contains(",country,(other),")), String.join("\n", csvRows));
    }

    /** Still two statements: the indicator statement reads the source at most twice, the level statement once. */
    @Test
    void twoStatementsAndTheSameScansWhateverTheNumberOfValues() {
        PercentileData data = PercentileFetcher.fetch(config(), EXP, MEDIAN, warehouse);
        int indicatorScans = scans(data.indicatorSql(), "page_loads");
        System.out.printf("with dimensions, page_loads scans: indicator statement %d, level statement %d;"
                + " exposures scans: indicator statement %d%n", indicatorScans,
                scans(data.levelQuantilesSql().orElseThrow(), "page_loads"), scans(data.indicatorSql(), "main.exposures"));
        assertTrue(indicatorScans >= 1 && indicatorScans <= 2, "indicator statement scans " + indicatorScans);
        assertEquals(1, scans(data.levelQuantilesSql().orElseThrow(), "page_loads"));
        assertEquals(scans(PercentileFetcher.fetch(config("exposures", Dimensions.NONE), EXP, MEDIAN, warehouse)
                .indicatorSql(), "main.exposures"), scans(data.indicatorSql(), "main.exposures"));
    }

    private int scans(String sql, String table) {
        // the level statement's group names and buckets are parameters: any value gives the same plan
        int parameters = sql.split("\\?", -1).length - 1;
        String plan = warehouse.query("EXPLAIN " + sql, java.util.Collections.nCopies(parameters, "x")).rows().stream()
                .map(row -> String.valueOf(row.get("explain_value"))).reduce("", String::concat);
        return plan.split(table, -1).length - 1;
    }

    private static void assertSame(PercentileData expected, PercentileData actual, String slice) {
        assertEquals(expected.groups().size(), actual.groups().size(), slice);
        for (int i = 0; i < expected.groups().size(); i++) {
            PercentileData.GroupQuantile e = expected.groups().get(i);
            PercentileData.GroupQuantile a = actual.groups().get(i);
            String where = slice + ", " + e.name();
            assertEquals(e.name(), a.name(), where);
            assertEquals(e.units(), a.units(), where);
            assertEquals(e.records(), a.records(), where);
            assertEquals(e.quantile(), a.quantile(), where);
            assertMoments(e.indicatorMoments(), a.indicatorMoments(), where);
            assertLevels(e.levels(), a.levels(), where);
            assertInterval(e.interval(), a.interval(), where);
            assertEquals(e.warnings(), a.warnings(), where);
        }
        assertEquals(expected.comparisons().size(), actual.comparisons().size(), slice);
        for (int i = 0; i < expected.comparisons().size(); i++) {
            PercentileData.QuantileDifference e = expected.comparisons().get(i);
            PercentileData.QuantileDifference a = actual.comparisons().get(i);
            assertEquals(e.group(), a.group(), slice);
            assertEquals(e.warnings(), a.warnings(), slice);
            assertEquals(e.statistics().isPresent(), a.statistics().isPresent(), slice);
            if (e.statistics().isPresent()) {
                Percentiles.QuantileComparison es = e.statistics().get();
                Percentiles.QuantileComparison as = a.statistics().get();
                assertInterval(es.absolute(), as.absolute(), slice + " absolute");
                assertInterval(es.relative(), as.relative(), slice + " relative");
                assertClose(es.pValue(), as.pValue(), slice + " p");
            }
        }
    }

    private static void assertComparison(dev.pulse.stats.Comparison expected, dev.pulse.stats.Comparison actual,
                                         String where) {
        assertClose(expected.controlMean(), actual.controlMean(), where + " control");
        assertClose(expected.treatmentMean(), actual.treatmentMean(), where + " treatment");
        assertEquals(expected.controlUnits(), actual.controlUnits(), where);
        assertEquals(expected.treatmentUnits(), actual.treatmentUnits(), where);
        assertInterval(expected.absolute(), actual.absolute(), where + " absolute");
        assertInterval(expected.relative(), actual.relative(), where + " relative");
        assertClose(expected.pValue(), actual.pValue(), where + " p");
        assertEquals(expected.significant(), actual.significant(), where);
        assertEquals(expected.warnings(), actual.warnings(), where);
    }

    private static void assertMoments(GroupMoments expected, GroupMoments actual, String where) {
        assertEquals(expected.n(), actual.n(), where);
        List<Double> e = List.of(expected.meanX(), expected.meanY(), expected.varX(), expected.varY(), expected.covXY());
        List<Double> a = List.of(actual.meanX(), actual.meanY(), actual.varX(), actual.varY(), actual.covXY());
        for (int i = 0; i < e.size(); i++) {
            assertClose(e.get(i), a.get(i), where + " moment " + i);
        }
    }

    private static void assertLevels(Percentiles.Levels expected, Percentiles.Levels actual, String where) {
        assertClose(expected.observedProbability(), actual.observedProbability(), where + " p-hat");
        assertClose(expected.standardError(), actual.standardError(), where + " sigma");
        assertClose(expected.lowerLevel(), actual.lowerLevel(), where + " lower level");
        assertClose(expected.upperLevel(), actual.upperLevel(), where + " upper level");
        assertEquals(expected.warnings(), actual.warnings(), where);
    }

    private static void assertInterval(Interval expected, Interval actual, String where) {
        List<Double> e = new ArrayList<>(java.util.Arrays.asList(expected.estimate(), expected.stdError(), expected.lower(),
                expected.upper()));
        List<Double> a = new ArrayList<>(java.util.Arrays.asList(actual.estimate(), actual.stdError(), actual.lower(),
                actual.upper()));
        for (int i = 0; i < e.size(); i++) {
            assertClose(e.get(i), a.get(i), where + " interval " + i);
        }
    }

    private static void assertClose(Double expected, Double actual, String where) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, where);
            return;
        }
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), where);
    }
}
