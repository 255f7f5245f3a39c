package dev.pulse.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The Databricks warehouse up to the server: Databricks' own JDBC driver (test scope here, runtime in the
 * {@code pulse} jar) accepts Pulse's URL and properties and reports an unreachable warehouse as a warehouse
 * failure naming it; the token comes only from {@code password_env}; the one-statement check uses Spark's lexical
 * rules. No Databricks SQL warehouse runs here (docs/databricks.md, how it was verified).
 */
class DatabricksWarehouseTest {

    @Test
    void anUnreachableWarehouseFailsNamingIt() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        String url = "jdbc:databricks://127.0.0.1:" + port + "/default;transportMode=http;ssl=0;"
                + "httpPath=/sql/1.0/warehouses/abc;AuthMech=3;SocketTimeout=5";
        WarehouseConfig config = WarehouseConfig.databricks(new ServerConnection(url, Optional.of("token"),
                Optional.of("DATABRICKS_TOKEN")));
        PulseException failure = assertThrows(PulseException.class,
                () -> DatabricksWarehouse.open(config, Map.of("DATABRICKS_TOKEN", "dapi-not-a-token")::get));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertTrue(failure.getMessage().startsWith("cannot connect to Databricks at " + url + " as token: "),
                failure.getMessage());
        assertTrue(!failure.getMessage().contains("dapi-not-a-token"), failure.getMessage());
    }

    @Test
    void theTokenComesOnlyFromTheNamedVariable() {
        WarehouseConfig config = WarehouseConfig.databricks(new ServerConnection(
                "jdbc:databricks://example.cloud.databricks.com:443/default;httpPath=/sql/1.0/warehouses/abc;AuthMech=3",
                Optional.of("token"), Optional.of("PULSE_NO_SUCH_TOKEN")));
        PulseException failure = assertThrows(PulseException.class,
                () -> DatabricksWarehouse.open(config, Map.<String, String>of()::get));
        assertEquals(PulseException.Category.CONFIG_INVALID, failure.category());
        assertTrue(failure.getMessage().contains("PULSE_NO_SUCH_TOKEN is not set"), failure.getMessage());
    }

    @Test
    void exactlyOneStatementWithSparkLexicalRules() {
        DatabricksWarehouse.Driver driver = new DatabricksWarehouse.Driver();
        driver.oneStatement(null, "SELECT 'a;b', `c;d` FROM t -- ; trailing\n");
        driver.oneStatement(null, "SELECT 'it\\'s; one' /* ; /* nested ; */ */");
        PulseException two = assertThrows(PulseException.class, () -> driver.oneStatement(null, "SELECT 1; SELECT 2"));
        assertEquals(PulseException.Category.INPUT_INVALID, two.category());
        // Spark's backslash escapes: one string 'a\'; DROP TABLE t; --', so one statement (PostgreSQL's rules read two)
        driver.oneStatement(null, "SELECT 'a\\'; DROP TABLE t; --'");
    }
}
