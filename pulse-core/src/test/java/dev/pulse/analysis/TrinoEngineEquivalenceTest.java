package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Relation;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.output.JsonOutput;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.TestTrino;
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
 * docs/architecture.md#how-pulse-is-tested, engines, for Trino: the hand-computed trap data sets of
 * {@link EngineEquivalenceTest#fixtures} (each fixture's own setup fills DuckDB) give the same results on a real
 * Trino 483 ({@link TestTrino}: one server per test JVM, memory connector). Every DuckDB table and view (file sources
 * through a view, as for PostgreSQL) becomes a typed table in a fresh Trino schema; every experiment of the fixture's
 * config is analysed on each engine (or fails the same way), and every number of the JSON results agrees to 1e-9
 * relative ({@link EngineEquivalenceTest#assertEquivalent}). Those fixtures check the DuckDB numbers against hand
 * computations, so this carries the same check to Trino.
 */
class TrinoEngineEquivalenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.pulse.analysis.EngineEquivalenceTest#fixtures")
    void duckDbAndTrinoAgree(EngineEquivalenceTest.Fixture fixture) throws Exception {
        TestTrino.baseUrl(); // skips or fails before DuckDB's setup when there is no Trino
        Path temp = Files.createTempDirectory("pulse-trino-equivalence");
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
        try (TestTrino.Schema schema = TestTrino.freshSchema("pulse_equivalence")) {
            PulseConfig config = config(fixture, test);
            PulseConfig trinoConfig = viewsForFiles(config, duckDb, schema);
            TestTrino.copyTables(duckDb, schema.warehouse());
            JsonNode expected = analyze(config, duckDb);
            JsonNode actual = analyze(trinoConfig, schema.warehouse());
            assertTrue(actual.toString().contains("\"engine\":\"trino\""), "no experiment ran on Trino: " + actual);
            EngineEquivalenceTest.assertEquivalent(expected, actual, "$");
        } finally {
            duckDb.close();
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

    /** Each file source as a DuckDB view {@code file_<source>} (copied like a table); the Trino config reads the tables. */
    private static PulseConfig viewsForFiles(PulseConfig config, Warehouse duckDb, TestTrino.Schema schema) {
        Map<SourceName, Source> sources = new LinkedHashMap<>();
        for (Source source : config.sources().values()) {
            Relation relation = source.relation();
            if (relation instanceof Relation.Files files) {
                String view = "file_" + source.name().value();
                duckDb.execute("CREATE OR REPLACE VIEW \"" + view + "\" AS SELECT * FROM "
                        + Dialects.forEngine(Engine.DUCKDB).fileRelation(files));
                relation = new Relation.Table(List.of(view));
            }
            sources.put(source.name(), new Source(source.name(), relation, source.timestampColumn(), source.idColumns(),
                    source.assignment()));
        }
        return new PulseConfig(config.file(), TestTrino.config(schema.name()), sources, config.metrics(),
                config.experiments());
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
