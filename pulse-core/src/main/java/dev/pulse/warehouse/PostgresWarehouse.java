package dev.pulse.warehouse;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;

import org.postgresql.PGConnection;
import org.postgresql.jdbc.PreferQueryMode;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A PostgreSQL server over JDBC. The password comes only from the environment variable the config
 * names. On connect the session sets what Pulse's SQL relies on ({@link #SESSION_SETTINGS}): among them
 * {@code standard_conforming_strings} on and {@code TimeZone} UTC, so that {@code timestamptz} columns
 * compare with Pulse's UTC literals as docs/concepts.md says. Each query gets a new statement; a failure
 * carries the server's message.
 *
 * <p>The session also turns nested-loop joins off ({@code enable_nestloop}): the planner cannot
 * estimate how many units survive the filter on the grouped exposures ({@code groups_seen = 1}), guesses
 * one, and joins the per-unit aggregates in a nested loop that re-runs the scan of the source once per
 * unit — 150 s instead of 1 s for the demo's 478,000 events. Pulse's joins are all equi-joins on the unit,
 * which hash and merge joins serve.
 */
public final class PostgresWarehouse implements Warehouse {
    /**
     * The settings Pulse's SQL relies on, set on every connection after it opens, so that they win over the
     * server's, the database's and the role's defaults ({@code ALTER DATABASE/ROLE … SET}) and over
     * {@code options} in the URL (docs/postgres.md, "Session settings"):
     * <ul>
     *   <li>{@code standard_conforming_strings = on}: in {@code '…'} only a doubled quote is special, as the
     *       dialect's literals assume; off, a backslash would be an escape (the dialect also writes a value holding
     *       a backslash as an {@code E'…'} literal, correct either way);</li>
     *   <li>{@code TimeZone = 'UTC'}: Pulse's timestamp literals are UTC wall-clock times, compared with
     *       {@code timestamptz} columns in the session's zone;</li>
     *   <li>{@code DateStyle = 'ISO, MDY'} and {@code IntervalStyle = 'postgres'}: how timestamps and intervals are
     *       read and shown (the JDBC driver also requires an ISO DateStyle);</li>
     *   <li>{@code extra_float_digits = 3}: doubles come back as text with every digit, so they round-trip;</li>
     *   <li>{@code default_transaction_isolation = 'read committed'}: the results table's write takes a lock and then
     *       deletes what the previous writer committed, which a snapshot taken before the lock would not see;</li>
     *   <li>{@code enable_nestloop = off}: see the class comment.</li>
     * </ul>
     * {@code search_path} is left as the role has it: the config's unqualified table names resolve through it.
     */
    static final List<String> SESSION_SETTINGS = List.of(
            "SET standard_conforming_strings = on",
            "SET TimeZone = 'UTC'",
            "SET DateStyle = 'ISO, MDY'",
            "SET IntervalStyle = 'postgres'",
            "SET extra_float_digits = 3",
            "SET default_transaction_isolation = 'read committed'",
            "SET enable_nestloop = off");

    /** Seconds to wait for a connection before reporting the server unreachable. */
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final Connection connection;
    private final Cancellation cancellation = new Cancellation();

    private PostgresWarehouse(Connection connection) {
        this.connection = Objects.requireNonNull(connection);
    }

    /** Opens the PostgreSQL warehouse of {@code config}, reading the password from the process environment. */
    public static PostgresWarehouse open(WarehouseConfig config) {
        return open(config, System::getenv);
    }

