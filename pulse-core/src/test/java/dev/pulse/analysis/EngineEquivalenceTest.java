package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.Engine;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Relation;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.TableName;
import dev.pulse.output.JsonOutput;
import dev.pulse.sql.TableStatements;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.TestPostgres;
import dev.pulse.warehouse.Warehouse;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/architecture.md#how-pulse-is-tested, engines: the hand-computed trap data sets of {@link MomentsFetcherTest},
 * {@link CupedMomentsTest}, {@link WinsorizedMomentsTest}, {@link PercentileFetcherTest},
 * {@link PercentileDimensionsTest} (a percentile per dimension value), {@link ThresholdRetentionMomentsTest}
 * (threshold and retention metrics) and the others below (each
 * fixture's own setup fills DuckDB; its tables, views and files are copied row for row into a fresh
 * PostgreSQL schema) give the same results on both engines: every experiment of the fixture's config is
 * analysed on each (or fails the same way), and every number of the JSON results agrees to 1e-9 relative. Those fixtures check
 * the DuckDB numbers against hand computations, so this carries the same check to PostgreSQL.
 */
class EngineEquivalenceTest {
    private static final double RELATIVE = 1e-9;
    private static final double ZERO = 1e-12;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A fixture: its test class and how to call its private config method. */
    record Fixture(Class<?> test, String method, List<Object> arguments) {
        @Override
        public String toString() {
            return test.getSimpleName() + arguments;
        }
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(
                new Fixture(MomentsFetcherTest.class, "config", List.of()),
                new Fixture(CupedMomentsTest.class, "config", List.of(false)),
                new Fixture(CupedMomentsTest.class, "config", List.of(true)),
                new Fixture(BiasCheckMomentsTest.class, "config", List.of(false)),
                new Fixture(BiasCheckMomentsTest.class, "config", List.of(true)),
                new Fixture(CupedMomentsTest.class, "growthBookConfig", List.of(true)),
                new Fixture(WinsorizedMomentsTest.class, "config", List.of(false)),
                new Fixture(WinsorizedMomentsTest.class, "config", List.of(true)),
                new Fixture(PercentileFetcherTest.class, "config", List.of("latency")),
                new Fixture(WindowedMomentsTest.class, "config", List.of()),
                new Fixture(DimensionMomentsTest.class, "config", List.of(List.of("country", "platform"))),
                new Fixture(PostStratifiedComparisonsTest.class, "config", List.of()),
                new Fixture(PercentileDimensionsTest.class, "config", List.of()),
                new Fixture(TimeseriesMomentsTest.class, "config", List.of()),
                new Fixture(DaysSinceExposureTest.class, "config", List.of()),
                new Fixture(IdResolutionMomentsTest.class, "config", List.of()),
                new Fixture(IdResolutionMomentsTest.class, "extendedConfig", List.of()),
                new Fixture(TriggeredMomentsTest.class, "config", List.of(false)),
                new Fixture(TriggeredMomentsTest.class, "config", List.of(true)),
                new Fixture(ValueParticipationMomentsTest.class, "config", List.of()),
                new Fixture(ThresholdRetentionMomentsTest.class, "config", List.of()),
                new Fixture(FunnelFetcherTest.class, "config", List.of()),
                new Fixture(HeterogeneityReferenceTest.class, "config", List.of()),
                new Fixture(InteractionsReferenceTest.class, "config", List.of()),
                new Fixture(SourceNamedLikeCteTest.class, "config", List.of()),
                new Fixture(PlannedLooksAnalysisTest.class, "config", List.of()),
                new Fixture(MultiCovariateMomentsTest.class, "config", List.of())).map(Arguments::of);

    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void duckDbAndPostgresAgree(Fixture fixture) throws Exception {
        Prepared prepared = prepare(fixture);
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_equivalence")) {
            PulseConfig postgresConfig = copyData(prepared.config(), prepared.duckDb(), schema.warehouse());
            Map<Engine, JsonNode> results = new LinkedHashMap<>();
            results.put(Engine.DUCKDB, analyze(prepared.config(), prepared.duckDb()));
            results.put(Engine.POSTGRES, analyze(postgresConfig, schema.warehouse()));
            assertTrue(results.get(Engine.POSTGRES).toString().contains("\"engine\":\"postgres\""),
                    "no experiment ran on PostgreSQL: " + results.get(Engine.POSTGRES));
            assertEquivalent(results.get(Engine.DUCKDB), results.get(Engine.POSTGRES), "$");
        } finally {
            prepared.duckDb().close();
        }
    }

    /** A fixture's data in its DuckDB warehouse, and its config. */
    record Prepared(Warehouse duckDb, PulseConfig config) {}

    /** Runs the fixture's own setup (which fills DuckDB) and reads its config. */
    static Prepared prepare(Fixture fixture) throws Exception {
        Path temp = Files.createTempDirectory("pulse-equivalence");
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
        return new Prepared((Warehouse) warehouseField.get(test), config(fixture, test));
    }

    private static PulseConfig config(Fixture fixture, Object test) throws Exception {
        for (Method method : fixture.test().getDeclaredMethods()) {
            if (method.getName().equals(fixture.method()) && method.getParameterCount() == fixture.arguments().size()
                    && method.getReturnType() == PulseConfig.class) {
                method.setAccessible(true);
                return (PulseConfig) method.invoke(test, fixture.arguments().toArray());
            }
        }
        throw new IllegalStateException("no " + fixture.method() + " in " + fixture.test());
    }

