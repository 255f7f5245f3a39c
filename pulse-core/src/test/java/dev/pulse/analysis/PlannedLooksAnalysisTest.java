package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PlannedLooks;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.CsvOutput;
import dev.pulse.output.JsonOutput;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.GroupSequential;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Planned looks through the whole analysis in in-memory DuckDB (docs/analysis-options.md#planned-looks).
 * The experiment starts 2026-03-01 with looks on 03-08, 03-15 and 03-29: calendar fractions 8/29, 15/29 and
 * 29/29. 400 orgs, org u in group control (u even) or treat (u odd), first exposed on 03-01 + (u mod 20)
 * days; revenue (u·37 mod 101)/10 an hour after exposure, plus 1.5 in treat; clicks (u·53 mod 7) with no
 * effect. The method adds no SQL: the same moments, the boundaries and decision computed from them.
 */
class PlannedLooksAnalysisTest {
    private static final ExperimentName EXP = new ExperimentName("exp");
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Two-sided α = 0.05, O'Brien–Fleming type, fractions 8/29, 15/29, 1: the boundaries of
     * pulse-stats/src/test/resources/reference/group_sequential_reference.json, case calendar_looks_two_sided
     * (scipy's multivariate normal, make_reference_group_sequential.py).
     */
    private static final double[] REFERENCE_BOUNDARIES = {4.110183354, 2.907310305, 1.970290339};

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS
                SELECT 'exp' AS exp_name, CASE WHEN u % 2 = 0 THEN 'control' ELSE 'treat' END AS variant, u AS org,
                       TIMESTAMP '2026-03-01 00:00:00' + INTERVAL (u % 20) DAY AS ts
                FROM range(1, 401) AS t(u)""");
        warehouse.execute("""
                CREATE TABLE events AS
                SELECT u AS org, TIMESTAMP '2026-03-01 01:00:00' + INTERVAL (u % 20) DAY AS ts,
                       CAST((u * 37) % 101 AS DOUBLE) / 10 + CASE WHEN u % 2 = 1 THEN 1.5 ELSE 0 END AS revenue,
                       CAST((u * 53) % 7 AS DOUBLE) AS clicks
                FROM range(1, 401) AS t(u)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    /** The fixture of {@link EngineEquivalenceTest}: look 2 of 3. */
    PulseConfig config() {
        return config("2026-03-15", PlannedLooks.Spending.OBRIEN_FLEMING);
    }

    private static PulseConfig config(String end, PlannedLooks.Spending spending) {
        Experiment experiment = experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", end,
                "revenue", "clicks");
        PlannedLooks looks = new PlannedLooks(List.of(LocalDate.parse("2026-03-08"), LocalDate.parse("2026-03-15"),
                LocalDate.parse("2026-03-29")), spending);
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                List.of(sum("revenue", "events", "revenue", null), sum("clicks", "events", "clicks", null)),
                List.of(experiment.withOptions(AnalysisOptions.DEFAULT.withPlannedLooks(looks))));
    }

    @Test
    void atALookTheDecisionAndRepeatedIntervalComeFromTheBoundary() {
        ExperimentResult result = Analyzer.analyze(config(), EXP, warehouse);
        for (MetricResult metric : result.metrics()) {
            MetricResult.GroupComparison comparison = metric.comparisons().get(0);
            MetricResult.PlannedLookResult planned = comparison.plannedLooks().orElseThrow();
            assertEquals(LookPosition.Status.AT_LOOK, planned.position().status());
            assertEquals(2, planned.position().look());
            assertEquals(List.of(8.0 / 29, 15.0 / 29, 1.0), planned.position().fractions());
            for (int k = 0; k < 3; k++) {
                assertEquals(REFERENCE_BOUNDARIES[k], planned.design().looks().get(k).boundary(), 1e-6, "boundary " + k);
            }
            Comparison decision = comparison.decision();
            double estimate = decision.absolute().estimate();
            double error = decision.absolute().stdError();
            double c = planned.design().looks().get(1).boundary();
            GroupSequential.Result look = planned.result().orElseThrow();
            assertEquals(estimate / error, look.zStatistic(), 1e-12);
            assertEquals(Math.abs(estimate / error) >= c, look.crossed());
            assertEquals(estimate - c * error, look.absolute().lower(), 1e-12);
            assertEquals(estimate + c * error, look.absolute().upper(), 1e-12);
            double relative = decision.relative().estimate();
            assertEquals(relative - c * decision.relative().stdError(), look.relative().lower(), 1e-12);
            assertTrue(planned.warnings().isEmpty(), planned.warnings().toString());
        }
        // revenue has an effect that crosses at look 2; clicks has none
        assertTrue(result.metrics().get(0).comparisons().get(0).plannedLooks().orElseThrow().result().orElseThrow().crossed());
        assertFalse(result.metrics().get(1).comparisons().get(0).plannedLooks().orElseThrow().result().orElseThrow().crossed());
    }

    /** No new SQL: the statement is the one without planned looks, character for character. */
    @Test
    void theStatementIsUnchanged() {
        PulseConfig with = config();
        Experiment plain = with.experiment(EXP).withOptions(AnalysisOptions.DEFAULT);
        PulseConfig without = TestModel.config(List.copyOf(with.sources().values()), List.copyOf(with.metrics().values()),
                List.of(plain));
        assertEquals(Analyzer.analyze(without, EXP, warehouse).sql(), Analyzer.analyze(with, EXP, warehouse).sql());
    }

    @Test
    void offALookThereIsNoDecisionAndTheOutputsSayWhy() throws Exception {
        String[][] cases = {
                {"2026-03-05", "before_first_look", "0", "before the first planned look (2026-03-08)"},
                {"2026-03-12", "between_looks", "1", "end is between planned looks 1 (2026-03-08) and 2 (2026-03-15)"},
                {"2026-03-30", "after_last_look", "3", "end is after the last planned look (2026-03-29)"}};
        for (String[] c : cases) {
            ExperimentResult result = Analyzer.analyze(config(c[0], PlannedLooks.Spending.POCOCK), EXP, warehouse);
            JsonNode planned = JSON.readTree(JsonOutput.experiments(List.of(result)))
                    .at("/experiments/0/metrics/0/comparisons/0/planned_looks");
            assertEquals(c[1], planned.get("status").asText(), c[0]);
            assertEquals(Integer.parseInt(c[2]), planned.get("look").asInt(), c[0]);
            assertTrue(planned.get("crossed").isNull() && planned.get("z").isNull() && planned.get("absolute").isNull());
            assertEquals("pocock", planned.get("spending").asText());
            assertEquals(3, planned.get("looks").size());
            assertTrue(planned.get("warnings").get(0).asText().startsWith(c[3]), planned.get("warnings").toString());
        }
    }

    @Test
    void jsonAndCsvCarryTheLook() throws Exception {
        ExperimentResult result = Analyzer.analyze(config(), EXP, warehouse);
        JsonNode planned = JSON.readTree(JsonOutput.experiments(List.of(result)))
                .at("/experiments/0/metrics/0/comparisons/0/planned_looks");
        assertEquals("at_look", planned.get("status").asText());
        assertEquals("2026-03-15", planned.at("/looks/1/date").asText());
        assertEquals(REFERENCE_BOUNDARIES[1], planned.at("/looks/1/boundary").asDouble(), 1e-6);
        assertTrue(planned.get("crossed").asBoolean());
        String csv = CsvOutput.experiments(List.of(result));
        String[] header = csv.split("\r\n")[0].split(",");
        String[] row = csv.split("\r\n")[1].split(",", -1);
        assertEquals(header.length, row.length);
        int status = List.of(header).indexOf("planned_look_status");
        assertEquals("at_look", row[status]);
        assertEquals("2", row[List.of(header).indexOf("planned_look")]);
        assertEquals("true", row[List.of(header).indexOf("planned_look_crossed")]);
    }
}
