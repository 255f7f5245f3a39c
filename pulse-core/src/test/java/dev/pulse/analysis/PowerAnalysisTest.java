package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.ORG;
import static dev.pulse.plan.TestModel.aggregate;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.parquet;
import static dev.pulse.plan.TestModel.query;
import static dev.pulse.plan.TestModel.ratio;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.AggregateFunction;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Group;
import dev.pulse.model.Direction;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.SourceName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power and MDE on a small hand-computed history in in-memory DuckDB.
 *
 * <p>Experiment {@code exp} runs 2026-03-01 to 03-04 (4 days), so the default window is 02-25 to 02-28.
 * Rows (org: events revenue | sessions) inside it, and the traps around it:
 * <ul>
 *   <li>1: revenue 10 (02-25 10:00) + 20 (02-26) | sessions 02-25 08:00 and 02-27 → X = 30, Y = 2</li>
 *   <li>2: revenue 5 (02-27) and a NULL revenue (02-28) | one session 02-27 → X = 5, Y = 1</li>
 *   <li>5: no event | one session 02-28 → X = 0, Y = 1 (in the population through sessions only)</li>
 *   <li>6: revenue 7 (02-26) | no session → X = 7, Y = 0</li>
 *   <li>3: revenue 100 and a session on 02-24 23:59:59 — before the window: not a historical unit</li>
 *   <li>4: revenue 1000 on 03-01 00:00 — the experiment's first day: not a historical unit</li>
 *   <li>a row with a NULL org — ignored</li>
 * </ul>
 * The exposures table does not exist: the history never reads the assignment.
 *
 * <p>By hand, n = 4. revenue (Y ≡ 1): X = 30, 5, 0, 7, x̄ = 10.5, deviations 19.5, −5.5, −10.5, −3.5,
 * s_xx = (380.25 + 30.25 + 110.25 + 12.25)/3 = 533/3, σ = 13.329166015. revenue_per_session: ȳ = 1,
 * R = 10.5, linearized x − R·y = 9, −5.5, −10.5, 7 (mean 0), σ² = (81 + 30.25 + 110.25 + 49)/3 = 270.5/3,
 * σ = 9.495613022 (the same as (s_xx − 2R s_xy + R² s_yy)/ȳ² with s_xy = 23/3, s_yy = 2/3).
 *
 * <p>MDE = (z_{1−α/2} + z_{power})·σ·√(1/n_c + 1/n_t) with z_{0.975} = 1.959964 and z_{0.8} = 0.841621
 * (standard normal table), k = 2.801585. Planned: the 4 historical units split 2 + 2, so √(1/2 + 1/2) = 1:
 * revenue MDE = 2.801585 · 13.329166015 = 37.342791571, relative /10.5 = 3.556456340;
 * revenue_per_session MDE = 2.801585 · 9.495613022 = 26.602767009, relative 2.533596858.
 */
class PowerAnalysisTest {
    private static final double K = 1.959964 + 0.841621;
    private static final double SIGMA_REVENUE = Math.sqrt(533.0 / 3.0);
    private static final double SIGMA_RATIO = Math.sqrt(270.5 / 3.0);
    private static final double TABLE_TOLERANCE = 1e-6;

    @TempDir
    Path temp;

