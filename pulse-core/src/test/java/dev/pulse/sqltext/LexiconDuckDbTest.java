package dev.pulse.sqltext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL-family lexicon against DuckDB's own parser ({@code json_serialize_sql}, which parses and
 * never runs): on seeded random texts built from the pieces that hide statements (every quote form, nested
 * comments, dollar quotes, {@code ;}, parentheses, backslashes), whatever the lexicon accepts as one
 * expression stays one expression inside Pulse's parentheses for DuckDB too, and on texts DuckDB parses,
 * both count the same statements.
 */
class LexiconDuckDbTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PIECES = List.of(
            "'", "''", "\"", "$$", "$a$", "$b$", "E'", "e'", "\\", "\\'", ";", "(", ")", " ", "\n", "\r",
            "--", "/*", "*/", "x", "1", "a$", "U&'", "X'", "1e", "SELECT", " OR ", "=", ",", "?", "$1", "*", "/", "-");

    private static Connection duckdb;

    @BeforeAll
    static void open() throws SQLException {
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterAll
    static void close() throws SQLException {
        duckdb.close();
    }

    @Test
    void whatTheLexiconAcceptsStaysOneExpressionForDuckDb() throws Exception {
        long seed = 20261206L;
        Random random = new Random(seed);
        int accepted = 0;
        for (int round = 0; round < 4000; round++) {
            String text = randomText(random);
            SqlScan scan = Lexicon.POSTGRES_FAMILY.scan(text);
            if (!acceptedAsExpression(scan)) {
                continue;
            }
            accepted++;
            JsonNode parsed = parse("SELECT (" + scan.spliceable() + ") AS pulse_check");
            if (parsed.path("error").asBoolean()) {
                continue; // not SQL at all: DuckDB would refuse the whole statement before running any of it
            }
            JsonNode statements = parsed.path("statements");
            String context = "seed " + seed + ", round " + round + ": " + text;
            assertEquals(1, statements.size(), context);
            JsonNode node = statements.get(0).path("node");
            assertEquals("SELECT_NODE", node.path("type").asText(), context);
            assertEquals(1, node.path("select_list").size(), context);
            assertEquals("pulse_check", node.path("select_list").get(0).path("alias").asText(), context);
            assertEquals("EMPTY", node.path("from_table").path("type").asText(), context);
        }
        assertTrue(accepted > 300, "too few accepted texts to mean anything: " + accepted);
    }

    @Test
    void theLexiconCountsTheStatementsDuckDbParses() throws Exception {
        long seed = 6121L;
        Random random = new Random(seed);
        int compared = 0;
        for (int round = 0; round < 4000; round++) {
            String text = "SELECT " + randomText(random);
            JsonNode parsed = parse(text);
            if (parsed.path("error").asBoolean()) {
                continue;
            }
            compared++;
            SqlScan scan = Lexicon.POSTGRES_FAMILY.scan(text);
            assertTrue(scan.unterminated().isEmpty(), text);
            assertEquals(parsed.path("statements").size(), scan.statements(), "seed " + seed + ", round " + round + ": " + text);
        }
        assertTrue(compared > 300, "too few parsed texts to mean anything: " + compared);
    }

    private static boolean acceptedAsExpression(SqlScan scan) {
        return !scan.isEmpty() && scan.unterminated().isEmpty() && scan.unbalanced().isEmpty()
                && scan.semicolons().isEmpty() && scan.parameters().isEmpty();
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = 1 + random.nextInt(12);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES.get(random.nextInt(PIECES.size())));
        }
        return text.toString();
    }

    private static JsonNode parse(String sql) throws Exception {
        try (PreparedStatement statement = duckdb.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            statement.setString(1, sql);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return JSON.readTree(rows.getString(1));
            }
        }
    }
}
