package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.aggregate;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.mean;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.ratio;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static dev.pulse.plan.TestModel.unitCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.JsonOutput;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The days-since-exposure series (docs/daily-results.md#days-since-exposure) against a reference computed here in
 * Java from the unit-level rows, not through any SQL: for each k and group, the units whose day k (day 0 = the UTC
 * day of the first exposure) ended by the experiment's end, each with its rows in [first exposure, end of its day k),
 * their per-unit (X, Y) and the moments of those, to 1e-9.
 *
 * <p>Experiment {@code exp} runs 2026-03-01 to 03-05 (5 days, k = 0 … 4). Org 4 is exposed on the last day: it is in
 * k = 0 only (the classic pitfall is to let it into later days with its value so far). Org 9 is exposed at 23:00 on
 * 03-04: its day 0 is one hour long, its day 1 (03-05) is the last. Org 3 has a second exposure in its group (only
 * the first counts); org 99 is in both groups and excluded. Rows before the exposure (org 1's 50) and after the end
 * (org 1's 100) never count; org 3's NULL revenue is a row for the session-free count but no value for the mean.
 * Metrics: a sum, a ratio over two sources (revenue per session), a mean (records denominator: the rows with a
 * revenue) and a unit count (a row with revenue above 4 so far).
 */
class DaysSinceExposureTest {
    private static final ExperimentName EXP = new ExperimentName("exp");
    private static final LocalDate START = LocalDate.parse("2026-03-01");
    private static final int DAYS = 5;
    private static final double RELATIVE = 1e-9;

    private record Unit(int org, String group, LocalDateTime exposure) {}

    private record Row(int org, LocalDateTime ts, Double revenue) {}

    private static final List<Unit> UNITS = List.of(
            new Unit(1, "control", at("03-01 10:00")),
            new Unit(2, "control", at("03-02 00:00")),
            new Unit(3, "control", at("03-02 08:00")),
            new Unit(4, "control", at("03-05 09:00")),
            new Unit(5, "treat", at("03-01 12:00")),
            new Unit(6, "treat", at("03-01 06:00")),
            new Unit(7, "treat", at("03-02 00:00")),
            new Unit(8, "treat", at("03-03 15:00")),
            new Unit(9, "treat", at("03-04 23:00")));

    /** Exposures beyond each unit's first: org 3 again in its group (ignored), org 99 in both groups (excluded). */
    private static final List<Unit> OTHER_EXPOSURES = List.of(
            new Unit(3, "control", at("03-03 09:00")),
            new Unit(99, "control", at("03-01 08:00")),
            new Unit(99, "treat", at("03-02 08:00")));

    private static final List<Row> EVENTS = List.of(
            new Row(1, at("03-01 09:00"), 50.0), new Row(1, at("03-01 11:00"), 5.0), new Row(1, at("03-02 10:00"), 3.0),
            new Row(1, at("03-04 12:00"), 7.0), new Row(1, at("03-06 01:00"), 100.0),
            new Row(2, at("03-03 00:00"), 2.0),
            new Row(3, at("03-02 09:00"), 4.0), new Row(3, at("03-02 10:00"), null), new Row(3, at("03-03 12:00"), 6.0),
            new Row(4, at("03-05 10:00"), 9.0),
            new Row(5, at("03-01 13:00"), 8.0), new Row(5, at("03-02 13:00"), 1.0), new Row(5, at("03-03 01:00"), 2.0),
            new Row(6, at("03-01 06:00"), 6.0), new Row(6, at("03-05 23:59"), 4.0),
            new Row(7, at("03-02 01:00"), 10.0), new Row(7, at("03-04 05:00"), 3.0),
            new Row(8, at("03-03 16:00"), 5.0), new Row(8, at("03-04 02:00"), 5.0),
            new Row(9, at("03-04 23:30"), 12.0), new Row(9, at("03-05 00:30"), 1.0),
            new Row(99, at("03-02 09:00"), 1000.0));

    private static final List<Row> SESSIONS = List.of(
            new Row(1, at("03-01 10:30"), null), new Row(1, at("03-02 09:00"), null), new Row(1, at("03-04 11:00"), null),
            new Row(2, at("03-01 01:00"), null), new Row(2, at("03-03 00:00"), null),
            new Row(3, at("03-02 08:30"), null),
            new Row(4, at("03-05 09:30"), null),
            new Row(5, at("03-01 12:30"), null), new Row(5, at("03-02 12:00"), null),
            new Row(6, at("03-01 07:00"), null),
            new Row(8, at("03-03 15:30"), null), new Row(8, at("03-04 01:00"), null),
            new Row(9, at("03-04 23:10"), null));

    /** A metric of the reference: per unit its X and Y from its rows in its window. */
    private record Reference(String metric, java.util.function.Function<List<Row>, Double> x,
                             java.util.function.Function<List<Row>, Double> y, boolean sessionsY) {}

    private static final List<Reference> REFERENCES = List.of(
            new Reference("revenue", DaysSinceExposureTest::revenue, rows -> 1.0, false),
            new Reference("revenue_per_session", DaysSinceExposureTest::revenue, rows -> (double) rows.size(), true),
            new Reference("avg_revenue", DaysSinceExposureTest::revenue,
                    rows -> (double) rows.stream().filter(row -> row.revenue() != null).count(), false),
            new Reference("buyers", rows -> rows.stream().anyMatch(row -> row.revenue() != null && row.revenue() > 4) ? 1.0 : 0.0,
                    rows -> 1.0, false));

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        List<Unit> exposures = new ArrayList<>(UNITS);
        exposures.addAll(OTHER_EXPOSURES);
        warehouse.execute("CREATE TABLE exposures AS SELECT * FROM (VALUES " + exposures.stream()
                .map(unit -> "('exp', '" + unit.group() + "', " + unit.org() + ", TIMESTAMP '" + timestamp(unit.exposure()) + "')")
                .collect(Collectors.joining(", ")) + ") AS t(exp_name, variant, org, ts)");
        warehouse.execute("CREATE TABLE events AS SELECT * FROM (VALUES " + EVENTS.stream()
                .map(row -> "(" + row.org() + ", TIMESTAMP '" + timestamp(row.ts()) + "', CAST("
                        + (row.revenue() == null ? "NULL" : row.revenue().toString()) + " AS DOUBLE))")
                .collect(Collectors.joining(", ")) + ") AS t(org, ts, revenue)");
        warehouse.execute("CREATE TABLE sessions AS SELECT * FROM (VALUES " + SESSIONS.stream()
                .map(row -> "(" + row.org() + ", TIMESTAMP '" + timestamp(row.ts()) + "')")
                .collect(Collectors.joining(", ")) + ") AS t(org, ts)");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static PulseConfig config() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events")),
                        metricSource("sessions", table("sessions"))),
                List.of(sum("revenue", "events", "revenue", null),
                        ratio("revenue_per_session", aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("sessions", AggregateFunction.COUNT_ROWS, null, null)),
                        mean("avg_revenue", "events", "revenue", null),
                        unitCount("buyers", "events", "revenue > 4")),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-05",
                        "revenue", "revenue_per_session", "avg_revenue", "buyers").withTimeseries(true)));
    }

    @Test
    void eachPointHasTheUnitsWhoseDayKEndedWithTheirValuesThroughIt() {
        List<ExposureDayMoments> points = MomentsFetcher.fetch(config(), EXP, warehouse).daysSinceExposure();
        assertEquals(List.of(0, 1, 2, 3, 4), points.stream().map(ExposureDayMoments::daysSinceExposure).toList());
        for (int k = 0; k < DAYS; k++) {
            ExposureDayMoments point = points.get(k);
            Map<String, List<Unit>> units = unitsAt(k);
            Map<String, Long> counts = new LinkedHashMap<>();
            units.forEach((group, list) -> counts.put(group, (long) list.size()));
            assertEquals(counts, point.units(), "units at k = " + k);
            for (Reference reference : REFERENCES) {
                Map<String, GroupMoments> actual = point.moments().get(new MetricName(reference.metric()));
                assertEquals(units.keySet(), actual.keySet(), reference.metric() + " groups at k = " + k);
                for (Map.Entry<String, List<Unit>> group : units.entrySet()) {
                    assertMoments(expected(reference, group.getValue(), k), actual.get(group.getKey()),
                            reference.metric() + " " + group.getKey() + " k = " + k);
                }
            }
        }
        // the pitfall, spelled out: the late org 4 is in k = 0 only, and k = 4 holds the units exposed on 03-01 only
        assertEquals(Map.of("control", 4L, "treat", 5L), points.get(0).units());
        assertEquals(Map.of("control", 3L, "treat", 5L), points.get(1).units());
        assertEquals(Map.of("control", 3L, "treat", 4L), points.get(2).units());
        assertEquals(Map.of("control", 1L, "treat", 2L), points.get(4).units());
        // equivalently: point k's units are those exposed by day (days − 1 − k), the calendar series' units then
        List<DailyMoments> days = MomentsFetcher.fetch(config(), EXP, warehouse).timeseries();
        for (int k = 0; k < DAYS; k++) {
            assertEquals(days.get(DAYS - 1 - k).units(), points.get(k).units(), "k = " + k);
        }
    }

    @Test
    void theComparisonsAreThoseOfTheReferenceMeans() throws Exception {
        ExperimentResult result = Analyzer.analyze(config(), EXP, warehouse);
        for (Reference reference : REFERENCES) {
            MetricResult metric = result.metrics().stream().filter(m -> m.metric().equals(reference.metric()))
                    .findFirst().orElseThrow();
            List<MetricResult.ExposureDayPoint> series = metric.daysSinceExposure().get("treat");
            assertEquals(DAYS, series.size(), reference.metric());
            for (int k = 0; k < DAYS; k++) {
                MetricResult.ExposureDayPoint point = series.get(k);
                Map<String, List<Unit>> units = unitsAt(k);
                GroupMoments control = expected(reference, units.get("control"), k);
                GroupMoments treatment = expected(reference, units.get("treat"), k);
                String what = reference.metric() + " k = " + k;
                assertEquals(k, point.daysSinceExposure(), what);
                assertEquals(control.n(), point.controlUnits(), what);
                assertEquals(treatment.n(), point.treatmentUnits(), what);
                double controlValue = control.meanX() / control.meanY();
                double treatmentValue = treatment.meanX() / treatment.meanY();
                assertClose(controlValue, point.comparison().controlMean(), what + " control");
                assertClose(treatmentValue, point.comparison().treatmentMean(), what + " treatment");
                assertClose(treatmentValue - controlValue, point.comparison().absolute().estimate(), what + " absolute");
                assertClose(treatmentValue / controlValue - 1, point.comparison().relative().estimate(), what + " relative");
            }
        }
        // the same comparisons are in the JSON, next to the calendar-day series
        JsonNode comparison = new ObjectMapper().readTree(JsonOutput.experiments(List.of(result)))
                .get("experiments").get(0).get("metrics").get(0).get("comparisons").get(0);
        assertTrue(comparison.has("timeseries"));
        JsonNode points = comparison.get("days_since_exposure");
        assertEquals(DAYS, points.size());
        int k = DAYS - 2;
        MetricResult.ExposureDayPoint point = result.metrics().get(0).daysSinceExposure().get("treat").get(k);
        assertEquals(k, points.get(k).get("days_since_exposure").asInt());
        assertEquals(point.controlUnits(), points.get(k).get("control_units").asLong());
        assertEquals(point.comparison().relative().estimate(), points.get(k).get("relative").get("estimate").asDouble());
        assertEquals(point.comparison().pValue(), points.get(k).get("p_value").asDouble());
        assertTrue(points.get(DAYS - 1).get("p_value").isNull());
    }

    /**
     * A point where a group has 1 unit keeps its estimate (checked against the reference above) but has no standard
     * error, interval or p-value, as a day of the calendar series.
     */
    @Test
    void aPointWithTooFewUnitsHasNoStatistics() {
        ExperimentResult result = Analyzer.analyze(config(), EXP, warehouse);
        for (MetricResult metric : result.metrics()) {
            // k = 4: the control has only org 1 (exposed on 03-01)
            MetricResult.ExposureDayPoint last = metric.daysSinceExposure().get("treat").get(DAYS - 1);
            assertEquals(1, last.controlUnits(), metric.metric());
            assertNull(last.comparison().pValue(), metric.metric());
            assertNull(last.comparison().relative().stdError(), metric.metric());
            assertNull(last.comparison().absolute().lower(), metric.metric());
        }
    }

    /** The units of each group whose day k ended by the end: exposure day + k ≤ the last day. */
    private static Map<String, List<Unit>> unitsAt(int k) {
        Map<String, List<Unit>> byGroup = new LinkedHashMap<>();
        for (Unit unit : UNITS) {
            if (exposureDay(unit) + k <= DAYS - 1) {
                byGroup.computeIfAbsent(unit.group(), group -> new ArrayList<>()).add(unit);
            }
        }
        return byGroup;
    }

    /** The moments of the units' (X, Y) over their rows in [first exposure, end of their day k), sample variances. */
    private static GroupMoments expected(Reference reference, List<Unit> units, int k) {
        int n = units.size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            Unit unit = units.get(i);
            LocalDateTime until = START.atStartOfDay().plusDays(exposureDay(unit) + k + 1L);
            Predicate<Row> inWindow = row -> row.org() == unit.org() && !row.ts().isBefore(unit.exposure())
                    && row.ts().isBefore(until);
            List<Row> events = EVENTS.stream().filter(inWindow).toList();
            List<Row> sessions = SESSIONS.stream().filter(inWindow).toList();
            x[i] = reference.x().apply(events);
            y[i] = reference.y().apply(reference.sessionsY() ? sessions : events);
        }
        double meanX = java.util.Arrays.stream(x).sum() / n;
        double meanY = java.util.Arrays.stream(y).sum() / n;
        double varX = 0;
        double varY = 0;
        double cov = 0;
        for (int i = 0; i < n; i++) {
            varX += (x[i] - meanX) * (x[i] - meanX);
            varY += (y[i] - meanY) * (y[i] - meanY);
            cov += (x[i] - meanX) * (y[i] - meanY);
        }
        return n < 2 ? new GroupMoments(n, meanX, meanY, 0, 0, 0)
                : new GroupMoments(n, meanX, meanY, varX / (n - 1), varY / (n - 1), cov / (n - 1));
    }

    private static void assertMoments(GroupMoments expected, GroupMoments shifted, String what) {
        GroupMoments actual = shifted.withShift(0);
        assertEquals(expected.n(), actual.n(), what + " n");
        assertClose(expected.meanX(), actual.meanX(), what + " mean X");
        assertClose(expected.meanY(), actual.meanY(), what + " mean Y");
        if (expected.n() >= 2) {
            assertClose(expected.varX(), actual.varX(), what + " var X");
            assertClose(expected.varY(), actual.varY(), what + " var Y");
            assertClose(expected.covXY(), actual.covXY(), what + " cov XY");
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, RELATIVE * Math.max(1, Math.abs(expected)), what);
    }

    private static double revenue(List<Row> rows) {
        return rows.stream().filter(row -> row.revenue() != null).mapToDouble(Row::revenue).sum();
    }

    private static int exposureDay(Unit unit) {
        return (int) ChronoUnit.DAYS.between(START, unit.exposure().toLocalDate());
    }

    private static LocalDateTime at(String monthDayTime) {
        return LocalDateTime.parse("2026-" + monthDayTime.replace(' ', 'T'));
    }

    private static String timestamp(LocalDateTime time) {
        return time.toString().replace('T', ' ') + ":00";
    }
}
