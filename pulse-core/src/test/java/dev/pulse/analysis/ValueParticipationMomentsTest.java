package dev.pulse.analysis;

import static dev.pulse.analysis.CupedMomentsTest.assertMoments;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Cuped;
import dev.pulse.model.Direction;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.SourceName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.CsvOutput;
import dev.pulse.output.JsonOutput;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * first_value, latest_value and participation metrics in the warehouse, on a hand-computed trap data set in
 * in-memory DuckDB ({@code src/test/resources/value_participation/}, also read by the numpy reference
 * {@code src/test/python/reference_value_participation.py}, see {@link ValueParticipationReferenceTest}).
 *
 * <p>Experiment {@code exp} runs 2026-03-01 to 2026-03-05: exposures and rows count before 03-06 00:00. Org 9
 * is in both groups, org 10 exposed before the start and org 11 at the end: none counts; a row with a NULL
 * org matches no unit. Metrics: {@code latest_price} and {@code first_price} (value {@code price}),
 * {@code latest_price_d0_2} (latest value in {@code [fe, fe + 2 days)}), {@code active_days} (participation).
 * <pre>
 *   org group   first exposure          counted rows (ts price)                         latest first  d0_2     days  Y days
 *   1   control 03-01 00:00 (dup 03-02) 03-01 00:00 10, 03-02 08:00 30, 03-04 09:00 40,  40     10     30       4     5
 *                                       03-04 09:00 35 (tie: 40), 03-05 12:00 NULL;
 *                                       not 02-28 12:00 50 (before) nor 03-06 00:00 99 (at the end)
 *   2   control 03-02 06:00             03-02 06:00 NULL, 03-03 10:00 12 twice,          12     12     12       2     4
 *                                       03-03 11:00 NULL; not 03-02 05:59 7 (before)
 *   3   control 03-01 12:00             none                                             -      -      -        0     5
 *   4   control 03-05 23:59 (late)      03-05 23:59:30 5; not 03-06 00:00 6              5      5      open     1     1
 *   5   treat   03-01 00:00             03-01 09:00 8 and 11 (tie: 11), 03-03 00:00 4     6      11     11       3     5
 *                                       (at the window's end: out of d0_2), 03-05 23:59:59 6
 *   6   treat   03-02 00:00             03-02 12:00 NULL, 03-04 12:00 NULL               -      -      -        2     4
 *   7   treat   03-03 00:00 (dup)       03-03 00:00 22, 03-04 23:00 25 and NULL          25     22     25       2     3
 *   8   treat   03-04 18:00             none (03-03 12:00 3 before, 03-06 01:00 after)   -      -      open     0     2
 * </pre>
 * "-": no value, X = Y = 0. "open": the window closes after 03-06 00:00, left out of {@code latest_price_d0_2}.
 * Per group ΣX / ΣY: latest control 57/3 = 19, treat 31/2 = 15.5; first 27/3 = 9 and 33/2 = 16.5;
 * d0_2 42/2 = 21 (n 3) and 36/2 = 18 (n 3); active days 7/15 and 7/14 = 0.5.
 *
 * <p>Under CUPED (2-day lookback) the pre-period is {@code [fe − 2 days, fe)}: org 1 has 02-28 12:00 50, org 2
 * 03-02 05:59 7, org 8 03-03 12:00 3, no one else a row. So X₀ of the value metrics is 50, 7, 0, 0 (control)
 * and 0, 0, 0, 3 (treat) with Y₀ = 1, 1, 0, 0 and 0, 0, 0, 1; participation X₀ = 1, 1, 0, 0 and 0, 0, 0, 1 with
 * Y₀ = 2 (the lookback) for every unit.
 */
class ValueParticipationMomentsTest {
    static final ExperimentName EXP = new ExperimentName("exp");
    private static final List<String> METRICS = List.of("latest_price", "first_price", "latest_price_d0_2", "active_days");

    @TempDir
    Path temp;
    private Warehouse warehouse;

    @BeforeEach
    void createData() throws IOException {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        Path exposures = copy("exposures.csv");
        Path events = copy("events.csv");
        warehouse.execute("CREATE TABLE exposures AS SELECT * FROM read_csv('" + exposures + "', header = true, columns = "
                + "{'exp_name': 'VARCHAR', 'variant': 'VARCHAR', 'org': 'BIGINT', 'ts': 'TIMESTAMP'})");
        warehouse.execute("CREATE TABLE events AS SELECT * FROM read_csv('" + events + "', header = true, columns = "
                + "{'org': 'BIGINT', 'ts': 'TIMESTAMP', 'price': 'DOUBLE'})");
    }

    /** The resource as a file (the Spark module reads this class from a jar). */
    private Path copy(String name) throws IOException {
        Path file = temp.resolve(name);
        try (InputStream in = ValueParticipationMomentsTest.class.getResourceAsStream("/value_participation/" + name)) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    Warehouse warehouse() {
        return warehouse;
    }

    static PulseConfig config(boolean cuped) {
        SourceName events = new SourceName("events");
        MetricOptions window = new MetricOptions(Direction.TWO_SIDED, Optional.empty(), Optional.of(new MetricWindow(0, 2)));
        Experiment experiment = experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-05",
                METRICS.toArray(String[]::new));
        if (cuped) {
            experiment = experiment.withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(2)));
        }
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                List.of(new Metric.LatestValue(new MetricName("latest_price"), events, "price", Optional.empty(),
                                MetricOptions.DEFAULT),
                        new Metric.FirstValue(new MetricName("first_price"), events, "price", Optional.empty(),
                                MetricOptions.DEFAULT),
                        new Metric.LatestValue(new MetricName("latest_price_d0_2"), events, "price", Optional.empty(), window),
                        new Metric.Participation(new MetricName("active_days"), events, Optional.empty(),
                                MetricOptions.DEFAULT)),
                List.of(experiment));
    }

    /**
     * For EngineEquivalenceTest: the plain experiment, the CUPED one and one with daily results (whose per-unit
     * values go through the daily parts of {@code DailySql}) side by side.
     */
    private static PulseConfig config() {
        PulseConfig plain = config(false);
        Experiment cuped = config(true).experiment(EXP);
        return TestModel.config(List.copyOf(plain.sources().values()), List.copyOf(plain.metrics().values()),
                List.of(plain.experiment(EXP), renamed(cuped, "exp_cuped"),
                        renamed(plain.experiment(EXP), "exp_daily").withTimeseries(true)));
    }

    private static Experiment renamed(Experiment experiment, String name) {
        return experiment.toBuilder().name(new ExperimentName(name)).build();
    }

    private ExperimentData fetch(boolean cuped) {
        return MomentsFetcher.fetch(config(cuped), EXP, warehouse);
    }

    private Map<String, GroupMoments> moments(String metric) {
        return fetch(false).moments().get(new MetricName(metric));
    }

    @Test
    void theLatestValueIsTheNonNullValueAtTheGreatestTimestampTiesToTheGreatestValue() {
        Map<String, GroupMoments> latest = moments("latest_price");
        // control X 40, 12, 0, 5: mean 57/4, var 3827/12; Y 1, 1, 0, 1: mean 3/4, var 1/4; cov 19/4
        assertMoments(latest.get("control"), 4, 57.0 / 4, 0.75, 3827.0 / 12, 0.25, 19.0 / 4);
        // treat X 6, 0, 25, 0: mean 31/4, var 561/4; Y 1, 0, 1, 0: mean 1/2, var 1/3; cov 31/6
        assertMoments(latest.get("treat"), 4, 31.0 / 4, 0.5, 561.0 / 4, 1.0 / 3, 31.0 / 6);
        assertEquals(19, latest.get("control").value(), 1e-12);
        assertEquals(15.5, latest.get("treat").value(), 1e-12);
    }

    @Test
    void theFirstValueIsTheNonNullValueAtTheLeastTimestampTiesToTheGreatestValue() {
        Map<String, GroupMoments> first = moments("first_price");
        // control X 10, 12, 0, 5: mean 27/4, var 347/12; cov 9/4
        assertMoments(first.get("control"), 4, 27.0 / 4, 0.75, 347.0 / 12, 0.25, 9.0 / 4);
        // treat X 11, 0, 22, 0: mean 33/4, var 1331/12; cov 11/2
        assertMoments(first.get("treat"), 4, 33.0 / 4, 0.5, 1331.0 / 12, 1.0 / 3, 5.5);
    }

    @Test
    void aWindowedLatestValueTakesTheRowsInsideTheWindowAndLeavesOutUnitsWhoseWindowIsOpen() {
        Map<String, GroupMoments> windowed = moments("latest_price_d0_2");
        // control X 30, 12, 0 (org 4 open): mean 14, var 228; Y 1, 1, 0: mean 2/3, var 1/3; cov 7
        assertMoments(windowed.get("control"), 3, 14, 2.0 / 3, 228, 1.0 / 3, 7);
        // treat X 11, 0, 25 (org 8 open): mean 12, var 157; cov 6
        assertMoments(windowed.get("treat"), 3, 12, 2.0 / 3, 157, 1.0 / 3, 6);
        assertEquals(2L, fetch(false).excludedWindowOpen().get(new MetricName("latest_price_d0_2")));
    }

    @Test
    void participationIsDistinctUtcDaysWithARowOverTheDaysFromTheFirstExposuresDayToTheEnd() {
        Map<String, GroupMoments> active = moments("active_days");
        // control X 4, 2, 0, 1: mean 7/4, var 35/12; Y 5, 4, 5, 1: mean 15/4, var 43/12; cov 11/12
        assertMoments(active.get("control"), 4, 7.0 / 4, 15.0 / 4, 35.0 / 12, 43.0 / 12, 11.0 / 12);
        // treat X 3, 2, 2, 0: mean 7/4, var 19/12; Y 5, 4, 3, 2: mean 7/2, var 5/3; cov 3/2
        assertMoments(active.get("treat"), 4, 7.0 / 4, 3.5, 19.0 / 12, 5.0 / 3, 1.5);
        assertEquals(7.0 / 15, active.get("control").value(), 1e-12);
        assertEquals(0.5, active.get("treat").value(), 1e-12);
    }

    @Test
    void underCupedThePrePeriodHasItsOwnValuesAndParticipationDividesByTheLookback() {
        Map<MetricName, Map<String, CovariateMoments>> covariates = fetch(true).covariates();
        CovariateMoments latest = covariates.get(new MetricName("latest_price")).get("control");
        // X₀ 50, 7, 0, 0: mean 57/4, var 6947/12; Y₀ 1, 1, 0, 0: mean 1/2, var 1/3;
        // cov(X₀, Y₀) = (35.75·0.5 − 7.25·0.5 + 14.25·0.5 + 14.25·0.5)/3 = 19/2
        assertMoments(latest.pre(), 4, 57.0 / 4, 0.5, 6947.0 / 12, 1.0 / 3, 9.5);
        CovariateMoments active = covariates.get(new MetricName("active_days")).get("control");
        // X₀ 1, 1, 0, 0: mean 1/2, var 1/3; Y₀ 2 for every unit: mean 2, var 0
        assertMoments(active.pre(), 4, 0.5, 2, 1.0 / 3, 0, 0);
        // cov(X, X₀) with X 4, 2, 0, 1: (2.25·0.5 + 0.25·0.5 + 1.75·0.5 + 0.75·0.5)/3 = 5/6; cov(X, Y₀) = 0;
        // cov(Y, X₀) with Y 5, 4, 5, 1: (1.25·0.5 + 0.25·0.5 − 1.25·0.5 + 2.75·0.5)/3 = 1/2; cov(Y, Y₀) = 0
        CovariateMoments raw = active.withShifts(0, 0);
        assertEquals(5.0 / 6, raw.covXX0(), 1e-12);
        assertEquals(0, raw.covXY0(), 1e-12);
        assertEquals(0.5, raw.covYX0(), 1e-12);
        assertEquals(0, raw.covYY0(), 1e-12);
        // the plain moments are those without CUPED
        assertMoments(covariates.get(new MetricName("active_days")).get("treat").post(), 4, 7.0 / 4, 3.5, 19.0 / 12,
                5.0 / 3, 1.5);
    }

    @Test
    void theResultsCountTheUnitsWithAValueAndEveryOutputShowsTheMetrics() {
        ExperimentResult result = Analyzer.analyze(config(false), EXP, warehouse);
        assertEquals(Map.of("control", 3L, "treat", 2L), result.metrics().get(0).unitsWithValue());
        assertEquals(List.of("control", "treat"), List.copyOf(result.metrics().get(2).unitsWithValue().keySet()));
        assertEquals(Map.of("control", 2L, "treat", 2L), result.metrics().get(2).unitsWithValue());
        assertEquals(Map.of(), result.metrics().get(3).unitsWithValue());

        String json = JsonOutput.experiments(List.of(result)).replaceAll("\\s", "");
        assertTrue(json.contains("\"metric\":\"latest_price\",\"type\":\"latest_value\",\"direction\":\"two_sided\","
                + "\"units_with_value\":{\"control\":3,\"treat\":2},"), json);
        assertTrue(json.contains("\"metric\":\"active_days\",\"type\":\"participation\",\"direction\":\"two_sided\","
                + "\"comparisons\":[{\"group\":\"treat\",\"control\":\"control\",\"control_mean\":0.4666666666666"), json);
        assertTrue(json.contains("\"type\":\"first_value\""), json);
        String table = ConsoleTable.experiments(List.of(result));
        assertTrue(table.contains("Units with a value of latest_price: control 3, treat 2 (the others are left out"
                + " of its mean)"), table);
        assertTrue(table.contains("active_days"), table);
        String csv = CsvOutput.experiments(List.of(result));
        assertTrue(csv.contains("\r\nexp,first_price,first_value,treat,control,4,4,9.0,16.5,7.5,"), csv);
        assertTrue(csv.contains("\r\nexp,active_days,participation,treat,control,4,4,0.4666666666666667,0.5,0.0333333333333"), csv);
    }

    @Test
    void withDailyResultsTheFullResultIsTheSameAndTheSeriesLeavesTheseMetricsOut() {
        PulseConfig plain = config(false);
        PulseConfig daily = TestModel.config(List.copyOf(plain.sources().values()), List.copyOf(plain.metrics().values()),
                List.of(plain.experiment(EXP).withTimeseries(true)));
        ExperimentData withDays = MomentsFetcher.fetch(daily, EXP, warehouse);
        ExperimentData without = fetch(false);
        for (String metric : METRICS) {
            MetricName name = new MetricName(metric);
            for (String group : List.of("control", "treat")) {
                GroupMoments a = withDays.moments().get(name).get(group).withShift(0);
                GroupMoments b = without.moments().get(name).get(group).withShift(0);
                assertEquals(b.n(), a.n(), metric);
                assertEquals(b.meanX(), a.meanX(), 1e-12, metric);
                assertEquals(b.meanY(), a.meanY(), 1e-12, metric);
                assertEquals(b.varX(), a.varX(), 1e-9, metric);
                assertEquals(b.covXY(), a.covXY(), 1e-9, metric);
            }
        }
        assertTrue(withDays.timeseries().stream().allMatch(day -> day.moments().isEmpty()), "no series metric");
    }

    /**
     * {@code pulse power} over 03-01 to 03-05: the historical units are the orgs with a row then (1, 2, 4–10), each
     * first "exposed" at its first row. Latest price per unit: 40, 12 (org 2's first row is 03-02 05:59 7, its
     * latest 12), 5, 6, none (org 6: NULLs), 25, 3, 1000, 500: ΣX 1591 over ΣY 8 = 198.875. Participation: days
     * with a row 4, 2, 1, 3, 2, 2, 1, 1, 1 (ΣX 17) over days from the first row's day to 03-05 5, 4, 1, 5, 4, 3, 3,
     * 4, 5 (ΣY 34) = 0.5.
     */
    @Test
    void powerEstimatesTheseMetricsOnHistoricalRows() {
        PowerRequest request = PowerRequest.forExperiment(config(false), EXP, new PowerRequest.Choices(
                List.of(new MetricName("latest_price"), new MetricName("active_days")),
                Optional.of(java.time.LocalDate.parse("2026-03-01")), Optional.of(java.time.LocalDate.parse("2026-03-05")),
                java.util.OptionalDouble.empty(), java.util.OptionalDouble.empty(), java.util.OptionalLong.empty(),
                java.util.OptionalDouble.empty()));
        PowerResult result = PowerAnalysis.analyze(config(false), request, warehouse);
        assertEquals(9, result.historicalUnits());
        assertEquals("latest_value", result.metrics().get(0).type());
        assertEquals(198.875, result.metrics().get(0).mean(), 1e-12);
        assertEquals("participation", result.metrics().get(1).type());
        assertEquals(0.5, result.metrics().get(1).mean(), 1e-12);
        assertTrue(result.metrics().get(1).comparisons().get(0).mdeAbsolute() > 0);
    }

    @Test
    void everyMetricOfTheSourceIsComputedInOneScanOfIt() {
        String sql = MomentsFetcher.sql(config(true), EXP);
        QueryResult plan = warehouse.query("EXPLAIN " + sql);
        String text = plan.rows().stream().map(row -> String.valueOf(row.get(plan.columns().get(1))))
                .reduce("", String::concat).toLowerCase(Locale.ROOT);
        assertEquals(1, text.split("main\\.events", -1).length - 1, text);
    }
}
