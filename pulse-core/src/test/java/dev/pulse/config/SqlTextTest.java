package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.sqltext.Lexicon;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Filters are one expression and sql sources one SELECT, by the lexical rules of the engine that runs them:
 * quotes (every form), comments and dollar quotes do not count; what passes cannot close Pulse's parentheses.
 */
class SqlTextTest {

    private static final List<Lexicon> DUCKDB = List.of(Lexicon.POSTGRES_FAMILY);
    private static final List<Lexicon> SPARK = List.of(Lexicon.SPARK);
    private static final List<Lexicon> TRINO = List.of(Lexicon.TRINO);
    private static final List<Lexicon> BIGQUERY = List.of(Lexicon.BIGQUERY);
    private static final List<Lexicon> ALL = List.of(Lexicon.values());
    private static final List<Lexicon> REDSHIFT = List.of(Lexicon.REDSHIFT);
    private static final List<Lexicon> SNOWFLAKE = List.of(Lexicon.SNOWFLAKE);

    @ParameterizedTest
    @ValueSource(strings = {
        "event = 'purchase'",
        "note = 'a; b'",
        "\"odd;column\" > 0",
        "name = 'it''s; fine'",
        "amount > 0 /* ; */ AND 1 = 1",
        "f(x) IN (SELECT y FROM t WHERE (z))"})
    void goodFiltersOnEveryEngine(String filter) {
        assertEquals(Optional.of(filter), SqlText.filter(filter, ALL).text());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "note = $$a; b)$$",
        "note = $tag$ ' ; ) $tag$",
        "note = E'it\\'s; )'",
        "note = U&'d\\0061t\\+000061 ;)'",
        "x /* nested /* ; */ ) */ > 0",
        "a$b > 0",
        "note = X'1F' OR note = B'101'"})
    void goodFiltersOnDuckDbAndPostgres(String filter) {
        assertEquals(Optional.of(filter), SqlText.filter(filter, DUCKDB).text());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "note = 'it\\'s; )'",
        "note = \"a;)\"",
        "note = r'raw\\' OR note = 'x'",
        "`odd;)col` > 0",
        "x /* nested /* ; */ ) */ > 0",
        "x = file:///tmp/a--b"})
    void goodFiltersOnSpark(String filter) {
        assertEquals(Optional.of(filter), SqlText.filter(filter, SPARK).text());
    }

    @Test
    void aTrailingLineCommentCannotSwallowWhatPulseWritesAfterIt() {
        assertEquals(Optional.of("amount > 0 -- not ; a statement \n"),
                SqlText.filter("amount > 0 -- not ; a statement", DUCKDB).text());
        // a Spark comment continues over a backslash before a newline: a space comes first
        assertEquals(Optional.of("amount > 0 -- ends in \\ \n"), SqlText.filter("amount > 0 -- ends in \\", SPARK).text());
    }

    @Test
    void badFilters() {
        assertEquals(Optional.of("filter is empty (omit it to use every row)"), SqlText.filter("  ", ALL).problem());
        assertEquals(Optional.of("filter must be one SQL expression, but it has a ';' outside quotes (at character 6)"),
                SqlText.filter("1 = 1; DROP TABLE t", ALL).problem());
        assertEquals(Optional.of("filter has an unterminated quote (') (at character 8)"),
                SqlText.filter("name = 'abc", ALL).problem());
        assertEquals(Optional.of("filter has an unterminated comment (/*) (at character 7)"),
                SqlText.filter("x > 0 /* ; ", ALL).problem());
    }

    /** The reproducers of issue 10 and their kin: each hides a ; or a ) from a scanner that knows only '…' and "…". */
    @ParameterizedTest
    @ValueSource(strings = {
        "x = $$'$$) ; COPY (SELECT 1) TO 'pwned.csv'; SELECT ($$'$$",
        "x = $a$'$a$) ; COPY (SELECT 1) TO 'pwned.csv'; SELECT ($a$'$a$",
        "x = E'\\'') ; COPY (SELECT 1) TO 'pwned.csv'; SELECT ('",
        "x = 1 /* /* */ ) ; COPY (SELECT 1) TO 'pwned.csv'; SELECT ( /* */",
        "x = 1) UNION ALL SELECT (1",
        "1) AS v FROM t --",
        "x = ?",
        "x = $1",
        "x = $name"})
    void hiddenStatementsAndEscapesAreRefusedOnDuckDbAndPostgres(String filter) {
        Optional<String> problem = SqlText.filter(filter, DUCKDB).problem();
        assertTrue(problem.isPresent(), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "x = 'a\\'') ; SELECT ('",
        "x = \"a\\\"\") ; SELECT (\"",
        "x = 1 /* a /* b */ c */ ) OR (1",
        "x = :p",
        "x = ?"})
    void hiddenStatementsAndEscapesAreRefusedOnSpark(String filter) {
        Optional<String> problem = SqlText.filter(filter, SPARK).problem();
        assertTrue(problem.isPresent(), filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "note = 'it''s; )'",
        "note = U&'d\\0061t ;)'",
        "note = X'1F;)'",
        "\"odd;)col\" > 0",
        "`odd;)col` > 0",
        "x /* a /* ; ) */ > 0",
        "note = 'a\\' OR note = 'b'",
        "x = E'\\'' ; SELECT 1 --'"})
    void goodFiltersOnTrino(String filter) {
        assertEquals(Optional.of(filter), SqlText.filter(filter, TRINO).text());
    }

    /** Trino's comments do not nest and it has no dollar quotes and no {@code E'…'}: what hides a ; elsewhere does not here. */
    @ParameterizedTest
    @ValueSource(strings = {
        "x = 1 /* a /* b */ ) ; SELECT ( /* */",
        "x = $$;$$",
        "x = ?",
        "x = 1) OR (1"})
    void hiddenStatementsAndEscapesAreRefusedOnTrino(String filter) {
        Optional<String> problem = SqlText.filter(filter, TRINO).problem();
        assertTrue(problem.isPresent(), filter);
    }
    /** BigQuery's forms (lexical structure; ZetaSQL's tokenizer): each hides a ; and a ) that stay inside. Also parsed by
     * ZetaSQL in pulse-bigquery-check ({@code BigQueryLexiconZetaSqlTest}). */
    static final List<String> BIGQUERY_GOOD_FILTERS = List.of("note = 'it\\'s; )'",
        "note = \"a;)\\\"\"",
        "note = '''a ' ; ) '' b'''",
        "note = \"\"\"multi\nline ; )\"\"\"",
        "note = r'raw\\' ; )' OR note = R\"x\"",
        "note = b'\\x00;)' OR note = rb'x' OR note = BR\"y\"",
        "`odd;)col` > 0",
        "`back\\`tick;)` > 0",
        "x > 0 # a ; ) comment\nAND y > 0",
        "x /* not /* nested ; ) */ > 0",
        "`my-project`.dataset.f(x) > 0");

    @ParameterizedTest
    @org.junit.jupiter.params.provider.FieldSource("BIGQUERY_GOOD_FILTERS")
    void goodFiltersOnBigQuery(String filter) {
        assertEquals(Optional.of(filter), SqlText.filter(filter, BIGQUERY).text());
    }

    /** Texts that would hide a second statement or a parameter from BigQuery: refused (ZetaSQL also refuses them as one statement). */
    static final List<String> BIGQUERY_HIDDEN = List.of("x = 'a\\'') ; SELECT ('",
        "x = '''a''') ; SELECT ('''",
        "x = 1 /* a /* b */ c */ ) OR (1",
        "x = 1 # ; ) \n) ; SELECT (1",
        "x = 'one\nline'",
        "x = @p",
        "x = ?");

    @ParameterizedTest
    @org.junit.jupiter.params.provider.FieldSource("BIGQUERY_HIDDEN")
    void hiddenStatementsAndEscapesAreRefusedOnBigQuery(String filter) {
        Optional<String> problem = SqlText.filter(filter, BIGQUERY).problem();
        assertTrue(problem.isPresent(), filter);
    }

    @Test
    void aTrinoCommentEndsAtItsFirstClose() {
        String filter = "x /* a /* b */ > 0";
        assertEquals(Optional.of(filter), SqlText.filter(filter, TRINO).text());
        assertTrue(SqlText.filter(filter, DUCKDB).problem().isPresent(), "nested, so unterminated for DuckDB");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "note = 'it\\'s; )'",
        "note = 'it''s; )'",
        "note = 'ends in a backslash \\\\' AND x = 1",
        "note = $$a; b)$$",
        "note = $tag$ ' ; ) $tag$",
        "x /* nested /* ; */ ) */ > 0"})
    void goodFiltersOnRedshift(String filter) {
        assertEquals(Optional.of(filter), SqlText.filter(filter, REDSHIFT).text());
    }

    /** Redshift reads a backslash in every '…' as an escape, so a quote PostgreSQL sees closing stays open. */
    @Test
    void aRedshiftBackslashKeepsTheQuoteOpen() {
        String filter = "x = 'a\\' OR x = ' ; DROP TABLE t; SELECT '";
        assertTrue(SqlText.filter(filter, DUCKDB).problem().isEmpty(), "PostgreSQL: two quotes and no ';'");
        assertTrue(SqlText.filter(filter, REDSHIFT).problem().isPresent(), "Redshift: the ';' is outside the quotes");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "note = 'it\\'s; )'",
        "note = 'it''s; )'",
        "note = $$a; b) ' $$",
        "\"odd;)col\" > 0",
        "x > 0 // a comment ; )\n AND 1 = 1",
        "x > 0 /* a comment ; ) */ AND 1 = 1",
        "x::DOUBLE > 0"})
    void goodFiltersOnSnowflake(String filter) {
        assertEquals(Optional.of(filter), SqlText.filter(filter, SNOWFLAKE).text());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "x = 1 /* a /* b */ ) ; SELECT (1 */",
        "x = $a$ ) ; SELECT ( $a$",
        "x = 'a\\'') ; SELECT ('",
        "x = :name",
        "x = :1",
        "x = ?"})
    void hiddenStatementsAndEscapesAreRefusedOnSnowflake(String filter) {
        assertTrue(SqlText.filter(filter, SNOWFLAKE).problem().isPresent(), filter);
    }

    /** Snowflake's {@code //} comment runs to the end of the line; a trailing one gets a line break after it. */
    @Test
    void aSnowflakeSlashSlashCommentHidesToTheEndOfTheLine() {
        assertEquals(Optional.of("x > 0 // ) ; SELECT (1 \n"), SqlText.filter("x > 0 // ) ; SELECT (1", SNOWFLAKE).text());
        assertTrue(SqlText.filter("x > 0 // ) ; SELECT (1", DUCKDB).problem().isPresent());
    }

    @Test
    void aBigQueryHashCommentIsALineCommentElsewhereNot() {
        String filter = "x = 1 # ) ; DROP TABLE t";
        assertEquals(Optional.of(filter + " \n"), SqlText.filter(filter, BIGQUERY).text());
        assertTrue(SqlText.filter(filter, DUCKDB).problem().isPresent());
        assertTrue(SqlText.filter(filter, SPARK).problem().isPresent());
        // @@ is a system variable, not a parameter
        assertEquals(Optional.of("@@time_zone = 'UTC'"), SqlText.filter("@@time_zone = 'UTC'", BIGQUERY).text());
    }

    @Test
    void aSparkLineCommentContinuesOverABackslashAndNewline() {
        String filter = "x = 1 -- a \\\n) ; SELECT (1";
        assertEquals(Optional.of(filter + " \n"), SqlText.filter(filter, SPARK).text());
        assertTrue(SqlText.filter(filter, DUCKDB).problem().isPresent());
    }

    @Test
    void aNulCharacterIsRefused() {
        assertEquals(Optional.of("filter holds a NUL character (at character 6), which no engine reads as SQL"),
                SqlText.filter("x = 1\0) ; DROP TABLE t", ALL).problem());
        assertTrue(SqlText.query("SELECT 1 \0", ALL).problem().isPresent());
    }

    @Test
    void unbalancedParenthesesSayWhere() {
        assertEquals(Optional.of("filter has a ')' that closes more than it opened (at character 6)"
                        + " (Pulse wraps it in parentheses, and it must stay inside them)"),
                SqlText.filter("x = 1) OR (1 = 1", ALL).problem());
        assertEquals(Optional.of("value has a '(' that is never closed (at character 4)"),
                SqlText.expression("value", "sum((x)", ALL).problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1",
        "select * from t;",
        "  -- leading comment\n/* block */ WITH a AS (SELECT 1) SELECT * FROM a",
        "SELECT ';' AS semicolon ; -- trailing comment"})
    void goodQueries(String sql) {
        assertEquals(Optional.empty(), SqlText.query(sql, ALL).problem());
    }

    @Test
    void badQueries() {
        assertEquals(Optional.of("sql is empty"), SqlText.query("-- only a comment", ALL).problem());
        assertEquals(Optional.of("sql must be one SELECT query, starting with SELECT or WITH, not 'INSERT'"),
                SqlText.query("INSERT INTO t SELECT 1", ALL).problem());
        assertEquals(Optional.of("sql must be one SELECT query, starting with SELECT or WITH, not '('"),
                SqlText.query("(SELECT 1)", ALL).problem());
        assertEquals(Optional.of("sql must be one SELECT query, starting with SELECT or WITH, not 'SELECTED'"),
                SqlText.query("SELECTED", ALL).problem());
        assertEquals(Optional.of("sql must be one SELECT query, but it has a ';' before its end (at character 9)"),
                SqlText.query("SELECT 1; SELECT 2", ALL).problem());
        assertEquals(Optional.of("sql must be one SELECT query, but it has a ';' before its end (at character 9)"),
                SqlText.query("SELECT 1;;", ALL).problem());
        assertEquals(Optional.of("sql has a ')' that closes more than it opened (at character 16)"
                        + " (Pulse wraps it in parentheses, and it must stay inside them)"),
                SqlText.query("SELECT * FROM t) AS src, (SELECT 1", ALL).problem());
        assertTrue(SqlText.query("SELECT $$;$$ ; DROP TABLE t", DUCKDB).problem().isEmpty() == false);
        assertTrue(SqlText.query("SELECT $q$ ) $q$ FROM t) AS src, (SELECT 1", DUCKDB).problem().isPresent());
    }

    @Test
    void trailingSemicolonIsDropped() {
        assertEquals(Optional.of("SELECT 1"), SqlText.query("SELECT 1 ;  -- done\n", ALL).text());
        assertEquals(Optional.of("SELECT ';'"), SqlText.query(" SELECT ';' ", ALL).text());
        assertEquals(Optional.of("SELECT 1 -- done \n"), SqlText.query("SELECT 1 -- done", ALL).text());
    }
}
