package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.spark.SparkWarehouse;
import dev.pulse.spark.TestSpark;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The results table on Spark (docs/spark.md): a Parquet table partitioned by experiment, one experiment's rows
 * replaced by overwriting its partition. The results written are those of the DuckDB trap fixture of
 * {@link StagingTest} (with CUPED, so every kind of figure and NULLs are in them); the same results written to
 * DuckDB's results table must read back identically, to the bit.
 */
class SparkResultsTableTest {
    private static final String CONTENT = "SELECT experiment, metric, group_name, statistic, value, run_id FROM %s";
    private static Warehouse duckDb;
    private static ExperimentResult result;
    private static SparkWarehouse spark;
    private static SparkSession session;

    @BeforeAll
    static void analyse() {
        duckDb = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        StagingTest.createData(duckDb);
        result = Analyzer.analyze(StagingTest.config(true, WarehouseConfig.inMemoryDuckDb()), new ExperimentName("exp"), duckDb);
        session = TestSpark.session();
        spark = TestSpark.warehouse();
    }

    @AfterAll
    static void close() {
        duckDb.close();
    }

    /** The same figures under another experiment's name: a second experiment in the table. */
    private static ExperimentResult named(String experiment) {
        return result.toBuilder().experiment(experiment).build();
    }

    /** Every row as text (a double as its exact Java text), sorted: equal lists mean equal tables. */
    private static List<String> sparkContent(String table) {
        List<String> rows = new ArrayList<>();
        for (Row row : session.sql(CONTENT.formatted(table)).collectAsList()) {
            rows.add(row.get(0) + "|" + row.get(1) + "|" + row.get(2) + "|" + row.get(3) + "|" + row.get(4) + "|" + row.get(5));
        }
        return rows.stream().sorted().toList();
    }

    private static long count(String table, String experiment) {
        return session.table(table).where(functions.col("experiment").equalTo(experiment)).count();
    }

    @Test
    void theRowsAreDuckDbsRowsAndTheTableIsPartitionedByExperiment() {
        TableName table = new TableName(List.of("pulse_results_same"));
        Instant at = Instant.parse("2026-04-01T10:00:00Z");
        ResultsTable.write(table, "run-1", at, List.of(result), duckDb);
        ResultsTable.write(table, "run-1", at, List.of(result), spark);

        List<String> expected = duckDb.query(CONTENT.formatted("pulse_results_same")).rows().stream()
                .map(row -> String.join("|", row.values().values().stream().map(String::valueOf).toList()))
                .sorted().toList();
        assertTrue(expected.size() > 100 && expected.stream().anyMatch(row -> row.contains("|null|")), expected.toString());
        assertTrue(expected.stream().anyMatch(row -> row.contains("cuped_theta")), expected.toString());
        assertEquals(expected, sparkContent("pulse_results_same"));

        assertEquals("timestamp", session.table("pulse_results_same").schema().apply("run_at").dataType().typeName());
        assertEquals(List.of(at), session.sql("SELECT DISTINCT run_at FROM pulse_results_same").collectAsList().stream()
                .map(row -> (Instant) row.get(0)).toList());
        assertEquals(List.of("experiment=exp"), session.sql("SHOW PARTITIONS pulse_results_same").collectAsList().stream()
                .map(row -> row.getString(0)).toList());
    }

