package dev.pulse.sql.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pulse.model.Engine;
import dev.pulse.model.Relation;
import dev.pulse.sql.Dialect;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class DuckDbDialectTest {
    private final Dialect dialect = DuckDbDialect.DEFAULT;

    @Test
    void quotesIdentifiersAndStrings() {
        assertEquals("\"group\"", dialect.quoteIdentifier("group"));
        assertEquals("\"we\"\"ird\"", dialect.quoteIdentifier("we\"ird"));
        assertEquals("'it''s'", dialect.stringLiteral("it's"));
        assertEquals("\"analytics\".\"Exposures\"", dialect.tableName(List.of("analytics", "Exposures")));
    }

    @Test
    void timestampsAreUtcWallClock() {
        assertEquals("TIMESTAMP '2026-03-29 00:00:00'", dialect.timestampLiteral(Instant.parse("2026-03-29T00:00:00Z")));
    }

    @Test
    void filesAreReadByFormat() {
        assertEquals("read_parquet('/d/it''s.parquet')",
                dialect.fileRelation(new Relation.Files("/d/it's.parquet", Relation.FileFormat.PARQUET)));
        assertEquals("read_csv('/d/*.csv', auto_detect = true)",
                dialect.fileRelation(new Relation.Files("/d/*.csv", Relation.FileFormat.CSV)));
    }

    @Test
    void castsAndEngines() {
        assertEquals("CAST(x AS DOUBLE)", dialect.castToDouble("x"));
        assertEquals("CAST(x AS VARCHAR)", dialect.castToText("x"));
        assertEquals(DuckDbDialect.DEFAULT, Dialects.forEngine(Engine.DUCKDB));
    }

    @Test
    void daysBackAndQuantiles() {
        assertEquals("(\"u\".\"first_exposure\" - INTERVAL 14 DAY)", dialect.minusDays("\"u\".\"first_exposure\"", 14));
        assertEquals("QUANTILE_CONT(\"v0\", 0.01)", dialect.quantile("\"v0\"", 0.01));
        // plain decimals, never 1.0E-4
        assertEquals("QUANTILE_CONT(x, 0.0001)", dialect.quantile("x", 1e-4));
        assertThrows(IllegalArgumentException.class, () -> dialect.quantile("x", 1.5));
    }

    /** Levels are written exactly (Double.toString digits), so the engine compares ⌈n·p⌉ on the decimal. */
    @Test
    void discreteQuantile() {
        assertEquals("QUANTILE_DISC(x, 0.9)", dialect.discreteQuantile("x", 0.9));
        assertEquals("QUANTILE_DISC(x, 0.8803218801234567)", dialect.discreteQuantile("x", 0.8803218801234567));
        assertEquals("QUANTILE_DISC(x, 0)", dialect.discreteQuantile("x", 0.0));
        assertEquals("QUANTILE_DISC(x, 1)", dialect.discreteQuantile("x", 1.0));
        assertThrows(IllegalArgumentException.class, () -> dialect.discreteQuantile("x", Double.NaN));
    }
}
