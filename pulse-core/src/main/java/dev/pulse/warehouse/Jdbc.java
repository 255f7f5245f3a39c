package dev.pulse.warehouse;

import dev.pulse.error.PulseException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * JDBC steps shared by the warehouses: a new {@link Statement} per query, registered with the warehouse's
 * {@link Cancellation} while it runs; failures as WAREHOUSE_FAILED. Every text first passes the warehouse's
 * {@code oneStatement} check ({@link OneStatement}), because the drivers run every statement of a text.
 */
final class Jdbc {

    private Jdbc() {}

    static void execute(Connection connection, Cancellation cancellation, Consumer<String> oneStatement, String sql) {
        oneStatement.accept(sql);
        try (Statement statement = connection.createStatement()) {
            cancellation.run(statement, () -> statement.execute(sql));
        } catch (SQLException e) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, message(e), e);
        }
    }

    static QueryResult query(Connection connection, Cancellation cancellation, Consumer<String> oneStatement, String sql) {
        oneStatement.accept(sql);
        try (Statement statement = connection.createStatement()) {
            return cancellation.run(statement, () -> rows(statement.executeQuery(sql)));
        } catch (SQLException e) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, message(e), e);
        }
    }

    /**
     * {@link #query} with {@code ?} parameters bound to {@code parameters} in order: values that come from the
     * data never become SQL text.
     */
    static QueryResult query(Connection connection, Cancellation cancellation, Consumer<String> oneStatement, String sql,
            List<?> parameters) {
        oneStatement.accept(sql);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            return cancellation.run(statement, () -> rows(statement.executeQuery()));
        } catch (SQLException e) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, message(e), e);
        }
    }

    /** All rows of {@code result}, each by column label; closes it. */
    private static QueryResult rows(ResultSet result) throws SQLException {
        try (ResultSet resultSet = result) {
            List<String> columns = columns(resultSet.getMetaData());
            List<QueryResult.Row> rows = new ArrayList<>();
            while (resultSet.next()) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (int i = 1; i <= columns.size(); i++) {
                    values.put(columns.get(i - 1), resultSet.getObject(i));
                }
                rows.add(new QueryResult.Row(values));
            }
            return new QueryResult(columns, rows);
        }
    }

    /**
     * Streams the rows of {@code sql} to {@code consumer} in lists of at most {@code batchSize}, each
     * row's values in column order; timestamps without time zone as {@link LocalDateTime}.
     */
    static void forEachBatch(Connection connection, Cancellation cancellation, Consumer<String> oneStatement, String sql,
            int batchSize, Consumer<List<List<Object>>> consumer) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("a batch holds at least one row: " + batchSize);
        }
        oneStatement.accept(sql);
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(batchSize);
            cancellation.run(statement, () -> batches(statement.executeQuery(sql), batchSize, consumer));
        } catch (SQLException e) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, message(e), e);
        }
    }

    /** Hands the rows to {@code consumer} in batches; a {@code Void} so that it can be a {@link Cancellation.Work}. */
    private static Void batches(ResultSet rows, int batchSize, Consumer<List<List<Object>>> consumer) throws SQLException {
        try (ResultSet resultSet = rows) {
            ResultSetMetaData metaData = resultSet.getMetaData();
            int count = metaData.getColumnCount();
            List<List<Object>> batch = new ArrayList<>();
            while (resultSet.next()) {
                List<Object> row = new ArrayList<>(count);
                for (int i = 1; i <= count; i++) {
                    row.add(metaData.getColumnType(i) == Types.TIMESTAMP
                            ? resultSet.getObject(i, LocalDateTime.class)
                            : resultSet.getObject(i));
                }
                batch.add(row);
                if (batch.size() == batchSize) {
                    consumer.accept(batch);
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                consumer.accept(batch);
            }
        }
        return null;
    }

    static void executeBatch(Connection connection, Cancellation cancellation, Consumer<String> oneStatement, String sql,
            List<List<Object>> rows) {
        oneStatement.accept(sql);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (List<Object> row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    statement.setObject(i + 1, row.get(i));
                }
                statement.addBatch();
            }
            cancellation.run(statement, statement::executeBatch);
        } catch (SQLException e) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, message(e.getNextException() != null
                    ? e.getNextException() : e), e);
        }
    }

    /** The statements of a transaction on {@code connection}: each passes {@code oneStatement} first. */
    static Transaction statements(Connection connection, Cancellation cancellation, Consumer<String> oneStatement) {
        return new Transaction() {
            @Override
            public void execute(String sql) {
                Jdbc.execute(connection, cancellation, oneStatement, sql);
            }

            @Override
            public void executeBatch(String sql, List<List<Object>> rows) {
                Jdbc.executeBatch(connection, cancellation, oneStatement, sql, rows);
            }

            @Override
            public QueryResult query(String sql) {
                return Jdbc.query(connection, cancellation, oneStatement, sql);
            }
        };
    }

    /**
     * Runs {@code work} in one transaction on {@code connection}: committed when it returns, rolled back when it
     * throws; auto-commit is back on afterwards.
     */
    static void transaction(Connection connection, Cancellation cancellation, Consumer<String> oneStatement,
            Consumer<Transaction> work) {
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw failed("cannot begin a transaction", e);
        }
        boolean committed = false;
        try {
            work.accept(statements(connection, cancellation, oneStatement));
            DuckDbWarehouse.pauseForTests();
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

    private static List<String> columns(ResultSetMetaData metaData) throws SQLException {
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            columns.add(metaData.getColumnLabel(i));
        }
        return columns;
    }

    static PulseException failed(String context, SQLException e) {
        return new PulseException(PulseException.Category.WAREHOUSE_FAILED, context + ": " + message(e), e);
    }

    /** The warehouse's own message, without the driver's stack of causes. */
    static String message(SQLException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.strip();
    }
}
