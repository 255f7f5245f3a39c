package dev.pulse.warehouse;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.WarehouseConfig;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Embedded DuckDB over JDBC: in memory, or the config's database file. DuckDB closes a
 * {@link Statement} after a failed query, so each query gets a new one (TOOLCHAIN).
 */
public final class DuckDbWarehouse implements Warehouse {
    /**
     * Test hook, read only here: milliseconds to sleep inside {@link #transaction} after its work and
     * before the commit, so that a test can kill the process while a write is open. When set, a line
     * starting with {@link #PAUSE_MARKER} goes to stderr as the pause begins. Unset: no pause.
     */
    public static final String PAUSE_BEFORE_COMMIT_PROPERTY = "pulse.test.pauseBeforeCommitMillis";
    /** The start of the stderr line announcing the test pause. */
    public static final String PAUSE_MARKER = "pulse test hook: pausing before commit";

    private final Connection connection;

    private DuckDbWarehouse(Connection connection) {
        this.connection = Objects.requireNonNull(connection);
    }

    /**
     * Opens the warehouse of {@code config}, which must be a DuckDB one. The session time zone is
     * set to UTC so that timestamps with a time zone compare with Pulse's UTC literals as DESIGN §2
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
            throw failed("cannot open DuckDB database " + config.database().map(Object::toString).orElse("(in memory)"), e);
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
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, message(e), e);
        }
    }

    @Override
    public QueryResult query(String sql) {
        try (Statement statement = connection.createStatement();
             ResultSet resultSet = statement.executeQuery(sql)) {
            ResultSetMetaData metaData = resultSet.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= metaData.getColumnCount(); i++) {
                columns.add(metaData.getColumnLabel(i));
            }
            List<QueryResult.Row> rows = new ArrayList<>();
            while (resultSet.next()) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (int i = 1; i <= columns.size(); i++) {
                    values.put(columns.get(i - 1), resultSet.getObject(i));
                }
                rows.add(new QueryResult.Row(values));
            }
            return new QueryResult(columns, rows);
        } catch (SQLException e) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, message(e), e);
        }
    }

    @Override
    public void forEachBatch(String sql, int batchSize, Consumer<List<List<Object>>> consumer) {
        Jdbc.forEachBatch(connection, sql, batchSize, consumer);
    }

    /**
     * DuckDB's DDL is transactional: a table dropped and created again inside the transaction is
     * replaced for other readers only at the commit, and a process killed before it leaves the
     * database file as it was (the write-ahead log holds only committed transactions).
     */
    @Override
    public void transaction(Consumer<Transaction> work) {
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw failed("cannot begin a transaction", e);
        }
        boolean committed = false;
        try {
            work.accept(new Transaction() {
                @Override
                public void execute(String sql) {
                    DuckDbWarehouse.this.execute(sql);
                }

                @Override
                public void executeBatch(String sql, List<List<Object>> rows) {
                    try (PreparedStatement statement = connection.prepareStatement(sql)) {
                        for (List<Object> row : rows) {
                            for (int i = 0; i < row.size(); i++) {
                                statement.setObject(i + 1, row.get(i));
                            }
                            statement.addBatch();
                        }
                        statement.executeBatch();
                    } catch (SQLException e) {
                        throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, message(e), e);
                    }
                }
            });
            pauseForTests();
            connection.commit();
            committed = true;
        } catch (SQLException e) {
            throw failed("cannot commit", e);
        } finally {
            if (!committed) {
                try {
                    connection.rollback();
                } catch (SQLException e) {
                    // the failure that got us here is the one to report
                }
            }
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                // the connection is unusable; the next statement reports it
            }
        }
    }

    private static void pauseForTests() {
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

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failed("cannot close DuckDB", e);
        }
    }

    private static PulseException failed(String context, SQLException e) {
        return new PulseException(PulseException.Category.WAREHOUSE_FAILED, context + ": " + message(e), e);
    }

    /** The warehouse's own message, without the driver's stack of causes. */
    private static String message(SQLException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.strip();
    }
}
