package dev.pulse.config;

import dev.pulse.model.Engine;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code warehouse:}: the engine, where its data lives, and the tables Pulse may write
 * ({@code results_table}, {@code staging_schema}).
 */
final class WarehouseSection {
    static final List<String> KEYS = List.of("engine", "database", "url", "user", "password_env", "master", "conf",
            "results_table", "staging_schema");
    private static final List<String> ENGINES = List.of("duckdb", "postgres", "spark");
    private static final Map<String, String> ENGINE_OF_KEY = Map.of(
            "url", "postgres", "user", "postgres", "password_env", "postgres", "master", "spark", "conf", "spark");
    private static final String IN_MEMORY = ":memory:";

    private final Problems problems;
    private final Path configFolder;

    WarehouseSection(Problems problems, Path configFolder) {
        this.problems = problems;
        this.configFolder = configFolder;
    }

    /** The warehouse, or empty when it has a problem (reported). */
    Optional<WarehouseConfig> read(Node node, String path) {
        Optional<Fields> read = Fields.read(node, path, problems, KEYS, "a map with engine and database");
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = read.get();
        String engine = fields.optionalText("engine", "duckdb, postgres or spark").orElse("duckdb");
        if (!engine.equals("duckdb")) {
            if (ENGINES.contains(engine)) {
                fields.problemAt("engine", "engine '" + engine + "' is not supported yet");
            } else if (fields.has("engine") && !fields.failed()) {
                fields.problemAt("engine", "unknown engine '" + engine + "'" + Suggestions.hintOrList(engine, ENGINES));
            }
            return Optional.empty();
        }
        ENGINE_OF_KEY.forEach((key, keyEngine) -> fields.keyNode(key).ifPresent(k -> problems.add(k, fields.path(key),
                "'" + key + "' is for engine " + keyEngine + ", not duckdb")));
        Optional<Path> database = Optional.empty();
        if (fields.has("database")) {
            Optional<String> file = fields.optionalText("database", "a DuckDB database file");
            if (file.isPresent() && !file.get().equals(IN_MEMORY)) {
                database = Optional.of(Path.of(SourceSection.resolve(file.get(), configFolder)));
            }
        }
        Optional<TableName> resultsTable = fields.optionalText("results_table", "a table name such as pulse_results")
                .flatMap(text -> tableName(fields, "results_table", text,
                        "expected a table name such as pulse_results or analytics.pulse_results"));
        Optional<String> stagingSchema = fields.optionalText("staging_schema", "a schema name such as pulse")
                .flatMap(text -> {
                    if (text.isBlank() || text.contains(".")) {
                        fields.problemAt("staging_schema", "expected one schema name such as pulse, got '" + text + "'");
                        return Optional.empty();
                    }
                    return Optional.of(text.strip());
                });
        if (fields.failed()) {
            return Optional.empty();
        }
        return Optional.of(new WarehouseConfig(Engine.DUCKDB, database, resultsTable, stagingSchema));
    }

    private static Optional<TableName> tableName(Fields fields, String key, String text, String expected) {
        try {
            return Optional.of(TableName.parse(text));
        } catch (IllegalArgumentException e) {
            fields.problemAt(key, expected + ", got '" + text + "'");
            return Optional.empty();
        }
    }
}
