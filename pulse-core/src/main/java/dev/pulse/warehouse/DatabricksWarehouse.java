package dev.pulse.warehouse;

import dev.pulse.model.Engine;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.sqltext.Lexicon;

import java.sql.Connection;
import java.util.List;
import java.util.function.Function;

/**
 * A Databricks SQL warehouse over Databricks' JDBC driver ({@code com.databricks:databricks-jdbc}, on the
 * {@code pulse} jar's runtime classpath only), through {@link JdbcServerWarehouse}: the URL carries the server
 * hostname, the HTTP path and the authentication mechanism ({@code AuthMech=3} with the user {@code token} and a
 * personal access token, or OAuth machine-to-machine with {@code AuthMech=11;Auth_Flow=1;OAuth2ClientId=…}); the
 * token or client secret comes only from the variable {@code password_env} names, passed as the JDBC
 * {@code password} (docs/databricks.md). The session is set to UTC, as Pulse's timestamp literals assume.
 *
 * <p>Databricks SQL runs each statement on its own (no multi-statement transactions): Pulse's writes are each one
 * Delta commit instead ({@code CREATE OR REPLACE TABLE}, {@code INSERT INTO … REPLACE WHERE}). A query is
 * cancelled with {@link java.sql.Statement#cancel}, which the driver sends to the warehouse.
 */
public final class DatabricksWarehouse {
    /**
     * The session settings Pulse's SQL relies on: UTC, so that {@code TIMESTAMP '…'} literals are the UTC
     * wall-clock times Pulse means (<a href="https://docs.databricks.com/en/sql/language-manual/sql-ref-syntax-aux-conf-mgmt-set-timezone.html">SET
     * TIME ZONE</a>).
     */
    static final List<String> SESSION_SETTINGS = List.of("SET TIME ZONE 'UTC'");

    private DatabricksWarehouse() {}

    /** Opens the Databricks warehouse of {@code config}, reading the token from the process environment. */
    public static Warehouse open(WarehouseConfig config) {
        return open(config, System::getenv);
    }

    /** Opens the Databricks warehouse of {@code config}, looking the token variable up in {@code environment}. */
    public static Warehouse open(WarehouseConfig config, Function<String, String> environment) {
        return JdbcServerWarehouse.open(config, new Driver(), environment);
    }

    /** Databricks' side of {@link JdbcServerWarehouse}. */
    static final class Driver implements ServerDriver {
        @Override
        public Engine engine() {
            return Engine.DATABRICKS;
        }

        @Override
        public String displayName() {
            return "Databricks";
        }

        @Override
        public String driverArtifact() {
            return "com.databricks:databricks-jdbc";
        }

        @Override
        public List<String> sessionSettings() {
            return SESSION_SETTINGS;
        }

        /**
         * Pulse's scan with Spark's lexical rules (backticks, backslash escapes in strings, nested block comments):
         * exactly one statement, checked before the driver sees the text. What the driver or the warehouse would do
         * with two is not relied on (docs/databricks.md).
         */
        @Override
        public void oneStatement(Connection connection, String sql) {
            OneStatement.scanned(Lexicon.of(Engine.DATABRICKS), sql);
        }

        /** No multi-statement transactions: each of Pulse's writes is one statement and one Delta commit. */
        @Override
        public boolean transactions() {
            return false;
        }
    }
}
