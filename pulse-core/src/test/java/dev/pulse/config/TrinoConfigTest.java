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

/** {@code warehouse: {engine: trino, url, user, password_env}}: read, checked from the engine's facts, and file sources refused. */
class TrinoConfigTest {
    private static final String REST = """
            sources:
              exposures: {table: hive.analytics.exposures, timestamp: ts, ids: {user_id: user_id}, experiment: experiment, group: grp}
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
                  engine: trino
                  url: jdbc:trino://trino.example.com:8443/hive/analytics?SSL=true
                  user: analyst
                  password_env: TRINO_PASSWORD
                  results_table: reporting.pulse_results
                """ + REST));
        assertEquals(Engine.TRINO, config.warehouse().engine());
        assertEquals(Optional.of(new ServerConnection("jdbc:trino://trino.example.com:8443/hive/analytics?SSL=true",
                Optional.of("analyst"), Optional.of("TRINO_PASSWORD"))), config.warehouse().server());
        assertEquals(Optional.of(TableName.parse("reporting.pulse_results")), config.warehouse().resultsTable());
        assertEquals(List.of("hive", "analytics", "exposures"),
                ((dev.pulse.model.Relation.Table) config.sources().values().iterator().next().relation()).nameParts());
    }

    @Test
    void aUrlOfAnotherEngineAndKeysOfOtherEnginesAreReported() throws IOException {
        Path file = write("""
                warehouse:
                  engine: trino
                  url: jdbc:postgresql://127.0.0.1:5432/analytics
                  password_env: s3cret!
                  master: local
                """ + REST);
        assertEquals(List.of(
                        "3:8 warehouse.url: expected a JDBC URL starting with jdbc:trino:, such as"
                                + " jdbc:trino://trino.example.com:443/hive/analytics?SSL=true, got 'jdbc:postgresql://127.0.0.1:5432/analytics'",
                        "4:17 warehouse.password_env: expected the name of an environment variable such as TRINO_PASSWORD (the"
                                + " variable holds the password; never write the password itself here), got 's3cret!'",
                        "5:3 warehouse.master: 'master' is for engine spark, not trino"),
                problems(file));
    }

    @Test
    void aMissingUrlIsReported() throws IOException {
        assertEquals(List.of("2:3 warehouse: missing 'url' (the JDBC URL, such as jdbc:trino://trino.example.com:443/hive/analytics?SSL=true)"),
                problems(write("warehouse:\n  engine: trino\n" + REST)));
    }

    @Test
    void fileSourcesAreRefusedWithAHint() throws IOException {
        Path file = write("""
                warehouse: {engine: trino, url: 'jdbc:trino://localhost:8080/memory/default', user: pulse}
                sources:
                  events: {path: data/events.parquet, timestamp: ts, ids: {user_id: user_id}}
                """ + REST.substring(REST.indexOf('\n') + 1));
        assertEquals(List.of("3:18 sources.events.path: engine trino cannot read files: load the file into a table and"
                        + " name it with 'table:' (or query it with 'sql:'), or use engine duckdb, which reads CSV and Parquet files"),
                problems(file));
    }

    /** A filter whose comment hides a ';' from PostgreSQL's rules (nested) but not from Trino's is refused where it is. */
    @Test
    void aFilterIsCheckedWithTrinosLexicalRules() throws IOException {
        Path file = write("""
                warehouse: {engine: trino, url: 'jdbc:trino://localhost:8080/memory/default', user: pulse}
                sources:
                  exposures: {table: exposures, timestamp: ts, ids: {user_id: user_id}, experiment: experiment, group: grp}
                metrics:
                  clicks: {type: count, source: exposures, filter: "x > 0 /* a /* b */ ; DROP TABLE t -- */"}
                experiments:
                  button-color: {assignment: exposures, unit: user_id, control: blue, start: 2026-01-01, metrics: [clicks]}
                """);
        List<String> problems = problems(file);
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(true, problems.get(0).startsWith("5:52 metrics.clicks.filter: filter must be one SQL expression, but it "
                + "has a ';' outside quotes"), problems.get(0));
    }
}
