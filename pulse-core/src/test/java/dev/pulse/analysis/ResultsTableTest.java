package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.stats.Comparison;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The long-form results table: every figure of the results, replaced per experiment in one transaction. */
class ResultsTableTest {
    private static final ExperimentName EXP = new ExperimentName("exp");
    private static final TableName TABLE = new TableName(List.of("reporting", "pulse_results"));
    private static final String CONTENT = """
            SELECT experiment, metric, group_name, statistic, value FROM reporting.pulse_results
            ORDER BY ALL""";

    private Warehouse warehouse;

    @BeforeEach
    void open() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        StagingTest.createData(warehouse);
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private ExperimentResult analyze(boolean cuped) {
        return Analyzer.analyze(StagingTest.config(cuped, WarehouseConfig.inMemoryDuckDb()), EXP, warehouse);
    }

    @Test
    void rowsCarryTheFiguresOfTheResults() {
        ExperimentResult result = analyze(false);
        Map<String, Double> figures = ResultsTable.rows(result).stream()
                .filter(row -> "revenue_per_user".equals(row.metric()) && "treat".equals(row.group()))
                .collect(Collectors.toMap(ResultsTable.Row::statistic, row -> row.value() == null ? Double.NaN : row.value()));
        Comparison comparison = result.metrics().get(1).comparisons().get(0).statistics();
        assertEquals(comparison.treatmentMean(), figures.get("mean"));
        assertEquals((double) comparison.treatmentUnits(), figures.get("units"));
        assertEquals(comparison.absolute().estimate(), figures.get("absolute_estimate"));
        assertEquals(comparison.absolute().lower(), figures.get("absolute_ci_lower"));
        assertEquals(comparison.relative().upper(), figures.get("relative_ci_upper"));
        assertEquals(comparison.pValue(), figures.get("p_value"));
        assertEquals(List.of("units", "mean", "absolute_estimate", "absolute_std_error", "absolute_ci_lower",
                "absolute_ci_upper", "relative_estimate", "relative_std_error", "relative_ci_lower", "relative_ci_upper",
                "degrees_of_freedom", "p_value", "significant", "decision_significant"),
                ResultsTable.rows(result).stream()
                        .filter(row -> "revenue_per_user".equals(row.metric()) && "treat".equals(row.group()))
                        .map(ResultsTable.Row::statistic).toList());
        List<ResultsTable.Row> experimentLevel = ResultsTable.rows(result).stream()
                .filter(row -> row.metric() == null && row.group() == null).toList();
        assertEquals(List.of("alpha", "excluded_multiple_groups", "excluded_unknown_group", "srm_chi_square",
                "srm_p_value", "srm_passed"), experimentLevel.stream().map(ResultsTable.Row::statistic).toList());
        assertEquals(1.0, experimentLevel.get(1).value(), "org 6 is in both groups");
        assertEquals(result.srm().orElseThrow().pValue(), experimentLevel.get(4).value());
        // the control's value per metric
        assertTrue(ResultsTable.rows(result).stream().anyMatch(row -> "control".equals(row.group())
                && "revenue_per_user".equals(row.metric()) && row.statistic().equals("mean")
                && row.value().equals(comparison.controlMean())));
    }

    @Test
    void cupedFiguresArePresentWithCuped() {
        ExperimentResult result = analyze(true);
        MetricResult.CupedResult cuped = result.metrics().get(0).comparisons().get(0).cuped().orElseThrow();
        ResultsTable.Row theta = ResultsTable.rows(result).stream()
                .filter(row -> "revenue".equals(row.metric()) && row.statistic().equals("cuped_theta")).findFirst().orElseThrow();
        assertEquals(cuped.theta(), theta.value());
        assertTrue(ResultsTable.rows(result).stream().anyMatch(row -> row.statistic().equals("cuped_p_value")));
    }

    @Test
    void writingAgainReplacesTheExperimentsRowsAndKeepsOtherExperiments() {
        ExperimentResult result = analyze(false);
        ResultsTable.write(TABLE, "run-1", Instant.parse("2026-04-01T10:00:00Z"), List.of(result), warehouse);
        warehouse.execute("INSERT INTO reporting.pulse_results VALUES "
                + "('run-0', TIMESTAMP '2026-03-01 00:00:00', 'older', NULL, NULL, 'alpha', 0.05)");
        QueryResult first = warehouse.query(CONTENT);
        assertEquals(ResultsTable.rows(result).size() + 1, first.rows().size());

        ResultsTable.write(TABLE, "run-2", Instant.parse("2026-04-02T10:00:00Z"), List.of(analyze(false)), warehouse);
        assertEquals(first.rows(), warehouse.query(CONTENT).rows(), "the same analysis gives the same rows");
        assertEquals(List.of("run-0", "run-2"), warehouse.query(
                "SELECT DISTINCT run_id FROM reporting.pulse_results ORDER BY 1").rows().stream()
                .map(row -> row.getString("run_id")).toList());
        assertEquals("2026-04-02 10:00:00", warehouse.query("SELECT CAST(MAX(run_at) AS VARCHAR) AS t FROM "
                + "reporting.pulse_results WHERE experiment = 'exp'").rows().get(0).getString("t"));
    }

    @Test
    void aFailedWriteLeavesThePreviousRowsAndNamesTheTable() {
        ExperimentResult result = analyze(false);
        warehouse.execute("CREATE SCHEMA reporting");
        // the table as Pulse makes it, plus a check that fails on the second run's inserts only
        warehouse.execute("""
                CREATE TABLE reporting.pulse_results (run_id VARCHAR CHECK (run_id <> 'bad'), run_at TIMESTAMP,
                  experiment VARCHAR, metric VARCHAR, group_name VARCHAR, statistic VARCHAR, value DOUBLE)""");
        ResultsTable.write(TABLE, "good", Instant.parse("2026-04-01T10:00:00Z"), List.of(result), warehouse);
        QueryResult before = warehouse.query(CONTENT);

        PulseException failure = assertThrows(PulseException.class, () ->
                ResultsTable.write(TABLE, "bad", Instant.parse("2026-04-02T10:00:00Z"), List.of(result), warehouse));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertTrue(failure.getMessage().startsWith("cannot write results table reporting.pulse_results"), failure.getMessage());
        assertEquals(before.rows(), warehouse.query(CONTENT).rows(), "the delete before the failed insert is rolled back");
        assertEquals(List.of("good"), warehouse.query("SELECT DISTINCT run_id FROM reporting.pulse_results")
                .rows().stream().map(row -> row.getString("run_id")).toList());
    }
}
