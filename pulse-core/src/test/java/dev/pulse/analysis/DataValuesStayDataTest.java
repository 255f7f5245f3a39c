package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.PostgresWarehouse;
import dev.pulse.warehouse.TestPostgres;
import dev.pulse.warehouse.Warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10 §2: values read from the data never become SQL text. Group names and dimension values built to break
 * out of a string literal ({@link HostileValues}) are analysed through a percentile metric per dimension value
 * with daily results; the results must be those of the same data with plain names, and the SQL the names carry
 * must not have run: no file written, the sentinel table still there, no table more or less.
 *
 * <p>On PostgreSQL twice: with the database's {@code standard_conforming_strings} as it comes (on) and set
 * {@code off} for the whole database ({@code ALTER DATABASE … SET}, which a database owner may do; reset
 * afterwards), where a backslash in a literal is an escape; Pulse's session must set it on again.
 */
class DataValuesStayDataTest {
    @TempDir
    Path temp;

    @Test
    void duckDb() throws Exception {
        Path marker = temp.resolve("injected.csv");
        List<String> names = HostileValues.names(marker, true);
        PulseConfig config = HostileValues.config(temp, WarehouseConfig.inMemoryDuckDb());
        JsonNode plain;
        try (Warehouse warehouse = HostileValues.duckDb(HostileValues.plainNames())) {
            plain = HostileValues.analyze(config, warehouse);
        }
        try (Warehouse warehouse = HostileValues.duckDb(names)) {
            warehouse.execute("CREATE TABLE pulse_sentinel (x INTEGER)");
            long tables = count(warehouse, "SELECT COUNT(*) AS n FROM information_schema.tables");
            JsonNode hostile = HostileValues.analyze(config, warehouse);
            HostileValues.assertSameResults(plain, hostile, names);
            assertEquals(tables, count(warehouse, "SELECT COUNT(*) AS n FROM information_schema.tables"));
            assertEquals(1, count(warehouse, "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'pulse_sentinel'"));
        }
        assertFalse(Files.exists(marker), "the injected COPY ran");
    }

    @ParameterizedTest(name = "standard_conforming_strings = {0}")
    @ValueSource(strings = {"on", "off"})
    void postgres(String databaseSetting) throws Exception {
        WarehouseConfig server = TestPostgres.config();
        String database;
        try (Warehouse admin = PostgresWarehouse.open(server)) {
            database = admin.query("SELECT current_database() AS d").rows().get(0).getString("d");
            admin.execute("ALTER DATABASE \"" + database.replace("\"", "\"\"") + "\" SET standard_conforming_strings = "
                    + databaseSetting);
        }
        try {
            assertEquals(databaseSetting, plainSessionSetting(), "a new session that sets nothing gets the database's setting");
            Path marker = temp.resolve("injected.csv");
            // PostgreSQL text cannot hold NUL: there no data value can, so none is tested there
            List<String> names = HostileValues.names(marker, false);
            PulseConfig config = HostileValues.config(temp, server);
            JsonNode plain;
            try (Warehouse duckDb = HostileValues.duckDb(HostileValues.plainNames());
                 TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_plain_values")) {
                HostileValues.copy(duckDb, schema.warehouse());
                plain = HostileValues.analyze(config, schema.warehouse());
            }
            try (Warehouse duckDb = HostileValues.duckDb(names);
                 TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_hostile_values")) {
                Warehouse postgres = schema.warehouse();
                assertEquals("on", postgres.query("SHOW standard_conforming_strings").rows().get(0).values().values()
                        .iterator().next(), "Pulse's session sets it on, whatever the database says");
                HostileValues.copy(duckDb, postgres);
                postgres.execute("CREATE TABLE pulse_sentinel (x INTEGER)");
                String tablesSql = "SELECT COUNT(*) AS n FROM pg_catalog.pg_class WHERE relkind = 'r'";
                long tables = count(postgres, tablesSql);
                JsonNode hostile = HostileValues.analyze(config, postgres);
                HostileValues.assertSameResults(plain, hostile, names);
                assertEquals(tables, count(postgres, tablesSql), "a table was created or dropped");
                assertEquals(1, count(postgres, "SELECT COUNT(*) AS n FROM pg_catalog.pg_tables WHERE tablename = "
                        + "'pulse_sentinel' AND schemaname = current_schema()"));
            }
            assertFalse(Files.exists(marker), "the injected COPY ran");
        } finally {
            try (Warehouse admin = PostgresWarehouse.open(server)) {
                admin.execute("ALTER DATABASE \"" + database.replace("\"", "\"\"") + "\" RESET standard_conforming_strings");
            }
        }
    }

    /** {@code standard_conforming_strings} of a new JDBC session that sets nothing itself. */
    private static String plainSessionSetting() throws SQLException {
        Properties properties = new Properties();
        String user = System.getenv(TestPostgres.USER_VARIABLE);
        if (user != null) {
            properties.setProperty("user", user);
        }
        String password = System.getenv(TestPostgres.PASSWORD_VARIABLE);
        if (password != null) {
            properties.setProperty("password", password);
        }
        try (Connection connection = DriverManager.getConnection(System.getenv(TestPostgres.URL_VARIABLE), properties);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW standard_conforming_strings")) {
            result.next();
            return result.getString(1);
        }
    }

    private static long count(Warehouse warehouse, String sql) {
        return ((Number) warehouse.query(sql).rows().get(0).get("n")).longValue();
    }
}
