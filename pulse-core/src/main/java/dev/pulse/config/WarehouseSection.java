package dev.pulse.config;

import dev.pulse.model.Engine;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.SparkSettings;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads {@code warehouse:}: the engine, where its data lives (a DuckDB {@code database}, a PostgreSQL
 * {@code url}, {@code user} and {@code password_env}, or a Spark {@code master} and {@code conf}), and the
 * tables Pulse may write ({@code results_table}, {@code staging_schema}: on Spark a database).
 */
final class WarehouseSection {
    static final List<String> KEYS = List.of("engine", "database", "url", "user", "password_env", "master", "conf",
            "results_table", "staging_schema");
    private static final List<String> ENGINES = List.of("duckdb", "postgres", "spark");
    private static final Map<String, String> ENGINE_OF_KEY = Map.of(
            "url", "postgres", "user", "postgres", "password_env", "postgres", "master", "spark", "conf", "spark");
    private static final String IN_MEMORY = ":memory:";
    private static final String POSTGRES_URL_PREFIX = "jdbc:postgresql:";

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
        String engineName = fields.optionalText("engine", "duckdb, postgres or spark").orElse("duckdb");
        Engine engine;
        switch (engineName) {
            case "duckdb" -> engine = Engine.DUCKDB;
            case "postgres" -> engine = Engine.POSTGRES;
            case "spark" -> engine = Engine.SPARK;
            default -> {
                if (fields.has("engine") && !fields.failed()) {
                    fields.problemAt("engine", "unknown engine '" + engineName + "'" + Suggestions.hintOrList(engineName, ENGINES));
                }
                return Optional.empty();
            }
        }
        ENGINE_OF_KEY.forEach((key, keyEngine) -> {
            if (!keyEngine.equals(engineName)) {
                fields.keyNode(key).ifPresent(k -> problems.add(k, fields.path(key),
                        "'" + key + "' is for engine " + keyEngine + ", not " + engineName));
            }
        });
        Optional<Path> database = Optional.empty();
        Optional<ServerConnection> server = Optional.empty();
        Optional<SparkSettings> spark = Optional.empty();
        if (engine == Engine.DUCKDB) {
            if (fields.has("database")) {
                Optional<String> file = fields.optionalText("database", "a DuckDB database file");
                if (file.isPresent() && !file.get().equals(IN_MEMORY)) {
                    database = Optional.of(Path.of(SourceSection.resolve(file.get(), configFolder)));
                }
            }
        } else if (engine == Engine.POSTGRES) {
            fields.keyNode("database").ifPresent(k -> problems.add(k, fields.path("database"),
                    "'database' is for engine duckdb; for postgres name the database in the url, "
                            + "such as jdbc:postgresql://127.0.0.1:5432/analytics"));
            server = server(fields);
        } else {
            fields.keyNode("database").ifPresent(k -> problems.add(k, fields.path("database"),
                    "'database' is for engine duckdb; on spark name tables as database.table in 'table:' sources"));
            spark = spark(fields, problems);
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
        if (fields.failed() || (engine == Engine.POSTGRES && server.isEmpty()) || (engine == Engine.SPARK && spark.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new WarehouseConfig(engine, database, resultsTable, stagingSchema, server, spark));
    }

    /** {@code master} and {@code conf} (a map of Spark settings to scalar values) of a Spark warehouse; empty on a problem (reported). */
    private static Optional<SparkSettings> spark(Fields fields, Problems problems) {
        Optional<String> master = fields.optionalText("master", "a Spark master such as local[2] or yarn");
        java.util.Map<String, String> conf = new LinkedHashMap<>();
        Optional<Node> confNode = fields.value("conf");
        if (confNode.isPresent()) {
            Optional<java.util.Map<String, Nodes.Entry>> entries = Nodes.mapping(confNode.get(), fields.path("conf"), problems,
                    "a map of Spark settings, such as {spark.sql.shuffle.partitions: 64}");
            if (entries.isEmpty()) {
                fields.fail();
            } else {
                entries.get().forEach((key, entry) -> {
                    if (entry.value() instanceof ScalarNode scalar && !Nodes.isNull(scalar)) {
                        conf.put(key, scalar.getValue());
                    } else {
                        problems.add(entry.value(), Nodes.child(fields.path("conf"), key),
                                "expected a value (text, number or true/false), got " + Nodes.describe(entry.value()));
                        fields.fail();
                    }
                });
            }
        }
        if (fields.failed()) {
            return Optional.empty();
        }
        return Optional.of(new SparkSettings(master, conf));
    }

    /** {@code url}, {@code user}, {@code password_env} of a PostgreSQL warehouse; empty when one has a problem (reported). */
    private static Optional<ServerConnection> server(Fields fields) {
        Optional<String> url = fields.requiredText("url", "the JDBC URL, such as jdbc:postgresql://127.0.0.1:5432/analytics");
        if (url.isPresent() && !url.get().startsWith(POSTGRES_URL_PREFIX)) {
            fields.problemAt("url", "expected a JDBC URL starting with " + POSTGRES_URL_PREFIX
                    + ", such as jdbc:postgresql://127.0.0.1:5432/analytics, got '" + url.get() + "'");
            url = Optional.empty();
        }
        Optional<String> user = fields.optionalText("user", "the role to log in as");
        Optional<String> variable = fields.optionalText("password_env",
                "the name of the environment variable holding the password, such as PGPASSWORD");
        if (variable.isPresent() && !ServerConnection.isVariableName(variable.get())) {
            fields.problemAt("password_env", "expected the name of an environment variable such as PGPASSWORD "
                    + "(the variable holds the password; never write the password itself here), got '" + variable.get() + "'");
            variable = Optional.empty();
        }
        if (url.isEmpty() || fields.failed()) {
            return Optional.empty();
        }
        return Optional.of(new ServerConnection(url.get(), user, variable));
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
