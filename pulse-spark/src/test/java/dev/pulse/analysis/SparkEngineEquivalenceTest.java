package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.error.PulseException;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Relation;
import dev.pulse.model.SparkSettings;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.JsonOutput;
import dev.pulse.spark.AssignmentScans;
import dev.pulse.spark.TestSpark;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/architecture.md#how-pulse-is-tested, engines, for Spark: the hand-computed trap data sets of
 * {@link EngineEquivalenceTest} (each fixture's own setup fills DuckDB) give the same results on Spark in
 * {@code local[2]}. Every DuckDB table and view is written to Parquet with {@code COPY … TO} and registered in
 * Spark as a temporary view of the same name; file sources are read by Spark from the same files
 * ({@code parquet.`path`}, CSV through the view
 * Pulse registers). Every experiment of the fixture's config is analysed on each engine (or fails the same
 * way), and every number of the JSON results agrees to 1e-9 relative ({@link EngineEquivalenceTest#assertEquivalent}).
 * Those fixtures check the DuckDB numbers against hand computations, so this carries the same check to Spark.
 *
 * <p>The second test reads every table and file source from CSV on Spark: DuckDB writes each to a CSV file
 * with a header ({@code COPY … (FORMAT csv, HEADER)}: NULL as an empty field, timestamps as
 * {@code 2026-03-01 10:00:00}), the Spark config names the files as {@code path:} sources, and the results
 * must agree with DuckDB's over the original tables — the CSV reading (header, types, NULLs, timestamps) may
 * change no number.
 */
class SparkEngineEquivalenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.pulse.analysis.EngineEquivalenceTest#fixtures")
    void duckDbAndSparkAgree(EngineEquivalenceTest.Fixture fixture) throws Exception {
        compare(fixture, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.pulse.analysis.EngineEquivalenceTest#fixtures")
    void duckDbAndSparkReadingCsvAgree(EngineEquivalenceTest.Fixture fixture) throws Exception {
        compare(fixture, true);
    }

    private static void compare(EngineEquivalenceTest.Fixture fixture, boolean csv) throws Exception {
        Path temp = Files.createTempDirectory("pulse-spark-equivalence");
        Object test = fixture.test().getDeclaredConstructor().newInstance();
        for (Field field : fixture.test().getDeclaredFields()) {
            if (field.getType() == Path.class && field.getName().equals("temp")) {
                field.setAccessible(true);
                field.set(test, temp);
            }
        }
        Method createData = fixture.test().getDeclaredMethod("createData");
        createData.setAccessible(true);
        createData.invoke(test);
        Field warehouseField = fixture.test().getDeclaredField("warehouse");
        warehouseField.setAccessible(true);
        Warehouse duckDb = (Warehouse) warehouseField.get(test);
        try {
            PulseConfig config = config(fixture, test);
            Warehouse spark = TestSpark.warehouse();
            PulseConfig sparkConfig = copyData(config, duckDb, spark, temp.resolve("tables"));
            if (csv) {
                sparkConfig = readFromCsv(sparkConfig, duckDb, temp.resolve("csv"));
            }
            JsonNode expected = analyze(config, duckDb);
            JsonNode actual;
            try (AssignmentScans scans = AssignmentScans.record()) {
                actual = analyze(sparkConfig, spark);
                if (!csv) {
                    assertAssignmentReadOnce(sparkConfig, scans);
                }
            }
            assertTrue(actual.toString().contains("\"engine\":\"spark\""), "no experiment ran on Spark: " + actual);
            EngineEquivalenceTest.assertEquivalent(expected, actual, "$");
        } finally {
            duckDb.close();
        }
    }

    /**
     * docs/spark.md#how-cost-scales: every statement that reads an experiment's assignment source reads it once
     * in Spark's executed plan, as on DuckDB and PostgreSQL (the moments, the percentile passes, daily results,
     * dimensions, funnels, ID mapping and triggers: the fixtures hold each). Only table sources count here (each
     * is a view over its own Parquet file); at least one statement must read each.
     */
    private static void assertAssignmentReadOnce(PulseConfig config, AssignmentScans scans) {
        for (Experiment experiment : config.experiments().values()) {
            if (!(config.sources().get(experiment.assignment()).relation() instanceof Relation.Table table)) {
                continue;
            }
            String file = table.nameParts().get(table.nameParts().size() - 1) + ".parquet";
            List<Integer> counts = scans.scansOf(file);
            System.out.println("Spark scans of " + file + " per statement: " + counts);
            assertFalse(counts.isEmpty(), "no statement read " + file);
            // once for the experiment's own exposures, once more per experiment of its interactions on the same
            // source (docs/interactions.md) and per metric pass over the assignment source itself
            long allowed = config.experiments().values().stream()
                    .filter(reader -> reader.assignment().equals(experiment.assignment()))
                    .mapToLong(reader -> 1 + reader.interactions().stream()
                            .filter(other -> config.experiment(other).assignment().equals(reader.assignment())).count()
                            + reader.metrics().stream().map(config::metric)
                            .filter(metric -> metric.sources().contains(reader.assignment())).count())
                    .max().orElse(1);
            assertTrue(counts.stream().allMatch(count -> count <= allowed),
                    file + " scanned " + counts + " times per statement (at most " + allowed + "):\n"
                            + scans.plansScanningTwice(file));
        }
    }

    private static PulseConfig config(EngineEquivalenceTest.Fixture fixture, Object test) throws Exception {
        for (Method method : fixture.test().getDeclaredMethods()) {
            if (method.getName().equals(fixture.method()) && method.getParameterCount() == fixture.arguments().size()
                    && method.getReturnType() == PulseConfig.class) {
                method.setAccessible(true);
                return (PulseConfig) method.invoke(test, fixture.arguments().toArray());
            }
        }
        throw new IllegalStateException("no " + fixture.method() + " in " + fixture.test());
    }

    /** Every DuckDB table and view as a Spark temporary view over its Parquet copy; file sources stay as they are. */
    private static PulseConfig copyData(PulseConfig config, Warehouse duckDb, Warehouse spark, Path folder) throws Exception {
        Files.createDirectories(folder);
        QueryResult tables = duckDb.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                + "ORDER BY table_name");
        for (QueryResult.Row table : tables.rows()) {
            String name = table.getString("table_name");
            Path file = folder.resolve(name + ".parquet");
            duckDb.execute("COPY (SELECT * FROM \"" + name + "\") TO '" + file + "' (FORMAT PARQUET)");
            spark.execute("CREATE OR REPLACE TEMPORARY VIEW `" + name + "` AS SELECT * FROM parquet.`" + file + "`");
        }
        return new PulseConfig(config.file(), WarehouseConfig.spark(SparkSettings.FROM_SUBMIT), config.sources(),
                config.metrics(), config.experiments());
    }

    /**
     * {@code config} with every table and file source read from a CSV file with a header that DuckDB writes from
     * it; {@code sql:} sources still read the tables.
     */
    private static PulseConfig readFromCsv(PulseConfig config, Warehouse duckDb, Path folder) throws Exception {
        Files.createDirectories(folder);
        Map<SourceName, Source> sources = new LinkedHashMap<>();
        for (Source source : config.sources().values()) {
            Relation relation = source.relation();
            if (!(relation instanceof Relation.Query)) {
                String from = relation instanceof Relation.Files files
                        ? Dialects.forEngine(duckDb.engine()).fileRelation(files)
                        : Dialects.forEngine(duckDb.engine()).tableName(((Relation.Table) relation).nameParts());
                Path file = folder.resolve(source.name().value() + ".csv");
                duckDb.execute("COPY (SELECT * FROM " + from + ") TO '" + file + "' (FORMAT csv, HEADER)");
                relation = new Relation.Files(file.toString(), Relation.FileFormat.CSV);
            }
            sources.put(source.name(), new Source(source.name(), relation, source.timestampColumn(), source.idColumns(),
                    source.assignment()));
        }
        return new PulseConfig(config.file(), config.warehouse(), sources, config.metrics(), config.experiments());
    }

    /** Per experiment its JSON results, or its failure (category and message) when the data cannot be analysed. */
    private static JsonNode analyze(PulseConfig config, Warehouse warehouse) throws Exception {
        ObjectNode all = JSON.createObjectNode();
        for (ExperimentName name : config.experiments().keySet()) {
            try {
                all.set(name.value(), JSON.readTree(JsonOutput.experiments(List.of(Analyzer.analyze(config, name, warehouse)))));
            } catch (PulseException e) {
                all.put(name.value(), e.category() + ": " + e.getMessage());
            }
        }
        return all;
    }
}
