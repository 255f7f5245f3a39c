package dev.pulse.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every statement a JDBC warehouse runs is exactly one statement: a text that holds more is refused whole,
 * and nothing of it runs (no file written, no table created), whichever method it comes through.
 */
class OneStatementTest {

    /** Texts that are two statements to the engine; each would write {@code pwned.csv} or create a table. */
    private static final List<String> TWO_STATEMENTS = List.of(
            "SELECT 1; COPY (SELECT 42) TO '%s'",
            "SELECT $$ ' $$; COPY (SELECT 42) TO '%s'",
            "SELECT E'\\''; COPY (SELECT 42) TO '%s'",
            "SELECT 1 /* /* */ */; COPY (SELECT 42) TO '%s'",
            "COPY (SELECT 42) TO '%s'; SELECT 1");

    @Test
    void duckDbRefusesEveryTextOfTwoStatementsAndRunsNoneOfIt(@TempDir Path folder) {
        Path pwned = folder.resolve("pwned.csv");
        try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            for (String template : TWO_STATEMENTS) {
                String sql = template.formatted(pwned);
                assertRefused(() -> warehouse.query(sql), sql);
                assertRefused(() -> warehouse.execute(sql), sql);
                assertRefused(() -> warehouse.forEachBatch(sql, 10, rows -> { }), sql);
                assertRefused(() -> warehouse.transaction(t -> t.execute(sql)), sql);
                assertFalse(Files.exists(pwned), "a refused text ran: " + sql);
            }
            assertRefused(() -> warehouse.execute("CREATE TABLE a (x INT); CREATE TABLE b (x INT)"), "two DDL");
            assertRefused(() -> warehouse.query("SELECT 1 AS one\0; CREATE TABLE c (x INT)"), "a NUL");
            assertEquals(0L, warehouse.query("SELECT COUNT(*) AS n FROM duckdb_tables()").rows().get(0).getLong("n"));
            assertEquals(1L, warehouse.query("SELECT 1 AS one;").rows().get(0).getLong("one"), "a trailing ; is one statement");
        }
    }

    @Test
    void postgresRefusesEveryTextOfTwoStatementsAndRunsNoneOfIt() {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_one_statement")) {
            Warehouse warehouse = schema.warehouse();
            for (String sql : List.of(
                    "SELECT 1; CREATE TABLE pwned (x INT)",
                    "SELECT $$ ' $$; CREATE TABLE pwned (x INT)",
                    "SELECT $t$ ; $t$; CREATE TABLE pwned (x INT)",
                    "SELECT E'\\''; CREATE TABLE pwned (x INT)",
                    "SELECT 1 /* /* */ */; CREATE TABLE pwned (x INT)",
                    "CREATE TABLE pwned (x INT); SELECT 1")) {
                assertRefused(() -> warehouse.query(sql), sql);
                assertRefused(() -> warehouse.execute(sql), sql);
                assertRefused(() -> warehouse.forEachBatch(sql, 10, rows -> { }), sql);
                assertRefused(() -> warehouse.transaction(t -> t.execute(sql)), sql);
            }
            assertEquals(0L, warehouse.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = '"
                    + schema.name() + "'").rows().get(0).getLong("n"), "no table was created");
        }
    }

    /**
     * Trino: Pulse's scan with Trino's rules (comments do not nest, no dollar quotes, no backslash escapes) refuses
     * every text of two statements; and the server itself parses one statement per request, so a text Pulse let
     * through would fail there as a whole ({@code SELECT 1; SELECT 2}: "line 1:9: mismatched input ';'"). No table
     * is created either way.
     */
    @Test
    void trinoRefusesEveryTextOfTwoStatementsAndRunsNoneOfIt() throws Exception {
        try (TestTrino.Schema schema = TestTrino.freshSchema("pulse_one_statement")) {
            Warehouse warehouse = schema.warehouse();
            for (String sql : List.of(
                    "SELECT 1; CREATE TABLE pwned (x BIGINT)",
                    "SELECT 1 /* /* */ ; CREATE TABLE pwned (x BIGINT) /* */",
                    "SELECT $$; CREATE TABLE pwned (x BIGINT); $$",
                    "SELECT 'a\\'; CREATE TABLE pwned (x BIGINT)",
                    "CREATE TABLE pwned (x BIGINT); SELECT 1")) {
                assertRefused(() -> warehouse.query(sql), sql);
                assertRefused(() -> warehouse.execute(sql), sql);
                assertRefused(() -> warehouse.forEachBatch(sql, 10, rows -> { }), sql);
                assertRefused(() -> warehouse.transaction(t -> t.execute(sql)), sql);
            }
            // the server's own refusal, past Pulse's check: the driver sends the text as it is
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
                    TestTrino.config(schema.name()).server().orElseThrow().url(), "pulse", null);
                 java.sql.Statement statement = connection.createStatement()) {
                java.sql.SQLException failure = assertThrows(java.sql.SQLException.class,
                        () -> statement.execute("SELECT 1; CREATE TABLE pwned (x BIGINT)"));
                assertTrue(failure.getMessage().contains("mismatched input ';'"), failure.getMessage());
            }
            assertEquals(List.of(), schema.tables(), "no table was created");
        }
    }

    /**
     * With {@code standard_conforming_strings} off, {@code 'a\''; CREATE …; --'} is one string to Pulse's scan
     * (which reads PostgreSQL as Pulse sets it up: on) but two statements to the driver and the server: the
     * check counts with the driver's own reading of the session, so it refuses the text, and nothing runs.
     */
    @Test
    void postgresCountsStatementsWithTheSessionsOwnStringSetting() {
        String sql = "SELECT 'a\\''; CREATE TABLE pwned (x INT); --'";
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_one_statement")) {
            Warehouse warehouse = schema.warehouse();
            assertEquals(1, warehouse.query(sql).rows().size(), "one string with the setting Pulse uses");
            warehouse.execute("SET standard_conforming_strings = off");
            assertRefused(() -> warehouse.query(sql), sql);
            warehouse.execute("SET standard_conforming_strings = on");
            assertEquals(0L, warehouse.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = '"
                    + schema.name() + "'").rows().get(0).getLong("n"), "no table was created");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple", "extendedForPrepared"})
    void postgresRefusesAQueryModeThatSendsPlainText(String mode) {
        WarehouseConfig server = TestPostgres.config();
        ServerConnection connection = server.server().orElseThrow();
        String url = connection.url() + (connection.url().contains("?") ? "&" : "?") + "preferQueryMode=" + mode;
        PulseException failure = assertThrows(PulseException.class, () -> PostgresWarehouse.open(
                WarehouseConfig.postgres(new ServerConnection(url, connection.user(), connection.passwordVariable()))));
        assertEquals(PulseException.Category.CONFIG_INVALID, failure.category());
        assertTrue(failure.getMessage().contains("preferQueryMode=" + mode), failure.getMessage());
    }

    private static void assertRefused(Runnable work, String sql) {
        PulseException failure = assertThrows(PulseException.class, work::run, sql);
        assertEquals(PulseException.Category.INPUT_INVALID, failure.category(), failure.getMessage());
        assertTrue(failure.getMessage().contains("exactly one statement"), failure.getMessage());
    }
}
