package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.PulseConfig;
import dev.pulse.spark.SparkWarehouse;
import dev.pulse.spark.TestSpark;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * How an incremental refresh writes its state on Spark, where every statement commits on its own
 * (docs/spark.md#incremental-refreshes-on-spark): a refresh that fails midway leaves the state marked incomplete and
 * the next one rebuilds it, says so and gives a full run's numbers; a day whose rows are gone is emptied, though a
 * dynamic partition overwrite alone would keep it. The data and config are {@link SparkIncrementalSimulationTest}'s
 * (four metrics).
 */
class SparkIncrementalStateTest {
    private static SparkWarehouse spark;

    @BeforeAll
    static void copyTheData() throws IOException {
        SparkIncrementalSimulationTest.copyTheData();
        spark = TestSpark.warehouse();
    }

    /**
     * A statement fails after the state was marked, as a killed driver would stop there: at the exposures' overwrite
     * (the first write after the mark), at a pass's overwrite, or at the last statement, the meta's write that marks
     * the state complete (every other table already written).
     */
    @ParameterizedTest(name = "failing at {0}")
    @CsvSource({"exposures, `pulse_state_exp__exposures` PARTITION", "pass, `pulse_state_exp__pass0` PARTITION",
            "the meta's last write, `pulse_state_exp__meta` VALUES"})
    void aRefreshThatFailsMidwayIsRebuiltByTheNext(String where, String statement) throws IOException {
        PulseConfig config = SparkIncrementalSimulationTest.fewerMetrics("pulse_inc_failed_" + where.replaceAll("\\W", "_"));
        SparkIncrementalSimulationTest.setClock(spark, 10);
        SparkIncrementalSimulationTest.refresh(config, spark);

        SparkIncrementalSimulationTest.setClock(spark, 12);
        // the meta is written twice (marked incomplete, then complete): the last write fails for the meta
        int failAt = where.startsWith("the meta") ? 2 : 1;
        AtomicInteger seen = new AtomicInteger();
        StatementHook failing = new StatementHook(spark, sql -> {
            if (sql.replace('\n', ' ').contains(statement) && seen.incrementAndGet() == failAt) {
                throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "the driver was killed here");
            }
        });
        PulseException failure = assertThrows(PulseException.class, () -> SparkIncrementalSimulationTest.refresh(config, failing));
        assertEquals("the driver was killed here", failure.getMessage());
        assertEquals(List.of(0L), spark.query("SELECT complete FROM `pulse_inc_failed_" + where.replaceAll("\\W", "_")
                + "`.`pulse_state_exp__meta`").rows().stream().map(row -> row.getLong("complete")).toList());

        List<ExperimentResult> refreshed = SparkIncrementalSimulationTest.refresh(config, spark);
        String summary = refreshed.get(0).warnings().get(0);
        assertTrue(summary.contains("state rebuilt from every day (the last refresh did not finish"), summary);
        SparkIncrementalSimulationTest.assertExact(refreshed,
                AnalysisRun.of(config, List.of(IncrementalSimulationTest.EXP)).run(spark, phase -> { }), summary);
        assertTrue(SparkIncrementalSimulationTest.refresh(config, spark).get(0).warnings().get(0).contains("read the days from"),
                "after the rebuild the state is complete again");
    }

    /**
     * The events of day 9 (2026-03-10) vanish from the source (a correction) and the refresh reads again from before
     * that day: the pass table's partition of day 9 is dropped, not kept with the old parts, and the numbers are a
     * full run's.
     */
    @Test
    void aDayWhoseRowsAreGoneIsEmptied() throws IOException {
        PulseConfig config = SparkIncrementalSimulationTest.fewerMetrics("pulse_inc_emptied");
        SparkIncrementalSimulationTest.setClock(spark, 10);
        SparkIncrementalSimulationTest.refresh(config, spark);
        String partitions = "SHOW PARTITIONS `pulse_inc_emptied`.`pulse_state_exp__pass0`";
        assertTrue(partitionDays(partitions).contains(9), partitionDays(partitions).toString());

        spark.execute("CREATE OR REPLACE TEMPORARY VIEW `events` AS SELECT unit_id, user_id, ts, event, revenue"
                + " FROM `all_events` WHERE arrives <= 10 AND CAST(ts AS DATE) <> DATE '2026-03-10'");
        List<ExperimentResult> refreshed = SparkIncrementalSimulationTest.refresh(config, spark);
        String summary = refreshed.get(0).warnings().get(0);
        assertTrue(summary.contains("read the days from"), summary);
        assertFalse(partitionDays(partitions).contains(9), partitionDays(partitions).toString());
        assertTrue(partitionDays(partitions).contains(8), partitionDays(partitions).toString());
        SparkIncrementalSimulationTest.assertExact(refreshed,
                AnalysisRun.of(config, List.of(IncrementalSimulationTest.EXP)).run(spark, phase -> { }), summary);
    }

    private static List<Integer> partitionDays(String showPartitions) {
        return spark.query(showPartitions).rows().stream()
                .map(row -> Integer.parseInt(row.getString("partition").substring("day=".length()))).toList();
    }
}
