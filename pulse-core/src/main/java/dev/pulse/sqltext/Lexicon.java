package dev.pulse.sqltext;

import dev.pulse.model.Engine;

/**
 * The lexical rules of one engine's SQL: where its quoted texts, comments and parameter markers begin and
 * end. Pulse scans every piece of user SQL with the rules of the engine that will run it, so that a
 * {@code ;}, a {@code )} or a comment that Pulse sees inside a quote is inside a quote for the engine too.
 *
 * <p>DuckDB's scanner is PostgreSQL's ({@code scan.l}), and both share the rules below; PostgreSQL's are
 * those with {@code standard_conforming_strings = on}, which the PostgreSQL warehouse sets when it connects.
 * <ul>
 *   <li>{@code '…'} with {@code ''} inside; also {@code B'…'}, {@code X'…'}, {@code N'…'}, {@code U&'…'};
 *   <li>{@code E'…'}: backslash escapes, so {@code \'} does not close it;
 *   <li>{@code "…"} and {@code U&"…"} identifiers with {@code ""} inside;
 *   <li>dollar quotes {@code $$…$$} and {@code $tag$…$tag$} (a tag is an identifier without {@code $});
 *       a {@code $} inside an identifier ({@code a$b}) belongs to the identifier;
 *   <li>{@code -- …} to the end of the line ({@code \n} or {@code \r}); {@code /* … *}{@code /} nested;
 *   <li>parameters {@code ?}, {@code $1}, {@code $name}.
 * </ul>
 * Spark ({@code SqlBaseLexer.g4}):
 * <ul>
 *   <li>{@code '…'} and {@code "…"} are strings with backslash escapes; {@code R'…'} and {@code R"…"} are raw;
 *   <li>{@code `…`} identifiers with {@code ``} inside;
 *   <li>{@code -- …} to the end of the line, where a backslash right before the newline continues it;
 *       {@code /* … *}{@code /} nested, but {@code /*+} opens a hint whose contents are tokens;
 *   <li>parameters {@code ?} and {@code :name}.
 * </ul>
 * Trino ({@code SqlBase.g4} of trino-grammar; the lexer reads letters in any case):
 * <ul>
 *   <li>{@code '…'} and {@code U&'…'} with {@code ''} inside, no escapes; {@code X'…'} runs to the next {@code '};
 *       no {@code E'…'}, no dollar quotes;
 *   <li>{@code "…"} identifiers with {@code ""} inside; {@code `…`} with {@code ``} inside (a token the parser
 *       then refuses);
 *   <li>{@code -- …} to the end of the line; {@code /* … *}{@code /} NOT nested: the first {@code *}{@code /} closes it;
 *   <li>white space is only {@code [ \t\n\r]}; parameters {@code ?}.
 * </ul>
 * Redshift (PostgreSQL 8.0's scanner, before {@code standard_conforming_strings}): as PostgreSQL, but every
 * {@code '…'} reads backslash escapes, so {@code \'} does not close it ({@code ''} is a quote too); Redshift's own
 * {@code QUOTE_LITERAL} doubles backslashes for that reason
 * (<a href="https://docs.aws.amazon.com/redshift/latest/dg/r_QUOTE_LITERAL.html">QUOTE_LITERAL</a>).
 * Snowflake (<a href="https://docs.snowflake.com/en/sql-reference/data-types-text#string-constants">string
 * constants</a>, <a href="https://docs.snowflake.com/en/sql-reference/sql-format-models">comments</a>):
 * <ul>
 *   <li>{@code '…'} with backslash escapes and {@code ''} inside; {@code $$…$$} with nothing escaped (no tags:
 *       {@code $name} is a variable, {@code $1} a column);
 *   <li>{@code "…"} identifiers with {@code ""} inside;
 *   <li>{@code -- …} and {@code // …} to the end of the line; {@code /* … *}{@code /} not nested;
 *   <li>parameters {@code ?}, {@code :1} and {@code :name}.
 * </ul>
 * BigQuery (GoogleSQL, <a href="https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical">lexical
 * structure</a>; ZetaSQL's tokenizer):
 * <ul>
 *   <li>{@code '…'} and {@code "…"}, and the triple-quoted {@code '''…'''} and {@code """…"""} (which may hold
 *       line breaks and lone quotes), all with backslash escapes; the prefixes {@code r}, {@code b}, {@code rb},
 *       {@code br} (any case) change what the text means but not where it ends (a backslash still pairs with the
 *       next character, even in a raw string); a one-quote string cannot span lines;
 *   <li>{@code `…`} identifiers with backslash escapes;
 *   <li>{@code #} and {@code --} to the end of the line; {@code /* … *}{@code /} not nested;
 *   <li>parameters {@code ?} and {@code @name} ({@code @@name} is a system variable).
 * </ul>
 */
public enum Lexicon {
    /** DuckDB and PostgreSQL (with {@code standard_conforming_strings = on}). */
    POSTGRES_FAMILY,
    /** Spark SQL. */
    SPARK,
    /** Trino (and Athena's engine, which is Trino's). */
    TRINO,
    /** Amazon Redshift: PostgreSQL's rules with backslash escapes in every {@code '…'}. */
    REDSHIFT,
    /** Snowflake. */
    SNOWFLAKE,
    /** BigQuery's GoogleSQL. */
    BIGQUERY;

    /** The rules of the engine that runs the SQL. */
    public static Lexicon of(Engine engine) {
        return switch (engine) {
            case DUCKDB, POSTGRES -> POSTGRES_FAMILY;
            case SPARK, DATABRICKS -> SPARK;
            case TRINO -> TRINO;
            case REDSHIFT -> REDSHIFT;
            case SNOWFLAKE -> SNOWFLAKE;
            case BIGQUERY -> BIGQUERY;
        };
    }

    /** Scans {@code text} with these rules. */
    public SqlScan scan(String text) {
        return new Scanner(this, text).scan();
    }
}
