package dev.pulse.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.analysis.ResultsTable;
import dev.pulse.model.Engine;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.sql.TableStatements;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;
import dev.pulse.warehouse.Warehouses;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
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
        String select = ResultsHistory.select(Dialects.forEngine(Engine.DUCKDB), TableName.parse("results"));
        assertTrue(select.endsWith("WHERE \"experiment\" = ?"), select);
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            readsBack(warehouse, TableName.parse("results"));
        }
    }

    /** The same on PostgreSQL (its driver returns the timestamps as {@code java.sql.Timestamp}), when one is set. */
    @Test
    void theTableIsReadBackFromPostgres() {
        String url = System.getenv("PULSE_TEST_PG_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(), "no PostgreSQL: set PULSE_TEST_PG_URL");
        String schema = "pulse_serve_history_" + ProcessHandle.current().pid();
        try (Warehouse warehouse = Warehouses.open(WarehouseConfig.postgres(new ServerConnection(url,
                Optional.ofNullable(System.getenv("PULSE_TEST_PG_USER")), Optional.of("PGPASSWORD"))))) {
            try {
                warehouse.execute("CREATE SCHEMA \"" + schema + "\"");
                readsBack(warehouse, TableName.parse(schema + ".results"));
            } finally {
                warehouse.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
        }
    }

    /** Writes three runs as Pulse writes the results table, then reads one experiment's back. */
    private static void readsBack(Warehouse warehouse, TableName table) {
        TableStatements statements = TableStatements.of(Dialects.forEngine(warehouse.engine()));
        String name = "exp.v2-a";
        warehouse.transaction(transaction -> {
            transaction.execute(statements.createResultsTable(table));
            transaction.executeBatch(statements.insertResult(table), values("a", "2026-01-01T10:00:00",
                    rows(name, 0.02, 0.2, false, 100, true, true)));
            transaction.executeBatch(statements.insertResult(table), values("b", "2026-01-02T10:00:00",
                    rows(name, 0.05, 0.01, true, 130, true, true)));
            transaction.executeBatch(statements.insertResult(table), values("c", "2026-01-03T10:00:00",
                    rows("other", 0.5, 0.5, false, 100, true, true)));
        });
        // the name is bound, never SQL text: it finds its own rows only
        ResultsHistory.Found found = (ResultsHistory.Found) ResultsHistory.read(warehouse, table, new ExperimentName(name));
        assertEquals(List.of("b", "a"), found.runs().stream().map(PastRun::key).toList());
        assertEquals(Instant.parse("2026-01-02T10:00:00Z"), found.runs().get(0).runAt());
        assertEquals(RunFigures.fromRows(rows(name, 0.05, 0.01, true, 130, true, true)), found.runs().get(0).figures());
        assertEquals(RunFigures.fromRows(rows(name, 0.02, 0.2, false, 100, true, true)), found.runs().get(1).figures());
        ResultsHistory.Read missing = ResultsHistory.read(warehouse, TableName.parse("nowhere"), new ExperimentName(name));
        assertTrue(((ResultsHistory.Unreadable) missing).message().startsWith("Cannot read the results table nowhere: "),
                missing.toString());
    }

    /** The parameters of {@link TableStatements#insertResult}, as {@code ResultsTable} binds them. */
    private static List<List<Object>> values(String run, String at, List<ResultsTable.Row> rows) {
        LocalDateTime time = LocalDateTime.parse(at);
        return rows.stream().map(row -> Arrays.<Object>asList(run, time, row.experiment(), row.metric(), row.group(),
                row.statistic(), row.value())).toList();
    }
}
