package dev.pulse.config;

import dev.pulse.model.BigQuerySettings;
import dev.pulse.model.Engine;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.SparkSettings;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads {@code warehouse:}: the engine, where its data lives (a DuckDB {@code database}, a PostgreSQL
 * {@code url}, {@code user} and {@code password_env}, or a Spark {@code master} and {@code conf}), and the
 * tables Pulse may write ({@code results_table}, {@code staging_schema}: on Spark a database).
 */
final class WarehouseSection {
    /** The connection keys of every engine (from its facts), then those every engine takes. */
    static final List<String> KEYS = ConfigSchema.WAREHOUSE.base().names();
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
        String engineName = fields.optionalText("engine", String.join(", ", Engine.configNames())).orElse("duckdb");
        Optional<Engine> named = Engine.ofConfigName(engineName);
        if (named.isEmpty()) {
            if (fields.has("engine") && !fields.failed()) {
                fields.problemAt("engine", "unknown engine '" + engineName + "'"
                        + Suggestions.hintOrList(engineName, Engine.configNames()));
            }
            return Optional.empty();
        }
        Engine engine = named.get();
        // a key of another kind of connection: name the engines that take it
        for (Engine.Connection other : Engine.Connection.values()) {
            if (other == engine.connection()) {
                continue;
            }
            for (String key : other.keys()) {
                String hint = hintFor(engine, key);
                fields.keyNode(key).ifPresent(k -> problems.add(k, fields.path(key), "'" + key + "' is for engine "
                        + String.join(" or ", engines(other)) + (hint.isEmpty() ? ", not " + engineName : hint)));
            }
        }
        // one switch expression over the kinds of connection: a new kind is flagged here by the compiler
        Connected connected = switch (engine.connection()) {
            case EMBEDDED -> new Connected(fields.has("database")
                    ? fields.optionalText("database", "a DuckDB database file").filter(file -> !file.equals(IN_MEMORY))
                            .map(file -> Path.of(SourceSection.resolve(file, configFolder)))
                    : Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true);
            case SERVER -> {
                Optional<ServerConnection> server = server(fields, engine);
                yield new Connected(Optional.empty(), server, Optional.empty(), Optional.empty(), server.isPresent());
            }
            case SESSION -> {
                Optional<SparkSettings> spark = spark(fields, problems);
                yield new Connected(Optional.empty(), Optional.empty(), spark, Optional.empty(), spark.isPresent());
            }
            case CLIENT_LIBRARY -> {
                Optional<BigQuerySettings> bigQuery = bigQuery(fields, problems);
                yield new Connected(Optional.empty(), Optional.empty(), Optional.empty(), bigQuery, bigQuery.isPresent());
            }
        };
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
        if (connected.bigQuery().isPresent() && resultsTable.isPresent() && resultsTable.get().parts().size() == 1
                && connected.bigQuery().get().dataset().isEmpty()) {
            fields.problemAt("results_table", "expected a dataset-qualified table name such as analytics."
                    + resultsTable.get().parts().get(0) + " (BigQuery names every table with its dataset), got '"
                    + resultsTable.get() + "'; or set 'dataset', the default dataset");
        }
        if (fields.failed() || !connected.complete()) {
            return Optional.empty();
        }
        return Optional.of(new WarehouseConfig(engine, connected.database(), resultsTable, stagingSchema,
                connected.server(), connected.spark(), connected.bigQuery()));
    }

    /** What the engine's kind of connection read; {@code complete} is false when a part has a problem. */
    private record Connected(Optional<Path> database, Optional<ServerConnection> server, Optional<SparkSettings> spark,
                             Optional<BigQuerySettings> bigQuery, boolean complete) {}

    /** The config names of the engines reached by {@code connection}. */
    private static List<String> engines(Engine.Connection connection) {
        return Arrays.stream(Engine.values()).filter(engine -> engine.connection() == connection)
                .map(Engine::configName).toList();
    }

    /** Where {@code engine} says what a DuckDB {@code database} means. */
    private static String hintFor(Engine engine, String key) {
        if (!key.equals("database")) {
            return "";
        }
        return switch (engine.connection()) {
            case EMBEDDED -> "";
            case SERVER -> "; for " + engine.configName() + " name the database in the url, such as "
                    + engine.exampleUrl().orElseThrow();
            case SESSION -> "; on " + engine.configName() + " name tables as database.table in 'table:' sources";
            case CLIENT_LIBRARY -> "; on " + engine.configName() + " set 'dataset' (the default dataset) or name tables "
                    + "as dataset.table in 'table:' sources";
        };
    }

    /**
     * {@code project} (required), {@code location}, {@code dataset}, {@code labels} (a map of label keys to values,
     * as BigQuery allows them) and {@code maximum_bytes_billed} (a positive whole number) of a BigQuery warehouse;
     * empty on a problem (reported). Credentials are not read here: the client library finds them.
     */
    private static Optional<BigQuerySettings> bigQuery(Fields fields, Problems problems) {
        Optional<String> project = fields.requiredText("project", "the Google Cloud project that runs the query jobs, "
                + "such as my-analytics-project");
        if (project.isPresent() && !BigQuerySettings.isProject(project.get())) {
            fields.problemAt("project", "expected a project ID such as my-analytics-project (6 to 30 lower-case "
                    + "letters, digits and '-', starting with a letter; the ID, not the project's display name), got '"
                    + project.get() + "'");
        }
        Optional<String> location = fields.optionalText("location", "where the jobs run, such as US, EU or europe-west1");
        Optional<String> dataset = fields.optionalText("dataset", "the default dataset, such as analytics");
        if (dataset.isPresent() && !BigQuerySettings.isDataset(dataset.get())) {
            fields.problemAt("dataset", "expected a dataset name such as analytics (letters, digits and '_'; "
                    + "write the project in 'project'), got '" + dataset.get() + "'");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        fields.value("labels").ifPresent(node -> labels(node, fields, problems, labels));
        OptionalLong limit = OptionalLong.empty();
        Optional<Double> bytes = fields.optionalNumber("maximum_bytes_billed",
                "a whole number of bytes such as 10000000000 (10 GB)");
        if (bytes.isPresent()) {
            double value = bytes.get();
            if (value < 1 || value != Math.rint(value) || value > 9.0e15) {
                fields.problemAt("maximum_bytes_billed", "expected a whole number of bytes from 1 to 9e15, such as "
                        + "10000000000 (10 GB), got " + Nodes.describe(fields.value("maximum_bytes_billed").orElseThrow()));
            } else {
                limit = OptionalLong.of((long) value);
            }
        }
        if (fields.failed() || project.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BigQuerySettings(project.get(), location.map(String::strip), dataset, labels, limit));
    }

    /** {@code labels:}, a map of BigQuery job labels; each bad key or value is reported where it is. */
    private static void labels(Node node, Fields fields, Problems problems, Map<String, String> labels) {
        String path = fields.path("labels");
        Optional<Map<String, Nodes.Entry>> entries = Nodes.mapping(node, path, problems,
                "a map of job labels, such as {team: growth, cost_center: cc-42}");
        if (entries.isEmpty()) {
            fields.fail();
            return;
        }
        String rule = "lower-case letters, digits, '_' and '-', at most 63 characters";
        entries.get().forEach((key, entry) -> {
            if (!BigQuerySettings.isLabelKey(key)) {
                problems.add(entry.key(), Nodes.child(path, key), "expected a label key (" + rule
                        + ", starting with a letter), got '" + Nodes.shortened(key) + "'");
                fields.fail();
            } else if (!(entry.value() instanceof ScalarNode scalar) || Nodes.isNull(scalar)
                    || !BigQuerySettings.isLabelValue(scalar.getValue())) {
                problems.add(entry.value(), Nodes.child(path, key), "expected a label value (" + rule + "), got "
                        + Nodes.describe(entry.value()));
                fields.fail();
            } else {
                labels.put(key, scalar.getValue());
            }
        });
        if (labels.size() > BigQuerySettings.MAX_LABELS) {
            fields.problemAt("labels", "expected at most " + BigQuerySettings.MAX_LABELS + " labels (BigQuery's limit "
                    + "per job), got " + labels.size());
        }
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

    /** {@code url}, {@code user}, {@code password_env} of a server engine; empty when one has a problem (reported). */
    private static Optional<ServerConnection> server(Fields fields, Engine engine) {
        String prefix = engine.urlPrefix().orElse("jdbc:");
        String example = engine.exampleUrl().orElseThrow();
        Optional<String> url = fields.requiredText("url", "the JDBC URL, such as " + example);
        if (url.isPresent() && !url.get().startsWith(prefix)) {
            fields.problemAt("url", "expected a JDBC URL starting with " + prefix
                    + ", such as " + example + ", got '" + url.get() + "'");
            url = Optional.empty();
        }
        Optional<String> user = fields.optionalText("user", "the role to log in as");
        Optional<String> variable = fields.optionalText("password_env",
                "the name of the environment variable holding the password, such as " + engine.examplePasswordVariable());
        if (variable.isPresent() && !ServerConnection.isVariableName(variable.get())) {
            fields.problemAt("password_env", "expected the name of an environment variable such as "
                    + engine.examplePasswordVariable() + " "
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
