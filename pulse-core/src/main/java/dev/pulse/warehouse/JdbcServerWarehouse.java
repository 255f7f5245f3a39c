package dev.pulse.warehouse;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;

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
 * A warehouse on a server, reached through its vendor's JDBC driver: the part every server engine shares. The
 * password comes only from the environment variable the config names ({@code password_env}); each query gets a
 * new statement that {@link #cancel} can reach; every text passes the engine's one-statement check first; a
 * failure carries the server's message. What differs between engines is its {@link ServerDriver}.
 */
final class JdbcServerWarehouse implements Warehouse {

    private final ServerDriver driver;
    private final Connection connection;
    private final Cancellation cancellation = new Cancellation();

    private JdbcServerWarehouse(ServerDriver driver, Connection connection) {
        this.driver = Objects.requireNonNull(driver);
        this.connection = Objects.requireNonNull(connection);
    }

    /**
     * Connects to the server of {@code config} through {@code driver}, looking the password variable up in
     * {@code environment}, then checks the connection and sets the session up.
     *
     * @throws PulseException CONFIG_INVALID when the password variable is not set; WAREHOUSE_FAILED when the
     *                        driver is missing, or the server cannot be reached or refuses the login
     */
    static Warehouse open(WarehouseConfig config, ServerDriver driver, Function<String, String> environment) {
        if (config.engine() != driver.engine()) {
            throw new IllegalArgumentException("not a " + driver.displayName() + " warehouse: " + config.engine());
        }
        ServerConnection server = config.server().orElseThrow();
        Properties properties = driver.properties(server);
        server.user().ifPresent(user -> properties.setProperty("user", user));
        server.passwordVariable().ifPresent(variable -> {
            String password = environment.apply(variable);
            if (password == null) {
                throw new PulseException(PulseException.Category.CONFIG_INVALID, "warehouse.password_env: the environment "
                        + "variable " + variable + " is not set; set it to the password"
                        + server.user().map(user -> " of " + user).orElse("") + " (export " + variable + "=…)");
            }
            properties.setProperty("password", password);
        });
        String where = driver.displayName() + " at " + server.url() + server.user().map(user -> " as " + user).orElse("");
        Connection connection;
        try {
            connection = DriverManager.getConnection(server.url(), properties);
        } catch (SQLException e) {
            if ("08001".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
                throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "cannot connect to " + where
                        + ": the " + driver.displayName() + " JDBC driver (" + driver.driverArtifact()
                        + ") is not on the classpath", e);
            }
            throw Jdbc.failed("cannot connect to " + where, e);
        }
        JdbcServerWarehouse warehouse = new JdbcServerWarehouse(driver, connection);
        try {
            driver.checkConnection(connection, server.url());
            driver.sessionSettings().forEach(warehouse::execute);
        } catch (PulseException e) {
            warehouse.close();
            throw e;
        }
        return warehouse;
    }

    private void oneStatement(String sql) {
        driver.oneStatement(connection, sql);
    }

    @Override
    public Engine engine() {
        return driver.engine();
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

    /** Streams with the driver's fetch size; inside a read-only transaction, rolled back, where the driver needs one. */
    @Override
    public void forEachBatch(String sql, int batchSize, Consumer<List<List<Object>>> consumer) {
        if (!driver.cursorsNeedTransaction()) {
            Jdbc.forEachBatch(connection, cancellation, this::oneStatement, sql, batchSize, consumer);
            return;
        }
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
     * One transaction where the engine has them: tables dropped and created inside it are replaced for other
     * sessions only at the commit; a failure rolls it back. Where it has none ({@link ServerDriver#transactions}),
     * the statements run one after the other, and the dialect replaces tables by renaming.
     */
    @Override
    public void transaction(Consumer<Transaction> work) {
        if (driver.transactions()) {
            Jdbc.transaction(connection, cancellation, this::oneStatement, work);
        } else {
            work.accept(Jdbc.statements(connection, cancellation, this::oneStatement));
        }
    }

    /** The driver asks the server to cancel the statement running now. */
    @Override
    public void cancel() {
        cancellation.cancel();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw Jdbc.failed("cannot close the " + driver.displayName() + " connection", e);
        }
    }
}
