package dev.pulse.warehouse;

import dev.pulse.model.Engine;

/**
 * A connection to where the data lives. Every failure is a {@link dev.pulse.error.PulseException}
 * with category WAREHOUSE_FAILED carrying the warehouse's own message.
 */
public interface Warehouse extends AutoCloseable {

    /** The engine behind this warehouse (the analysis picks its SQL dialect from it). */
    Engine engine();

    /** Runs a statement that returns no rows we need (DDL, COPY, INSERT). */
    void execute(String sql);

    /**
     * Runs a statement that returns no rows, its parameters (the markers of the engine's
     * {@code dev.pulse.sql.Dialect#parameter}: {@code ?} over JDBC, {@code :p0, :p1, …} on Spark) bound to
     * {@code parameters} in order ({@code String}, {@code Long}, {@code Double} or null; on Spark also
     * {@code java.time.Instant}) — never written into its text.
     */
    void execute(String sql, java.util.List<?> parameters);

    /**
     * Runs {@code statements}, the setup a source needs before statements read it (the dialect's
     * {@code fileSetup}: Spark registers a CSV file as a temporary view). A warehouse may skip statements it
     * already ran, so that a source read by several statements of a run is set up once; the default runs
     * them every time.
     */
    default void setUp(java.util.List<String> statements) {
        statements.forEach(this::execute);
    }

    /** Runs a query and returns all its rows; meant for small results. */
    QueryResult query(String sql);

    /**
     * Runs a query whose parameters (as for {@link #execute(String, java.util.List)}) take {@code parameters} in
     * order ({@code String}, {@code Long}, {@code Double} or null), and returns all its rows. The values are bound,
     * never written into the SQL text: the way values read from the data reach a later statement.
     */
    QueryResult query(String sql, java.util.List<?> parameters);

    /**
     * Runs a query and hands its rows to {@code consumer} in lists of at most {@code batchSize} rows,
     * without holding the whole result: for copying tables. Each row's values are in column order
     * (timestamps without time zone as {@link java.time.LocalDateTime}).
     */
    void forEachBatch(String sql, int batchSize, java.util.function.Consumer<java.util.List<java.util.List<Object>>> consumer);

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws, so
     * that a failed or killed write leaves what was there before.
     */
    void transaction(java.util.function.Consumer<Transaction> work);

    /**
     * Aborts the work running now, from another thread (the web app's Cancel): the call running a statement
     * fails soon with WAREHOUSE_FAILED instead of running to its end. Afterwards the warehouse is only to be
     * closed; DuckDB and PostgreSQL refuse every later statement, so a cancel that lands between two
     * statements stops the work too. Safe from any thread, at any time, more than once, also after close.
     */
    void cancel();

    /** Closes the connection; failures to close are reported like any other. */
    @Override
    void close();
}
