package dev.pulse.warehouse;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.WarehouseConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Embedded DuckDB over JDBC: in memory, or the config's database file. DuckDB closes a
 * {@link Statement} after a failed query, so each query gets a new one (TOOLCHAIN).
 */
public final class DuckDbWarehouse implements Warehouse {
    /**
     * Test hook, read only by the DuckDB and PostgreSQL warehouses: milliseconds to sleep inside
     * {@link #transaction} after its work and before the commit, so that a test can kill the process while a
     * write is open, or start a second writer then. When set, a line
     * starting with {@link #PAUSE_MARKER} goes to stderr as the pause begins. Unset: no pause.
     */
    public static final String PAUSE_BEFORE_COMMIT_PROPERTY = "pulse.test.pauseBeforeCommitMillis";
    /** The start of the stderr line announcing the test pause. */
    public static final String PAUSE_MARKER = "pulse test hook: pausing before commit";

    private final Connection connection;
    private final Cancellation cancellation = new Cancellation();

    private DuckDbWarehouse(Connection connection) {
        this.connection = Objects.requireNonNull(connection);
    }

    /**
     * Opens the warehouse of {@code config}, which must be a DuckDB one. The session time zone is
     * set to UTC so that timestamps with a time zone compare with Pulse's UTC literals as docs/concepts.md
     * says.
     */
    public static DuckDbWarehouse open(WarehouseConfig config) {
        if (config.engine() != Engine.DUCKDB) {
            throw new IllegalArgumentException("not a DuckDB warehouse: " + config.engine());
        }
        String url = "jdbc:duckdb:" + config.database().map(path -> path.toAbsolutePath().toString()).orElse("");
        Connection connection;
        try {
            connection = DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw Jdbc.failed("cannot open DuckDB database " + config.database().map(Object::toString).orElse("(in memory)"), e);
        }
        DuckDbWarehouse warehouse = new DuckDbWarehouse(connection);
        try {
            warehouse.execute("SET TimeZone = 'UTC'");
        } catch (PulseException e) {
            warehouse.close();
            throw e;
        }
        return warehouse;
    }

    @Override
    public Engine engine() {
        return Engine.DUCKDB;
    }

    /** Failures of {@link #execute} and {@link #query} carry exactly DuckDB's message. */
    @Override
    public void execute(String sql) {
        Jdbc.execute(connection, cancellation, this::oneStatement, sql);
    }

    @Override
    public QueryResult query(String sql) {
        return Jdbc.query(connection, cancellation, this::oneStatement, sql);
    }

    @Override
    public void execute(String sql, List<?> parameters) {
        Jdbc.executeBatch(connection, cancellation, this::oneStatement, sql, List.of(new ArrayList<Object>(parameters)));
    }

    @Override
    public QueryResult query(String sql, List<?> parameters) {
        return Jdbc.query(connection, cancellation, this::oneStatement, sql, parameters);
    }

    @Override
    public void forEachBatch(String sql, int batchSize, Consumer<List<List<Object>>> consumer) {
        Jdbc.forEachBatch(connection, cancellation, this::oneStatement, sql, batchSize, consumer);
    }

    /**
     * DuckDB's DDL is transactional: a table dropped and created again inside the transaction is
     * replaced for other readers only at the commit, and a process killed before it leaves the
     * database file as it was (the write-ahead log holds only committed transactions).
     */
    @Override
    public void transaction(Consumer<Transaction> work) {
        Jdbc.transaction(connection, cancellation, this::oneStatement, work);
    }

    /** DuckDB's JDBC driver runs every statement of a text: refuse one that holds more than one. */
    private void oneStatement(String sql) {
        OneStatement.duckDb(connection, sql);
    }

    /** The pause of {@link #PAUSE_BEFORE_COMMIT_PROPERTY}, if set. */
    static void pauseForTests() {
        long millis = Long.getLong(PAUSE_BEFORE_COMMIT_PROPERTY, 0L);
        if (millis > 0) {
            System.err.println(PAUSE_MARKER + " for " + millis + " ms");
            System.err.flush();
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** DuckDB interrupts the query running now; it fails with "INTERRUPT Error: Interrupted!". */
    @Override
    public void cancel() {
        cancellation.cancel();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw Jdbc.failed("cannot close DuckDB", e);
        }
    }
}
