package dev.pulse.sql.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.Relation;
import dev.pulse.model.TableName;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.TableStatements;
import dev.pulse.sqltext.Lexicon;
import dev.pulse.sqltext.SqlScan;

import java.time.Instant;
import java.util.Optional;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The text {@link BigQueryDialect} renders. No BigQuery runs here: pulse-bigquery-check analyses every statement
 * with ZetaSQL and evaluates the literals and quantile forms with ZetaSQL's reference implementation.
 */
class BigQueryDialectTest {
    private final Dialect dialect = BigQueryDialect.DEFAULT;

    @Test
    void backticksPerPartAndBackslashEscapes() {
        assertEquals("`group`", dialect.quoteIdentifier("group"));
        assertEquals("`we\\`ird`", dialect.quoteIdentifier("we`ird"));
        assertEquals("`my-project`.`analytics`.`events`", dialect.tableName(List.of("my-project", "analytics", "events")));
        assertEquals("'it\\'s'", dialect.stringLiteral("it's"));
        assertEquals("'back\\\\slash'", dialect.stringLiteral("back\\slash"));
        assertEquals("'a\\u000ab\\u0000c\\u007f'", dialect.stringLiteral("a\nb\0c\u007f"));
        assertEquals("'日本 😀'", dialect.stringLiteral("日本 😀"));
        assertThrows(PulseException.class, () -> dialect.quoteIdentifier(""));
        assertThrows(PulseException.class, () -> dialect.stringLiteral("lone \uD800 surrogate"));
    }

    /** A hostile value stays one literal to BigQuery's lexicon: nothing after it, one line, one statement. */
    @ParameterizedTest
    @ValueSource(strings = {"x'); DROP TABLE t; --", "\\'; SELECT 1; --", "a\\", "'''", "\"\"\"", "# ;\n; --",
            "line\nbreak\r\u2028", "/* ; */ ` ;"})
    void aHostileValueStaysOneLiteral(String value) {
        String literal = dialect.stringLiteral(value);
        SqlScan scan = Lexicon.BIGQUERY.scan("SELECT " + literal + " AS v");
        assertEquals(1, scan.statements(), literal);
        assertTrue(scan.unterminated().isEmpty(), literal);
        assertTrue(scan.semicolons().isEmpty(), literal);
        assertFalse(literal.contains("\n") || literal.contains("\r"), literal);
        String name = dialect.quoteIdentifier(value);
        assertEquals(1, Lexicon.BIGQUERY.scan("SELECT 1 AS " + name).statements(), name);
        assertTrue(Lexicon.BIGQUERY.scan("SELECT 1 AS " + name).semicolons().isEmpty(), name);
    }

