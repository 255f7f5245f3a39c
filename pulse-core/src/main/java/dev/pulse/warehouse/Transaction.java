package dev.pulse.warehouse;

import java.util.List;

/**
 * The statements of one {@link Warehouse#transaction}: other connections see all of their effects
 * once it commits, or none. Every failure is a {@link dev.pulse.error.PulseException} with category
 * WAREHOUSE_FAILED carrying the warehouse's own message.
 */
public interface Transaction {

    /** Runs a statement that returns no rows (DDL, DELETE, INSERT … SELECT). */
    void execute(String sql);

    /**
     * Runs {@code sql}, a statement with {@code ?} parameters, once per row of {@code rows}, binding
     * the row's values in order ({@code String}, {@code Double}, {@code Long}, {@code LocalDateTime},
     * or {@code null} for SQL NULL).
     */
    void executeBatch(String sql, List<List<Object>> rows);

    /**
     * Runs a query inside the transaction, seeing its writes so far, and returns all its rows (meant for small
     * results). Where the engine's transactions cannot read (BigQuery's here), it refuses.
     */
    default QueryResult query(String sql) {
        throw new UnsupportedOperationException("this warehouse runs no queries inside a transaction");
    }
}
