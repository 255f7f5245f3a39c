package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.SparkSettings;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.JsonOutput;
import dev.pulse.spark.TestSpark;
import dev.pulse.warehouse.Warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 §2 on Spark: the hostile group names and dimension values of {@link HostileValues} (NUL included:
 * Spark strings hold it) analysed through a percentile metric per dimension value with daily results give the
 * results of the same data with plain names; the results table holds every name intact; the SQL they carry did
 * not run (no file, the sentinel table still there). The session comes with
 * {@code spark.sql.parser.escapedStringLiterals} on, as a cluster's or a notebook's may, under which a
 * backslash-escaped literal reads differently: Pulse's warehouse sets it off, and values from the data are
 * parameters anyway.
 */
class SparkDataValuesStayDataTest {
    private static final String ESCAPED_LITERALS = "spark.sql.parser.escapedStringLiterals";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void hostileGroupAndDimensionValuesAreData() throws Exception {
        SparkSession spark = TestSpark.session();
        Path marker = temp.resolve("injected.csv");
        List<String> names = HostileValues.names(marker, true);
        try {
            spark.sql("CREATE TABLE pulse_sentinel (x INT) USING parquet");
            JsonNode plain = JSON.readTree(JsonOutput.experiments(List.of(analyze(spark, HostileValues.plainNames(), "plain"))));
            ExperimentResult result = analyze(spark, names, "hostile");
            HostileValues.assertSameResults(plain, JSON.readTree(JsonOutput.experiments(List.of(result))), names);

            spark.conf().set(ESCAPED_LITERALS, "true");
            Warehouse warehouse = TestSpark.warehouse();
            assertEquals("false", spark.conf().get(ESCAPED_LITERALS), "Pulse's warehouse sets it off");
            ResultsTable.write(new TableName(List.of("pulse_hostile_results")), "run", Instant.parse("2026-04-01T10:00:00Z"),
                    List.of(result), warehouse);
            Set<String> stored = new HashSet<>();
            for (Row row : spark.sql("SELECT DISTINCT group_name FROM pulse_hostile_results WHERE group_name IS NOT NULL")
                    .collectAsList()) {
                stored.add(row.getString(0));
            }
            assertEquals(new HashSet<>(names), stored);
            assertTrue(spark.catalog().tableExists("pulse_sentinel"), "the sentinel table was dropped");
            assertFalse(Files.exists(marker), "the injected COPY ran");
        } finally {
            spark.conf().unset(ESCAPED_LITERALS);
            spark.sql("DROP TABLE IF EXISTS pulse_sentinel");
            spark.sql("DROP TABLE IF EXISTS pulse_hostile_results");
        }
    }

    /**
     * {@code exp} over the data with {@code names}, written by DuckDB to Parquet and read by Spark as the views
     * {@code exposures} and {@code events}, in a session that reads literals the legacy way until Pulse opens it.
     */
    private ExperimentResult analyze(SparkSession spark, List<String> names, String folder) throws Exception {
        Path tables = Files.createDirectories(temp.resolve(folder));
        try (Warehouse duckDb = HostileValues.duckDb(names)) {
            for (String table : HostileValues.columns().keySet()) {
                Path file = tables.resolve(table + ".parquet");
                duckDb.execute("COPY (SELECT * FROM \"" + table + "\") TO '" + file + "' (FORMAT PARQUET)");
                spark.read().parquet(file.toString()).createOrReplaceTempView(table);
            }
        }
        PulseConfig config = HostileValues.config(temp, WarehouseConfig.spark(SparkSettings.FROM_SUBMIT));
        spark.conf().set(ESCAPED_LITERALS, "true");
        return Analyzer.analyze(config, new ExperimentName("exp"), TestSpark.warehouse());
    }
}
