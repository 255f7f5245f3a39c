package dev.pulse.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.analysis.ResultsTable;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The figures of a run from the results table's rows, their comparison, and reading them back with a bound name. */
class RunComparisonTest {

    /** One run's rows: revenue (CUPED) and clicks (plain), control and treatment, an SRM test. */
    private static List<ResultsTable.Row> rows(String experiment, double lift, double pValue, boolean significant,
                                               long treatmentUnits, boolean srmPassed, boolean withClicks) {
        List<ResultsTable.Row> rows = new ArrayList<>();
        rows.add(new ResultsTable.Row(experiment, null, null, "srm_p_value", srmPassed ? 0.4 : 0.0001));
        rows.add(new ResultsTable.Row(experiment, null, null, "srm_passed", srmPassed ? 1.0 : 0.0));
        rows.add(new ResultsTable.Row(experiment, null, "control", "units", 100.0));
        rows.add(new ResultsTable.Row(experiment, null, "treatment", "units", (double) treatmentUnits));
        rows.add(new ResultsTable.Row(experiment, "revenue", "control", "units", 100.0));
        rows.add(new ResultsTable.Row(experiment, "revenue", "control", "mean", 2.0));
        rows.add(new ResultsTable.Row(experiment, "revenue", "treatment", "units", (double) treatmentUnits));
        rows.add(new ResultsTable.Row(experiment, "revenue", "treatment", "relative_estimate", 0.5));
        rows.add(new ResultsTable.Row(experiment, "revenue", "treatment", "p_value", 0.9));
        rows.add(new ResultsTable.Row(experiment, "revenue", "treatment", "cuped_relative_estimate", lift));
        rows.add(new ResultsTable.Row(experiment, "revenue", "treatment", "cuped_relative_ci_lower", lift - 0.1));
        rows.add(new ResultsTable.Row(experiment, "revenue", "treatment", "cuped_relative_ci_upper", null));
        rows.add(new ResultsTable.Row(experiment, "revenue", "treatment", "cuped_p_value", pValue));
        rows.add(new ResultsTable.Row(experiment, "revenue", "treatment", "decision_significant", significant ? 1.0 : 0.0));
        if (withClicks) {
            rows.add(new ResultsTable.Row(experiment, "clicks", "control", "units", 100.0));
            rows.add(new ResultsTable.Row(experiment, "clicks", "treatment", "relative_estimate", 0.01));
            rows.add(new ResultsTable.Row(experiment, "clicks", "treatment", "p_value", 0.5));
            rows.add(new ResultsTable.Row(experiment, "clicks", "treatment", "decision_significant", 0.0));
        }
        return rows;
    }

    @Test
    void theFiguresAreTheDecisionComparisonsCupedAdjustedWherePresent() {
        RunFigures figures = RunFigures.fromRows(rows("exp", 0.05, 0.01, true, 110, true, true));
        RunFigures.MetricFigures revenue = figures.metrics().get(0);
        assertEquals("revenue", revenue.metric());
        assertEquals("control", revenue.control());
        assertEquals(0.05, revenue.lift());
        assertEquals(0.05 - 0.1, revenue.lower());
        assertNull(revenue.upper());
        assertEquals(0.01, revenue.pValue());
        assertTrue(revenue.significant() && revenue.cupedAdjusted());
        assertEquals(110L, revenue.treatmentUnits());
        assertEquals(0.01, figures.metrics().get(1).lift());
        assertFalse(figures.metrics().get(1).cupedAdjusted());
        assertEquals(List.of("control", "treatment"), List.copyOf(figures.units().keySet()));
    }

    @Test
    void theComparisonSaysWhatChangedAndByHowMuch() {
        RunFigures previous = RunFigures.fromRows(rows("exp", 0.02, 0.2, false, 100, true, true));
        RunFigures current = RunFigures.fromRows(rows("exp", 0.05, 0.01, true, 130, false, false));
        RunComparison comparison = RunComparison.of(current, previous);
        RunComparison.MetricChange revenue = comparison.metrics().get(0);
        assertEquals(0.05 - 0.02, revenue.lift().change());
        assertEquals(0.01 - 0.2, revenue.pValue().change());
        assertNull(revenue.upper().change());
        assertEquals(RunComparison.Flip.BECAME_YES, revenue.significance());
        assertEquals(30.0, revenue.treatmentUnits().change());
        assertTrue(revenue.highlighted());
        RunComparison.MetricChange clicks = comparison.metrics().get(1);
        assertTrue(clicks.current().isEmpty() && clicks.previous().isPresent() && clicks.highlighted());
        assertEquals(RunComparison.Flip.BECAME_NO, comparison.srm());
        assertEquals(30.0, comparison.units().get(1).units().change());
        // the other way round, every change flips its sign and the decision flips back
        RunComparison back = RunComparison.of(previous, current);
        assertEquals(RunComparison.Flip.BECAME_NO, back.metrics().get(0).significance());
        assertEquals(-30.0, back.metrics().get(0).treatmentUnits().change());
        assertEquals(RunComparison.Flip.BECAME_YES, back.srm());
    }

    @Test
    void theTableIsReadWithTheNameBoundNewestRunFirst() {
        TableName table = TableName.parse("results");
        String select = ResultsHistory.select(Dialects.forEngine(dev.pulse.model.Engine.DUCKDB), table);
        assertTrue(select.endsWith("WHERE \"experiment\" = ?"), select);
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            warehouse.execute("CREATE TABLE results (run_id VARCHAR, run_at TIMESTAMP, experiment VARCHAR, metric VARCHAR,"
                    + " group_name VARCHAR, statistic VARCHAR, value DOUBLE)");
            String name = "exp";
            insert(warehouse, "a", "2026-01-01 10:00:00", rows(name, 0.02, 0.2, false, 100, true, true));
            insert(warehouse, "b", "2026-01-02 10:00:00", rows(name, 0.05, 0.01, true, 130, true, true));
            insert(warehouse, "c", "2026-01-03 10:00:00", rows("other", 0.5, 0.5, false, 100, true, true));
            ResultsHistory.Found found = (ResultsHistory.Found) ResultsHistory.read(warehouse, table, new ExperimentName(name));
            assertEquals(List.of("b", "a"), found.runs().stream().map(PastRun::key).toList());
            assertEquals(java.time.Instant.parse("2026-01-02T10:00:00Z"), found.runs().get(0).runAt());
            assertEquals(RunFigures.fromRows(rows(name, 0.05, 0.01, true, 130, true, true)), found.runs().get(0).figures());
            ResultsHistory.Read missing = ResultsHistory.read(warehouse, TableName.parse("nowhere"), new ExperimentName(name));
            assertTrue(((ResultsHistory.Unreadable) missing).message().startsWith("Cannot read the results table nowhere: "),
                    missing.toString());
        }
    }

    private static void insert(Warehouse warehouse, String run, String at, List<ResultsTable.Row> rows) {
        for (ResultsTable.Row row : rows) {
            warehouse.execute("INSERT INTO results VALUES (?, CAST(? AS TIMESTAMP), ?, ?, ?, ?, ?)",
                    java.util.Arrays.asList(run, at, row.experiment(), row.metric(), row.group(), row.statistic(), row.value()));
        }
    }
}
