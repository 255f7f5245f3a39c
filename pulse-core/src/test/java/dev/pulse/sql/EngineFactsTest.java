package dev.pulse.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.Engine;
import dev.pulse.sql.dialect.Dialects;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The facts each {@link Engine} states (docs/architecture.md#adding-an-engine) agree with what its dialect
 * does, and the user docs name them: an engine cannot claim an ability its SQL lacks, and the config
 * reference cannot miss an engine or one of its keys.
 */
class EngineFactsTest {
    private static final Path CONFIG_REFERENCE = Path.of("..", "docs", "config-reference.md");

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theAbilitiesAreThoseOfTheDialect(Engine engine) {
        Dialect dialect = Dialects.forEngine(engine);
        assertEquals(dialect.partitionOverwrite().isPresent(), engine.has(Engine.Ability.PARTITION_OVERWRITE), engine.name());
        assertEquals(dialect.transactionalDdl(), engine.has(Engine.Ability.TRANSACTIONAL_REPLACE), engine.name());
        assertEquals(dialect.atomicReplaceTable("t", "SELECT 1").isPresent(), engine.has(Engine.Ability.ATOMIC_REPLACE),
                engine.name());
    }

    /** Without ordered aggregates a dialect refuses the value at a group's first row (config validation refuses first). */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void orderedAggregatesAreThoseOfTheDialect(Engine engine) {
        Dialect dialect = Dialects.forEngine(engine);
        if (engine.has(Engine.Ability.ORDERED_AGGREGATES)) {
            assertTrue(dialect.firstValue("\"v\"", "\"t\"").contains("\"v\""), engine.name());
        } else {
            dev.pulse.error.PulseException refusal = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.pulse.error.PulseException.class, () -> dialect.firstValue("\"v\"", "\"t\""));
            assertEquals(dev.pulse.error.PulseException.Category.SQL_UNSUPPORTED, refusal.category());
            assertTrue(refusal.getMessage().contains("dialect " + engine.configName()), refusal.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theConfigNameFindsTheEngineAndAServerEngineHasAUrlPrefix(Engine engine) {
        assertEquals(engine, Engine.ofConfigName(engine.configName()).orElseThrow());
        assertEquals(engine.connection() == Engine.Connection.SERVER, engine.urlPrefix().isPresent(), engine.name());
        // the example in messages is a URL the config would accept
        assertEquals(engine.urlPrefix().isPresent(), engine.exampleUrl().isPresent(), engine.name());
        engine.urlPrefix().ifPresent(prefix -> assertTrue(engine.exampleUrl().orElseThrow().startsWith(prefix), engine.name()));
        assertEquals(1, Arrays.stream(Engine.values()).filter(e -> e.configName().equals(engine.configName())).count());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theConfigReferenceNamesTheEngineAndItsKeys(Engine engine) throws IOException {
        String reference = Files.readString(CONFIG_REFERENCE);
        String warehouse = reference.substring(reference.indexOf("## `warehouse`"), reference.indexOf("## `sources`"));
        String engineRow = warehouse.lines().filter(line -> line.startsWith("| `engine` |")).findFirst().orElseThrow();
        assertTrue(engineRow.contains("`" + engine.configName() + "`"), engineRow);
        for (String key : engine.connection().keys()) {
            assertTrue(warehouse.contains("\n| `" + key + "` |"), key + " of " + engine.configName());
        }
        if (!engine.readsFiles()) {
            assertTrue(warehouse.contains("With `engine: " + engine.configName() + "` a `path` source is a validation error"),
                    engine.configName() + " reads no files: the reference must say so");
        }
    }
}
