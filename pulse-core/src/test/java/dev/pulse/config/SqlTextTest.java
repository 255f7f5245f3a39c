package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Filters are one expression and sql sources one SELECT; quotes and comments do not count. */
class SqlTextTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "event = 'purchase'",
        "note = 'a; b'",
        "\"odd;column\" > 0",
        "name = 'it''s; fine'",
        "amount > 0 -- not ; a statement",
        "amount > 0 /* ; */ AND 1 = 1"})
    void goodFilters(String filter) {
        assertEquals(Optional.empty(), SqlText.filterProblem(filter));
    }

    @Test
    void badFilters() {
        assertEquals(Optional.of("filter is empty (omit it to use every row)"), SqlText.filterProblem("  "));
        assertEquals(Optional.of("filter must be one SQL expression, but it has a ';' outside quotes"),
                SqlText.filterProblem("1 = 1; DROP TABLE t"));
        assertEquals(Optional.of("filter must be one SQL expression, but it has a ';' outside quotes"),
                SqlText.filterProblem("x > 0;"));
        assertEquals(Optional.of("filter has an unterminated quote (')"), SqlText.filterProblem("name = 'abc"));
        assertEquals(Optional.of("filter has an unterminated comment"), SqlText.filterProblem("x > 0 /* ; "));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1",
        "select * from t;",
        "  -- leading comment\n/* block */ WITH a AS (SELECT 1) SELECT * FROM a",
        "SELECT ';' AS semicolon ; -- trailing comment"})
    void goodQueries(String sql) {
        assertEquals(Optional.empty(), SqlText.queryProblem(sql));
    }

    @Test
    void badQueries() {
        assertEquals(Optional.of("sql is empty"), SqlText.queryProblem("-- only a comment"));
        assertEquals(Optional.of("sql must be one SELECT query, starting with SELECT or WITH, not 'INSERT'"),
                SqlText.queryProblem("INSERT INTO t SELECT 1"));
        assertEquals(Optional.of("sql must be one SELECT query, starting with SELECT or WITH, not '('"),
                SqlText.queryProblem("(SELECT 1)"));
        assertEquals(Optional.of("sql must be one SELECT query, starting with SELECT or WITH, not 'SELECTED'"),
                SqlText.queryProblem("SELECTED"));
        assertEquals(Optional.of("sql must be one SELECT query, but it has a ';' before its end"),
                SqlText.queryProblem("SELECT 1; SELECT 2"));
        assertEquals(Optional.of("sql must be one SELECT query, but it has a ';' before its end"),
                SqlText.queryProblem("SELECT 1;;"));
    }

    @Test
    void trailingSemicolonIsDropped() {
        assertEquals("SELECT 1", SqlText.withoutTrailingSemicolon("SELECT 1 ;  -- done\n"));
        assertEquals("SELECT ';'", SqlText.withoutTrailingSemicolon(" SELECT ';' "));
    }
}
