package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.SparkSettings;
import dev.pulse.warehouse.Warehouses;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warehouse: {engine: spark, master, conf}}, and what the default jar says about Spark. */
class SparkConfigTest {
    private static final String REST = """
            sources:
              events: {path: events.parquet, timestamp: ts, ids: {org_id: org}}
              exposures: {path: exposures.parquet, timestamp: ts, ids: {org_id: org}, experiment: exp_name, group: variant}
            metrics:
              revenue: {type: sum, source: events, value: revenue}
            experiments:
              exp: {assignment: exposures, unit: org_id, control: control, start: 2026-03-01, end: 2026-03-03, metrics: [revenue]}
            """;

    @TempDir
    Path temp;

    private Path write(String yaml) throws IOException {
        Path file = temp.resolve("pulse.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static List<String> problems(Path file) {
        return ConfigLoader.problems(file).stream().map(p -> p.line() + ":" + p.column() + " " + p.path() + ": " + p.message())
                .toList();
    }

    @Test
    void masterAndConfAreRead() throws IOException {
        PulseConfig config = ConfigLoader.load(write("""
                warehouse:
                  engine: spark
                  master: local[2]
                  conf: {spark.sql.shuffle.partitions: 2, spark.sql.adaptive.enabled: true}
                """ + REST));
        assertEquals(Engine.SPARK, config.warehouse().engine());
        assertEquals(Optional.of(new SparkSettings(Optional.of("local[2]"),
                        Map.of("spark.sql.shuffle.partitions", "2", "spark.sql.adaptive.enabled", "true"))),
                config.warehouse().spark());
    }

    @Test
    void everythingFromSparkSubmitByDefault() throws IOException {
        PulseConfig config = ConfigLoader.load(write("warehouse: {engine: spark}\n" + REST));
        assertEquals(Optional.of(SparkSettings.FROM_SUBMIT), config.warehouse().spark());
    }

    @Test
    void badSparkKeysAreReportedWithTheirPositions() throws IOException {
        Path file = write("""
                warehouse:
                  engine: spark
                  conf: [spark.sql.shuffle.partitions]
                  url: jdbc:postgresql:x
                """ + REST);
        List<String> problems = problems(file);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.contains("3:9 warehouse.conf: expected a map of Spark settings, such as "
                + "{spark.sql.shuffle.partitions: 64}, got a list"), problems.toString());
        assertTrue(problems.contains("4:3 warehouse.url: 'url' is for engine postgres or trino or snowflake or redshift or databricks, not spark"), problems.toString());
    }

    /** A staging schema on Spark is a database, where {@code --materialize} writes (created when missing). */
    @Test
    void theStagingSchemaIsADatabaseOnSpark() throws IOException {
        PulseConfig config = ConfigLoader.load(write("warehouse: {engine: spark, staging_schema: audit}\n" + REST));
        assertEquals(Optional.of("audit"), config.warehouse().stagingSchema());
        assertEquals(List.of("audit", "pulse_staging_exp"), config.warehouse().stagingTable(new ExperimentName("exp")).parts());
        assertEquals(List.of("3:19 warehouse.staging_schema: expected one schema name such as pulse, got 'a.b'"),
                problems(write("warehouse:\n  engine: spark\n  staging_schema: a.b\n" + REST)));
    }

    @Test
    void sparkKeysAreForSparkOnly() throws IOException {
        assertEquals(List.of("1:29 warehouse.master: 'master' is for engine spark, not duckdb"),
                problems(write("warehouse: {engine: duckdb, master: 'local[2]'}\n" + REST)));
    }

    @Test
    void theDefaultJarSendsSparkToSparkSubmit() throws IOException {
        PulseConfig config = ConfigLoader.load(write("warehouse: {engine: spark}\n" + REST));
        PulseException failure = assertThrows(PulseException.class, () -> Warehouses.open(config.warehouse()));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertTrue(failure.getMessage().startsWith("engine spark runs through spark-submit with pulse-spark.jar"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("docs/spark.md"), failure.getMessage());
    }
}
