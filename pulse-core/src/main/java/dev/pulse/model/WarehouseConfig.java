package dev.pulse.model;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the SQL runs. For DuckDB, {@code database} is an absolute path to a database file, or empty
 * for an in-memory database.
 */
public record WarehouseConfig(Engine engine, Optional<Path> database) {
    public WarehouseConfig {
        Objects.requireNonNull(engine);
        Objects.requireNonNull(database);
    }

    /** An in-memory DuckDB: the default when the config names no warehouse. */
    public static WarehouseConfig inMemoryDuckDb() {
        return new WarehouseConfig(Engine.DUCKDB, Optional.empty());
    }
}
