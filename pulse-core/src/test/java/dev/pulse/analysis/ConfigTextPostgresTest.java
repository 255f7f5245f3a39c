package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.JsonOutput;
import dev.pulse.warehouse.PostgresWarehouse;
import dev.pulse.warehouse.TestPostgres;
import dev.pulse.warehouse.Warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A filter that is one string to PostgreSQL with {@code standard_conforming_strings} on, and a string, a
 * {@code CREATE TABLE} and a comment with it off ({@code note <> 'a\''; CREATE TABLE …; --'}), analysed with
 * the database's default set either way: Pulse's session sets it on, so the server reads the filter as Pulse
 * checked it — one expression, whose value is the plain count — and no table appears.
 */
class ConfigTextPostgresTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @ParameterizedTest(name = "database default standard_conforming_strings = {0}")
    @ValueSource(strings = {"on", "off"})
    void aFilterIsReadAsPulseCheckedItWhateverTheDatabaseDefault(String databaseSetting) throws Exception {
        WarehouseConfig server = TestPostgres.config();
        String database;
        try (Warehouse admin = PostgresWarehouse.open(server)) {
            database = admin.query("SELECT current_database() AS d").rows().get(0).getString("d");
            admin.execute("ALTER DATABASE \"" + database.replace("\"", "\"\"") + "\" SET standard_conforming_strings = "
                    + databaseSetting);
        }
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_config_text")) {
            Warehouse postgres = schema.warehouse();
            postgres.execute("CREATE TABLE events (user_id TEXT, ts TIMESTAMP, note TEXT)");
            postgres.execute("INSERT INTO events VALUES ('u1', '2026-03-02 10:00', 'a'), ('u2', '2026-03-02 11:00', 'b'),"
                    + " ('u2', '2026-03-03 11:00', 'a\\'), ('u3', '2026-03-03 12:00', NULL)");
            postgres.execute("CREATE TABLE exposures (user_id TEXT, ts TIMESTAMP, experiment TEXT, grp TEXT)");
            postgres.execute("INSERT INTO exposures VALUES ('u1', '2026-03-01', 'exp', 'control'),"
                    + " ('u2', '2026-03-01', 'exp', 'treatment'), ('u3', '2026-03-01', 'exp', 'treatment')");
            String filter = "note <> 'a\\''; CREATE TABLE pwned (x INT); --'";
            JsonNode hostile = metrics(server, postgres, filter);
            JsonNode plain = metrics(server, postgres, "note IS NOT NULL");
            assertEquals(plain, hostile, "the filter was not read as one comparison with one long string");
            assertEquals(0L, ((Number) postgres.query("SELECT COUNT(*) AS n FROM pg_catalog.pg_tables WHERE tablename = 'pwned'")
                    .rows().get(0).get("n")).longValue(), "the filter's hidden CREATE TABLE ran");
        } finally {
            try (Warehouse admin = PostgresWarehouse.open(server)) {
                admin.execute("ALTER DATABASE \"" + database.replace("\"", "\"\"") + "\" RESET standard_conforming_strings");
            }
        }
    }

    /** The JSON {@code metrics} of {@code exp} with the metric's filter {@code filter}. */
    private JsonNode metrics(WarehouseConfig server, Warehouse postgres, String filter) throws Exception {
        Path file = Files.createTempFile(temp, "pulse", ".yaml");
        Files.writeString(file, """
                sources:
                  events: {table: events, timestamp: ts, ids: {user_id: user_id}}
                  exposures: {table: exposures, timestamp: ts, ids: {user_id: user_id}, experiment: experiment, group: grp}
                metrics:
                  notes: {type: count, source: events, filter: FILTER}
                experiments:
                  exp:
                    assignment: exposures
                    unit: user_id
                    control: control
                    groups: {control: 0.5, treatment: 0.5}
                    start: 2026-03-01
                    end: 2026-03-10
                    metrics: [notes]
                """.replace("FILTER", JSON.writeValueAsString(filter)));
        PulseConfig loaded = ConfigLoader.load(file);
        PulseConfig config = new PulseConfig(loaded.file(), server, loaded.sources(), loaded.metrics(), loaded.experiments());
        ExperimentResult result = Analyzer.analyze(config, new ExperimentName("exp"), postgres);
        return JSON.readTree(JsonOutput.experiments(List.of(result))).get("experiments").get(0).get("metrics");
    }
}
