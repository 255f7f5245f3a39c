package dev.pulse.warehouse;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;

import java.sql.Connection;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

/**
 * A Trino server (or Starburst) over Trino's JDBC driver, {@code io.trino:trino-jdbc} ({@link JdbcServerWarehouse},
 * which reads the password only from the environment variable the config names). The driver is referred to only
 * through {@code java.sql}: it is on the {@code pulse} jar's runtime classpath, not pulse-core's compile path.
 *
 * <p>The URL names the catalog and schema ({@code jdbc:trino://host:8443/hive/analytics?SSL=true}); the driver sends a
 * password only over TLS ({@code SSL=true}), and refuses otherwise. On connect the session's time zone is set to UTC
 * ({@code SET TIME ZONE 'UTC'}, after any {@code timezone=} in the URL), which Pulse's timestamp literals rely on.
 *
 * <p>Trino's connectors commit each statement on its own, so the statements of a {@link #transaction} run one after
 * the other, and tables are replaced by building beside and renaming (docs/trino.md).
 */
public final class TrinoWarehouse {

    /** What Pulse's SQL relies on: UTC wall-clock literals compared with {@code timestamp with time zone} columns. */
    static final List<String> SESSION_SETTINGS = List.of("SET TIME ZONE 'UTC'");

    private TrinoWarehouse() {}

    /** Opens the Trino warehouse of {@code config}, reading the password from the process environment. */
    public static Warehouse open(WarehouseConfig config) {
        return open(config, System::getenv);
    }

    /**
     * Opens the Trino warehouse of {@code config}, looking the password variable up in {@code environment}.
     *
     * @throws PulseException CONFIG_INVALID when the password variable is not set; WAREHOUSE_FAILED when the driver
     *                        is missing, or the server cannot be reached or refuses the login
     */
    public static Warehouse open(WarehouseConfig config, Function<String, String> environment) {
        return JdbcServerWarehouse.open(config, new Driver(), environment);
    }

    /** Trino's side of {@link JdbcServerWarehouse}. */
    private static final class Driver implements ServerDriver {
        @Override
        public Engine engine() {
            return Engine.TRINO;
        }

        @Override
        public String displayName() {
            return "Trino";
        }

        @Override
        public String driverArtifact() {
            return "io.trino:trino-jdbc";
        }

        /** {@code source=pulse}: how Trino's query list and event listeners name the client. */
        @Override
        public Properties properties(ServerConnection server) {
            Properties properties = new Properties();
            properties.setProperty("source", "pulse");
            return properties;
        }

        @Override
        public List<String> sessionSettings() {
            return SESSION_SETTINGS;
        }

        /** Pulse's scan with Trino's lexical rules; the server itself refuses a second statement in a request. */
        @Override
        public void oneStatement(Connection connection, String sql) {
            OneStatement.trino(sql);
        }

        /** Each statement commits on its own: most connectors refuse writes outside auto-commit. */
        @Override
        public boolean transactions() {
            return false;
        }
    }
}