    @Test
    void reRunningAnExperimentInAStaticSessionReplacesOnlyItsRows() {
        TableName table = new TableName(List.of("pulse_results_runs"));
        String odd = "it's \\ odd";
        ResultsTable.write(table, "run-1", Instant.parse("2026-04-01T10:00:00Z"), List.of(result, named(odd)), spark);
        List<String> first = sparkContent("pulse_results_runs");
        long rows = ResultsTable.rows(result).size();
        assertEquals(rows, count("pulse_results_runs", "exp"));
        assertEquals(rows, count("pulse_results_runs", odd), "a quote and a backslash in a name survive");

        // Spark's default: in this mode the overwrite would delete the other experiment's partition, but for the
        // table's own option 'partitionOverwriteMode' 'dynamic', which Spark reads first
        String mode = "spark.sql.sources.partitionOverwriteMode";
        String before = session.conf().get(mode);
        session.conf().set(mode, "static");
        try {
            ResultsTable.write(table, "run-2", Instant.parse("2026-04-02T10:00:00Z"), List.of(result), spark);
        } finally {
            session.conf().set(mode, before);
        }
        List<String> second = sparkContent("pulse_results_runs");
        assertEquals(first.size(), second.size(), "the same row count");
        assertEquals(first.stream().map(row -> row.replace("|run-1", "|run-2")).filter(row -> row.startsWith("exp|")).toList(),
                second.stream().filter(row -> row.startsWith("exp|")).toList(), "the same values, the new run's id");
        assertEquals(first.stream().filter(row -> row.startsWith(odd)).toList(),
                second.stream().filter(row -> row.startsWith(odd)).toList(), "the other experiment's rows are kept");
    }

    @Test
    void aJobThatFailsBeforeItsCommitLeavesTheOldPartition() {
        TableName table = new TableName(List.of("pulse_results_failed"));
        ResultsTable.write(table, "run-1", Instant.parse("2026-04-01T10:00:00Z"), List.of(result), spark);
        List<String> before = sparkContent("pulse_results_failed");
        // the same statement Pulse runs, its rows made by a task that fails: Spark's commit protocol writes to a
        // staging folder and moves files into the partition only when every task has succeeded
        RuntimeException failure = assertThrows(RuntimeException.class, () -> session.sql("""
                INSERT OVERWRITE TABLE pulse_results_failed PARTITION (experiment)
                SELECT 'run-2', TIMESTAMP '2026-04-02 10:00:00', NULL, NULL, 'alpha',
                       IF(id = 3, CAST(raise_error('task failed') AS DOUBLE), 0.05), 'exp'
                FROM range(0, 4, 1, 2)"""));
        assertTrue(String.valueOf(failure.getMessage()).contains("task failed"), String.valueOf(failure.getMessage()));
        assertEquals(before, sparkContent("pulse_results_failed"));
    }

    @Test
    void aTableWhoseOverwriteWouldDeleteOtherExperimentsIsRefused() {
        String columns = "run_id STRING, run_at TIMESTAMP, metric STRING, group_name STRING, statistic STRING, value DOUBLE, "
                + "experiment STRING";
        session.sql("CREATE TABLE pulse_results_plain (" + columns + ") USING parquet PARTITIONED BY (experiment)");
        session.sql("CREATE TABLE pulse_results_flat (" + columns + ") USING parquet");
        for (String name : List.of("pulse_results_plain", "pulse_results_flat")) {
            session.sql("INSERT INTO " + name + " VALUES ('run-0', TIMESTAMP '2026-03-01 00:00:00', NULL, NULL, 'alpha', 0.05, "
                    + "'older')");
        }

        PulseException plain = assertThrows(PulseException.class, () -> ResultsTable.write(
                new TableName(List.of("pulse_results_plain")), "run-1", Instant.now(), List.of(result), spark));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, plain.category());
        assertEquals("cannot write results table pulse_results_plain (it is left as it was): Pulse replaces an "
                + "experiment's rows by overwriting its partition, which is safe only in a table it creates (Parquet, "
                + "PARTITIONED BY (experiment), OPTIONS ('partitionOverwriteMode' 'dynamic')), but it lacks the option "
                + "'partitionOverwriteMode' 'dynamic' (without it INSERT OVERWRITE deletes every other experiment's rows "
                + "unless the session says otherwise); drop the table or name another results_table", plain.getMessage());

        PulseException flat = assertThrows(PulseException.class, () -> ResultsTable.write(
                new TableName(List.of("pulse_results_flat")), "run-1", Instant.now(), List.of(result), spark));
        assertTrue(flat.getMessage().contains("but it is not partitioned by experiment; it lacks the option"),
                flat.getMessage());
        for (String name : List.of("pulse_results_plain", "pulse_results_flat")) {
            assertEquals(List.of("older|null|null|alpha|0.05|run-0"), sparkContent(name), name + " is left as it was");
        }
    }
}
