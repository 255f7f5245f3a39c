package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.sqltext.Lexicon;
import dev.pulse.sqltext.SqlScan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * User SQL that ends in a line comment cannot swallow what Pulse writes after it: the whole statement, read
 * with the engine's own lexical rules, is one statement whose parentheses all close. On Spark a comment that
 * ends in a backslash would continue onto the next line if Pulse wrote a line break right after it.
 */
class UserSqlSpliceTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "duckdb   | -- trailing comment",
        "duckdb   | -- ends in a backslash \\",
        "postgres | -- trailing comment",
        "spark    | -- ends in a backslash \\",
        "spark    | -- trailing comment"})
    void aTrailingLineCommentStaysInsideItsText(String engine, String comment, @TempDir Path folder) throws IOException {
        String warehouse = switch (engine) {
            case "postgres" -> "warehouse: {engine: postgres, url: 'jdbc:postgresql://127.0.0.1:5432/x'}\n";
            case "spark" -> "warehouse: {engine: spark}\n";
            default -> "";
        };
        String yaml = warehouse + """
                sources:
                  events: {sql: "SELECT * FROM ev COMMENT_HERE", timestamp: ts, ids: {user_id: user_id}}
                  exposures: {table: ex, timestamp: ts, ids: {user_id: user_id}, experiment: e, group: g}
                metrics:
                  revenue: {type: sum, source: events, value: "revenue COMMENT_HERE", filter: "revenue > 0 COMMENT_HERE"}
                experiments:
                  exp:
                    assignment: exposures
                    unit: user_id
                    control: control
                    groups: {control: 0.5, treatment: 0.5}
                    start: 2026-03-01
                    end: 2026-03-10
                    metrics: [revenue]
                """.replace("COMMENT_HERE", comment.replace("\\", "\\\\"));
        Path file = folder.resolve("pulse.yaml");
        Files.writeString(file, yaml);
        PulseConfig config = ConfigLoader.load(file);
        String sql = MomentsFetcher.sql(config, new ExperimentName("exp"));
        Lexicon lexicon = Lexicon.of(config.warehouse().engine());
        SqlScan scan = lexicon.scan(sql);
        assertTrue(scan.unterminated().isEmpty(), sql);
        assertTrue(scan.unbalanced().isEmpty(), "a ( or ) swallowed by a comment:\n" + sql);
        assertEquals(1, scan.statements(), sql);
        assertTrue(sql.contains(comment), sql);
    }
}
