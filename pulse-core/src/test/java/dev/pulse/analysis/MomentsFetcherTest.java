package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.aggregate;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.count;
import static dev.pulse.plan.TestModel.countDistinct;
import static dev.pulse.plan.TestModel.csv;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.mean;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.parquet;
import static dev.pulse.plan.TestModel.query;
import static dev.pulse.plan.TestModel.ratio;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static dev.pulse.plan.TestModel.unitCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.AggregateFunction;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every trap of docs/concepts.md on a small hand-computed data set in in-memory DuckDB.
 *
 * <p>Experiment {@code exp}: window [2026-03-01, 2026-03-04), groups control and treat listed.
 * Exposures (org: group, first counted exposure):
 * <ul>
 *   <li>1: control, 03-01 08:00 (also a duplicate control exposure at 10:00)</li>
 *   <li>2: control, 03-02 00:00</li>
 *   <li>3: control, 03-01 12:00 — no metric rows at all: counted with zeros</li>
 *   <li>4: treat, 03-01 09:00 — plus a control exposure on 02-27, outside the window: not two groups</li>
 *   <li>5: treat, 03-02 09:00</li>
 *   <li>6: control and treat — excluded, multiple groups</li>
 *   <li>7: holdout — excluded, unknown group</li>
 *   <li>8: treat on 02-28 23:59:59 and 9: treat on 03-04 00:00 — outside the window, not seen</li>
 *   <li>10: another experiment; 11: NULL group; a NULL org — ignored</li>
 * </ul>
 */
class MomentsFetcherTest {
    private static final double TOLERANCE = 1e-12;

    @TempDir
    Path temp;

