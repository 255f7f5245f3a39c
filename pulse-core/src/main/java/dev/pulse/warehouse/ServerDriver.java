package dev.pulse.warehouse;

import dev.pulse.model.Engine;
import dev.pulse.model.ServerConnection;

import java.sql.Connection;
import java.util.List;
import java.util.Properties;

/**
 * What differs between the engines Pulse reaches as a server through their vendor's JDBC driver
 * ({@link JdbcServerWarehouse}): one implementation per engine, beside its dialect. Everything else (a new
 * statement per query, cancellation, cursors, transactions, error mapping) is shared.
 */
interface ServerDriver {

    /** The engine this driver reaches. */
    Engine engine();

    /** The engine's name in messages: {@code PostgreSQL}. */
    String displayName();

    /** The driver's Maven coordinates, named when it is not on the classpath: {@code org.postgresql:postgresql}. */
    String driverArtifact();

    /**
     * The driver's connection properties besides {@code user} and {@code password} (timeouts, application
     * name, the session time zone where the driver takes it as a property).
     */
    default Properties properties(ServerConnection server) {
        return new Properties();
    }

    /**
     * Statements run on every new connection, after {@link #checkConnection}, so that they win over the
     * server's, the database's and the user's defaults: what Pulse's SQL relies on (UTC, literal syntax).
     */
    default List<String> sessionSettings() {
        return List.of();
    }

    /** Checks the connection the driver opened (a setting in the URL that would break a guarantee); throws to refuse it. */
    default void checkConnection(Connection connection, String url) {}

    /**
     * Throws INPUT_INVALID unless {@code sql} is exactly one statement for this engine and its driver
     * ({@link OneStatement}): the check every text passes before the driver sees it.
     */
    void oneStatement(Connection connection, String sql);

    /**
     * Whether the driver streams a result with a fetch size only inside a transaction (PostgreSQL's); then
     * {@link JdbcServerWarehouse#forEachBatch} opens one and rolls it back at the end.
     */
    default boolean cursorsNeedTransaction() {
        return false;
    }

    /**
     * Whether the connection runs several statements as one transaction ({@code setAutoCommit(false)}).
     * Where not, {@link JdbcServerWarehouse#transaction} runs them one after the other, and the dialect's
     * {@code transactionalDdl()} is false so that tables are replaced by building beside and renaming.
     */
    default boolean transactions() {
        return true;
    }
}
