package dev.pulse.sql.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.sqltext.Lexicon;
import dev.pulse.sqltext.SqlScan;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link SnowflakeDialect}: literals under Snowflake's escape rules, names, dates and the forms it writes for the
 * constructs PostgreSQL spells otherwise. No Snowflake runs here: a literal is read back by {@link #read}, which
 * implements Snowflake's documented rules for single-quoted constants
 * (https://docs.snowflake.com/en/sql-reference/data-types-text#escape-sequences-in-single-quoted-string-constants).
 */
class SnowflakeDialectTest {
    private static final SnowflakeDialect SNOWFLAKE = SnowflakeDialect.DEFAULT;

    /** Hostile values: quotes, backslashes before a quote and at the end, escape look-alikes, line breaks. */
    static final List<String> HOSTILE = List.of("plain", "it's", "''", "back\\slash", "ends in \\", "\\", "\\'",
            "x\\'); DROP TABLE t; --", "\\\\ two", "\\n is not a newline", "\\0 is not NUL", "\\x41 \\u0041 \\101",
            "$$ $tag$", "?", ":name", "\"quoted\"", "ünïcødé Ω 🚀", "tab\tnew\nline\r\n", "// not a comment",
            "-- nor this", "/* nor this");

    @Test
    void everyLiteralReadsBackAsItsValueUnderSnowflakesEscapes() {
        for (String value : HOSTILE) {
            String literal = SNOWFLAKE.stringLiteral(value);
            assertEquals(value, read(literal), literal);
            // one quoted token for Snowflake's scan: nothing of it is outside the quotes
            SqlScan scan = Lexicon.SNOWFLAKE.scan("SELECT " + literal + " AS v");
            assertTrue(scan.unterminated().isEmpty() && scan.statements() == 1 && scan.parameters().isEmpty(), literal);
        }
        assertEquals("'back\\\\slash'", SNOWFLAKE.stringLiteral("back\\slash"));
        assertEquals("'it''s'", SNOWFLAKE.stringLiteral("it's"));
    }

    @Test
    void nulIsRefusedNamingTheValue() {
        PulseException nul = assertThrows(PulseException.class, () -> SNOWFLAKE.stringLiteral("a\0b"));
        assertEquals(PulseException.Category.SQL_UNSUPPORTED, nul.category());
        assertTrue(nul.getMessage().contains("'a\\u0000b'"), nul.getMessage());
        assertThrows(PulseException.class, () -> SNOWFLAKE.quoteIdentifier("a\0b"));
    }

    @Test
    void namesAreQuotedVerbatimAndAtMost255Characters() {
        assertEquals("\"Org Id\"\"x\"", SNOWFLAKE.quoteIdentifier("Org Id\"x"));
        assertEquals("\"ANALYTICS\".\"events\"", SNOWFLAKE.tableName(List.of("ANALYTICS", "events")));
        SNOWFLAKE.quoteIdentifier("x".repeat(255));
        PulseException tooLong = assertThrows(PulseException.class, () -> SNOWFLAKE.quoteIdentifier("x".repeat(256)));
        assertEquals(PulseException.Category.SQL_UNSUPPORTED, tooLong.category());
    }

    @Test
    void timestampsAreNtzWallClockUtcAndDaysAreUtcDays() {
        assertEquals("CAST('2026-03-01 00:00:00' AS TIMESTAMP_NTZ)", SNOWFLAKE.timestampLiteral(Instant.parse("2026-03-01T00:00:00Z")));
        assertEquals("DATEADD(DAY, -14, \"ts\")", SNOWFLAKE.minusDays("\"ts\"", 14));
        assertEquals("DATEADD(DAY, 0, \"ts\")", SNOWFLAKE.minusDays("\"ts\"", 0));
        assertEquals("DATEADD(DAY, 7, \"ts\")", SNOWFLAKE.plusDays("\"ts\"", 7));
        assertEquals("DATEDIFF(DAY, CAST('2026-03-01' AS DATE), CAST(CONVERT_TIMEZONE('UTC', \"ts\") AS DATE))",
                SNOWFLAKE.dayIndex("\"ts\"", Instant.parse("2026-03-01T00:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> SNOWFLAKE.timestampLiteral(Instant.parse("2026-03-01T00:00:00.5Z")));
    }

    @Test
    void theFormsOfTheConstructsPostgresSpellsOtherwise() {
        assertEquals("(SELECT ROW_NUMBER() OVER (ORDER BY SEQ4()) - 1 AS \"day\" FROM TABLE(GENERATOR(ROWCOUNT => 28))) AS \"d\"",
                SNOWFLAKE.integerRange(28, "\"d\"", "\"day\""));
        assertEquals("CAST(GET(ARRAY_AGG(v) WITHIN GROUP (ORDER BY t, v DESC), 0) AS DOUBLE)", SNOWFLAKE.firstValue("v", "t"));
        assertEquals("CAST(GET(ARRAY_AGG(v) WITHIN GROUP (ORDER BY t DESC, v DESC), 0) AS DOUBLE)", SNOWFLAKE.latestValue("v", "t"));
        assertEquals("MIN_BY(v, CASE WHEN v IS NOT NULL THEN t END)", SNOWFLAKE.valueAtMinimum("v", "t"));
        assertEquals("PERCENTILE_DISC(0.8999999999991) WITHIN GROUP (ORDER BY x)", SNOWFLAKE.discreteQuantile("x", 0.9));
        assertEquals("PERCENTILE_DISC(0) WITHIN GROUP (ORDER BY x)", SNOWFLAKE.discreteQuantile("x", 0));
        assertEquals("PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY x)", SNOWFLAKE.quantile("x", 0.99));
        assertEquals("COLLATE(x, 'utf8')", SNOWFLAKE.codePointOrder("x"));
        assertEquals("COVAR_SAMP(x, y)", SNOWFLAKE.covarianceSample("x", "y"));
        assertEquals(java.util.Optional.of("CREATE OR REPLACE TABLE \"t\" AS\nSELECT 1"),
                SNOWFLAKE.atomicReplaceTable("\"t\"", "SELECT 1"));
        PulseException file = assertThrows(PulseException.class,
                () -> SNOWFLAKE.fileRelation(new dev.pulse.model.Relation.Files("/data/e.parquet", dev.pulse.model.Relation.FileFormat.PARQUET)));
        assertTrue(file.getMessage().startsWith("dialect snowflake cannot read the file /data/e.parquet"), file.getMessage());
    }

    /**
     * A single-quoted constant as Snowflake reads it: {@code ''} is a quote; a backslash starts an escape
     * ({@code \'}, {@code \"}, {@code \\}, {@code \b \f \n \r \t}, {@code \0} NUL, octal {@code \ooo}, {@code \xhh},
     * {@code \\uhhhh}); a backslash before any other character stands for that character.
     */
    static String read(String literal) {
        assertTrue(literal.length() >= 2 && literal.startsWith("'") && literal.endsWith("'"), literal);
        String body = literal.substring(1, literal.length() - 1);
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\'') {
                assertTrue(i + 1 < body.length() && body.charAt(i + 1) == '\'', "a lone quote ends the literal: " + literal);
                value.append('\'');
                i++;
            } else if (c == '\\') {
                assertTrue(i + 1 < body.length(), "a backslash before the closing quote escapes it: " + literal);
                char e = body.charAt(++i);
                switch (e) {
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case '0', '1', '2', '3', '4', '5', '6', '7', 'x', 'u' ->
                            throw new AssertionError("an escape sequence the value did not mean: " + literal);
                    default -> value.append(e);
                }
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }
}
