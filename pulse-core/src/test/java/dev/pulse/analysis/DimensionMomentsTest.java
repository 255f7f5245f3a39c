package dev.pulse.analysis;

import static dev.pulse.analysis.CupedMomentsTest.assertMoments;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.Dimensions;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.JsonOutput;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Results by dimension on a small hand-computed data set in in-memory DuckDB.
 *
 * <p>Experiment {@code exp} (2026-03-01 to 03-05), metric {@code revenue} (sum per org), dimensions
 * country and platform with the top 2 values of each. A unit's dimension is its value at its first
 * exposure. Org 9 is in both groups and excluded.
 * <pre>
 *   org group    country (first exposure)   platform  revenue
 *   1   control  DE (FR on a later exposure) web       10
 *   2   control  DE                          ios       20
 *   3   control  NULL → (null)               web        5
 *   4   treat    DE                          web       40
 *   5   treat    FR                          web        7
 *   6   treat    NULL → (null)               web        0 (no rows)
 *   7   control  US                          web        3
 *   8   treat    US                          web        9
 * </pre>
 * Countries by units: DE 3, (null) 2, US 2, FR 1. The top 2 are DE and, of the two with 2 units, the
 * smaller value "(null)" ('(' sorts before 'U'); US and FR form (other): orgs 7, 5 and 8.
 */