    @Test
    void timestampsAreUtcInstantsAndDaysAre24Hours() {
        assertEquals("TIMESTAMP '2026-03-29 00:00:00+00:00'", dialect.timestampLiteral(Instant.parse("2026-03-29T00:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> dialect.timestampLiteral(Instant.parse("2026-03-29T00:00:00.5Z")));
        assertEquals("TIMESTAMP_SUB(`u`.`first_exposure`, INTERVAL 14 DAY)", dialect.minusDays("`u`.`first_exposure`", 14));
        assertEquals("TIMESTAMP_ADD(t, INTERVAL 7 DAY)", dialect.plusDays("t", 7));
        assertThrows(IllegalArgumentException.class, () -> dialect.plusDays("x", -1));
        assertEquals("DATE_DIFF(DATE(t), DATE '2026-03-01', DAY)", dialect.dayIndex("t", Instant.parse("2026-03-01T00:00:00Z")));
        assertEquals("(SELECT `pulse_n` AS `day` FROM UNNEST(GENERATE_ARRAY(0, 13)) AS `pulse_n`) AS `d`",
                dialect.integerRange(14, "`d`", "`day`"));
    }

    @Test
    void castsOrderAndValuesAtAnOrder() {
        assertEquals("CAST(x AS FLOAT64)", dialect.castToDouble("x"));
        assertEquals("CAST(x AS STRING)", dialect.castToText("x"));
        assertEquals("CAST(x AS BYTES)", dialect.codePointOrder("x"));
        assertEquals("ARRAY_AGG(v IGNORE NULLS ORDER BY t LIMIT 1)[SAFE_OFFSET(0)]", dialect.valueAtMinimum("v", "t"));
        assertEquals("ARRAY_AGG(v IGNORE NULLS ORDER BY t, v DESC LIMIT 1)[SAFE_OFFSET(0)]", dialect.firstValue("v", "t"));
        assertEquals("ARRAY_AGG(v IGNORE NULLS ORDER BY t DESC, v DESC LIMIT 1)[SAFE_OFFSET(0)]", dialect.latestValue("v", "t"));
    }

    @Test
    void exactQuantilesFromTheSortedValues() {
        String sorted = "ARRAY_AGG(v IGNORE NULLS ORDER BY v)";
        String h = "((COUNT(v) - 1) * 0.9)";
        assertEquals("(" + sorted + "[SAFE_OFFSET(CAST(FLOOR(" + h + ") AS INT64))] + (" + h + " - FLOOR(" + h + ")) * ("
                        + sorted + "[SAFE_OFFSET(CAST(CEIL(" + h + ") AS INT64))] - " + sorted
                        + "[SAFE_OFFSET(CAST(FLOOR(" + h + ") AS INT64))]))", dialect.quantile("v", 0.9));
        assertEquals(sorted + "[SAFE_OFFSET(GREATEST(1, CAST(CEIL(COUNT(v) * BIGNUMERIC '0.8803') AS INT64)) - 1)]",
                dialect.discreteQuantile("v", 0.8803));
        assertTrue(dialect.discreteQuantile("v", 1e-4).contains("BIGNUMERIC '0.0001'"));
        assertThrows(IllegalArgumentException.class, () -> dialect.quantile("v", -0.1));
    }

    @Test
    void tablesOnlyAndTheirDdl() {
        PulseException files = assertThrows(PulseException.class,
                () -> dialect.fileRelation(new Relation.Files("/d/e.parquet", Relation.FileFormat.PARQUET)));
        assertTrue(files.getMessage().contains("dialect bigquery cannot read the file /d/e.parquet"), files.getMessage());
        assertEquals("INT64", dialect.columnType(TableStatements.ColumnType.BIGINT));
        assertEquals("FLOAT64", dialect.columnType(TableStatements.ColumnType.DOUBLE));
        assertEquals("STRING", dialect.columnType(TableStatements.ColumnType.TEXT));
        assertEquals("TIMESTAMP", dialect.columnType(TableStatements.ColumnType.TIMESTAMP_WITH_TIME_ZONE));
        assertFalse(dialect.transactionalDdl());
        assertEquals(Optional.of("CREATE OR REPLACE TABLE `t` AS\nSELECT 1"), dialect.atomicReplaceTable("`t`", "SELECT 1"));
        assertEquals(List.of(), dialect.writeLock(List.of("analytics", "t")));
        assertEquals(dialect, Dialects.forEngine(Engine.BIGQUERY));
        assertFalse(Engine.BIGQUERY.readsFiles());
    }

    @Test
    void aTableIsReplacedByOneAtomicStatement() {
        TableStatements.Replacement replacement = TableStatements.of(dialect)
                .replaceTable(new TableName(List.of("pulse", "pulse_staging_exp")), "SELECT 1 AS `x`", "r1");
        assertEquals(List.of("CREATE OR REPLACE TABLE `pulse`.`pulse_staging_exp` AS\nSELECT 1 AS `x`"), replacement.build());
        assertEquals(List.of(), replacement.swap());
        assertTrue(replacement.inOneTransaction());
        assertEquals(List.of("pulse", "pulse_staging_exp"), replacement.built().parts());
    }
}
