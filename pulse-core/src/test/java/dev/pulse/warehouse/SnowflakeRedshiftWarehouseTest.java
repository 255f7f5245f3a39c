package dev.pulse.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.sqltext.Lexicon;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The Snowflake and Redshift warehouses up to the point where a server would answer (none runs here): the missing
 * Snowflake driver named with where to get it, the password only from its variable, an unreachable Redshift named,
 * the session settings and driver properties that keep one statement per text, and Pulse's own session statements
 * passing the engines' one-statement checks.
 */
class SnowflakeRedshiftWarehouseTest {

    private static WarehouseConfig config(Engine engine, String url, Optional<String> password) {
        return new WarehouseConfig(engine, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new ServerConnection(url, Optional.of("pulse"), password)), Optional.empty());
    }

    /** pulse-core's tests do not have Snowflake's driver, as the pulse jar does not. */
    @Test
    void withoutSnowflakesDriverTheEngineStopsNamingItAndWhereToGetIt() {
        PulseException failure = assertThrows(PulseException.class, () -> SnowflakeWarehouse.open(
                config(Engine.SNOWFLAKE, "jdbc:snowflake://acme.snowflakecomputing.com/?db=A", Optional.empty())));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertEquals("cannot connect to Snowflake at jdbc:snowflake://acme.snowflakecomputing.com/?db=A as pulse: the "
                + "Snowflake JDBC driver (net.snowflake:snowflake-jdbc, which the pulse jar leaves out: put "
                + "snowflake-jdbc-3.24.2.jar on the class path, see docs/snowflake.md) is not on the classpath",
                failure.getMessage());
    }

    @Test
    void thePasswordComesOnlyFromTheNamedVariable() {
        for (Engine engine : new Engine[] {Engine.SNOWFLAKE, Engine.REDSHIFT}) {
            WarehouseConfig config = config(engine, "jdbc:" + engine.configName() + "://host/db", Optional.of("PULSE_NO_SUCH_PASSWORD"));
            PulseException failure = assertThrows(PulseException.class, () -> {
                if (engine == Engine.SNOWFLAKE) {
                    SnowflakeWarehouse.open(config, Map.<String, String>of()::get);
                } else {
                    RedshiftWarehouse.open(config, Map.<String, String>of()::get);
                }
            });
            assertEquals(PulseException.Category.CONFIG_INVALID, failure.category());
            assertTrue(failure.getMessage().contains("PULSE_NO_SUCH_PASSWORD is not set"), failure.getMessage());
        }
    }

    @Test
    void anUnreachableRedshiftIsAWarehouseFailureNamingIt() {
        PulseException failure = assertThrows(PulseException.class, () -> RedshiftWarehouse.open(
                config(Engine.REDSHIFT, "jdbc:redshift://127.0.0.1:1/dev", Optional.empty())));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertTrue(failure.getMessage().startsWith("cannot connect to Redshift at jdbc:redshift://127.0.0.1:1/dev as pulse: "),
                failure.getMessage());
    }

    @Test
    void theSessionIsUtcWithCaseKeptAndOneStatementPerText() {
        assertEquals("1", new SnowflakeWarehouse.Driver().properties(null).getProperty("MULTI_STATEMENT_COUNT"));
        assertTrue(SnowflakeWarehouse.SESSION_SETTINGS.contains("ALTER SESSION SET MULTI_STATEMENT_COUNT = 1"));
        assertTrue(SnowflakeWarehouse.SESSION_SETTINGS.contains("ALTER SESSION SET TIMEZONE = 'UTC'"));
        assertTrue(RedshiftWarehouse.SESSION_SETTINGS.contains("SET timezone TO 'UTC'"));
        // each setting is one statement for its engine's check
        SnowflakeWarehouse.SESSION_SETTINGS.forEach(OneStatement::snowflake);
        RedshiftWarehouse.SESSION_SETTINGS.forEach(OneStatement::redshift);
    }

    @Test
    void snowflakesCheckReadsSnowflakesCommentsAndQuotes() {
        for (String sql : new String[] {"SELECT 1; SELECT 2", "SELECT 1 /* a /* b */ ; SELECT 2 */",
                "SELECT $a$ ; SELECT 2 $a$", "SELECT 'a\\\\'; SELECT 2"}) {
            PulseException refused = assertThrows(PulseException.class, () -> OneStatement.snowflake(sql), sql);
            assertEquals(PulseException.Category.INPUT_INVALID, refused.category());
        }
        OneStatement.snowflake("SELECT 'a\\';' AS x // ; a comment\nFROM t");
        assertEquals(1, Lexicon.SNOWFLAKE.scan("SELECT $$;$$").statements());
    }
}
