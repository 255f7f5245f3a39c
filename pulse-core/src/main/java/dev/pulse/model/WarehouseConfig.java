package dev.pulse.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the SQL runs. For DuckDB, {@code database} is an absolute path to a database file, or empty
 * for an in-memory database. For PostgreSQL, {@code server} says how to connect.
 *
 * @param resultsTable  the table {@code pulse analyze} writes its results to in long form; empty: none
 *                      is written
 * @param stagingSchema the schema {@code pulse analyze --materialize} writes its staging tables to;
 *                      empty: the connection's default schema
 * @param server        the server to connect to: present exactly for server engines (PostgreSQL)
 */
public record WarehouseConfig(Engine engine, Optional<Path> database, Optional<TableName> resultsTable,
                              Optional<String> stagingSchema, Optional<ServerConnection> server) {
    /** The prefix of a staging table's name; the experiment's name follows it. */
    public static final String STAGING_PREFIX = "pulse_staging_";

    public WarehouseConfig {
        Objects.requireNonNull(engine);
        Objects.requireNonNull(database);
        Objects.requireNonNull(resultsTable);
        Objects.requireNonNull(stagingSchema);
        Objects.requireNonNull(server);
        if (server.isPresent() != (engine == Engine.POSTGRES)) {
            throw new IllegalArgumentException("engine " + engine + " " + (server.isPresent() ? "takes no" : "needs a")
                    + " server connection");
        }
        if (stagingSchema.isPresent() && stagingSchema.get().isBlank()) {
            throw new IllegalArgumentException("a staging schema needs a name");
        }
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