    private Warehouse warehouse;
    private Path sessionsFile;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE events_raw AS SELECT * FROM (VALUES
                  (1, TIMESTAMP '2026-02-25 10:00:00', 10.0),
                  (1, TIMESTAMP '2026-02-26 10:00:00', 20.0),
                  (2, TIMESTAMP '2026-02-27 10:00:00', 5.0),
                  (2, TIMESTAMP '2026-02-28 23:59:59', NULL),
                  (6, TIMESTAMP '2026-02-26 11:00:00', 7.0),
                  (3, TIMESTAMP '2026-02-24 23:59:59', 100.0),
                  (4, TIMESTAMP '2026-03-01 00:00:00', 1000.0),
                  (NULL, TIMESTAMP '2026-02-26 00:00:00', 999.0)
                ) AS t(org, ts, revenue)""");
        sessionsFile = temp.resolve("sessions.parquet");
        warehouse.execute("""
                COPY (SELECT * FROM (VALUES
                  (1, TIMESTAMP '2026-02-25 08:00:00'),
                  (1, TIMESTAMP '2026-02-27 09:00:00'),
                  (2, TIMESTAMP '2026-02-27 09:00:00'),
                  (5, TIMESTAMP '2026-02-28 12:00:00'),
                  (3, TIMESTAMP '2026-02-24 23:59:59')
                ) AS t(org, ts)) TO '%s' (FORMAT parquet)""".formatted(sessionsFile));
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private PulseConfig config(String sessionsLocation) {
        Experiment arms = Experiment.builder().name(new ExperimentName("arms")).assignment(new SourceName("exposures"))
                .unit(ORG).control("control")
                .groups(List.of(new Group("control", 0.5), new Group("a", 0.25), new Group("b", 0.25)))
                .start(LocalDate.parse("2026-03-01")).end(LocalDate.parse("2026-03-04")).alpha(0.05)
                .metrics(List.of(new MetricName("revenue"), new MetricName("revenue_per_session"))).build();
        return dev.pulse.plan.TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        // a sql source ending in a line comment: the population must still close its parenthesis
                        metricSource("events", query("SELECT org, ts, revenue FROM events_raw -- every row")),
                        metricSource("sessions", parquet(sessionsLocation))),
                List.of(sum("revenue", "events", "revenue", null),
                        sum("revenue_up", "events", "revenue", null)
                                .withOptions(new MetricOptions(Direction.INCREASE, Optional.empty())),
                        ratio("revenue_per_session",
                                aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("sessions", AggregateFunction.COUNT_ROWS, null, null))),
                List.of(dev.pulse.plan.TestModel.experiment("exp", "exposures", List.of("control", "treat"),
                                "2026-03-01", "2026-03-04", "revenue", "revenue_per_session"),
                        arms,
                        dev.pulse.plan.TestModel.experiment("up", "exposures", List.of("control", "treat"),
                                "2026-03-01", "2026-03-04", "revenue_up", "revenue_per_session")));
    }

    private PowerResult analyze(String experiment, PowerRequest.Choices choices) {
        PulseConfig config = config(sessionsFile.toString());
        PowerRequest request = PowerRequest.forExperiment(config, new ExperimentName(experiment), choices);
        return PowerAnalysis.analyze(config, request, warehouse);
    }

    private static PowerRequest.Choices choices(Long units, Double effect) {
        return new PowerRequest.Choices(List.of(), Optional.empty(), Optional.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), units == null ? OptionalLong.empty() : OptionalLong.of(units),
                effect == null ? OptionalDouble.empty() : OptionalDouble.of(effect));
    }

    private static void assertClose(double expected, Double actual, double tolerance, String what) {
        assertTrue(actual != null && Math.abs(actual - expected) <= tolerance * Math.max(1.0, Math.abs(expected)),
                what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void defaultWindowPopulationAndMomentsByHand() {
        PowerResult result = analyze("exp", PowerRequest.Choices.defaults());
        assertEquals(LocalDate.parse("2026-02-25"), result.from());
        assertEquals(LocalDate.parse("2026-02-28"), result.to());
        assertEquals(4, result.windowDays());
        assertEquals(4, result.historicalUnits(), "orgs 1, 2, 5, 6");
        assertEquals(1.0, result.unitsPerDay(), 1e-15);
        assertEquals(4, result.plannedUnits(), "default: the historical units");

        PowerResult.MetricPower revenue = result.metrics().get(0);
        assertEquals("revenue", revenue.metric());
        assertClose(10.5, revenue.mean(), 1e-12, "revenue mean");
        assertClose(SIGMA_REVENUE, revenue.standardDeviation(), 1e-12, "revenue σ");
        PowerResult.ComparisonPower comparison = revenue.comparisons().get(0);
        assertEquals("treat", comparison.group());
        assertEquals(2.0, comparison.controlUnits(), 0.0);
        assertEquals(2.0, comparison.treatmentUnits(), 0.0);
        assertClose(SIGMA_REVENUE, comparison.standardError(), 1e-12, "SE = σ·√(1/2 + 1/2)");
        assertClose(37.342791571, comparison.mdeAbsolute(), TABLE_TOLERANCE, "revenue MDE");
        assertClose(K * SIGMA_REVENUE, comparison.mdeAbsolute(), TABLE_TOLERANCE, "revenue MDE, closed form");
        assertClose(3.556456340, comparison.mdeRelative(), TABLE_TOLERANCE, "revenue relative MDE");
        assertTrue(comparison.needed().isEmpty(), "no target effect, no sample size");

        PowerResult.MetricPower ratio = result.metrics().get(1);
        assertEquals("ratio", ratio.type());
        assertClose(10.5, ratio.mean(), 1e-12, "revenue per session");
        assertClose(SIGMA_RATIO, ratio.standardDeviation(), 1e-12, "ratio σ (linearized)");
        assertClose(26.602767009, ratio.comparisons().get(0).mdeAbsolute(), TABLE_TOLERANCE, "ratio MDE");
        assertClose(2.533596858, ratio.comparisons().get(0).mdeRelative(), TABLE_TOLERANCE, "ratio relative MDE");
        assertTrue(ratio.warnings().isEmpty(), ratio.warnings().toString());
    }

    /**
     * Three arms (control ½, a ¼, b ¼), the same metrics, so the same population; 400 planned units: each comparison uses n_c = 200, n_t = 100, MDE =
     * 2.801585 · 13.329166015 · √(1/200 + 1/100) = 4.573539246. For +10 % (δ = 1.05) the pair's treatment share is
     * w = ¼/¾ = ⅓: N = k²σ²/(w(1 − w)δ²) = 5691.77 → n_c = ⌈3794.51⌉ = 3795, n_t = ⌈1897.26⌉ = 1898; the
     * experiment needs ⌈5693/0.75⌉ = ⌈7590.67⌉ = 7591 units, at 1 new unit a day 7591 days.
     */
    @Test
    void multipleArmsUseTheControlAndTreatmentShares() {
        PowerResult result = analyze("arms", choices(400L, 0.1));
        PowerResult.MetricPower revenue = result.metrics().get(0);
        assertEquals(2, revenue.comparisons().size());
        for (PowerResult.ComparisonPower comparison : revenue.comparisons()) {
            assertEquals(200.0, comparison.controlUnits(), 0.0);
            assertEquals(100.0, comparison.treatmentUnits(), 0.0);
            assertClose(4.573539246, comparison.mdeAbsolute(), TABLE_TOLERANCE, comparison.group() + " MDE");
            PowerResult.Needed needed = comparison.needed().orElseThrow();
            assertClose(1.05, needed.absoluteEffect(), 1e-12, "δ");
            assertEquals(3795, needed.controlUnits());
            assertEquals(1898, needed.treatmentUnits());
            assertEquals(7591, needed.experimentUnits());
            assertEquals(7591, needed.days());
        }
    }

    /** Two equal arms, +10 %: N = k²σ²/(¼·1.05²) = 5059.35 → 2530 + 2530 = 5060 units, 5060 days. */
    @Test
    void unitsAndDaysForATargetEffect() {
        PowerResult.Needed needed = analyze("exp", choices(null, 0.1)).metrics().get(0).comparisons().get(0)
                .needed().orElseThrow();
        assertEquals(2530, needed.controlUnits());
        assertEquals(2530, needed.treatmentUnits());
        assertEquals(5060, needed.experimentUnits());
        assertEquals(5060, needed.days());
    }

    @Test
    void theMdeAsTargetNeedsThePlannedUnits() {
        PowerResult planned = analyze("exp", choices(1000L, null));
        for (PowerResult.MetricPower metric : planned.metrics()) {
            double relative = metric.comparisons().get(0).mdeRelative();
            PowerResult.Needed needed = analyze("exp", choices(1000L, relative)).metrics().stream()
                    .filter(m -> m.metric().equals(metric.metric())).findFirst().orElseThrow()
                    .comparisons().get(0).needed().orElseThrow();
            assertEquals(1000, needed.experimentUnits(), metric.metric());
        }
    }

    /** A metric hoped to increase is planned one-sided: k = z_{0.95} + z_{0.8} = 1.644854 + 0.841621 (table). */
    @Test
    void oneSidedMetricsUseTheOneSidedQuantile() {
        PowerResult.MetricPower up = analyze("up", PowerRequest.Choices.defaults()).metrics().get(0);
        assertEquals("increase", up.direction());
        assertClose((1.644854 + 0.841621) * SIGMA_REVENUE, up.comparisons().get(0).mdeAbsolute(), TABLE_TOLERANCE,
                "one-sided MDE");
    }

    @Test
    void anEmptyWindowIsBadInputWithAHint() {
        PowerRequest.Choices choices = new PowerRequest.Choices(List.of(), Optional.of(LocalDate.parse("2025-01-01")),
                Optional.of(LocalDate.parse("2025-01-31")), OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalLong.empty(), OptionalDouble.empty());
        PulseException e = assertThrows(PulseException.class, () -> analyze("exp", choices));
        assertEquals(PulseException.Category.INPUT_INVALID, e.category());
        assertTrue(e.getMessage().contains("no historical units") && e.getMessage().contains("--from"), e.getMessage());
    }

    @Test
    void aMissingSourceIsAWarehouseFailureNamingIt() {
        PulseConfig config = config(temp.resolve("missing.parquet").toString());
        PowerRequest request = PowerRequest.forExperiment(config, new ExperimentName("exp"),
                PowerRequest.Choices.defaults());
        PulseException e = assertThrows(PulseException.class, () -> PowerAnalysis.analyze(config, request, warehouse));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, e.category());
        assertTrue(e.getMessage().startsWith("source 'sessions' ("), e.getMessage());
    }

    @Test
    void windowRulesAndBadChoices() {
        PulseConfig config = config(sessionsFile.toString());
        ExperimentName exp = new ExperimentName("exp");
        PowerRequest onlyTo = PowerRequest.forExperiment(config, exp, new PowerRequest.Choices(List.of(),
                Optional.empty(), Optional.of(LocalDate.parse("2026-01-31")), OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), OptionalDouble.empty()));
        assertEquals(LocalDate.parse("2026-01-28"), onlyTo.from(), "as many days as the experiment");
        assertEquals(0.05, onlyTo.alpha(), 0.0);
        assertEquals(0.8, onlyTo.power(), 0.0);
        assertThrows(PulseException.class, () -> PowerRequest.forExperiment(config, new ExperimentName("nope"),
                PowerRequest.Choices.defaults()));
        assertThrows(PulseException.class, () -> PowerRequest.forExperiment(config, exp, new PowerRequest.Choices(
                List.of(), Optional.empty(), Optional.empty(), OptionalDouble.of(1.5), OptionalDouble.empty(),
                OptionalLong.empty(), OptionalDouble.empty())));
        assertThrows(PulseException.class, () -> PowerRequest.forExperiment(config, exp, new PowerRequest.Choices(
                List.of(), Optional.empty(), Optional.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalLong.empty(), OptionalDouble.of(0.0))));
        assertThrows(PulseException.class, () -> PowerRequest.forExperiment(config, exp, new PowerRequest.Choices(
                List.of(new MetricName("nope")), Optional.empty(), Optional.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), OptionalDouble.empty())));
    }

    @Test
    void theStatementIsTheExperimentPlanOverThePopulation() {
        PulseConfig config = config(sessionsFile.toString());
        String sql = PowerAnalysis.sql(config, PowerRequest.forExperiment(config, new ExperimentName("exp"),
                PowerRequest.Choices.defaults()));
        assertTrue(sql.contains("UNION ALL"), sql);
        assertTrue(sql.contains("TIMESTAMP '2026-02-25 00:00:00'") && sql.contains("TIMESTAMP '2026-03-01 00:00:00'"), sql);
        assertTrue(!sql.contains("FROM \"exposures\" AS \"src\""), "the assignment is not read:\n" + sql);
    }
}
