package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.cli.PulseCli;
import dev.pulse.spark.TestSpark;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/architecture.md#how-pulse-is-tested, end to end on Spark: {@code pulse demo --orgs 300} writes its Parquet
 * files, config and DuckDB results; the same config with {@code engine: spark} (its {@code path:} sources read by
 * Spark as {@code parquet.`path`}) analysed through the CLI gives the same JSON, every number to 1e-9 relative.
 */
class SparkDemoTest {
    @TempDir
    Path temp;

    @BeforeAll
    static void startSpark() {
        TestSpark.session();
    }

    @Test
    void theDemoGivesTheSameResultsOnSpark() throws Exception {
        Path dir = temp.resolve("demo");
        StringWriter demoOut = new StringWriter();
        StringWriter demoErr = new StringWriter();
        assertEquals(0, PulseCli.execute(new PrintWriter(demoOut), new PrintWriter(demoErr), "demo", "--dir", dir.toString(),
                "--orgs", "300"), demoErr.toString());

        String yaml = Files.readString(dir.resolve("pulse.yaml"));
        assertTrue(yaml.contains("\nsources:\n") && yaml.contains("path: data/events.parquet"), yaml);
        Path sparkConfig = dir.resolve("pulse-spark.yaml");
        Files.writeString(sparkConfig, yaml.replace("\nsources:\n", """

                warehouse:
                  engine: spark
                  master: local[2]
                  conf: {spark.sql.shuffle.partitions: 2}

                sources:
                """));
        Path results = dir.resolve("results-spark.json");
        StringWriter err = new StringWriter();
        int code = PulseCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "analyze", "--config",
                sparkConfig.toString(), "--format", "json", "--out", results.toString());
        assertEquals(0, code, err.toString());

        ObjectMapper json = new ObjectMapper();
        JsonNode duckDb = json.readTree(dir.resolve("results.json").toFile());
        JsonNode spark = json.readTree(results.toFile());
        assertEquals("duckdb", duckDb.at("/experiments/0/engine").asText());
        assertEquals("spark", spark.at("/experiments/0/engine").asText());
        assertTrue(spark.at("/experiments/0/metrics").size() >= 6, spark.toString());
        EngineEquivalenceTest.assertEquivalent(duckDb, spark, "$");
    }
}
