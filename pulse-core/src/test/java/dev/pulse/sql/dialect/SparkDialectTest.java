package dev.pulse.sql.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.Engine;
import dev.pulse.model.Relation;
import dev.pulse.sql.Dialect;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The text {@link SparkDialect} renders; pulse-spark runs it on Spark itself. */
class SparkDialectTest {
    private final Dialect dialect = SparkDialect.DEFAULT;

    @Test
    void backticksAndBackslashEscapedStrings() {
        assertEquals("`group`", dialect.quoteIdentifier("group"));
        assertEquals("`we``ird`", dialect.quoteIdentifier("we`ird"));
        assertEquals("'it\\'s'", dialect.stringLiteral("it's"));
        assertEquals("'back\\\\slash'", dialect.stringLiteral("back\\slash"));
        assertEquals("`analytics`.`Exposures`", dialect.tableName(List.of("analytics", "Exposures")));
    }

    @Test
    void timestampsDaysAndRanges() {
        assertEquals("TIMESTAMP '2026-03-29 00:00:00'", dialect.timestampLiteral(Instant.parse("2026-03-29T00:00:00Z")));
        assertEquals("(`u`.`first_exposure` - INTERVAL 14 DAY)", dialect.minusDays("`u`.`first_exposure`", 14));
        assertEquals("(t + INTERVAL 7 DAY)", dialect.plusDays("t", 7));
        assertThrows(IllegalArgumentException.class, () -> dialect.minusDays("x", -1));
        assertEquals("DATEDIFF(CAST(t AS DATE), DATE '2026-03-01')", dialect.dayIndex("t", Instant.parse("2026-03-01T00:00:00Z")));
        assertEquals("range(0, 14) AS `d`(`day`)", dialect.integerRange(14, "`d`", "`day`"));
        assertEquals("MIN_BY(v, CASE WHEN v IS NOT NULL THEN t END)", dialect.valueAtMinimum("v", "t"));
    }

    @Test
    void castsAndQuantiles() {
        assertEquals("CAST(x AS DOUBLE)", dialect.castToDouble("x"));
        assertEquals("CAST(x AS STRING)", dialect.castToText("x"));
        assertEquals("PERCENTILE(`v`, 0.99)", dialect.quantile("`v`", 0.99));
        assertEquals("PERCENTILE(x, 0.0001)", dialect.quantile("x", 1e-4));
        assertEquals("PERCENTILE_DISC(0.8803 * (1 - 1e-12)) WITHIN GROUP (ORDER BY v)", dialect.discreteQuantile("v", 0.8803));
        assertEquals("PERCENTILE_DISC(0) WITHIN GROUP (ORDER BY v)", dialect.discreteQuantile("v", 0));
        assertThrows(IllegalArgumentException.class, () -> dialect.quantile("v", 1.5));
    }

    @Test
    void parquetIsARelationAndCsvATemporaryViewRegisteredFirst() {
        Relation.Files parquet = new Relation.Files("/d/it's/*.parquet", Relation.FileFormat.PARQUET);
        assertEquals("parquet.`/d/it's/*.parquet`", dialect.fileRelation(parquet));
        assertEquals(List.of(), dialect.fileSetup(parquet));

        Relation.Files csv = new Relation.Files("/d/it's/events.csv", Relation.FileFormat.CSV);
        String view = dialect.fileRelation(csv);
        assertTrue(view.matches("`pulse_csv_[0-9a-f]{16}`"), view);
        assertEquals(List.of("CREATE OR REPLACE TEMPORARY VIEW " + view + " USING csv OPTIONS (path '/d/it\\'s/events.csv', "
                + "header 'true', inferSchema 'true', escape '\"', mode 'FAILFAST')"), dialect.fileSetup(csv));
        // the same location is the same view in every statement; another location another view
        assertEquals(view, dialect.fileRelation(new Relation.Files("/d/it's/events.csv", Relation.FileFormat.CSV)));
        assertNotEquals(view, dialect.fileRelation(new Relation.Files("/d/it's/events2.csv", Relation.FileFormat.CSV)));

        assertEquals(SparkDialect.DEFAULT, Dialects.forEngine(Engine.SPARK));
        assertEquals("spark", dialect.name());
    }

    @Test
    void otherDialectsNeedNoSetup() {
        Relation.Files csv = new Relation.Files("/d/events.csv", Relation.FileFormat.CSV);
        assertEquals(List.of(), Dialects.forEngine(Engine.DUCKDB).fileSetup(csv));
    }
}
