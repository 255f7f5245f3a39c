package dev.pulse.warehouse;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;

import org.postgresql.PGConnection;
import org.postgresql.jdbc.PreferQueryMode;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

/**
 * A PostgreSQL server over its JDBC driver ({@link JdbcServerWarehouse}, which reads the password only from the
 * environment variable the config names). On connect the session sets what Pulse's SQL relies on ({@link #SESSION_SETTINGS}): among them
 * {@code standard_conforming_strings} on and {@code TimeZone} UTC, so that {@code timestamptz} columns
 * compare with Pulse's UTC literals as docs/concepts.md says.
 *
 * <p>The session also turns nested-loop joins off ({@code enable_nestloop}): the planner cannot
 * estimate how many units survive the filter on the grouped exposures ({@code groups_seen = 1}), guesses
 * one, and joins the per-unit aggregates in a nested loop that re-runs the scan of the source once per
 * unit — 150 s instead of 1 s for the demo's 478,000 events. Pulse's joins are all equi-joins on the unit,
 * which hash and merge joins serve.
 */
public final class PostgresWarehouse {
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
     *   <li>{@code jit = off}: with nested loops off the planner's costs pass JIT's thresholds for every statement,
     *       and compiling Pulse's wide statements with LLVM took 5.5 s each (152 functions) where running them took
     *       a few milliseconds; JIT pays only for long scans of few expressions, which Pulse's are not.</li>
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
            "SET enable_nestloop = off",
            "SET jit = off");

    /** Seconds to wait for a connection before reporting the server unreachable. */
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private PostgresWarehouse() {}

    /** Opens the PostgreSQL warehouse of {@code config}, reading the password from the process environment. */
    public static Warehouse open(WarehouseConfig config) {
        return open(config, System::getenv);
    }

    /**
     * Opens the PostgreSQL warehouse of {@code config}, looking the password variable up in {@code environment}.
     *
     * @throws PulseException CONFIG_INVALID when the password variable is not set; WAREHOUSE_FAILED when
     *                        the server cannot be reached or refuses the login
     */
    public static Warehouse open(WarehouseConfig config, Function<String, String> environment) {
        return JdbcServerWarehouse.open(config, new Driver(), environment);
    }

    /** PostgreSQL's side of {@link JdbcServerWarehouse}. */
    private static final class Driver implements ServerDriver {
        @Override
        public Engine engine() {
            return Engine.POSTGRES;
        }

        @Override
        public String displayName() {
            return "PostgreSQL";
        }

        @Override
        public String driverArtifact() {
            return "org.postgresql:postgresql";
        }

        @Override
        public Properties properties(ServerConnection server) {
            Properties properties = new Properties();
            properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
            properties.setProperty("ApplicationName", "pulse");
            properties.setProperty("reWriteBatchedInserts", "true");
            return properties;
        }

        @Override
        public List<String> sessionSettings() {
            return SESSION_SETTINGS;
        }

        /**
         * The server refuses a Parse message of the extended query protocol that holds more than one command;
         * the simple protocol runs them all. A {@code preferQueryMode} in the URL wins over Pulse's properties,
         * so the mode the driver settled on is checked.
         */
        @Override
        public void checkConnection(Connection connection, String url) {
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
        @Override
        public void oneStatement(Connection connection, String sql) {
            OneStatement.postgres(connection, sql);
        }

        /** The driver fetches {@code batchSize} rows at a time only inside a transaction. */
        @Override
        public boolean cursorsNeedTransaction() {
            return true;
        }
    }
}
