package dev.pulse.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** {@link PostgresWarehouse} on the test server ({@link TestPostgres}); the first tests need no server. */
class PostgresWarehouseTest {

    @Test
    void aMissingPasswordVariableIsBadInputNamingIt() {
        WarehouseConfig config = WarehouseConfig.postgres(new ServerConnection("jdbc:postgresql://127.0.0.1:1/none",
                Optional.of("analyst"), Optional.of("PULSE_NO_SUCH_PASSWORD")));
        PulseException failure = assertThrows(PulseException.class, () -> PostgresWarehouse.open(config, Map.<String, String>of()::get));
        assertEquals(PulseException.Category.CONFIG_INVALID, failure.category());
        assertTrue(failure.getMessage().contains("PULSE_NO_SUCH_PASSWORD is not set"), failure.getMessage());
    }

    @Test
    void anUnreachableServerIsAWarehouseFailureNamingTheUrl() {
        WarehouseConfig config = WarehouseConfig.postgres(new ServerConnection("jdbc:postgresql://127.0.0.1:1/none",
                Optional.of("analyst"), Optional.empty()));
        PulseException failure = assertThrows(PulseException.class, () -> PostgresWarehouse.open(config));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertTrue(failure.getMessage().startsWith("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/none as analyst: "),
                failure.getMessage());
    }

    @Test
    void aWrongPasswordIsAWarehouseFailure() {
        WarehouseConfig server = TestPostgres.config();
        WarehouseConfig wrong = WarehouseConfig.postgres(new ServerConnection(server.server().orElseThrow().url(),
                server.server().orElseThrow().user(), Optional.of("WRONG")));
        PulseException failure = assertThrows(PulseException.class, () -> PostgresWarehouse.open(wrong, name -> "not-the-password"));
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
        assertTrue(failure.getMessage().contains("password authentication failed"), failure.getMessage());
    }

    @Test
    void sessionsRunInUtcSoTimestampsWithTimeZoneCompareInUtc() {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_warehouse")) {
            Warehouse warehouse = schema.warehouse();
            assertEquals("UTC", warehouse.query("SHOW TimeZone").rows().get(0).getString("TimeZone"));
            warehouse.execute("CREATE TABLE t (ts TIMESTAMPTZ)");
            warehouse.execute("INSERT INTO t VALUES ('2026-03-01 00:30:00+01'), ('2026-03-01 00:30:00+00')");
            // 00:30+01 is 23:30 UTC the day before
            assertEquals(1L, warehouse.query("SELECT COUNT(*) AS n FROM t WHERE ts >= TIMESTAMP '2026-03-01 00:00:00'")
                    .rows().get(0).getLong("n"));
        }
    }

    @Test
    void aMissingTableFailsWithTheServersMessage() {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_warehouse")) {
            PulseException failure = assertThrows(PulseException.class, () -> schema.warehouse().query("SELECT * FROM missing_table"));
            assertEquals(PulseException.Category.WAREHOUSE_FAILED, failure.category());
            assertTrue(failure.getMessage().contains("relation \"missing_table\" does not exist"), failure.getMessage());
            assertEquals(1L, schema.warehouse().query("SELECT 1 AS one").rows().get(0).getLong("one"), "usable after a failure");
        }
    }

    @Test
    void aFailedTransactionLeavesWhatWasThereAndBatchesStream() {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_warehouse")) {
            Warehouse warehouse = schema.warehouse();
            warehouse.execute("CREATE TABLE t (id BIGINT, ts TIMESTAMP, name VARCHAR)");
            warehouse.transaction(t -> t.executeBatch("INSERT INTO t VALUES (?, ?, ?)", List.of(
                    List.of(1L, LocalDateTime.parse("2026-03-01T08:00:00"), "a"),
                    java.util.Arrays.asList(2L, LocalDateTime.parse("2026-03-02T09:30:00"), null))));
            assertThrows(PulseException.class, () -> warehouse.transaction(t -> {
                t.execute("DROP TABLE t");
                t.execute("SELECT no_such_column FROM pg_class");
            }));
            List<List<Object>> rows = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            warehouse.forEachBatch("SELECT id, ts, name FROM t ORDER BY id", 1, batch -> {
                sizes.add(batch.size());
                rows.addAll(batch);
            });
            assertEquals(List.of(1, 1), sizes);
            assertEquals(List.of(List.of(1L, LocalDateTime.parse("2026-03-01T08:00:00"), "a"),
                    java.util.Arrays.asList(2L, LocalDateTime.parse("2026-03-02T09:30:00"), null)), rows);
        }
    }

    @Test
    void cancelAbortsTheQueryInFlightAndRefusesLaterStatements() throws Exception {
        try (Warehouse warehouse = PostgresWarehouse.open(TestPostgres.config())) {
            Cancelling.abortsTheQueryInFlight(warehouse, "SELECT pg_sleep(60) AS slept", "canceling statement due to user request");
        }
        try (Warehouse warehouse = PostgresWarehouse.open(TestPostgres.config())) {
            Cancelling.stopsTheNextStatement(warehouse);
        }
    }

    /**
     * The settings Pulse relies on ({@link PostgresWarehouse#SESSION_SETTINGS}) hold in its session whatever the
     * database's defaults say: each set to something else with {@code ALTER DATABASE … SET} (which a database
     * owner may do; reset afterwards), and each back to Pulse's value in a session Pulse opens.
     */
    @Test
    void theSessionSettingsWinOverTheDatabasesDefaults() {
        WarehouseConfig server = TestPostgres.config();
        Map<String, String> others = Map.of("standard_conforming_strings", "off", "TimeZone", "'Asia/Tokyo'",
                "IntervalStyle", "'sql_standard'", "extra_float_digits", "0",
                "default_transaction_isolation", "'serializable'", "enable_nestloop", "on", "jit", "on");
        String database;
        try (Warehouse admin = PostgresWarehouse.open(server)) {
            database = "\"" + admin.query("SELECT current_database() AS d").rows().get(0).getString("d").replace("\"", "\"\"") + "\"";
            others.forEach((name, value) -> admin.execute("ALTER DATABASE " + database + " SET " + name + " = " + value));
        }
        try (Warehouse pulse = PostgresWarehouse.open(server)) {
            Map<String, String> expected = Map.of("standard_conforming_strings", "on", "TimeZone", "UTC",
                    "IntervalStyle", "postgres", "extra_float_digits", "3", "default_transaction_isolation", "read committed",
                    "enable_nestloop", "off", "DateStyle", "ISO, MDY", "jit", "off");
            expected.forEach((name, value) -> assertEquals(value,
                    pulse.query("SELECT current_setting('" + name + "') AS v").rows().get(0).getString("v"), name));
        } finally {
            try (Warehouse admin = PostgresWarehouse.open(server)) {
                others.keySet().forEach(name -> admin.execute("ALTER DATABASE " + database + " RESET " + name));
            }
        }
    }
}