class DimensionMomentsTest {
    private static final ExperimentName EXP = new ExperimentName("exp");

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS SELECT * FROM (VALUES
                  ('exp', 'control', 1, TIMESTAMP '2026-03-01 00:00:00', 'DE', 'web'),
                  ('exp', 'control', 1, TIMESTAMP '2026-03-02 00:00:00', 'FR', 'ios'),
                  ('exp', 'control', 2, TIMESTAMP '2026-03-01 00:00:00', 'DE', 'ios'),
                  ('exp', 'control', 3, TIMESTAMP '2026-03-01 00:00:00', NULL, 'web'),
                  ('exp', 'treat',   4, TIMESTAMP '2026-03-01 00:00:00', 'DE', 'web'),
                  ('exp', 'treat',   5, TIMESTAMP '2026-03-01 00:00:00', 'FR', 'web'),
                  ('exp', 'treat',   6, TIMESTAMP '2026-03-02 00:00:00', NULL, 'web'),
                  ('exp', 'treat',   6, TIMESTAMP '2026-03-03 00:00:00', 'DE', 'web'),
                  ('exp', 'control', 7, TIMESTAMP '2026-03-01 00:00:00', 'US', 'web'),
                  ('exp', 'treat',   8, TIMESTAMP '2026-03-01 00:00:00', 'US', 'web'),
                  ('exp', 'control', 9, TIMESTAMP '2026-03-01 00:00:00', 'DE', 'web'),
                  ('exp', 'treat',   9, TIMESTAMP '2026-03-01 01:00:00', 'DE', 'web')
                ) AS t(exp_name, variant, org, ts, country, platform)""");
        warehouse.execute("""
                CREATE TABLE events AS SELECT * FROM (VALUES
                  (1, TIMESTAMP '2026-03-02 00:00:00', 10.0),
                  (2, TIMESTAMP '2026-03-02 00:00:00', 20.0),
                  (3, TIMESTAMP '2026-03-02 00:00:00', 5.0),
                  (4, TIMESTAMP '2026-03-02 00:00:00', 40.0),
                  (5, TIMESTAMP '2026-03-02 00:00:00', 7.0),
                  (7, TIMESTAMP '2026-03-02 00:00:00', 3.0),
                  (8, TIMESTAMP '2026-03-02 00:00:00', 9.0),
                  (9, TIMESTAMP '2026-03-02 00:00:00', 1000.0)
                ) AS t(org, ts, revenue)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static PulseConfig config(List<String> dimensions) {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                List.of(sum("revenue", "events", "revenue", null)),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-05", "revenue")
                        .withDimensions(new Dimensions(dimensions, 2))));
    }

    @Test
    void eachValueHasItsGroupsUnitsAndMomentsWithNullsAndOtherBuckets() {
        ExperimentData data = MomentsFetcher.fetch(config(List.of("country", "platform")), EXP, warehouse);
        List<DimensionData> slices = data.dimensions();
        assertEquals(List.of("country=DE", "country=(null)", "country=(other)", "platform=web", "platform=ios"),
                slices.stream().map(d -> d.dimension() + "=" + d.value()).toList());

        DimensionData germany = slices.get(0);
        assertEquals(Map.of("control", 2L, "treat", 1L), germany.units());
        assertMoments(revenue(germany).get("control"), 2, 15, 1, 50, 0, 0);
        assertMoments(revenue(germany).get("treat"), 1, 40, 1, 0, 0, 0);
        // org 6's first exposure had no country: (null), not the DE of its later exposure
        assertEquals(Map.of("control", 1L, "treat", 1L), slices.get(1).units());
        assertMoments(revenue(slices.get(1)).get("treat"), 1, 0, 1, 0, 0, 0);
        // (other): control org 7 (3); treat orgs 5 and 8 (7, 9): mean 8, var 2
        assertMoments(revenue(slices.get(2)).get("control"), 1, 3, 1, 0, 0, 0);
        assertMoments(revenue(slices.get(2)).get("treat"), 2, 8, 1, 2, 0, 0);
        // web: control 10, 5, 3: mean 6, var (16 + 1 + 9)/2 = 13; treat 40, 0, 7, 9: mean 14, var 946/3
        assertMoments(revenue(slices.get(3)).get("control"), 3, 6, 1, 13, 0, 0);
        assertMoments(revenue(slices.get(3)).get("treat"), 4, 14, 1, 946.0 / 3, 0, 0);
        // ios: only org 2; the treatment has no unit and no row
        assertEquals(Map.of("control", 1L), slices.get(4).units());

        // the experiment-wide moments are unchanged: control 10, 20, 5, 3; treat 40, 0, 7, 9
        assertEquals(Map.of("control", 4L, "treat", 4L), data.units());
        assertMoments(data.moments().get(new MetricName("revenue")).get("treat"), 4, 14, 1, 946.0 / 3, 0, 0);
    }

    @Test
    void theValuesOfOneDimensionMergeToTheExperimentWideMoments() {
        ExperimentData data = MomentsFetcher.fetch(config(List.of("country", "platform")), EXP, warehouse);
        for (String dimension : List.of("country", "platform")) {
            for (String group : List.of("control", "treat")) {
                GroupMoments merged = data.dimensions().stream()
                        .filter(slice -> slice.dimension().equals(dimension))
                        .map(slice -> revenue(slice).get(group))
                        .filter(moments -> moments != null)
                        .reduce(GroupMoments::merge).orElseThrow();
                GroupMoments overall = data.moments().get(new MetricName("revenue")).get(group).withShift(0);
                assertMoments(merged, overall.n(), overall.meanX(), overall.meanY(), overall.varX(), overall.varY(),
                        overall.covXY());
            }
        }
    }

    @Test
    void resultsPerValueHaveTheirOwnSrmAndComparisonsAndAWarning() {
        ExperimentResult result = Analyzer.analyze(config(List.of("country", "platform")), EXP, warehouse);
        assertEquals(5, result.dimensions().size());
        ExperimentResult.DimensionResult germany = result.dimensions().get(0);
        assertEquals(List.of(2L, 1L), germany.groups().stream().map(ExperimentResult.GroupCount::units).toList());
        assertTrue(germany.srm().isPresent());
        MetricResult.GroupComparison comparison = germany.metrics().get(0).comparisons().get(0);
        assertEquals(15, comparison.statistics().controlMean(), 1e-12);
        assertEquals(40, comparison.statistics().treatmentMean(), 1e-12);
        assertTrue(result.warnings().contains(ExperimentResult.DIMENSIONS_WARNING));

        String json = JsonOutput.experiments(List.of(result)).replaceAll("\\s", "");
        assertTrue(json.contains("\"dimensions\":[{\"dimension\":\"country\",\"value\":\"DE\",\"groups\":[{\"name\":"
                + "\"control\",\"units\":2,\"expected_share\":0.5},{\"name\":\"treat\",\"units\":1,"), json);
        String table = ConsoleTable.experiments(List.of(result));
        assertTrue(table.contains("By country (exploratory: no correction across values; \"!!\" marks an effect that differs"
                + " from the rest's after a correction across values)"), table);
        assertTrue(table.contains("  (other): control 1, treat 2 (SRM p = "), table);
    }

    @Test
    void theSourceIsScannedOnceAndTheDimensionsOnce() {
        String sql = MomentsFetcher.sql(config(List.of("country", "platform")), EXP);
        QueryResult plan = warehouse.query("EXPLAIN " + sql);
        String text = plan.rows().stream().map(row -> String.valueOf(row.get(plan.columns().get(1))))
                .reduce("", String::concat).toLowerCase(Locale.ROOT);
        // each table is scanned once ("table: memory.main.<name>" in a scan operator)
        assertEquals(1, count(text, "main.events"), text);
        assertEquals(1, count(text, "main.exposures"), text);
    }

    @Test
    void aDimensionTheAssignmentSourceLacksIsAWarehouseErrorNamingTheSource() {
        PulseException error = assertThrows(PulseException.class,
                () -> MomentsFetcher.fetch(config(List.of("continent")), EXP, warehouse));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, error.category());
        assertTrue(error.getMessage().startsWith("source 'exposures' (table exposures): "), error.getMessage());
        assertTrue(error.getMessage().contains("continent"), error.getMessage());
    }

    private static int count(String text, String word) {
        int count = 0;
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length())) {
            count++;
        }
        return count;
    }

    private static Map<String, GroupMoments> revenue(DimensionData slice) {
        return slice.moments().get(new MetricName("revenue"));
    }
}
