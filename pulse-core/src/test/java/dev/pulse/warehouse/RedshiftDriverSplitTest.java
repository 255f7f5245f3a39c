package dev.pulse.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazon.redshift.core.Parser;
import dev.pulse.error.PulseException;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/**
 * What Amazon's Redshift JDBC driver (2.1.0.33, a fork of PostgreSQL's) does with a text of several statements,
 * read from its own splitter ({@code Parser.parseJdbcSql(sql, standardConformingStrings, withParameters,
 * splitStatements, reWriteBatchedInserts, multiSqlSupport)}), and that Pulse's check refuses every text the
 * driver would split, under either reading of backslashes.
 */
class RedshiftDriverSplitTest {
    private static final String HIDDEN = "SELECT 'a\\'; DROP TABLE t; --'";

    private static int pieces(String sql, boolean standardStrings, boolean multiSqlSupport) throws SQLException {
        return Parser.parseJdbcSql(sql, standardStrings, true, true, false, multiSqlSupport).size();
    }

    @Test
    void byDefaultTheDriverSplitsATextAtItsSemicolons() throws SQLException {
        assertEquals(2, pieces("SELECT 1; SELECT 2", false, true));
        // with standard strings a backslash does not escape the quote: three statements, one of them a DROP
        assertEquals(3, pieces(HIDDEN, true, true));
        assertEquals(1, pieces(HIDDEN, false, true));
    }

    @Test
    void withMultiSqlSupportOffTheDriverRefusesWhatItWouldSplit() throws SQLException {
        SQLException refused = assertThrows(SQLException.class, () -> pieces("SELECT 1; SELECT 2", false, false));
        assertTrue(refused.getMessage().contains("Multiple SQL commands support is disabled"), refused.getMessage());
        assertThrows(SQLException.class, () -> pieces(HIDDEN, true, false));
        assertEquals(1, pieces("SELECT 'a;b' AS \"c;d\"", true, false));
    }

    @Test
    void pulseRefusesATextThatIsMoreThanOneStatementUnderEitherReading() {
        for (String sql : new String[] {"SELECT 1; SELECT 2", HIDDEN, "SELECT 'a\\\\'; SELECT 2"}) {
            PulseException refused = assertThrows(PulseException.class, () -> OneStatement.redshift(sql), sql);
            assertEquals(PulseException.Category.INPUT_INVALID, refused.category());
        }
        OneStatement.redshift("SELECT 'a;b' AS \"c;d\" FROM t WHERE x = 'it''s \\\\ fine'");
    }

    @Test
    void theWarehouseTurnsMultiSqlSupportOff() {
        assertEquals("false", new RedshiftWarehouse.Driver().properties(null).getProperty("enableMultiSqlSupport"));
    }
}
