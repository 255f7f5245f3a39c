package dev.pulse.bigquery;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The one-statement decision without a network: Pulse's scan with BigQuery's lexicon, and the verdict over a dry
 * run's {@code statementType} (the values BigQuery documents for {@code JobStatistics2.statementType}).
 */
class OneQueryTest {

    @ParameterizedTest
    @ValueSource(strings = {"SELECT", "INSERT", "DELETE", "CREATE_TABLE_AS_SELECT", "CREATE_TABLE", "DROP_TABLE",
            "CREATE_SCHEMA", "BEGIN_TRANSACTION", "COMMIT_TRANSACTION"})
    void oneStatementPasses(String statementType) {
        assertDoesNotThrow(() -> OneQuery.dryRunSays("SELECT 1", Optional.of(statementType)));
    }

    @Test
    void aScriptIsRefusedAndSoIsNoAnswer() {
        PulseException script = assertThrows(PulseException.class,
                () -> OneQuery.dryRunSays("SELECT 1; SELECT 2", Optional.of("SCRIPT")));
        assertEquals(PulseException.Category.INPUT_INVALID, script.category());
        assertTrue(script.getMessage().contains("script of several statements"), script.getMessage());
        assertThrows(PulseException.class, () -> OneQuery.dryRunSays("SELECT 1", Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1; SELECT 2",
            "SELECT 'a' ; DROP TABLE t",
            "SELECT \"x\\\"\"; DROP TABLE t",
            "SELECT '''a'b''' ; DELETE FROM t WHERE TRUE",
            "SELECT r'\\'; DROP TABLE t; --'",  // raw: the backslash still pairs with the quote, the ; is inside
            "SELECT 1 # comment\n; SELECT 2",
            "SELECT `a;b`; SELECT 2"})
    void theScanCountsStatementsAsBigQueryDoes(String sql) {
        boolean one = sql.startsWith("SELECT r'");
        if (one) {
            assertDoesNotThrow(() -> OneQuery.scanned(sql));
        } else {
            PulseException e = assertThrows(PulseException.class, () -> OneQuery.scanned(sql));
            assertTrue(e.getMessage().contains("2 statements"), e.getMessage());
        }
    }

    @Test
    void oneStatementWithATrailingSemicolonOrCommentPasses() {
        assertDoesNotThrow(() -> OneQuery.scanned("SELECT ';' -- ; x\n;"));
        assertDoesNotThrow(() -> OneQuery.scanned("SELECT 1 /* ; */ # ;"));
    }
}
