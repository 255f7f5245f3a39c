package dev.pulse.analysis;

import static dev.pulse.analysis.CupedMomentsTest.assertMoments;
import static dev.pulse.plan.TestModel.aggregate;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.ratio;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.AggregateFunction;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Correction;
import dev.pulse.model.Dimensions;
import dev.pulse.model.Direction;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.JsonOutput;
import dev.pulse.model.Winsorization;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Metric windows in the warehouse on a small hand-computed data set in in-memory DuckDB.
 *
 * <p>Experiment {@code exp} runs 2026-03-01 to 2026-03-05, so rows and exposures count before
 * 03-06 00:00. Metric {@code revenue_d1_3} has window {@code [fe + 1 day, fe + 3 days)}: a unit's window
 * has closed when {@code fe + 3 days <= 03-06 00:00}. Org 9 is in both groups and excluded.
 * <pre>
 *   org group    first exposure  revenue rows                                       X in [1, 3)  closed  X all
 *   1   control  03-01 00:00     03-01 12:00 5, 03-02 00:00 10, 03-03 23:00 NULL,
 *                                03-04 00:00 20 (at the window's end: out)           10           yes     35
 *   2   control  03-02 06:00     03-03 06:00 8, 03-05 05:59 3                        11           yes     11
 *   3   control  03-01 00:00     none                                                 0           yes      0
 *   4   control  03-03 00:00     03-04 00:00 4, 03-05 12:00 2                         6           yes (closes at 03-06 00:00 exactly)  6
 *   5   control  03-03 00:00:01  03-04 01:00 100                                      -           no     100
 *   6   treat    03-01 00:00     03-02 12:00 30                                      30           yes     30
 *   7   treat    03-02 00:00     03-03 00:00 40, 03-04 23:59 2                       42           yes     42
 *   8   treat    03-05 00:00     03-05 10:00 10                                       -           no      10
 * </pre>
 * Metric {@code revenue_per_row_d0_2} (window {@code [fe, fe + 2 days)}, closed when {@code fe <= 03-04 00:00}):
 * control X 15, 8, 0, 4, 100 and Y (rows) 2, 1, 0, 1, 1; treat X 30, 40, Y 1, 1; org 8 is open.
 */
class WindowedMomentsTest {
    private static final ExperimentName EXP = new ExperimentName("exp");

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS SELECT * FROM (VALUES
                  ('exp', 'control', 1, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'control', 2, TIMESTAMP '2026-03-02 06:00:00'),
                  ('exp', 'control', 2, TIMESTAMP '2026-03-04 06:00:00'),
                  ('exp', 'control', 3, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'control', 4, TIMESTAMP '2026-03-03 00:00:00'),
                  ('exp', 'control', 5, TIMESTAMP '2026-03-03 00:00:01'),
                  ('exp', 'treat',   6, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'treat',   7, TIMESTAMP '2026-03-02 00:00:00'),
                  ('exp', 'treat',   8, TIMESTAMP '2026-03-05 00:00:00'),
                  ('exp', 'control', 9, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'treat',   9, TIMESTAMP '2026-03-01 01:00:00')
                ) AS t(exp_name, variant, org, ts)""");
        warehouse.execute("""
                CREATE TABLE events AS SELECT * FROM (VALUES
                  (1, TIMESTAMP '2026-03-01 12:00:00', 5.0),
                  (1, TIMESTAMP '2026-03-02 00:00:00', 10.0),
                  (1, TIMESTAMP '2026-03-03 23:00:00', NULL),
                  (1, TIMESTAMP '2026-03-04 00:00:00', 20.0),
                  (2, TIMESTAMP '2026-03-03 06:00:00', 8.0),
                  (2, TIMESTAMP '2026-03-05 05:59:00', 3.0),
                  (4, TIMESTAMP '2026-03-04 00:00:00', 4.0),
                  (4, TIMESTAMP '2026-03-05 12:00:00', 2.0),
                  (5, TIMESTAMP '2026-03-04 01:00:00', 100.0),
                  (6, TIMESTAMP '2026-03-02 12:00:00', 30.0),
                  (7, TIMESTAMP '2026-03-03 00:00:00', 40.0),
                  (7, TIMESTAMP '2026-03-04 23:59:00', 2.0),
                  (8, TIMESTAMP '2026-03-05 10:00:00', 10.0),
                  (9, TIMESTAMP '2026-03-02 00:00:00', 1000.0)
                ) AS t(org, ts, revenue)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static PulseConfig config() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                List.of(sum("revenue_d1_3", "events", "revenue", null).withOptions(window(1, 3, Optional.empty())),
                        ratio("revenue_per_row_d0_2",
                                aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("events", AggregateFunction.COUNT_ROWS, null, null))
                                .withOptions(window(0, 2, Optional.empty())),
                        sum("revenue_all", "events", "revenue", null),
                        sum("revenue_d1_3_capped", "events", "revenue", null).withOptions(window(1, 3,
                                Optional.of(new Winsorization(OptionalDouble.empty(), OptionalDouble.of(0.8)))))),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-05",
                        "revenue_d1_3", "revenue_per_row_d0_2", "revenue_all", "revenue_d1_3_capped")));
    }

    private static MetricOptions window(int start, int end, Optional<Winsorization> winsorize) {
        return new MetricOptions(Direction.TWO_SIDED, winsorize, Optional.of(new MetricWindow(start, end)));
    }

    @Test
    void onlyRowsInsideTheWindowCountAndUnitsWithAnOpenWindowAreLeftOut() {
        Map<String, GroupMoments> windowed = moments("revenue_d1_3");
        // control 10, 11, 0, 6 (org 5 open): mean 27/4, var ((13/4)² + (17/4)² + (27/4)² + (3/4)²)/3 = 299/12
        assertMoments(windowed.get("control"), 4, 27.0 / 4, 1, 299.0 / 12, 0, 0);
        // treat 30, 42 (org 8 open): mean 36, var 72
        assertMoments(windowed.get("treat"), 2, 36, 1, 72, 0, 0);
    }

    @Test
    void aRatioWithAWindowLeavesOutTheSameUnitsFromXAndY() {
        Map<String, GroupMoments> ratio = moments("revenue_per_row_d0_2");
        // control X 15, 8, 0, 4, 100: mean 127/5, var 8849/5; Y 2, 1, 0, 1, 1: mean 1, var 1/2; cov 15/4
        assertMoments(ratio.get("control"), 5, 127.0 / 5, 1, 8849.0 / 5, 0.5, 15.0 / 4);
        assertMoments(ratio.get("treat"), 2, 35, 1, 50, 0, 0);
    }

    @Test
    void theSameAggregateWithoutAWindowCountsEveryUnitAndRow() {
        Map<String, GroupMoments> all = moments("revenue_all");
        // control 35, 11, 0, 6, 100: mean 152/5, var 16903/10; treat 30, 42, 10: mean 82/3, var 784/3
        assertMoments(all.get("control"), 5, 152.0 / 5, 1, 16903.0 / 10, 0, 0);
        assertMoments(all.get("treat"), 3, 82.0 / 3, 1, 784.0 / 3, 0, 0);
    }

    @Test
    void capsAreQuantilesOfTheUnitsWithAValueAndAMissingValueStaysMissing() {
        // pooled 0, 6, 10, 11, 30, 42: the 0.8 quantile is at h = 5 · 0.8 = 4, the value 30
        Map<String, GroupMoments> capped = moments("revenue_d1_3_capped");
        assertMoments(capped.get("control"), 4, 27.0 / 4, 1, 299.0 / 12, 0, 0);
        assertMoments(capped.get("treat"), 2, 30, 1, 0, 0, 0);
    }

    @Test
    void excludedUnitsAreCountedPerMetricAndComparisonsUseTheMetricsOwnUnits() {
        ExperimentData data = MomentsFetcher.fetch(config(), EXP, warehouse);
        assertEquals(Map.of(new MetricName("revenue_d1_3"), 2L, new MetricName("revenue_per_row_d0_2"), 1L,
                new MetricName("revenue_d1_3_capped"), 2L), data.excludedWindowOpen());
        assertEquals(Map.of("control", 5L, "treat", 3L), data.units());

        ExperimentResult result = Analyzer.results(config(), EXP, data);
        MetricResult windowed = result.metrics().get(0);
        assertEquals(OptionalLong.of(2), windowed.excludedUnitsWindowOpen());
        assertEquals(4, windowed.comparisons().get(0).statistics().controlUnits());
        assertEquals(2, windowed.comparisons().get(0).statistics().treatmentUnits());
        assertEquals(OptionalLong.empty(), result.metrics().get(2).excludedUnitsWindowOpen());

        String json = JsonOutput.experiments(List.of(result)).replaceAll("\\s", "");
        assertTrue(json.contains("\"metric\":\"revenue_d1_3\",\"type\":\"sum\",\"direction\":\"two_sided\","
                + "\"excluded_units_window_open\":2,"), json);
        assertEquals(3, count(json, "excluded_units_window_open"), json);
        assertTrue(ConsoleTable.experiments(List.of(result))
                .contains("Metric window of revenue_d1_3: 2 units left out, their window had not closed by the end"));
    }

    /**
     * Per dimension value (platform at the first exposure: ios for orgs 5, 6 and 8, web for the others),
     * a windowed metric counts that value's units left out: {@code revenue_d1_3} leaves out orgs 5 and 8
     * (ios 2, web 0), {@code revenue_per_row_d0_2} org 8 (ios 1, web 0). A value's metric entry has the
     * fields of an experiment-wide one; its comparisons have neither {@code correction} nor
     * {@code timeseries} (the experiment's holm correction and daily results are experiment-wide only).
     */
    @Test
    void eachDimensionValueCountsItsOwnUnitsLeftOutAndHasTheExperimentWideShapeButCorrectionAndSeries()
            throws Exception {
        warehouse.execute("ALTER TABLE exposures ADD COLUMN platform VARCHAR");
        warehouse.execute("UPDATE exposures SET platform = CASE WHEN org IN (5, 6, 8) THEN 'ios' ELSE 'web' END");
        PulseConfig base = config();
        Experiment experiment = base.experiment(EXP).withDimensions(new Dimensions(List.of("platform"), 10))
                .withTimeseries(true)
                .withOptions(AnalysisOptions.DEFAULT.withCorrection(Correction.HOLM));
        PulseConfig config = TestModel.config(List.copyOf(base.sources().values()), List.copyOf(base.metrics().values()),
                List.of(experiment));

        ExperimentResult result = Analyzer.analyze(config, EXP, warehouse);
        assertEquals(List.of("web", "ios"), result.dimensions().stream().map(ExperimentResult.DimensionResult::value).toList());
        Map<String, List<OptionalLong>> excluded = new java.util.LinkedHashMap<>();
        result.dimensions().forEach(value -> excluded.put(value.value(), value.metrics().stream()
                .map(MetricResult::excludedUnitsWindowOpen).toList()));
        assertEquals(Map.of("web", List.of(OptionalLong.of(0), OptionalLong.of(0), OptionalLong.empty(), OptionalLong.of(0)),
                "ios", List.of(OptionalLong.of(2), OptionalLong.of(1), OptionalLong.empty(), OptionalLong.of(2))), excluded);

        JsonNode json = new ObjectMapper().readTree(JsonOutput.experiments(List.of(result))).get("experiments").get(0);
        JsonNode wide = json.get("metrics");
        JsonNode ios = json.get("dimensions").get(1);
        assertEquals(List.of("dimension", "value", "groups", "srm", "metrics"), fieldNames(ios));
        for (int m = 0; m < wide.size(); m++) {
            assertEquals(fieldNames(wide.get(m)), fieldNames(ios.get("metrics").get(m)), "metric " + m);
            List<String> perValue = fieldNames(ios.get("metrics").get(m).get("comparisons").get(0));
            List<String> expected = new java.util.ArrayList<>(fieldNames(wide.get(m).get("comparisons").get(0)));
            expected.removeAll(List.of("correction", "timeseries", "days_since_exposure"));
            expected.add("heterogeneity"); // each value's effect against the rest's: per value only
            assertEquals(expected, perValue, "metric " + m);
        }
        assertTrue(fieldNames(wide.get(0).get("comparisons").get(0)).contains("correction"));
        assertTrue(fieldNames(wide.get(2).get("comparisons").get(0)).contains("timeseries"));
        assertTrue(fieldNames(wide.get(2).get("comparisons").get(0)).contains("days_since_exposure"));
        assertEquals(2, ios.get("metrics").get(0).get("excluded_units_window_open").asLong());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void everyWindowOfASourceIsComputedInOneScanOfIt() {
        String sql = MomentsFetcher.sql(config(), EXP);
        QueryResult plan = warehouse.query("EXPLAIN " + sql);
        String text = plan.rows().stream().map(row -> String.valueOf(row.get(plan.columns().get(1))))
                .reduce("", String::concat).toLowerCase(Locale.ROOT);
        assertEquals(1, count(text, "main.events"), text);
        assertTrue(sql.contains("INTERVAL 3 DAY"), sql);
    }

    private static int count(String text, String word) {
        int count = 0;
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length())) {
            count++;
        }
        return count;
    }

    private Map<String, GroupMoments> moments(String metric) {
        return MomentsFetcher.fetch(config(), EXP, warehouse).moments().get(new MetricName(metric));
    }
}
