package dev.pulse.sql.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.Engine;
import dev.pulse.model.Relation;
import dev.pulse.sql.Dialect;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class PostgresDialectTest {
    private final Dialect dialect = PostgresDialect.DEFAULT;

    @Test
    void quotesIdentifiersAndStandardStrings() {
        assertEquals("\"group\"", dialect.quoteIdentifier("group"));
        assertEquals("\"we\"\"ird\"", dialect.quoteIdentifier("we\"ird"));
        assertEquals("'it''s'", dialect.stringLiteral("it's"));
        // a backslash: an escape string, read the same whatever standard_conforming_strings says
        assertEquals("E'back\\\\slash'", dialect.stringLiteral("back\\slash"));
        assertEquals("E'x\\\\''); --'", dialect.stringLiteral("x\\'); --"));
        assertEquals("\"analytics\".\"Exposures\"", dialect.tableName(List.of("analytics", "Exposures")));
        PulseException nul = assertThrows(PulseException.class, () -> dialect.stringLiteral("nul\0"));
        assertEquals(PulseException.Category.SQL_UNSUPPORTED, nul.category());
        assertEquals("PostgreSQL text cannot hold the NUL character (U+0000), which 'nul\\u0000' does: remove it from the "
                + "config", nul.getMessage());
    }

    /** Writers of one table take turns: an advisory lock on its name, an unqualified one in the current schema. */
    @Test
    void writersLockTheTablesName() {
        assertEquals(List.of("SELECT pg_advisory_xact_lock(hashtext('pulse'), hashtext('reporting.pulse_results'))"),
                dialect.writeLock(List.of("reporting", "pulse_results")));
        assertEquals(List.of("SELECT pg_advisory_xact_lock(hashtext('pulse'), hashtext(COALESCE(current_schema(), '') "
                + "|| '.' || 'it''s'))"), dialect.writeLock(List.of("it's")));
        assertEquals(List.of(), DuckDbDialect.DEFAULT.writeLock(List.of("pulse_results")));
    }

    @Test
    void timestampsAreUtcWallClockAndDaysAnInterval() {
        assertEquals("TIMESTAMP '2026-03-29 00:00:00'", dialect.timestampLiteral(Instant.parse("2026-03-29T00:00:00Z")));
        assertEquals("(\"u\".\"first_exposure\" - INTERVAL '14 days')", dialect.minusDays("\"u\".\"first_exposure\"", 14));
        assertThrows(IllegalArgumentException.class, () -> dialect.minusDays("x", -1));
    }

    @Test
    void castsAndQuantilesAreOrderedSetAggregates() {
        assertEquals("CAST(x AS DOUBLE PRECISION)", dialect.castToDouble("x"));
        assertEquals("CAST(x AS TEXT)", dialect.castToText("x"));
        assertEquals("PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY \"v\")", dialect.quantile("\"v\"", 0.99));
        assertEquals("PERCENTILE_DISC(0.8803 * (1 - 1e-12)) WITHIN GROUP (ORDER BY CASE WHEN g = 'a' THEN v END)",
                dialect.discreteQuantile("CASE WHEN g = 'a' THEN v END", 0.8803));
        assertEquals("PERCENTILE_DISC(0) WITHIN GROUP (ORDER BY v)", dialect.discreteQuantile("v", 0));
        assertThrows(IllegalArgumentException.class, () -> dialect.quantile("v", 1.5));
    }

    @Test
    void filesFailLoudlyNamingTheDialect() {
        PulseException failure = assertThrows(PulseException.class,
                () -> dialect.fileRelation(new Relation.Files("/d/events.parquet", Relation.FileFormat.PARQUET)));
        assertEquals(PulseException.Category.SQL_UNSUPPORTED, failure.category());
        assertTrue(failure.getMessage().startsWith("dialect postgres cannot read the file /d/events.parquet"), failure.getMessage());
        assertEquals(PostgresDialect.DEFAULT, Dialects.forEngine(Engine.POSTGRES));
        assertEquals("postgres", dialect.name());
    }
}
