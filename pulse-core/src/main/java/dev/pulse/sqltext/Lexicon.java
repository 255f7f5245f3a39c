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
 */
public enum Lexicon {
    /** DuckDB and PostgreSQL (with {@code standard_conforming_strings = on}). */
    POSTGRES_FAMILY,
    /** Spark SQL. */
    SPARK;

    /** The rules of the engine that runs the SQL. */
    public static Lexicon of(Engine engine) {
        return switch (engine) {
            case DUCKDB, POSTGRES -> POSTGRES_FAMILY;
            case SPARK, DATABRICKS -> SPARK;
        };
    }

    /** Scans {@code text} with these rules. */
    public SqlScan scan(String text) {
        return new Scanner(this, text).scan();
    }
}
