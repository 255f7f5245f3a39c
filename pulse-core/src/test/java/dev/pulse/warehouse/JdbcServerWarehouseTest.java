package dev.pulse.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;

import java.sql.Connection;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** What {@link JdbcServerWarehouse} does for every server engine before any statement runs; no server needed. */
class JdbcServerWarehouseTest {

    /** A driver whose JDBC URL no driver on the classpath accepts. */
    private static final ServerDriver ABSENT = new ServerDriver() {
        @Override
        public Engine engine() {
            return Engine.POSTGRES;
        }

        @Override
        public String displayName() {
            return "Nothing";
        }

        @Override
        public String driverArtifact() {
            return "com.example:nothing-jdbc";
        }

        @Override
        public void oneStatement(Connection connection, String sql) {}
    };

    @Test
    void aDriverMissingFromTheClasspathIsNamedWithItsArtifact() {
        WarehouseConfig config = WarehouseConfig.postgres(new ServerConnection("jdbc:nothing://host/db",
                Optional.of("analyst"), Optional.empty()));
        PulseException failure = assertThrows(PulseException.class,
                () -> JdbcServerWarehouse.open(config, ABSENT, Map.<String, String>of()::get));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertEquals("cannot connect to Nothing at jdbc:nothing://host/db as analyst: the Nothing JDBC driver "
                + "(com.example:nothing-jdbc) is not on the classpath", failure.getMessage());
    }

    @Test
    void thePasswordComesOnlyFromTheNamedVariable() {
        WarehouseConfig config = WarehouseConfig.postgres(new ServerConnection("jdbc:nothing://host/db",
                Optional.of("analyst"), Optional.of("PULSE_NO_SUCH_PASSWORD")));
        PulseException failure = assertThrows(PulseException.class,
                () -> JdbcServerWarehouse.open(config, ABSENT, Map.<String, String>of()::get));
        assertEquals(PulseException.Category.CONFIG_INVALID, failure.category());
        assertTrue(failure.getMessage().startsWith("warehouse.password_env: the environment variable "
                + "PULSE_NO_SUCH_PASSWORD is not set"), failure.getMessage());
    }
}
