package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.config.ConfigLoader;
import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.TableName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.JsonOutput;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.TestTrino;
import dev.pulse.warehouse.Warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulse's own tables on a real Trino ({@link TestTrino}, memory connector, which has neither transactional DDL nor
 * {@code DELETE}): the staging table is built beside and renamed over, and holds what DuckDB's holds; the results
 * table is rebuilt beside itself, keeping other experiments' rows; and config text that Trino reads differently from
 * PostgreSQL (comments do not nest) cannot make Pulse run a second statement.
 */
class TrinoTablesTest {
    private static final ExperimentName EXP = new ExperimentName("exp");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void theStagingTableHoldsWhatDuckDbsHoldsAndARerunReplacesIt() {
        TestTrino.baseUrl();
        try (Warehouse duckDb = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
             TestTrino.Schema schema = TestTrino.freshSchema("pulse_staging")) {
            StagingTest.createData(duckDb);
            TestTrino.copyTables(duckDb, schema.warehouse());
            Staging.write(StagingTest.config(false, WarehouseConfig.inMemoryDuckDb()), EXP, duckDb);
            PulseConfig config = StagingTest.config(false, TestTrino.config(schema.name()));
            TableName table = Staging.write(config, EXP, schema.warehouse());
            assertEquals(List.of("pulse_staging_exp"), table.parts());
            Staging.write(config, EXP, schema.warehouse());
            String select = "SELECT unit_id, group_name, revenue__numerator, revenue_per_user__denominator, "
                    + "buyers__numerator FROM pulse_staging_exp ORDER BY unit_id";
            assertEquals(values(duckDb.query(select)), values(schema.warehouse().query(select)));
            assertEquals(List.of("events", "exposures", "pulse_staging_exp"), schema.tables(),
                    "the table built beside was renamed over the old one");
        }
    }

    @Test
    void writingResultsAgainReplacesTheExperimentsRowsAndKeepsOtherExperiments() {
        TestTrino.baseUrl();
        try (Warehouse duckDb = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
             TestTrino.Schema schema = TestTrino.freshSchema("pulse_results")) {
            StagingTest.createData(duckDb);
            TestTrino.copyTables(duckDb, schema.warehouse());
            Warehouse trino = schema.warehouse();
            ExperimentResult result = Analyzer.analyze(StagingTest.config(false, TestTrino.config(schema.name())), EXP, trino);
            TableName table = new TableName(List.of("pulse_results"));
            ResultsTable.write(table, "run-1", Instant.parse("2026-04-01T10:00:00Z"), List.of(result), trino);
            trino.execute("INSERT INTO pulse_results VALUES "
                    + "('run-0', TIMESTAMP '2026-03-01 00:00:00', 'older', NULL, NULL, 'alpha', 0.05E0)");
            String content = "SELECT experiment, metric, group_name, statistic, value FROM pulse_results "
                    + "ORDER BY experiment, metric, group_name, statistic";
            List<List<Object>> first = values(trino.query(content));
            assertEquals(ResultsTable.rows(result).size() + 1, first.size());

            ResultsTable.write(table, "run-2", Instant.parse("2026-04-02T10:00:00.123456Z"), List.of(result), trino);
            assertEquals(first, values(trino.query(content)), "the same analysis gives the same rows");
            assertEquals(List.of(List.of("run-0"), List.of("run-2")),
                    values(trino.query("SELECT DISTINCT run_id FROM pulse_results ORDER BY 1")));
            assertEquals("2026-04-02 10:00:00.123456", trino.query("SELECT CAST(max(run_at) AS VARCHAR) AS t FROM "
                    + "pulse_results WHERE experiment = 'exp'").rows().get(0).getString("t"));
            assertEquals(List.of("events", "exposures", "pulse_results"), schema.tables());
        }
    }