    /**
     * Opens the PostgreSQL warehouse of {@code config}, looking the password variable up in {@code environment}.
     *
     * @throws PulseException CONFIG_INVALID when the password variable is not set; WAREHOUSE_FAILED when
     *                        the server cannot be reached or refuses the login
     */
    public static PostgresWarehouse open(WarehouseConfig config, Function<String, String> environment) {
        if (config.engine() != Engine.POSTGRES) {
            throw new IllegalArgumentException("not a PostgreSQL warehouse: " + config.engine());
        }
        ServerConnection server = config.server().orElseThrow();
        Properties properties = new Properties();
        server.user().ifPresent(user -> properties.setProperty("user", user));
        server.passwordVariable().ifPresent(variable -> {
            String password = environment.apply(variable);
            if (password == null) {
                throw new PulseException(PulseException.Category.CONFIG_INVALID, "warehouse.password_env: the environment "
                        + "variable " + variable + " is not set; set it to the password"
                        + server.user().map(user -> " of role " + user).orElse("") + " (export " + variable + "=…)");
            }
            properties.setProperty("password", password);
        });
        properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", "pulse");
        properties.setProperty("reWriteBatchedInserts", "true");
        Connection connection;
        try {
            connection = DriverManager.getConnection(server.url(), properties);
        } catch (SQLException e) {
            throw Jdbc.failed("cannot connect to PostgreSQL at " + server.url()
                    + server.user().map(user -> " as " + user).orElse(""), e);
        }
        PostgresWarehouse warehouse = new PostgresWarehouse(connection);
        try {
            requireExtendedProtocol(connection, server.url());
            SESSION_SETTINGS.forEach(warehouse::execute);
        } catch (PulseException e) {
            warehouse.close();
            throw e;
        }
        return warehouse;
    }

    /**
     * The server refuses a Parse message of the extended query protocol that holds more than one command;
     * the simple protocol runs them all. A {@code preferQueryMode} in the URL wins over Pulse's properties,
     * so the mode the driver settled on is checked.
     */
    private static void requireExtendedProtocol(Connection connection, String url) {
        PreferQueryMode mode;
        try {
            mode = connection.unwrap(PGConnection.class).getPreferQueryMode();
        } catch (SQLException e) {
            throw Jdbc.failed("cannot read the PostgreSQL driver's query mode", e);
        }
        if (mode != PreferQueryMode.EXTENDED && mode != PreferQueryMode.EXTENDED_CACHE_EVERYTHING) {
            throw new PulseException(PulseException.Category.CONFIG_INVALID, "warehouse.url: preferQueryMode="
                    + mode.value() + " sends statements as plain text, which the server may run as several; Pulse "
                    + "needs the extended query protocol (remove preferQueryMode from " + url + ")");
        }
    }

    /** The driver splits a text at its semicolons and sends each piece: refuse one that holds more than one. */
    private void oneStatement(String sql) {
        OneStatement.postgres(connection, sql);
    }

    @Override
    public Engine engine() {
        return Engine.POSTGRES;
    }

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

    /**
     * Streams through a server-side cursor: the driver fetches {@code batchSize} rows at a time only
     * inside a transaction, so the read runs in one (read-only work, rolled back at the end).
     */
    @Override
    public void forEachBatch(String sql, int batchSize, Consumer<List<List<Object>>> consumer) {
        boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw Jdbc.failed("cannot begin a transaction", e);
        }
        try {
            Jdbc.forEachBatch(connection, cancellation, this::oneStatement, sql, batchSize, consumer);
        } finally {
            try {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            } catch (SQLException e) {
                // the connection is unusable; the next statement reports it
            }
        }
    }

    /**
     * PostgreSQL's DDL is transactional: tables dropped and created inside the transaction are
     * replaced for other sessions only at the commit; a failed statement aborts the transaction and
     * it is rolled back.
     */
    @Override
    public void transaction(Consumer<Transaction> work) {
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw Jdbc.failed("cannot begin a transaction", e);
        }
        boolean committed = false;
        try {
            work.accept(new Transaction() {
                @Override
                public void execute(String sql) {
                    Jdbc.execute(connection, cancellation, PostgresWarehouse.this::oneStatement, sql);
                }

                @Override
                public void executeBatch(String sql, List<List<Object>> rows) {
                    Jdbc.executeBatch(connection, cancellation, PostgresWarehouse.this::oneStatement, sql, rows);
                }
            });
            DuckDbWarehouse.pauseForTests();
            connection.commit();
            committed = true;
        } catch (SQLException e) {
            throw Jdbc.failed("cannot commit", e);
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

    /** The driver sends the server a cancel request for the statement running now (on a connection of its own). */
    @Override
    public void cancel() {
        cancellation.cancel();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw Jdbc.failed("cannot close the PostgreSQL connection", e);
        }
    }
}