    private Warehouse warehouse;
    private Path sessionsFile;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS SELECT * FROM (VALUES
                  ('exp', 'control', 1, TIMESTAMP '2026-03-01 10:00:00'),
                  ('exp', 'control', 1, TIMESTAMP '2026-03-01 08:00:00'),
                  ('exp', 'control', 2, TIMESTAMP '2026-03-02 00:00:00'),
                  ('exp', 'control', 3, TIMESTAMP '2026-03-01 12:00:00'),
                  ('exp', 'treat',   4, TIMESTAMP '2026-03-01 09:00:00'),
                  ('exp', 'control', 4, TIMESTAMP '2026-02-27 09:00:00'),
                  ('exp', 'treat',   5, TIMESTAMP '2026-03-02 09:00:00'),
                  ('exp', 'control', 6, TIMESTAMP '2026-03-01 09:00:00'),
                  ('exp', 'treat',   6, TIMESTAMP '2026-03-02 09:00:00'),
                  ('exp', 'holdout', 7, TIMESTAMP '2026-03-01 00:00:00'),
                  ('exp', 'treat',   8, TIMESTAMP '2026-02-28 23:59:59'),
                  ('exp', 'treat',   9, TIMESTAMP '2026-03-04 00:00:00'),
                  ('other', 'control', 10, TIMESTAMP '2026-03-01 09:00:00'),
                  ('exp', NULL,      11, TIMESTAMP '2026-03-01 09:00:00'),
                  ('exp', 'control', NULL, TIMESTAMP '2026-03-01 09:00:00')
                ) AS t(exp_name, variant, org, ts)""");
        warehouse.execute("""
                CREATE TABLE events AS SELECT * FROM (VALUES
                  (1, 'a', TIMESTAMP '2026-03-01 07:00:00', 'purchase', 100.0),
                  (1, 'a', TIMESTAMP '2026-03-01 09:00:00', 'purchase', 10.0),
                  (1, 'b', TIMESTAMP '2026-03-01 10:00:00', 'view', NULL),
                  (1, 'b', TIMESTAMP '2026-03-02 11:00:00', 'purchase', 20.0),
                  (1, 'c', TIMESTAMP '2026-03-04 00:00:00', 'purchase', 1000.0),
                  (2, 'd', TIMESTAMP '2026-03-02 00:00:00', 'purchase', 5.0),
                  (2, 'd', TIMESTAMP '2026-03-03 23:59:59', 'view', NULL),
                  (2, 'e', TIMESTAMP '2026-03-03 12:00:00', 'purchase', NULL),
                  (4, 'f', TIMESTAMP '2026-03-01 08:59:00', 'purchase', 50.0),
                  (4, 'f', TIMESTAMP '2026-03-01 10:00:00', 'purchase', 30.0),
                  (4, 'g', TIMESTAMP '2026-03-01 11:00:00', 'purchase', 12.0),
                  (4, 'g', TIMESTAMP '2026-03-02 12:00:00', 'view', NULL),
                  (5, 'h', TIMESTAMP '2026-03-02 10:00:00', 'view', NULL),
                  (6, 'z', TIMESTAMP '2026-03-02 10:00:00', 'purchase', 999.0),
                  (7, 'y', TIMESTAMP '2026-03-02 10:00:00', 'purchase', 999.0),
                  (NULL, 'x', TIMESTAMP '2026-03-02 10:00:00', 'purchase', 999.0)
                ) AS t(org, user_id, ts, event, revenue)""");
        sessionsFile = temp.resolve("sessions.parquet");
        warehouse.execute("""
                COPY (SELECT * FROM (VALUES
                  (1, 's0', TIMESTAMP '2026-03-01 07:59:00'),
                  (1, 's1', TIMESTAMP '2026-03-01 08:30:00'),
                  (1, 's2', TIMESTAMP '2026-03-02 08:00:00'),
                  (2, 's3', TIMESTAMP '2026-03-02 01:00:00'),
                  (2, 's4', TIMESTAMP '2026-03-03 05:00:00'),
                  (4, 's5', TIMESTAMP '2026-03-01 09:30:00'),
                  (4, 's6', TIMESTAMP '2026-03-03 09:00:00'),
                  (4, 's7', TIMESTAMP '2026-03-05 00:00:00'),
                  (5, 's8', TIMESTAMP '2026-03-02 09:00:00')
                ) AS t(org, session_id, ts)) TO '%s' (FORMAT parquet)""".formatted(sessionsFile));
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private PulseConfig config(String sessionsLocation, String revenueValue, String purchaseFilter) {
        String purchase = "event = 'purchase'";
        return dev.pulse.plan.TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        // the open experiment's assignment: a sql source renaming the experiment
                        assignment("open_exposures", query(
                                "SELECT org, variant, ts, 'exp_open' AS exp_name FROM exposures WHERE exp_name = 'exp'")),
                        metricSource("events", table("events")),
                        metricSource("sessions", parquet(sessionsLocation))),
                List.of(sum("revenue", "events", revenueValue, null),
                        count("purchases", "events", purchaseFilter),
                        mean("avg_purchase_value", "events", "revenue", purchase),
                        unitCount("purchasing_orgs", "events", purchase),
                        countDistinct("active_users", "events", "user_id", null),
                        count("events_count", "events", null),
                        ratio("revenue_per_session",
                                aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("sessions", AggregateFunction.COUNT_ROWS, null, null))),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-03",
                                "revenue", "purchases", "avg_purchase_value", "purchasing_orgs", "active_users",
                                "events_count", "revenue_per_session"),
                        experiment("exp_open", "open_exposures", List.of(), "2026-03-01", null, "revenue"),
                        experiment("exp_later", "exposures", List.of(), "2027-01-01", null, "revenue")));
    }

    private PulseConfig config() {
        return config(sessionsFile.toString(), "revenue", "event = 'purchase'");
    }

    @Test
    void countsUnitsAndExclusions() {
        ExperimentData data = MomentsFetcher.fetch(config(), new ExperimentName("exp"), warehouse);
        // control: orgs 1, 2, 3; treat: orgs 4, 5. Org 6 in two groups, org 7 in unlisted holdout.
        assertEquals(Map.of("control", 3L, "treat", 2L), data.units());
        assertEquals(1, data.excludedMultipleGroups());
        assertEquals(1, data.excludedUnknownGroup());
        assertEquals(MomentsFetcher.sql(config(), new ExperimentName("exp")), data.sql());
    }

    /*
     * Counted rows per org (first exposure .. 03-04 00:00):
     *   1: 09:00 purchase 10 a; 10:00 view NULL b; 03-02 purchase 20 b   (07:00 before exposure, 03-04 after end)
     *   2: 03-02 00:00 purchase 5 d; view NULL d; purchase NULL e
     *   3: none
     *   4: 10:00 purchase 30 f; 11:00 purchase 12 g; view NULL g         (08:59 before exposure)
     *   5: view NULL h
     */

    @Test
    void sumIgnoresNullsAndCountsUnitsWithoutRowsAsZero() {
        Map<String, GroupMoments> revenue = moments("revenue");
        // control X = 30, 5, 0: mean 35/3; deviations 55/3, -20/3, -35/3 → squares 4650/9, /2 = 775/3
        assertY1(revenue.get("control"), 3, 35.0 / 3, 775.0 / 3);
        // treat X = 42, 0 (org 5: SUM of NULL only → 0): mean 21, var 2·21² = 882
        assertY1(revenue.get("treat"), 2, 21, 882);
    }

    @Test
    void countCountsRowsThatPassTheFilter() {
        Map<String, GroupMoments> purchases = moments("purchases");
        // control X = 2, 2, 0 (org 2's purchase with NULL revenue counts): mean 4/3, var (4/9+4/9+16/9)/2 = 4/3
        assertY1(purchases.get("control"), 3, 4.0 / 3, 4.0 / 3);
        // treat X = 2, 0: mean 1, var 2
        assertY1(purchases.get("treat"), 2, 1, 2);
        // no filter, NULL values count: control 3, 3, 0 → mean 2, var (1+1+4)/2 = 3; treat 3, 1 → mean 2, var 2
        assertY1(moments("events_count").get("control"), 3, 2, 3);
        assertY1(moments("events_count").get("treat"), 2, 2, 2);
    }

    @Test
    void meanRecordsAreRowsWithAValue() {
        Map<String, GroupMoments> mean = moments("avg_purchase_value");
        // control X = 30, 5, 0; Y = 2, 1, 0 (org 2's NULL purchase is no record)
        // meanY 1, varY (1+0+1)/2 = 1, cov (55/3·1 + (-20/3)·0 + (-35/3)·(-1))/2 = 15
        assertMoments(mean.get("control"), 3, 35.0 / 3, 1, 775.0 / 3, 1, 15);
        // treat X = 42, 0; Y = 2, 0: meanY 1, varY 2, cov (21·1 + (-21)·(-1))/1 = 42
        assertMoments(mean.get("treat"), 2, 21, 1, 882, 2, 42);
    }

    @Test
    void unitCountIsAShareOfUnits() {
        Map<String, GroupMoments> purchasing = moments("purchasing_orgs");
        // control 1, 1, 0: mean 2/3, var (1/9+1/9+4/9)/2 = 1/3; treat 1, 0: mean 1/2, var 1/2
        assertY1(purchasing.get("control"), 3, 2.0 / 3, 1.0 / 3);
        assertY1(purchasing.get("treat"), 2, 0.5, 0.5);
    }

    @Test
    void countDistinctCountsDistinctValues() {
        Map<String, GroupMoments> users = moments("active_users");
        // control {a,b}, {d,e}, {} → 2, 2, 0: mean 4/3, var 4/3; treat {f,g}, {h} → 2, 1: mean 3/2, var 1/2
        assertY1(users.get("control"), 3, 4.0 / 3, 4.0 / 3);
        assertY1(users.get("treat"), 2, 1.5, 0.5);
    }

    @Test
    void ratioAcrossTwoSourcesFromAParquetFile() {
        Map<String, GroupMoments> ratio = moments("revenue_per_session");
        // sessions counted: org 1 s1, s2 (s0 before exposure); org 2 s3, s4; org 3 none;
        // org 4 s5, s6 (s7 after end); org 5 s8 (at its first exposure).
        // control X = 30, 5, 0; Y = 2, 2, 0: meanY 4/3, varY 4/3,
        //   cov ((55/3)(2/3) + (-20/3)(2/3) + (-35/3)(-4/3))/2 = (210/9)/2 = 35/3
        assertMoments(ratio.get("control"), 3, 35.0 / 3, 4.0 / 3, 775.0 / 3, 4.0 / 3, 35.0 / 3);
        // treat X = 42, 0; Y = 2, 1: meanY 3/2, varY 1/2, cov (21·1/2 + (-21)(-1/2))/1 = 21
        assertMoments(ratio.get("treat"), 2, 21, 1.5, 882, 0.5, 21);
    }

    @Test
    void aCsvFileGivesTheSameRatio() {
        Path csvFile = temp.resolve("sessions.csv");
        warehouse.execute("COPY (SELECT * FROM read_parquet('%s')) TO '%s' (FORMAT csv, HEADER)"
                .formatted(sessionsFile, csvFile));
        PulseConfig csvConfig = withSource(config(), metricSource("sessions", csv(csvFile.toString())));
        ExperimentData data = MomentsFetcher.fetch(csvConfig, new ExperimentName("exp"), warehouse);
        Map<String, GroupMoments> ratio = data.moments().get(new MetricName("revenue_per_session"));
        assertMoments(ratio.get("control"), 3, 35.0 / 3, 4.0 / 3, 775.0 / 3, 4.0 / 3, 35.0 / 3);
        assertMoments(ratio.get("treat"), 2, 21, 1.5, 882, 0.5, 21);
    }

    @Test
    void timestampsWithTimeZoneCompareInUtc() {
        // the same exposures as TIMESTAMPTZ written at +02:00: 2026-03-01 01:00+02 is 02-28 23:00Z, outside
        warehouse.execute("""
                CREATE TABLE exposures_tz AS SELECT * FROM (VALUES
                  ('exp', 'control', 1, TIMESTAMPTZ '2026-03-01 01:00:00+02'),
                  ('exp', 'control', 2, TIMESTAMPTZ '2026-03-01 02:00:00+02'),
                  ('exp', 'treat',   4, TIMESTAMPTZ '2026-03-04 01:59:59+02'),
                  ('exp', 'treat',   5, TIMESTAMPTZ '2026-03-04 02:00:00+02')
                ) AS t(exp_name, variant, org, ts)""");
        PulseConfig full = withSource(config(), assignment("exposures", table("exposures_tz")));
        ExperimentData data = MomentsFetcher.fetch(full, new ExperimentName("exp"), warehouse);
        // org 1 at 02-28 23:00Z is before the start; org 5 at 03-04 00:00Z is after the end
        assertEquals(Map.of("control", 1L, "treat", 1L), data.units());
    }

    @Test
    void withoutEndAndListedGroupsEveryGroupAndLaterRowCounts() {
        ExperimentData data = MomentsFetcher.fetch(config(), new ExperimentName("exp_open"), warehouse);
        // no end: org 9's exposure on 03-04 counts; org 7's holdout is a group; org 8 is still before the start
        assertEquals(Map.of("control", 3L, "holdout", 1L, "treat", 3L), data.units());
        assertEquals(1, data.excludedMultipleGroups());
        assertEquals(0, data.excludedUnknownGroup());
        Map<String, GroupMoments> revenue = data.moments().get(new MetricName("revenue"));
        // control 1030 (org 1's 03-04 row counts now), 5, 0: mean 345, var (685² + 340² + 345²)/2 = 351925
        assertY1(revenue.get("control"), 3, 345, 351925);
        // treat 42, 0, 0 (org 9 has no rows): mean 14, var (28² + 14² + 14²)/2 = 588
        assertY1(revenue.get("treat"), 3, 14, 588);
        // holdout 999, one unit: VAR_SAMP is NULL → 0
        assertY1(revenue.get("holdout"), 1, 999, 0);
    }

    @Test
    void noCountedUnitStillReturnsTheExclusions() {
        ExperimentData data = MomentsFetcher.fetch(config(), new ExperimentName("exp_later"), warehouse);
        assertEquals(Map.of(), data.units());
        assertEquals(Map.of(), data.moments().get(new MetricName("revenue")));
        assertEquals(0, data.excludedMultipleGroups());
        assertEquals(0, data.excludedUnknownGroup());
    }

    /** {@code config} with one source replaced. */
    private static PulseConfig withSource(PulseConfig config, Source source) {
        Map<SourceName, Source> sources = new LinkedHashMap<>(config.sources());
        sources.put(source.name(), source);
        return new PulseConfig(config.file(), config.warehouse(), sources, config.metrics(), config.experiments());
    }

    private Map<String, GroupMoments> moments(String metric) {
        ExperimentData data = MomentsFetcher.fetch(config(), new ExperimentName("exp"), warehouse);
        return data.moments().get(new MetricName(metric));
    }

    private static void assertY1(GroupMoments actual, long n, double meanX, double varX) {
        assertMoments(actual, n, meanX, 1, varX, 0, 0);
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

    /** Within 1e-12, relative to the magnitude for numbers above 1. */
    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void aMissingFileNamesItsSource() {
        String missing = temp.resolve("no_such_sessions.parquet").toString();
        PulseException failure = failure(config(missing, "revenue", "event = 'purchase'"));
        assertTrue(failure.getMessage().startsWith("source 'sessions' (" + missing + "): "), failure.getMessage());
    }

    @Test
    void anUnknownColumnInAValueNamesTheMetric() {
        PulseException failure = failure(config(sessionsFile.toString(), "revenu", "event = 'purchase'"));
        assertTrue(failure.getMessage().startsWith("metric 'revenue' value 'revenu': "), failure.getMessage());
        assertTrue(failure.getMessage().contains("\"revenu\" not found"), failure.getMessage());
        // the excerpt of Pulse's probe statement is dropped; the warehouse's explanation stays
        assertFalse(failure.getMessage().contains("LINE "), failure.getMessage());
    }

    @Test
    void aBadFilterNamesTheMetric() {
        PulseException failure = failure(config(sessionsFile.toString(), "revenue", "evnt = 'purchase'"));
        assertTrue(failure.getMessage().startsWith("metric 'purchases' filter 'evnt = 'purchase'': "),
                failure.getMessage());
    }

    @Test
    void aFailureNoProbeFindsNamesTheExperiment() {
        // binds (so the LIMIT 0 probes pass) but fails on the rows: the fallback names the experiment
        PulseException failure = failure(config(sessionsFile.toString(), "CAST(event AS INTEGER)", "event = 'purchase'"));
        assertTrue(failure.getMessage().startsWith("experiment 'exp': "), failure.getMessage());
        assertTrue(failure.getMessage().contains("Conversion Error"), failure.getMessage());
    }

    @Test
    void aMissingAssignmentTableNamesItsSource() {
        warehouse.execute("DROP TABLE exposures");
        PulseException failure = failure(config());
        assertTrue(failure.getMessage().startsWith("source 'exposures' (table exposures): "), failure.getMessage());
    }

    @Test
    void nonFiniteValuesAreBadInputNamingTheMetric() {
        // a value of Infinity: the sum and its moments overflow; results would be NaN, so Pulse stops
        PulseException failure = assertThrows(PulseException.class, () -> MomentsFetcher.fetch(
                config(sessionsFile.toString(), "CASE WHEN org = 4 THEN 'Infinity'::DOUBLE ELSE revenue END", "event = 'purchase'"),
                new ExperimentName("exp"), warehouse));
        assertEquals(PulseException.Category.INPUT_INVALID, failure.category());
        assertTrue(failure.getMessage().contains("metric 'revenue', group 'treat'"), failure.getMessage());
        assertTrue(failure.getMessage().contains("NaN or Infinity"), failure.getMessage());
    }

    private PulseException failure(PulseConfig config) {
        PulseException failure = assertThrows(PulseException.class,
                () -> MomentsFetcher.fetch(config, new ExperimentName("exp"), warehouse));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertEquals(3, failure.category().exitCode());
        return failure;
    }
}