    /**
     * {@code /* … /* … *}{@code /} is one comment to PostgreSQL (nested) but ends at the first {@code *}{@code /} for
     * Trino, so the filter below hides a {@code CREATE TABLE} from a PostgreSQL-rules scan. With Trino's rules Pulse
     * sees the {@code ;} and refuses the config text; the server would refuse a second statement too. No table appears.
     */
    @Test
    void aFilterHidingAStatementInANestedCommentRunsNothingExtra() throws Exception {
        TestTrino.baseUrl();
        try (TestTrino.Schema schema = TestTrino.freshSchema("pulse_hostile")) {
            Warehouse trino = schema.warehouse();
            trino.execute("CREATE TABLE events (user_id VARCHAR, ts TIMESTAMP(6), note VARCHAR)");
            trino.execute("INSERT INTO events VALUES ('u1', TIMESTAMP '2026-03-02 10:00:00', 'a'), "
                    + "('u2', TIMESTAMP '2026-03-02 11:00:00', 'it''s'), ('u3', TIMESTAMP '2026-03-03 12:00:00', NULL)");
            trino.execute("CREATE TABLE exposures (user_id VARCHAR, ts TIMESTAMP(6), experiment VARCHAR, grp VARCHAR)");
            trino.execute("INSERT INTO exposures VALUES ('u1', TIMESTAMP '2026-03-01 00:00:00', 'exp', 'control'), "
                    + "('u2', TIMESTAMP '2026-03-01 00:00:00', 'exp', 'treatment'), "
                    + "('u3', TIMESTAMP '2026-03-01 00:00:00', 'exp', 'treatment')");
            String hostile = "note IS NOT NULL /* a /* b */ ; CREATE TABLE pwned (x BIGINT) -- */";
            Exception failure = assertThrows(Exception.class, () -> metrics(schema, hostile));
            // refused by Pulse's scan with Trino's rules when it read the config, before any SQL reached the server
            assertFalse(failure instanceof PulseException pulse && pulse.category() == PulseException.Category.WAREHOUSE_FAILED,
                    failure.toString());
            assertTrue(failure.getMessage().contains("';'"), failure.getMessage());
            assertFalse(schema.tables().contains("pwned"), "the filter's hidden CREATE TABLE ran");
            // the same filter without the hidden statement is analysed, with the plain count
            JsonNode plain = metrics(schema, "note IS NOT NULL");
            assertEquals(plain, metrics(schema, "note IS NOT NULL /* a /* b */"));
            assertFalse(schema.tables().contains("pwned"));
        }
    }

    /**
     * {@link HostileValues} on Trino: group and dimension names that break out of a literal (quotes, backslashes,
     * dollar quotes, a parameter marker, non-ASCII) give the same results as plain names, so they reach every
     * statement as data; no table is created or dropped and no file written. (No NUL: the loader writes the rows
     * as SQL literals, and Pulse refuses any text holding NUL.)
     */
    @Test
    void hostileDataValuesStayData() throws Exception {
        TestTrino.baseUrl();
        Path marker = temp.resolve("injected.csv");
        List<String> names = HostileValues.names(marker, false);
        JsonNode plain;
        try (Warehouse duckDb = HostileValues.duckDb(HostileValues.plainNames());
             TestTrino.Schema schema = TestTrino.freshSchema("pulse_plain_values")) {
            TestTrino.copyTables(duckDb, schema.warehouse());
            plain = HostileValues.analyze(HostileValues.config(temp, TestTrino.config(schema.name())), schema.warehouse());
        }
        try (Warehouse duckDb = HostileValues.duckDb(names);
             TestTrino.Schema schema = TestTrino.freshSchema("pulse_hostile_values")) {
            Warehouse trino = schema.warehouse();
            TestTrino.copyTables(duckDb, trino);
            trino.execute("CREATE TABLE pulse_sentinel (x BIGINT)");
            List<String> tables = schema.tables();
            JsonNode hostile = HostileValues.analyze(HostileValues.config(temp, TestTrino.config(schema.name())), trino);
            HostileValues.assertSameResults(plain, hostile, names);
            assertEquals(tables, schema.tables(), "a table was created or dropped");
        }
        assertFalse(Files.exists(marker), "the injected COPY ran");
    }

    private JsonNode metrics(TestTrino.Schema schema, String filter) throws Exception {
        Path file = Files.createTempFile(temp, "pulse", ".yaml");
        Files.writeString(file, """
                warehouse: {engine: trino, url: "URL", user: pulse}
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
                """.replace("URL", TestTrino.config(schema.name()).server().orElseThrow().url())
                .replace("FILTER", JSON.writeValueAsString(filter)));
        PulseConfig config = ConfigLoader.load(file);
        ExperimentResult result = Analyzer.analyze(config, EXP, schema.warehouse());
        return JSON.readTree(JsonOutput.experiments(List.of(result))).get("experiments").get(0).get("metrics");
    }

    private static List<List<Object>> values(QueryResult result) {
        return result.rows().stream().map(row -> row.values().values().stream()
                .map(value -> value instanceof Number number ? (Object) number.doubleValue() : value).toList()).toList();
    }
}
