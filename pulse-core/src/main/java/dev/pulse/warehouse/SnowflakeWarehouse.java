package dev.pulse.warehouse;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;

import java.util.List;
import java.util.Properties;
import java.util.function.Function;

/**
 * Snowflake through Snowflake's JDBC driver ({@code net.snowflake:snowflake-jdbc}), on {@link JdbcServerWarehouse}.
 * The driver is not in the {@code pulse} jar (82 MB; docs/snowflake.md): without it on the class path the engine
 * stops with exit 3 naming it. Reached through {@link java.sql.DriverManager} and configured by properties only.
 */
public final class SnowflakeWarehouse {
    /**
     * Set on every connection (docs/snowflake.md, "Session settings"), after the same values went in as connection
     * properties: UTC for Pulse's {@code TIMESTAMP_NTZ} literals and day indexes; quoted names compared as written
     * (an account may set {@code QUOTED_IDENTIFIERS_IGNORE_CASE}); at most one statement per text.
     */
    static final List<String> SESSION_SETTINGS = List.of(
            "ALTER SESSION SET TIMEZONE = 'UTC'",
            "ALTER SESSION SET QUOTED_IDENTIFIERS_IGNORE_CASE = FALSE",
            "ALTER SESSION SET MULTI_STATEMENT_COUNT = 1");

    private SnowflakeWarehouse() {}

    /** Opens the Snowflake warehouse of {@code config}, reading the password from the process environment. */
    public static Warehouse open(WarehouseConfig config) {
        return open(config, System::getenv);
    }

    /**
     * Opens the Snowflake warehouse of {@code config}, looking the password variable up in {@code environment}.
     *
     * @throws PulseException CONFIG_INVALID when the password variable is not set; WAREHOUSE_FAILED when the driver
     *                        is not on the class path or the account cannot be reached
     */
    public static Warehouse open(WarehouseConfig config, Function<String, String> environment) {
        return JdbcServerWarehouse.open(config, new Driver(), environment);
    }

    /** Snowflake's side of {@link JdbcServerWarehouse}. */
    static final class Driver implements ServerDriver {
        @Override
        public Engine engine() {
            return Engine.SNOWFLAKE;
        }

        @Override
        public String displayName() {
            return "Snowflake";
        }

        /** Named when the driver is missing: with where to get it, as the pulse jar leaves it out. */
        @Override
        public String driverArtifact() {
            return "net.snowflake:snowflake-jdbc, which the pulse jar leaves out: put snowflake-jdbc-3.24.2.jar on the"
                    + " class path, see docs/snowflake.md";
        }

        /**
         * Session parameters the driver sends at login ({@code MULTI_STATEMENT_COUNT=1}: the server refuses a text
         * of several statements), and {@code JDBC_QUERY_RESULT_FORMAT=JSON}: the default Arrow format needs
         * {@code --add-opens} flags on Java 17 that {@code java -jar pulse.jar} does not pass.
         */
        @Override
        public Properties properties(ServerConnection server) {
            Properties properties = new Properties();
            properties.setProperty("MULTI_STATEMENT_COUNT", "1");
            properties.setProperty("TIMEZONE", "UTC");
            properties.setProperty("QUOTED_IDENTIFIERS_IGNORE_CASE", "false");
            properties.setProperty("JDBC_QUERY_RESULT_FORMAT", "JSON");
            return properties;
        }

        @Override
        public List<String> sessionSettings() {
            return SESSION_SETTINGS;
        }

        @Override
        public void oneStatement(java.sql.Connection connection, String sql) {
            OneStatement.snowflake(sql);
        }

        /**
         * DML runs in transactions (the results table's delete and insert commit together); DDL commits on its own,
         * which the dialect knows ({@code transactionalDdl()} false, tables replaced by CREATE OR REPLACE).
         */
        @Override
        public boolean transactions() {
            return true;
        }
    }
}
