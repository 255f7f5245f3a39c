package dev.pulse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A NUL character in a config value that Pulse writes into SQL as a literal (here a listed group, {@code "tr\0eat"}
 * in YAML): neither PostgreSQL text nor DuckDB's SQL text can hold it, so the run stops with exit 2 naming the
 * value (NUL shown as {@code \u0000}) before any statement is sent — not a statement cut short at the NUL.
 * Values from the data are bound as parameters and never meet this (docs/postgres.md, "Session settings").
 */
class NulInConfigCliTest {
    @TempDir
    Path folder;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{engine: postgres, url: 'jdbc:postgresql://127.0.0.1:1/none'}", "{engine: duckdb}"})
    void aNulInAListedGroupIsExit2NamingIt(String warehouse) throws IOException {
        Path config = folder.resolve("pulse.yaml");
        Files.writeString(config, "warehouse: " + warehouse + "\n" + """
                sources:
                  exposures: {table: exposures, timestamp: ts, ids: {org_id: org}, experiment: exp_name, group: variant}
                metrics:
                  exposures: {type: count, source: exposures}
                experiments:
                  exp: {assignment: exposures, unit: org_id, control: control, groups: {control: 0.5, "tr\\0eat": 0.5},
                        start: 2026-03-01, metrics: [exposures]}
                """);
        CliTest.Run run = CliTest.run("sql", "--config", config.toString(), "--experiment", "exp");
        assertEquals(2, run.code(), run.out() + run.err());
        assertTrue(run.err().contains("cannot hold the NUL character (U+0000), which 'tr\\u0000eat' does: remove it "
                + "from the config"), run.err());
    }
}
