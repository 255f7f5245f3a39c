package dev.pulse.warehouse;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;

import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Function;

/**
 * Amazon Redshift through Amazon's JDBC driver ({@code com.amazon.redshift:redshift-jdbc42}, a fork of
 * PostgreSQL's), on {@link JdbcServerWarehouse}: the password only from {@code password_env}; DDL in transactions
 * as on PostgreSQL (docs/redshift.md). The driver's classes are not on pulse-core's compile path: it is reached
 * through {@link java.sql.DriverManager} and configured by properties only.
 */
public final class RedshiftWarehouse {
    /**
     * Set on every connection (docs/redshift.md, "Session settings"): UTC for Pulse's wall-clock literals, and
     * quoted names kept in their case (by default Redshift folds even quoted names to lower case, so a column
     * {@code "Revenue__x"} would come back as {@code revenue__x} and two names differing in case would collide).
     */
    static final List<String> SESSION_SETTINGS = List.of(
            "SET timezone TO 'UTC'",
            "SET enable_case_sensitive_identifier TO true");

    private static final int LOGIN_TIMEOUT_SECONDS = 10;

    private RedshiftWarehouse() {}

    /** Opens the Redshift warehouse of {@code config}, reading the password from the process environment. */
    public static Warehouse open(WarehouseConfig config) {
        return open(config, System::getenv);
    }

    /**
     * Opens the Redshift warehouse of {@code config}, looking the password variable up in {@code environment}.
     *
     * @throws PulseException CONFIG_INVALID when the password variable is not set or the URL asks for plain-text
     *                        queries; WAREHOUSE_FAILED when the driver is missing or the server cannot be reached
     */
    public static Warehouse open(WarehouseConfig config, Function<String, String> environment) {
        return JdbcServerWarehouse.open(config, new Driver(), environment);
    }

    /** Redshift's side of {@link JdbcServerWarehouse}. */
    static final class Driver implements ServerDriver {
        @Override
        public Engine engine() {
            return Engine.REDSHIFT;
        }

        @Override
        public String displayName() {
            return "Redshift";
        }

        @Override
        public String driverArtifact() {
            return "com.amazon.redshift:redshift-jdbc42";
        }

        /**
         * {@code enableMultiSqlSupport=false}: the driver then refuses a text it would split at a {@code ;}
         * instead of sending the pieces (RedshiftDriverSplitTest); the application name marks Pulse's queries
         * in {@code SYS_QUERY_HISTORY}.
         */
        @Override
        public Properties properties(ServerConnection server) {
            Properties properties = new Properties();
            properties.setProperty("enableMultiSqlSupport", "false");
            properties.setProperty("ApplicationName", "pulse");
            properties.setProperty("loginTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
            return properties;
        }

        @Override
        public List<String> sessionSettings() {
            return SESSION_SETTINGS;
        }

        /**
         * A URL's driver properties win over Pulse's: refuse the ones that would send a text as plain SQL the server
         * may run as several statements ({@code preferQueryMode=simple}) or let the driver split texts again.
         */
        @Override
        public void checkConnection(Connection connection, String url) {
            String lower = url.toLowerCase(Locale.ROOT);
            for (String setting : List.of("preferquerymode=", "enablemultisqlsupport=")) {
                if (lower.contains(setting)) {
                    throw new PulseException(PulseException.Category.CONFIG_INVALID, "warehouse.url: Pulse sets the "
                            + "Redshift driver's " + setting.substring(0, setting.length() - 1) + " itself, so that "
                            + "no text runs as several statements; remove it from " + url);
                }
            }
        }

        @Override
        public void oneStatement(Connection connection, String sql) {
            OneStatement.redshift(sql);
        }

        /** As PostgreSQL's, the driver fetches {@code batchSize} rows at a time only inside a transaction. */
        @Override
        public boolean cursorsNeedTransaction() {
            return true;
        }
    }
}
