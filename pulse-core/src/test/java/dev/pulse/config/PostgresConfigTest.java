package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** {@code warehouse: {engine: postgres, url, user, password_env}}: read, checked, and file sources refused. */
class PostgresConfigTest {
    private static final String REST = """
            sources:
              exposures: {table: analytics.exposures, timestamp: ts, ids: {user_id: user_id}, experiment: experiment, group: grp}
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
    void serverIsRead() throws IOException {
        PulseConfig config = ConfigLoader.load(write("""
                warehouse:
                  engine: postgres
                  url: jdbc:postgresql://127.0.0.1:5432/analytics
                  user: analyst
                  password_env: PGPASSWORD
                  results_table: reporting.pulse_results
                """ + REST));
        assertEquals(Engine.POSTGRES, config.warehouse().engine());
        assertEquals(Optional.of(new ServerConnection("jdbc:postgresql://127.0.0.1:5432/analytics", Optional.of("analyst"),
                Optional.of("PGPASSWORD"))), config.warehouse().server());
        assertEquals(Optional.of(TableName.parse("reporting.pulse_results")), config.warehouse().resultsTable());
        assertEquals(Optional.empty(), config.warehouse().database());
    }

    @Test
    void userAndPasswordAreOptional() throws IOException {
        PulseConfig config = ConfigLoader.load(write("warehouse: {engine: postgres, url: 'jdbc:postgresql:analytics'}\n" + REST));
        assertEquals(Optional.of(new ServerConnection("jdbc:postgresql:analytics", Optional.empty(), Optional.empty())),
                config.warehouse().server());
    }

    @Test
    void badServerKeysAreReportedWithTheirPositions() throws IOException {
        Path file = write("""
                warehouse:
                  engine: postgres
                  url: postgres://127.0.0.1/analytics
                  password_env: s3cret!
                  database: analytics.duckdb
                  master: local
                """ + REST);
        assertEquals(List.of(
                        "3:8 warehouse.url: expected a JDBC URL starting with jdbc:postgresql:, such as"
                                + " jdbc:postgresql://127.0.0.1:5432/analytics, got 'postgres://127.0.0.1/analytics'",
                        "4:17 warehouse.password_env: expected the name of an environment variable such as PGPASSWORD (the"
                                + " variable holds the password; never write the password itself here), got 's3cret!'",
                        "5:3 warehouse.database: 'database' is for engine duckdb; for postgres name the database in the url,"
                                + " such as jdbc:postgresql://127.0.0.1:5432/analytics",
                        "6:3 warehouse.master: 'master' is for engine spark, not postgres"),
                problems(file));
    }

    @Test
    void aMissingUrlIsReported() throws IOException {
        assertEquals(List.of("2:3 warehouse: missing 'url' (the JDBC URL, such as jdbc:postgresql://127.0.0.1:5432/analytics)"),
                problems(write("warehouse:\n  engine: postgres\n" + REST)));
    }

    @Test
    void serverKeysAreForPostgresOnly() throws IOException {
        assertEquals(List.of("1:29 warehouse.url: 'url' is for engine postgres or trino or snowflake or redshift or databricks, not duckdb"),
                problems(write("warehouse: {engine: duckdb, url: 'jdbc:postgresql:x'}\n" + REST)));
    }

    @Test
    void fileSourcesAreRefusedWithAHint() throws IOException {
        Path file = write("""
                warehouse: {engine: postgres, url: 'jdbc:postgresql:analytics'}
                sources:
                  events: {path: data/events.parquet, timestamp: ts, ids: {user_id: user_id}}
                """ + REST.substring(REST.indexOf('\n') + 1));
        assertEquals(List.of("3:18 sources.events.path: engine postgres cannot read files: load the file into a table and"
                        + " name it with 'table:' (or query it with 'sql:'), or use engine duckdb, which reads CSV and Parquet files"),
                problems(file));
    }
}
