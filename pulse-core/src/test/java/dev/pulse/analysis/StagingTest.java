package dev.pulse.analysis;

import static dev.pulse.analysis.CupedMomentsTest.assertClose;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.AggregateFunction;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Cuped;
import dev.pulse.model.Direction;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.MetricType;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.model.Winsorization;
import dev.pulse.plan.TestModel;
import dev.pulse.sql.StagingColumns;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The staging table holds the per-unit values the moments come from: moments recomputed from it with
 * plain SQL equal the fetched ones (1e-12), with every trap of docs/concepts.md in the data, winsorized
 * metrics and CUPED; it is replaced atomically.
 *
 * <p>Experiment {@code exp}, window [2026-03-10, 2026-03-11]: control orgs 1 (no rows), 2, 3, 7
 * (exposed twice to control); treat orgs 4, 5; org 6 in both groups (excluded); org 8 in an unlisted
 * group (excluded). Rows before exposure, after the end and with NULL revenue are in the events.
 */
class StagingTest {
    private static final ExperimentName EXP = new ExperimentName("exp");

    private Warehouse warehouse;

    @BeforeEach
    void open() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        createData(warehouse);
    }

    /** The fixture's tables in {@code warehouse} (also used by {@link ResultsTableTest}). */
    static void createData(Warehouse warehouse) {
        warehouse.execute("""
                CREATE TABLE exposures AS SELECT * FROM (VALUES
                  ('exp', 'control', 1, TIMESTAMP '2026-03-10 00:00:00'),
                  ('exp', 'control', 2, TIMESTAMP '2026-03-10 00:00:00'),
                  ('exp', 'control', 3, TIMESTAMP '2026-03-10 06:00:00'),
                  ('exp', 'control', 7, TIMESTAMP '2026-03-10 02:00:00'),
                  ('exp', 'control', 7, TIMESTAMP '2026-03-10 01:00:00'),
                  ('exp', 'treat',   4, TIMESTAMP '2026-03-10 00:00:00'),
                  ('exp', 'treat',   5, TIMESTAMP '2026-03-11 00:00:00'),
                  ('exp', 'control', 6, TIMESTAMP '2026-03-10 00:00:00'),
                  ('exp', 'treat',   6, TIMESTAMP '2026-03-10 01:00:00'),
                  ('exp', 'other',   8, TIMESTAMP '2026-03-10 00:00:00')
                ) AS t(exp_name, variant, org, ts)""");
        warehouse.execute("""
                CREATE TABLE events AS SELECT * FROM (VALUES
                  (2, TIMESTAMP '2026-03-07 00:00:00', 50.0, 1),
                  (2, TIMESTAMP '2026-03-09 00:00:00', 6.0, 1),
                  (2, TIMESTAMP '2026-03-10 01:00:00', 10.0, 1),
                  (2, TIMESTAMP '2026-03-10 02:00:00', NULL, 2),
                  (3, TIMESTAMP '2026-03-08 00:00:00', 2.0, 3),
                  (3, TIMESTAMP '2026-03-10 07:00:00', 60.0, 3),
                  (3, TIMESTAMP '2026-03-11 00:00:00', 40.0, 4),
                  (3, TIMESTAMP '2026-03-12 00:00:00', 999.0, 4),
                  (7, TIMESTAMP '2026-03-10 01:30:00', 5.5, 5),
                  (4, TIMESTAMP '2026-03-10 00:00:00', 20.0, 6),
                  (4, TIMESTAMP '2026-03-10 03:00:00', 2.25, 7),
                  (5, TIMESTAMP '2026-03-09 00:00:00', 12.0, 8),
                  (5, TIMESTAMP '2026-03-11 00:00:00', 30.0, 8),
                  (6, TIMESTAMP '2026-03-10 02:00:00', 10000.0, 9),
                  (8, TIMESTAMP '2026-03-10 02:00:00', 10000.0, 10)
                ) AS t(org, ts, revenue, user_id)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    /** The fixture's config: experiment {@code exp}, optionally with CUPED, in {@code warehouseConfig}. */
    static PulseConfig config(boolean cuped, WarehouseConfig warehouseConfig) {
        Experiment experiment = experiment("exp", "exposures", List.of("control", "treat"), "2026-03-10", "2026-03-11",
                "revenue", "revenue_per_user", "avg_revenue", "buyers", "revenue_capped");
        PulseConfig config = TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                List.of(sum("revenue", "events", "revenue", null),
                        ratio("revenue_per_user",
                                aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("events", AggregateFunction.COUNT_DISTINCT, "user_id", null)),
                        mean("avg_revenue", "events", "revenue", null),
                        unitCount("buyers", "events", "revenue > 15"),
                        sum("revenue_capped", "events", "revenue", null).withOptions(new MetricOptions(
                                Direction.TWO_SIDED, Optional.of(Winsorization.between(0.2, 0.75))))),
                List.of(cuped ? experiment.withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(3))) : experiment));
        return new PulseConfig(config.file(), warehouseConfig, config.sources(), config.metrics(), config.experiments());
    }

    private static PulseConfig config(boolean cuped) {
        return config(cuped, WarehouseConfig.inMemoryDuckDb());
    }

    @Test
    void momentsRecomputedFromTheStagingTableEqualPulses() {
        for (boolean cuped : new boolean[] {false, true}) {
            PulseConfig config = config(cuped);
            TableName table = Staging.write(config, EXP, warehouse);
            assertEquals(List.of("pulse_staging_exp"), table.parts());
            ExperimentData data = MomentsFetcher.fetch(config, EXP, warehouse);
            for (MetricName metric : config.experiment(EXP).metrics()) {
                MetricType type = config.metric(metric).type();
                String x = quote(StagingColumns.numerator(metric));
                boolean hasY = config.metric(metric).denominator().isPresent();
                String y = hasY ? quote(StagingColumns.denominator(metric, type)) : "1.0";
                QueryResult rows = warehouse.query("""
                        SELECT group_name, COUNT(*) AS n, AVG(%1$s) AS mean_x, AVG(%2$s) AS mean_y,
                               VAR_SAMP(%1$s) AS var_x, VAR_SAMP(%2$s) AS var_y, COVAR_SAMP(%1$s, %2$s) AS cov_xy
                        FROM pulse_staging_exp GROUP BY group_name ORDER BY group_name""".formatted(x, y));
                assertEquals(2, rows.rows().size());
                for (QueryResult.Row row : rows.rows()) {
                    String what = metric + " " + row.getString("group_name") + (cuped ? " (cuped)" : "");
                    // Pulse's moments are of X − c·Y (docs/statistics.md): brought back to X for the comparison
                    GroupMoments expected = data.moments().get(metric).get(row.getString("group_name")).withShift(0);
                    assertEquals(expected.n(), row.getLong("n"), what);
                    assertClose(expected.meanX(), row.getDouble("mean_x"), what + " mean x");
                    assertClose(expected.varX(), row.getDouble("var_x"), what + " var x");
                    assertClose(expected.meanY(), row.getDouble("mean_y"), what + " mean y");
                    if (hasY) {
                        assertClose(expected.varY(), row.getDouble("var_y"), what + " var y");
                        assertClose(expected.covXY(), row.getDouble("cov_xy"), what + " cov xy");
                    }
                    if (cuped) {
                        CovariateMoments covariate = data.covariates().get(metric).get(row.getString("group_name"))
                                .withShifts(0, 0);
                        String x0 = quote(StagingColumns.prePeriod(StagingColumns.numerator(metric)));
                        QueryResult.Row pre = warehouse.query("""
                                SELECT AVG(%1$s) AS mean_x0, COVAR_SAMP(%2$s, %1$s) AS cov_xx0
                                FROM pulse_staging_exp WHERE group_name = '%3$s'"""
                                .formatted(x0, x, row.getString("group_name"))).rows().get(0);
                        assertClose(covariate.pre().meanX(), pre.getDouble("mean_x0"), what + " mean x0");
                        assertClose(covariate.covXX0(), pre.getDouble("cov_xx0"), what + " cov xx0");
                    }
                }
            }
        }
    }

    @Test
    void theStatementIsTheMomentsStatementUpToTheUnitValues() {
        for (boolean cuped : new boolean[] {false, true}) {
            String moments = MomentsFetcher.sql(config(cuped), EXP);
            String units = Staging.sql(config(cuped), EXP);
            String shared = moments.substring(0, moments.indexOf("\"pulse_caps\" AS ("));
            assertTrue(shared.contains("\"pulse_unit_values\" AS ("), shared);
            assertTrue(units.startsWith(shared), units);
            assertTrue(units.endsWith("SELECT *\nFROM \"pulse_staging\"\n"), units);
        }
    }

    @Test
    void oneRowPerCountedUnitWithReadableColumns() {
        Staging.write(config(false), EXP, warehouse);
        QueryResult rows = warehouse.query("SELECT * FROM pulse_staging_exp ORDER BY unit_id");
        assertEquals(List.of("unit_id", "group_name", "first_exposure",
                "revenue__numerator",
                "revenue_per_user__numerator", "revenue_per_user__denominator",
                "avg_revenue__numerator", "avg_revenue__records",
                "buyers__numerator",
                "revenue_capped__numerator"), rows.columns());
        // units 1, 2, 3, 4, 5, 7: org 6 (two groups) and org 8 (unlisted group) are excluded
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 7L), rows.rows().stream().map(r -> r.getLong("unit_id")).toList());
        QueryResult.Row noRows = rows.rows().get(0);
        assertEquals(0.0, noRows.getDouble("revenue__numerator"));
        assertEquals(0.0, noRows.getDouble("avg_revenue__records"));
        QueryResult.Row org2 = rows.rows().get(1);
        // rows before exposure do not count; the NULL revenue row is a user but not a record
        assertEquals(10.0, org2.getDouble("revenue__numerator"));
        assertEquals(2.0, org2.getDouble("revenue_per_user__denominator"));
        assertEquals(1.0, org2.getDouble("avg_revenue__records"));
        // org 7 exposed twice to control: its earliest exposure
        assertEquals("2026-03-10 01:00:00", warehouse.query(
                "SELECT CAST(first_exposure AS VARCHAR) AS t FROM pulse_staging_exp WHERE unit_id = 7").rows().get(0).getString("t"));
    }

    @Test
    void aRerunReplacesTheTableAndAFailedOneLeavesIt() {
        Staging.write(config(false), EXP, warehouse);
        warehouse.execute("DELETE FROM events WHERE org = 3");
        Staging.write(config(false), EXP, warehouse);
        assertEquals(0.0, warehouse.query("SELECT revenue__numerator FROM pulse_staging_exp WHERE unit_id = 3")
                .rows().get(0).getDouble("revenue__numerator"));
        assertEquals(6, warehouse.query("SELECT COUNT(*) AS n FROM pulse_staging_exp").rows().get(0).getLong("n"));

        warehouse.execute("ALTER TABLE events RENAME COLUMN revenue TO amount");
        PulseException failure = assertThrows(PulseException.class, () -> Staging.write(config(false), EXP, warehouse));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertTrue(failure.getMessage().contains("cannot write staging table pulse_staging_exp"), failure.getMessage());
        assertEquals(6, warehouse.query("SELECT COUNT(*) AS n FROM pulse_staging_exp").rows().get(0).getLong("n"));
    }

    @Test
    void theStagingSchemaIsCreatedWhenMissing() {
        PulseConfig config = config(false, WarehouseConfig.inMemoryDuckDb().withStagingSchema("audit"));
        assertEquals(List.of("audit", "pulse_staging_exp"), Staging.write(config, EXP, warehouse).parts());
        assertEquals(6, warehouse.query("SELECT COUNT(*) AS n FROM audit.pulse_staging_exp").rows().get(0).getLong("n"));
    }

    private static String quote(String identifier) {
        return '"' + identifier + '"';
    }
}
