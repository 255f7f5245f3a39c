package dev.pulse.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pulse.model.TableName;
import dev.pulse.sql.dialect.DuckDbDialect;
import dev.pulse.sql.dialect.SparkDialect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The results table's statements on Spark, which overwrites partitions instead of running a transaction, and the
 * check of an existing table against Spark's {@code DESCRIBE TABLE EXTENDED} (rows as Spark 4.2 prints them).
 * Running them on Spark is SparkResultsTableTest's job (pulse-spark).
 */
class PartitionedResultsTableTest {
    private static final TableName TABLE = new TableName(List.of("reporting", "pulse_results"));
    private static final TableStatements SPARK = TableStatements.of(SparkDialect.DEFAULT);

    @Test
    void sparkCreatesAParquetTablePartitionedByExperimentWithDynamicOverwrite() {
        assertEquals(List.of("run_id", "run_at", "metric", "group_name", "statistic", "value", "experiment"),
                SPARK.resultColumns());
        assertEquals("""
                CREATE TABLE IF NOT EXISTS `reporting`.`pulse_results` (
                  `run_id` STRING,
                  `run_at` TIMESTAMP,
                  `metric` STRING,
                  `group_name` STRING,
                  `statistic` STRING,
                  `value` DOUBLE,
                  `experiment` STRING
                )
                USING parquet PARTITIONED BY (`experiment`) OPTIONS ('partitionOverwriteMode' 'dynamic')""",
                SPARK.createResultsTable(TABLE));
    }

    @Test
    void transactionalEnginesKeepTheirTable() {
        TableStatements duckDb = TableStatements.of(DuckDbDialect.DEFAULT);
        assertEquals(TableStatements.RESULT_COLUMNS, duckDb.resultColumns());
        assertEquals("""
                CREATE TABLE IF NOT EXISTS "reporting"."pulse_results" (
                  "run_id" VARCHAR,
                  "run_at" TIMESTAMP,
                  "experiment" VARCHAR,
                  "metric" VARCHAR,
                  "group_name" VARCHAR,
                  "statistic" VARCHAR,
                  "value" DOUBLE PRECISION
                )""", duckDb.createResultsTable(TABLE));
        assertThrows(IllegalStateException.class, () -> duckDb.overwriteResults(TABLE, List.of()));
    }

    @Test
    void theOverwriteBindsEveryValue() {
        List<Object> first = Arrays.asList("run", Instant.parse("2026-04-01T10:00:00Z"), null, null, "alpha", 0.05, "exp");
        List<Object> second = Arrays.asList("run", Instant.parse("2026-04-01T10:00:00Z"), "m", "it's \\ odd", "p_value",
                1.0E-300, "exp");
        BoundStatement overwrite = SPARK.overwriteResults(TABLE, List.of(first, second));
        assertEquals("""
                INSERT OVERWRITE TABLE `reporting`.`pulse_results` PARTITION (`experiment`)
                VALUES
                  (:p0, :p1, :p2, :p3, :p4, :p5, :p6),
                  (:p7, :p8, :p9, :p10, :p11, :p12, :p13)""", overwrite.sql());
        List<Object> parameters = new ArrayList<>(first);
        parameters.addAll(second);
        assertEquals(parameters, overwrite.parameters());
    }

    /** DESCRIBE TABLE EXTENDED of the table Pulse creates, as Spark 4.2 prints it (comments left out). */
    private static List<List<String>> description(String provider, List<String> columns, List<String> partitions,
                                                  String storage) {
        List<List<String>> rows = new ArrayList<>();
        columns.forEach(column -> rows.add(List.of(column, column.equals("value") ? "double" : "string")));
        if (!partitions.isEmpty()) {
            rows.add(List.of("# Partition Information", ""));
            rows.add(List.of("# col_name", "data_type"));
            partitions.forEach(column -> rows.add(List.of(column, "string")));
        }
        rows.add(List.of("", ""));
        rows.add(List.of("# Detailed Table Information", ""));
        rows.add(List.of("Table", "pulse_results"));
        rows.add(List.of("Provider", provider));
        if (storage != null) {
            rows.add(List.of("Storage Properties", storage));
        }
        rows.add(List.of("Partition Provider", "Catalog"));
        return rows;
    }

    @Test
    void theTablePulseCreatesPassesItsCheck() {
        assertEquals(Optional.empty(), SPARK.resultsTableProblem(description("parquet", SPARK.resultColumns(),
                List.of("experiment"), "[partitionOverwriteMode=dynamic]")));
        assertEquals(Optional.empty(), SPARK.resultsTableProblem(description("ORC", SPARK.resultColumns(),
                List.of("EXPERIMENT"), "[path=/x, PartitionOverwriteMode=DYNAMIC]")), "Spark reads the option in any case");
    }

    @Test
    void everyReasonAnOverwriteIsUnsafeIsNamed() {
        List<String> reordered = TableStatements.RESULT_COLUMNS; // experiment third, as DuckDB's table has it
        assertEquals(Optional.of("its format is delta, not parquet (or orc); it is partitioned by [experiment, metric], "
                + "not by experiment alone; it lacks the option 'partitionOverwriteMode' 'dynamic' (without it INSERT "
                + "OVERWRITE deletes every other experiment's rows unless the session says otherwise); its columns are "
                + "[run_id, run_at, experiment, metric, group_name, statistic, value], not [run_id, run_at, metric, "
                + "group_name, statistic, value, experiment]"),
                SPARK.resultsTableProblem(description("delta", reordered, List.of("experiment", "metric"),
                        "[partitionOverwriteMode=static]")));
        assertEquals(Optional.of("it is not partitioned by experiment; it lacks the option "
                + "'partitionOverwriteMode' 'dynamic' (without it INSERT OVERWRITE deletes every other experiment's rows "
                + "unless the session says otherwise)"),
                SPARK.resultsTableProblem(description("parquet", SPARK.resultColumns(), List.of(), null)));
    }
}
