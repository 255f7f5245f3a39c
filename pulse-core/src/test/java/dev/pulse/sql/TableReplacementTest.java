package dev.pulse.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.TableName;
import dev.pulse.sql.dialect.DuckDbDialect;
import dev.pulse.sql.dialect.PostgresDialect;
import dev.pulse.sql.dialect.SparkDialect;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * How the staging table is replaced: in one transaction where DDL is transactional, by building beside and renaming
 * on Spark. Running the statements is StagingTest's (DuckDB) and SparkStagingTest's (pulse-spark) job.
 */
class TableReplacementTest {
    private static final TableName TABLE = new TableName(List.of("audit", "pulse_staging_exp"));
    private static final String SELECT = "SELECT 1 AS x\n";

    @Test
    void transactionalEnginesDropAndCreateInOneTransaction() {
        TableStatements.Replacement duckDb = TableStatements.of(DuckDbDialect.DEFAULT).replaceTable(TABLE, SELECT, "r1");
        assertTrue(duckDb.inOneTransaction());
        assertEquals(TABLE, duckDb.built());
        assertEquals(List.of("DROP TABLE IF EXISTS \"audit\".\"pulse_staging_exp\"",
                "CREATE TABLE \"audit\".\"pulse_staging_exp\" AS\nSELECT 1 AS x\n"), duckDb.build());
        assertEquals(List.of(), duckDb.swap());
        assertTrue(TableStatements.of(PostgresDialect.DEFAULT).replaceTable(TABLE, SELECT, "r1").inOneTransaction());
        assertThrows(IllegalArgumentException.class, () -> TableStatements.of(DuckDbDialect.DEFAULT).replaceTable(TABLE, SELECT, "R-1"));
    }

    @Test
    void sparkBuildsAParquetTableBesideAndRenamesItOver() {
        TableStatements.Replacement spark = TableStatements.of(SparkDialect.DEFAULT).replaceTable(TABLE, SELECT, "r1");
        assertFalse(spark.inOneTransaction());
        assertEquals(new TableName(List.of("audit", "pulse_staging_exp__pulse_new_r1")), spark.built());
        assertEquals(List.of(
                "DROP TABLE IF EXISTS `audit`.`pulse_staging_exp__pulse_new_r1`",
                "CREATE TABLE `audit`.`pulse_staging_exp__pulse_new_r1` USING parquet AS\n"
                        + "SELECT * FROM (\nSELECT 1 AS x\n) AS `staged` LIMIT 0",
                "INSERT INTO `audit`.`pulse_staging_exp__pulse_new_r1`\nSELECT 1 AS x\n"), spark.build());
        assertEquals(List.of(
                "DROP TABLE IF EXISTS `audit`.`pulse_staging_exp`",
                "ALTER TABLE `audit`.`pulse_staging_exp__pulse_new_r1` RENAME TO `audit`.`pulse_staging_exp`"), spark.swap());
    }
}
