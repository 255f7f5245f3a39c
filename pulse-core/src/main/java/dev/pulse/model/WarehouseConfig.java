package dev.pulse.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the SQL runs. For DuckDB, {@code database} is an absolute path to a database file, or empty
 * for an in-memory database. For PostgreSQL, {@code server} says how to connect; for Spark, {@code spark}
 * how to start the session.
 *
 * @param resultsTable  the table {@code pulse analyze} writes its results to in long form; empty: none
 *                      is written
 * @param stagingSchema the schema {@code pulse analyze --materialize} writes its staging tables to;
 *                      empty: the connection's default schema
 * @param server        the server to connect to: present exactly for engines reached as a
 *                      {@link Engine.Connection#SERVER}
 * @param spark         the session's master and settings: present exactly for engines reached as a
 *                      {@link Engine.Connection#SESSION}
 * @param bigQuery      the project, location, dataset, labels and byte limit: present exactly for engines reached
 *                      through a {@link Engine.Connection#CLIENT_LIBRARY}
 */
public record WarehouseConfig(Engine engine, Optional<Path> database, Optional<TableName> resultsTable,
                              Optional<String> stagingSchema, Optional<ServerConnection> server,
                              Optional<SparkSettings> spark, Optional<BigQuerySettings> bigQuery) {
    /** The prefix of a staging table's name; the experiment's name follows it. */
    public static final String STAGING_PREFIX = "pulse_staging_";

    public WarehouseConfig {
        Objects.requireNonNull(engine);
        Objects.requireNonNull(database);
        Objects.requireNonNull(resultsTable);
        Objects.requireNonNull(stagingSchema);
        Objects.requireNonNull(server);
        Objects.requireNonNull(spark);
        Objects.requireNonNull(bigQuery);
        if (server.isPresent() != (engine.connection() == Engine.Connection.SERVER)) {
            throw new IllegalArgumentException("engine " + engine + " " + (server.isPresent() ? "takes no" : "needs a")
                    + " server connection");
        }
        if (spark.isPresent() != (engine.connection() == Engine.Connection.SESSION)) {
            throw new IllegalArgumentException("engine " + engine + " " + (spark.isPresent() ? "takes no" : "needs")
                    + " Spark settings");
        }
        if (bigQuery.isPresent() != (engine.connection() == Engine.Connection.CLIENT_LIBRARY)) {
            throw new IllegalArgumentException("engine " + engine + " " + (bigQuery.isPresent() ? "takes no" : "needs")
                    + " BigQuery settings");
        }
        if (stagingSchema.isPresent() && stagingSchema.get().isBlank()) {
            throw new IllegalArgumentException("a staging schema needs a name");
        }
    }

    /** A warehouse reached by anything but a client library (no BigQuery settings): the form before BigQuery. */
    public WarehouseConfig(Engine engine, Optional<Path> database, Optional<TableName> resultsTable,
                           Optional<String> stagingSchema, Optional<ServerConnection> server,
                           Optional<SparkSettings> spark) {
        this(engine, database, resultsTable, stagingSchema, server, spark, Optional.empty());
    }

    /** A DuckDB database in the file {@code database} (an absolute path) that writes no tables. */
    public static WarehouseConfig duckDb(Path database) {
        return new WarehouseConfig(Engine.DUCKDB, Optional.of(database), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** An in-memory DuckDB that writes no tables: the default when the config names no warehouse. */
    public static WarehouseConfig inMemoryDuckDb() {
        return new WarehouseConfig(Engine.DUCKDB, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** A PostgreSQL warehouse that writes no tables. */
    public static WarehouseConfig postgres(ServerConnection server) {
        return new WarehouseConfig(Engine.POSTGRES, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(server),
                Optional.empty(), Optional.empty());
    }

    /** A Databricks SQL warehouse that writes no tables. */
    public static WarehouseConfig databricks(ServerConnection server) {
        return new WarehouseConfig(Engine.DATABRICKS, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(server),
                Optional.empty());
    }

    /** A Spark warehouse that writes no tables. */
    public static WarehouseConfig spark(SparkSettings settings) {
        return new WarehouseConfig(Engine.SPARK, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(settings), Optional.empty());
    }

    /** A BigQuery warehouse that writes no tables. */
    public static WarehouseConfig bigQuery(BigQuerySettings settings) {
        return new WarehouseConfig(Engine.BIGQUERY, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(settings));
    }

    /** This warehouse, writing the results of {@code pulse analyze} to {@code table}. */
    public WarehouseConfig withResultsTable(TableName table) {
        return new WarehouseConfig(engine, database, Optional.of(table), stagingSchema, server, spark, bigQuery);
    }

    /** This warehouse, writing the staging tables of {@code pulse analyze --materialize} to {@code schema}. */
    public WarehouseConfig withStagingSchema(String schema) {
        return new WarehouseConfig(engine, database, resultsTable, Optional.of(schema), server, spark, bigQuery);
    }

    /**
     * The staging table of {@code experiment}: {@code [staging_schema.]pulse_staging_<experiment>}; on BigQuery
     * without a staging schema, in the default dataset (BigQuery names every table with its dataset).
     */
    public TableName stagingTable(ExperimentName experiment) {
        String name = STAGING_PREFIX + experiment.value();
        Optional<String> schema = stagingSchema.or(() -> bigQuery.flatMap(BigQuerySettings::dataset));
        return new TableName(schema.map(s -> List.of(s, name)).orElse(List.of(name)));
    }
}
