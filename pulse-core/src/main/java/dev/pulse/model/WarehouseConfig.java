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
 * @param server        the server to connect to: present exactly for server engines (PostgreSQL)
 * @param spark         the Spark session's master and settings: present exactly for engine Spark
 */
public record WarehouseConfig(Engine engine, Optional<Path> database, Optional<TableName> resultsTable,
                              Optional<String> stagingSchema, Optional<ServerConnection> server,
                              Optional<SparkSettings> spark) {
    /** The prefix of a staging table's name; the experiment's name follows it. */
    public static final String STAGING_PREFIX = "pulse_staging_";

    public WarehouseConfig {
        Objects.requireNonNull(engine);
        Objects.requireNonNull(database);
        Objects.requireNonNull(resultsTable);
        Objects.requireNonNull(stagingSchema);
        Objects.requireNonNull(server);
        Objects.requireNonNull(spark);
        if (server.isPresent() != (engine == Engine.POSTGRES)) {
            throw new IllegalArgumentException("engine " + engine + " " + (server.isPresent() ? "takes no" : "needs a")
                    + " server connection");
        }
        if (spark.isPresent() != (engine == Engine.SPARK)) {
            throw new IllegalArgumentException("engine " + engine + " " + (spark.isPresent() ? "takes no" : "needs")
                    + " Spark settings");
        }
        if (stagingSchema.isPresent() && stagingSchema.get().isBlank()) {
            throw new IllegalArgumentException("a staging schema needs a name");
        }
    }

    /** A warehouse with its server (PostgreSQL) or without one (DuckDB; Spark with the settings of spark-submit). */
    public WarehouseConfig(Engine engine, Optional<Path> database, Optional<TableName> resultsTable,
                           Optional<String> stagingSchema, Optional<ServerConnection> server) {
        this(engine, database, resultsTable, stagingSchema, server,
                engine == Engine.SPARK ? Optional.of(SparkSettings.FROM_SUBMIT) : Optional.empty());
    }

    /** A warehouse without a server (DuckDB). */
    public WarehouseConfig(Engine engine, Optional<Path> database, Optional<TableName> resultsTable,
                           Optional<String> stagingSchema) {
        this(engine, database, resultsTable, stagingSchema, Optional.empty());
    }

    /** A PostgreSQL warehouse that writes no tables. */
    public static WarehouseConfig postgres(ServerConnection server) {
        return new WarehouseConfig(Engine.POSTGRES, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(server));
    }

    /** A Spark warehouse that writes no tables. */
    public static WarehouseConfig spark(SparkSettings settings) {
        return new WarehouseConfig(Engine.SPARK, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(settings));
    }

    /** A warehouse that writes no tables. */
    public WarehouseConfig(Engine engine, Optional<Path> database) {
        this(engine, database, Optional.empty(), Optional.empty());
    }

    /** An in-memory DuckDB: the default when the config names no warehouse. */
    public static WarehouseConfig inMemoryDuckDb() {
        return new WarehouseConfig(Engine.DUCKDB, Optional.empty());
    }

    /** The staging table of {@code experiment}: {@code [staging_schema.]pulse_staging_<experiment>}. */
    public TableName stagingTable(ExperimentName experiment) {
        String name = STAGING_PREFIX + experiment.value();
        return new TableName(stagingSchema.map(schema -> List.of(schema, name)).orElse(List.of(name)));
    }
}
