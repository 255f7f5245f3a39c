package dev.pulse.sql.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.sqltext.Lexicon;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link RedshiftDialect}: the forms that differ from PostgreSQL's (their numbers are checked on PostgreSQL by
 * {@code RedshiftOnPostgresEquivalenceTest} and {@code RedshiftCovarianceTest}, the literals by
 * {@code StringLiteralOnServerTest}), the 127-byte name limit, and what it shares with PostgreSQL's dialect.
 */
class RedshiftDialectTest {
    private static final RedshiftDialect REDSHIFT = RedshiftDialect.DEFAULT;

    @Test
    void literalsDoubleBackslashesAndQuotesAndScanAsOneToken() {
        assertEquals("'back\\\\slash'", REDSHIFT.stringLiteral("back\\slash"));
        assertEquals("'it''s'", REDSHIFT.stringLiteral("it's"));
        for (String value : SnowflakeDialectTest.HOSTILE) {
            String sql = "SELECT " + REDSHIFT.stringLiteral(value) + " AS v";
            // one statement under Redshift's reading and under standard strings (the check OneStatement applies)
            for (Lexicon lexicon : List.of(Lexicon.REDSHIFT, Lexicon.POSTGRES_FAMILY)) {
                assertTrue(lexicon.scan(sql).unterminated().isEmpty() && lexicon.scan(sql).statements() == 1, lexicon + " " + sql);
            }
        }
    }

    @Test
    void namesAreAtMost127BytesOfUtf8() {
        REDSHIFT.quoteIdentifier("x".repeat(127));
        PulseException tooLong = assertThrows(PulseException.class, () -> REDSHIFT.quoteIdentifier("x".repeat(128)));
        assertEquals(PulseException.Category.SQL_UNSUPPORTED, tooLong.category());
        assertTrue(tooLong.getMessage().contains("at most 127 bytes") && tooLong.getMessage().contains("has 128"),
                tooLong.getMessage());
        // 64 two-byte characters are 128 bytes
        assertThrows(PulseException.class, () -> REDSHIFT.quoteIdentifier("é".repeat(64)));
        assertEquals("\"a\"\"b\"", REDSHIFT.quoteIdentifier("a\"b"));
        assertThrows(PulseException.class, () -> REDSHIFT.quoteIdentifier("a\0b"));
    }

    @Test
    void theFormsForWhatRedshiftLacks() {
        assertEquals("CASE WHEN COUNT(x * y) < 2 THEN NULL WHEN MIN(CASE WHEN y IS NOT NULL THEN x END) = MAX(CASE WHEN y IS"
                + " NOT NULL THEN x END) OR MIN(CASE WHEN x IS NOT NULL THEN y END) = MAX(CASE WHEN x IS NOT NULL THEN y END)"
                + " THEN 0 ELSE (SUM(x * y) - SUM(CASE WHEN y IS NOT NULL THEN x END) * SUM(CASE WHEN x IS NOT NULL THEN y END)"
                + " / COUNT(x * y)) / (COUNT(x * y) - 1) END", REDSHIFT.covarianceSample("x", "y"));
        assertEquals("(SELECT \"place0\".\"digit\" AS \"d\" FROM (SELECT 0 AS \"digit\" UNION ALL SELECT 1 UNION ALL SELECT 2"
                + " UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL"
                + " SELECT 8 UNION ALL SELECT 9) AS \"place0\" WHERE \"place0\".\"digit\" < 7) AS \"r\"",
                REDSHIFT.integerRange(7, "\"r\"", "\"d\""));
        assertTrue(REDSHIFT.integerRange(100, "\"r\"", "\"d\"").startsWith("(SELECT \"place0\".\"digit\" + 10 * \"place1\".\"digit\" AS \"d\""));
        assertEquals("SUBSTRING(MIN(CASE WHEN v IS NOT NULL THEN TO_CHAR(t, 'YYYYMMDDHH24MISSUS') || v END) FROM 21)",
                REDSHIFT.valueAtMinimum("v", "t"));
        assertEquals("PERCENTILE_DISC(0.8999999999991) WITHIN GROUP (ORDER BY x)", REDSHIFT.discreteQuantile("x", 0.9));
        assertEquals("CAST(x AS VARCHAR(65535))", REDSHIFT.castToText("x"));
        assertEquals("CAST('2026-03-01 00:00:00' AS TIMESTAMP)", REDSHIFT.timestampLiteral(Instant.parse("2026-03-01T00:00:00Z")));
        assertEquals("x", REDSHIFT.codePointOrder("x"));
        PulseException first = assertThrows(PulseException.class, () -> REDSHIFT.firstValue("v", "t"));
        assertTrue(first.getMessage().startsWith("dialect redshift has no aggregate"), first.getMessage());
        assertThrows(PulseException.class, () -> REDSHIFT.latestValue("v", "t"));
        assertTrue(REDSHIFT.transactionalDdl());
        assertEquals(List.of(), REDSHIFT.writeLock(List.of("t")));
    }

    @Test
    void whatItSharesWithPostgres() {
        PostgresDialect postgres = PostgresDialect.DEFAULT;
        assertEquals(postgres.castToDouble("x"), REDSHIFT.castToDouble("x"));
        assertEquals(postgres.minusDays("t", 14), REDSHIFT.minusDays("t", 14));
        assertEquals(postgres.plusDays("t", 7), REDSHIFT.plusDays("t", 7));
        assertEquals(postgres.quantile("x", 0.99), REDSHIFT.quantile("x", 0.99));
    }
}
