package dev.pulse.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** {@link TrinoWarehouse} on the test server ({@link TestTrino}); the first test needs no server. */
class TrinoWarehouseTest {

    private static WarehouseConfig config(String url, Optional<String> passwordVariable) {
        return new WarehouseConfig(Engine.TRINO, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new ServerConnection(url, Optional.of("pulse"), passwordVariable)), Optional.empty());
    }

    @Test
    void aMissingPasswordVariableIsBadInputNamingIt() {
        PulseException failure = assertThrows(PulseException.class, () -> TrinoWarehouse.open(
                config("jdbc:trino://127.0.0.1:1/memory/default?SSL=true", Optional.of("PULSE_NO_SUCH_VARIABLE")),
                Map.<String, String>of()::get));
        assertEquals(PulseException.Category.CONFIG_INVALID, failure.category());
        assertTrue(failure.getMessage().contains("PULSE_NO_SUCH_VARIABLE is not set"), failure.getMessage());
    }

    /** Trino's driver sends a password only over TLS: without SSL=true the connection fails (exit 3), naming the server. */
    @Test
    void aPasswordWithoutTlsIsAWarehouseFailure() {
        String url = TestTrino.baseUrl() + "/memory/default";
        PulseException failure = assertThrows(PulseException.class,
                () -> TrinoWarehouse.open(config(url, Optional.of("TRINO_PASSWORD")), name -> "secret"));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertTrue(failure.getMessage().contains("Trino at " + url + " as pulse"), failure.getMessage());
        assertTrue(failure.getMessage().contains("TLS/SSL is required"), failure.getMessage());
    }

    /**
     * The session runs in UTC even when the URL asks for another zone, so a {@code timestamp with time zone} value
     * compares with Pulse's literals (UTC wall-clock times) in UTC: 2026-03-01 01:00 in New York is 06:00 UTC.
     */
    @Test
    void sessionsRunInUtcWhateverTheUrlSays() {
        try (Warehouse warehouse = TrinoWarehouse.open(config(TestTrino.baseUrl() + "/memory/default?timezone=America/New_York",
                Optional.empty()))) {
            QueryResult.Row row = warehouse.query("SELECT current_timezone() AS zone, "
                    + "TIMESTAMP '2026-03-01 01:00:00 America/New_York' >= TIMESTAMP '2026-03-01 06:00:00' AS at_six, "
                    + "TIMESTAMP '2026-03-01 01:00:00 America/New_York' < TIMESTAMP '2026-03-01 06:00:01' AS before").rows().get(0);
            assertEquals(List.of("UTC", true, true), List.copyOf(row.values().values()));
        }
    }

    @Test
    void aMissingTableFailsWithTheServersMessage() {
        try (TestTrino.Schema schema = TestTrino.freshSchema("pulse_warehouse")) {
            PulseException failure = assertThrows(PulseException.class, () -> schema.warehouse().query("SELECT * FROM missing_table"));
            assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
            assertTrue(failure.getMessage().contains("missing_table") && failure.getMessage().contains("does not exist"),
                    failure.getMessage());
        }
    }
}
