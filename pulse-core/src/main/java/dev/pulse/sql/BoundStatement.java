package dev.pulse.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A statement with parameters and their values, in order: each parameter's marker is
 * {@link Dialect#parameter}{@code (index)} — {@code ?} for JDBC, {@code :p0}, {@code :p1}, … for Spark. Values
 * read back from the warehouse (group names, dimension values) reach a later statement only this way, never as
 * SQL text: whatever they hold — quotes, backslashes, NUL, {@code $$} — they are data to the engine, under any
 * session setting.
 *
 * @param sql        the statement with the dialect's parameter markers
 * @param parameters the values, a {@code String}, {@code Long}, {@code Double}, {@code java.time.Instant} (Spark)
 *                   or null each
 */
public record BoundStatement(String sql, List<Object> parameters) {
    public BoundStatement {
        Objects.requireNonNull(sql);
        parameters = Collections.unmodifiableList(new ArrayList<>(parameters)); // List.copyOf refuses null values
    }
}