    /** Every DuckDB table and view, and every file source as a table named after the source; the config reads those tables. */
    static PulseConfig copyData(PulseConfig config, Warehouse duckDb, Warehouse postgres) {
        Map<SourceName, Source> sources = new LinkedHashMap<>();
        for (Source source : config.sources().values()) {
            Relation relation = source.relation();
            if (relation instanceof Relation.Files) {
                String view = "file_" + source.name().value();
                duckDb.execute("CREATE OR REPLACE VIEW \"" + view + "\" AS SELECT * FROM "
                        + dev.pulse.sql.dialect.Dialects.forEngine(Engine.DUCKDB).fileRelation((Relation.Files) relation));
                relation = new Relation.Table(List.of(view));
            }
            sources.put(source.name(), new Source(source.name(), relation, source.timestampColumn(), source.idColumns(),
                    source.assignment()));
        }
        QueryResult tables = duckDb.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                + "ORDER BY table_name");
        for (QueryResult.Row table : tables.rows()) {
            String name = table.getString("table_name");
            List<TableStatements.Column> columns = new ArrayList<>();
            for (QueryResult.Row column : duckDb.query("SELECT column_name, data_type FROM information_schema.columns "
                    + "WHERE table_schema = 'main' AND table_name = '" + name + "' ORDER BY ordinal_position").rows()) {
                columns.add(new TableStatements.Column(column.getString("column_name"), type(column.getString("data_type"))));
            }
            TableCopy.copy(duckDb, new TableName(List.of(name)), postgres, new TableName(List.of(name)), columns);
        }
        return new PulseConfig(config.file(), TestPostgres.config(), sources, config.metrics(), config.experiments());
    }

    private static TableStatements.ColumnType type(String duckDbType) {
        String type = duckDbType.toUpperCase(Locale.ROOT);
        if (type.equals("TIMESTAMP WITH TIME ZONE")) {
            return TableStatements.ColumnType.TIMESTAMP_WITH_TIME_ZONE;
        } else if (type.startsWith("TIMESTAMP")) {
            return TableStatements.ColumnType.TIMESTAMP;
        } else if (type.equals("VARCHAR")) {
            return TableStatements.ColumnType.TEXT;
        } else if (List.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT").contains(type)) {
            return TableStatements.ColumnType.BIGINT;
        } else if (type.startsWith("DECIMAL") || type.equals("DOUBLE") || type.equals("FLOAT")) {
            return TableStatements.ColumnType.DOUBLE;
        }
        throw new IllegalArgumentException("no PostgreSQL type for DuckDB's " + duckDbType);
    }

    /** Per experiment its JSON results, or its failure (category and message) when the data cannot be analysed. */
    static JsonNode analyze(PulseConfig config, Warehouse warehouse) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode all = JSON.createObjectNode();
        for (ExperimentName name : config.experiments().keySet()) {
            try {
                all.set(name.value(), JSON.readTree(JsonOutput.experiments(List.of(Analyzer.analyze(config, name, warehouse)))));
            } catch (dev.pulse.error.PulseException e) {
                all.put(name.value(), e.category() + ": " + e.getMessage());
            }
        }
        return all;
    }

    /**
     * Same shape, same text (but the engine's name), numbers within {@value #RELATIVE} relative, or both within
     * {@value #ZERO} of zero: a figure that is zero in exact arithmetic (the difference of two equal CUPED-adjusted
     * means) comes out of each engine's sums as rounding noise of either sign (-2.1e-17 against 6.9e-18 in the demo on
     * Spark), where no relative tolerance holds.
     */
    static void assertEquivalent(JsonNode expected, JsonNode actual, String path) {
        if (expected.isNumber() && actual.isNumber()) {
            double e = expected.doubleValue();
            double a = actual.doubleValue();
            assertTrue(Math.abs(e - a) <= RELATIVE * Math.max(Math.abs(e), Math.abs(a)) || Math.abs(e - a) < 1e-300
                            || (Math.abs(e) <= ZERO && Math.abs(a) <= ZERO),
                    path + ": " + e + " vs " + a);
        } else if (expected.isObject()) {
            assertTrue(actual.isObject(), path + " is not an object: " + actual);
            List<String> names = new ArrayList<>();
            expected.fieldNames().forEachRemaining(names::add);
            List<String> actualNames = new ArrayList<>();
            actual.fieldNames().forEachRemaining(actualNames::add);
            assertEquals(names, actualNames, path);
            for (String name : names) {
                if (!name.equals("engine")) {
                    assertEquivalent(expected.get(name), actual.get(name), path + "." + name);
                }
            }
        } else if (expected.isArray()) {
            assertTrue(actual.isArray(), path + " is not an array: " + actual);
            assertEquals(expected.size(), actual.size(), path + " size");
            Iterator<JsonNode> a = actual.elements();
            int i = 0;
            for (JsonNode e : expected) {
                assertEquivalent(e, a.next(), path + "[" + i++ + "]");
            }
        } else {
            assertEquals(expected, actual, path);
        }
    }
}
