package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.Engine;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.TableName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warehouse: {engine: databricks, url, user, password_env}}: read, checked, three-part names, files refused. */
class DatabricksConfigTest {
    private static final String URL = "jdbc:databricks://dbc-1234.cloud.databricks.com:443/default;transportMode=http;"
            + "ssl=1;httpPath=/sql/1.0/warehouses/abc123;AuthMech=3";
    private static final String REST = """
            sources:
              exposures: {table: main.analytics.exposures, timestamp: ts, ids: {user_id: user_id}, experiment: experiment, group: grp}
            metrics:
              clicks: {type: count, source: exposures}
            experiments:
              button-color: {assignment: exposures, unit: user_id, control: blue, start: 2026-01-01, metrics: [clicks]}
            """;

    @TempDir
    Path folder;

    private Path write(String text) throws IOException {
        Path file = folder.resolve("pulse.yaml");
        Files.writeString(file, text);
        return file;
    }

    private List<String> problems(Path file) {
        return ConfigLoader.problems(file).stream().map(p -> p.line() + ":" + p.column() + " " + p.path() + ": " + p.message())
                .toList();
    }

    @Test
    void warehouseIsRead() throws IOException {
        PulseConfig config = ConfigLoader.load(write("warehouse:\n  engine: databricks\n  url: '" + URL + "'\n"
                + "  user: token\n  password_env: DATABRICKS_TOKEN\n  results_table: main.reporting.pulse_results\n" + REST));
        assertEquals(Engine.DATABRICKS, config.warehouse().engine());
        assertEquals(Optional.of(new ServerConnection(URL, Optional.of("token"), Optional.of("DATABRICKS_TOKEN"))),
                config.warehouse().server());
        assertEquals(Optional.of(TableName.parse("main.reporting.pulse_results")), config.warehouse().resultsTable());
    }

    @Test
    void aUrlOfAnotherDriverAndSparkKeysAreReported() throws IOException {
        List<String> problems = problems(write("""
                warehouse:
                  engine: databricks
                  url: jdbc:spark://dbc-1234.cloud.databricks.com:443/default
                  master: local[2]
                """ + REST));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("3:8 warehouse.url: expected a JDBC URL starting with jdbc:databricks:"),
                problems.toString());
        assertTrue(problems.get(1).startsWith("4:3 warehouse.master: 'master' is for engine spark"), problems.toString());
    }

    @Test
    void fileSourcesAreRefused() throws IOException {
        List<String> problems = problems(write("warehouse: {engine: databricks, url: '" + URL + "'}\n" + REST.replace(
                "{table: main.analytics.exposures,", "{path: exposures.parquet,")));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("databricks"), problems.toString());
    }
}
