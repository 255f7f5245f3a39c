package dev.pulse.sql.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.TableName;
import dev.pulse.sql.BoundStatement;
import dev.pulse.sql.TableStatements;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Databricks SQL is Spark SQL for every query Pulse renders (the golden files {@code databricks.sql} equal
 * {@code spark.sql} but for parameter markers); what differs is how Pulse writes its tables (Delta) and binds values.
 */
class DatabricksDialectTest {
    private static final DatabricksDialect DATABRICKS = DatabricksDialect.DEFAULT;
    private static final TableStatements TABLES = TableStatements.of(DATABRICKS);

    @Test
    void queriesAreSparkSql() {
        SparkDialect spark = SparkDialect.DEFAULT;
        assertEquals(spark.quoteIdentifier("gr`p"), DATABRICKS.quoteIdentifier("gr`p"));
        assertEquals(spark.stringLiteral("it's \\ here"), DATABRICKS.stringLiteral("it's \\ here"));
        assertEquals(spark.timestampLiteral(Instant.parse("2026-03-01T00:00:00Z")),
                DATABRICKS.timestampLiteral(Instant.parse("2026-03-01T00:00:00Z")));
        assertEquals(spark.discreteQuantile("`v`", 0.9), DATABRICKS.discreteQuantile("`v`", 0.9));
        assertEquals(spark.computeOnceMarker(), DATABRICKS.computeOnceMarker());
        assertEquals("databricks", DATABRICKS.name());
        assertEquals("?", DATABRICKS.parameter(3));
    }

    @Test
    void threePartNamesAreQuotedPartByPart() {
        assertEquals("`main`.`analytics`.`events`", DATABRICKS.tableName(List.of("main", "analytics", "events")));
    }

    @Test
    void aStagingTableIsReplacedByOneDeltaCommit() {
        TableStatements.Replacement replacement = TABLES.replaceTable(TableName.parse("main.pulse.pulse_staging_exp"),
                "SELECT 1 AS `x`", "run1");
        assertTrue(replacement.inOneTransaction());
        assertEquals(List.of("CREATE OR REPLACE TABLE `main`.`pulse`.`pulse_staging_exp` USING DELTA AS\nSELECT 1 AS `x`"),
                replacement.build());
        assertEquals(List.of(), replacement.swap());
    }

    @Test
    void theResultsTableIsDeltaAndItsExperimentsAreReplacedWhere() {
        TableName table = TableName.parse("main.reporting.pulse_results");
        assertEquals("""
                CREATE TABLE IF NOT EXISTS `main`.`reporting`.`pulse_results` (
                  `run_id` STRING,
                  `run_at` TIMESTAMP,
                  `metric` STRING,
                  `group_name` STRING,
                  `statistic` STRING,
                  `value` DOUBLE,
                  `experiment` STRING
                )
                USING DELTA""", TABLES.createResultsTable(table));
        Instant at = Instant.parse("2026-03-02T10:00:00Z");
        List<List<Object>> rows = List.of(
                Arrays.asList("r1", at, "revenue", "treat", "lift", 0.5, "exp_a"),
                Arrays.asList("r1", at, "revenue", "treat", "p_value", null, "exp_a"),
                Arrays.asList("r1", at, "clicks", "b", "lift", 1.0, "exp_b"));
        BoundStatement statement = TABLES.overwriteResults(table, rows);
        assertEquals("""
                INSERT INTO `main`.`reporting`.`pulse_results` REPLACE WHERE `experiment` IN (?, ?)
                VALUES
                  (?, ?, ?, ?, ?, ?, ?),
                  (?, ?, ?, ?, ?, ?, ?),
                  (?, ?, ?, ?, ?, ?, ?)""", statement.sql());
        // the experiments first, in the order of the markers, then every row's values
        assertEquals(Arrays.asList("exp_a", "exp_b", "r1", at, "revenue", "treat", "lift", 0.5, "exp_a",
                "r1", at, "revenue", "treat", "p_value", null, "exp_a", "r1", at, "clicks", "b", "lift", 1.0, "exp_b"),
                statement.parameters());
    }

    @Test
    void onlyADeltaTableWithPulsesColumnsIsWritten() {
        List<List<String>> delta = List.of(List.of("run_id", "string"), List.of("run_at", "timestamp"),
                List.of("metric", "string"), List.of("group_name", "string"), List.of("statistic", "string"),
                List.of("value", "double"), List.of("experiment", "string"), List.of("", ""),
                List.of("# Detailed Table Information", ""), List.of("Provider", "delta"));
        assertEquals(Optional.empty(), TABLES.resultsTableProblem(delta));
        List<List<String>> parquet = delta.stream().map(row -> row.get(0).equals("Provider")
                ? List.of("Provider", "parquet") : row).toList();
        assertEquals(Optional.of("its format is parquet, not delta"), TABLES.resultsTableProblem(parquet));
        List<List<String>> otherColumns = delta.stream().filter(row -> !row.get(0).equals("value")).toList();
        assertTrue(TABLES.resultsTableProblem(otherColumns).orElseThrow().startsWith("its columns are "));
    }

    @Test
    void anOverwriteNamesItsExperiments() {
        assertThrows(IllegalArgumentException.class,
                () -> DATABRICKS.partitionOverwrite().orElseThrow().overwrite("`t`", "`experiment`", List.of()));
    }
}
