package dev.pulse.sqltext;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * One scan of SQL text with one {@link Lexicon}. It reads tokens the way the engine's scanner does (longest
 * match from the current position), but keeps only what matters for the shape of the text: quotes and
 * comments are skipped whole, identifiers and numbers are read whole (so that a quote right after them is
 * read as the engine reads it), and parentheses, semicolons and parameter markers are recorded.
 */
final class Scanner {

    private final Lexicon lexicon;
    private final String text;
    private final int n;
    private int i;

    private final List<Integer> semicolons = new ArrayList<>();
    private final List<Integer> parameters = new ArrayList<>();
    private final Deque<Integer> open = new ArrayDeque<>();
    private Integer unbalanced;
    private int first = -1;
    private int last = -1;
    private int statements;
    private boolean inStatement;
    private boolean endsInLineComment;

    Scanner(Lexicon lexicon, String text) {
        this.lexicon = lexicon;
        this.text = text;
        this.n = text.length();
    }

    SqlScan scan() {
        while (i < n) {
            char c = text.charAt(i);
            if ((c == '-' && at(i + 1) == '-') || (lexicon == Lexicon.SNOWFLAKE && c == '/' && at(i + 1) == '/')
                    || (c == '#' && lexicon == Lexicon.BIGQUERY)) {
                lineComment(c == '#' ? 1 : 2);
                continue;
            }
            if (c == '/' && at(i + 1) == '*' && !(lexicon == Lexicon.SPARK && at(i + 2) == '+')) {
                int start = i;
                if (!blockComment()) {
                    return result(new SqlScan.Open("comment (/*)", start));
                }
                continue;
            }
            if (isSpace(c)) {
                i++;
                continue;
            }
            significant(i);
            Optional<SqlScan.Open> unclosed = switch (lexicon) {
                case POSTGRES_FAMILY, REDSHIFT -> postgresToken(c);
                case SPARK -> sparkToken(c);
                case TRINO -> trinoToken(c);
                case SNOWFLAKE -> snowflakeToken(c);
                case BIGQUERY -> bigQueryToken(c);
            };
            if (unclosed.isPresent()) {
                return result(unclosed.get());
            }
        }
        return result(null);
    }

    // --- PostgreSQL and DuckDB (scan.l) -------------------------------------------------------------

    private Optional<SqlScan.Open> postgresToken(char c) {
        int start = i;
        if (c == '\'') {
            return plainString(i + 1) ? Optional.empty() : open("quote (')", start);
        }
        if (c == '"') {
            return doubledQuote(i + 1, '"') ? Optional.empty() : open("quoted name (\")", start);
        }
        if ((c == 'E' || c == 'e') && at(i + 1) == '\'') {
            return escapeString(i + 2, '\'') ? Optional.empty() : open("quote (E')", start);
        }
        if ((c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' || c == 'n') && at(i + 1) == '\'') {
            return plainString(i + 2) ? Optional.empty() : open("quote (" + c + "')", start);
        }
        if ((c == 'U' || c == 'u') && at(i + 1) == '&' && (at(i + 2) == '\'' || at(i + 2) == '"')) {
            boolean closed = at(i + 2) == '\'' ? plainString(i + 3) : doubledQuote(i + 3, '"');
            return closed ? Optional.empty() : open("quote (U&" + at(start + 2) + ")", start);
        }
        if (c == '$') {
            return dollar();
        }
        if (isPostgresIdentStart(c)) {
            i++;
            while (i < n && isPostgresIdentCont(text.charAt(i))) {
                i++;
            }
            mark(i - 1);
            return Optional.empty();
        }
        if (isDigit(c) || (c == '.' && isDigit(at(i + 1)))) {
            number();
            return Optional.empty();
        }
        if (c == '?') {
            parameters.add(i);
        }
        punctuation(c);
        i++;
        return Optional.empty();
    }

    /** {@code $1}, {@code $name} (DuckDB), or a dollar quote {@code $tag$…$tag$}. */
    private Optional<SqlScan.Open> dollar() {
        int start = i;
        int j = i + 1;
        if (isDigit(at(j))) {
            while (isDigit(at(j))) {
                j++;
            }
            parameters.add(start);
            i = j;
            mark(j - 1);
            return Optional.empty();
        }
        while (j < n && isDollarTagChar(text.charAt(j), j == i + 1)) {
            j++;
        }
        if (at(j) == '$') {
            String delimiter = text.substring(start, j + 1);
            int close = text.indexOf(delimiter, j + 1);
            if (close < 0) {
                return open("dollar quote (" + delimiter + ")", start);
            }
            i = close + delimiter.length();
            mark(i - 1);
            return Optional.empty();
        }
        // $name, or a lone $: a parameter (DuckDB) or an error (PostgreSQL); never part of a quote
        parameters.add(start);
        i = j;
        mark(j - 1);
        return Optional.empty();
    }

    /** After the opening quote: runs to the closing {@code '}; {@code ''} stays inside. */
    private boolean standardString(int from) {
        return doubledQuote(from, '\'');
    }

    /** A {@code '…'} without prefix: standard in PostgreSQL and DuckDB, with backslash escapes in Redshift. */
    private boolean plainString(int from) {
        return lexicon == Lexicon.REDSHIFT ? escapeString(from, '\'') : standardString(from);
    }

    private boolean doubledQuote(int from, char quote) {
        int j = from;
        while (j < n) {
            if (text.charAt(j) == quote) {
                if (at(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                i = j + 1;
                mark(j);
                return true;
            }
            j++;
        }
        return false;
    }

    /** After the opening quote: a backslash escapes the next character; for E'…' also {@code ''}. */
    private boolean escapeString(int from, char quote) {
        int j = from;
        while (j < n) {
            char c = text.charAt(j);
            if (c == '\\') {
                j += 2;
                continue;
            }
            if (c == quote) {
                if (lexicon != Lexicon.SPARK && at(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                i = j + 1;
                mark(j);
                return true;
            }
            j++;
        }
        return false;
    }

    // --- Spark (SqlBaseLexer.g4) --------------------------------------------------------------------

    private Optional<SqlScan.Open> sparkToken(char c) {
        int start = i;
        if (c == '\'' || c == '"') {
            return escapeString(i + 1, c) ? Optional.empty() : open("quote (" + c + ")", start);
        }
        if ((c == 'R' || c == 'r') && (at(i + 1) == '\'' || at(i + 1) == '"')) {
            char quote = at(i + 1);
            int close = text.indexOf(quote, i + 2);
            if (close < 0) {
                return open("quote (" + c + quote + ")", start);
            }
            i = close + 1;
            mark(close);
            return Optional.empty();
        }
        if (c == '`') {
            return doubledQuote(i + 1, '`') ? Optional.empty() : open("quoted name (`)", start);
        }
        if (c == '/' && at(i + 1) == '*' && at(i + 2) == '+') {
            i += 3; // a hint: its contents are tokens
            mark(i - 1);
            return Optional.empty();
        }
        if (isSparkWordChar(c)) {
            i++;
            while (i < n && isSparkWordChar(text.charAt(i))) {
                i++;
            }
            if (text.startsWith("://", i) && Character.isLetter(c)) {
                // an IDENTIFIER of the URI form (file:///x-y?z=1): '-', '?', '/' … belong to it
                i += 3;
                while (i < n && isSparkUriChar(text.charAt(i))) {
                    i++;
                }
            }
            mark(i - 1);
            return Optional.empty();
        }
        if (c == '?') {
            parameters.add(i);
        } else if (c == ':') {
            if (at(i + 1) == ':') {
                i += 2;
                mark(i - 1);
                return Optional.empty();
            }
            if (isSparkWordChar(at(i + 1)) || at(i + 1) == '`') {
                parameters.add(i);
            }
        }
        punctuation(c);
        i++;
        return Optional.empty();
    }

    // --- Trino (SqlBase.g4) -------------------------------------------------------------------------

    private Optional<SqlScan.Open> trinoToken(char c) {
        int start = i;
        if (c == '\'') {
            return standardString(i + 1) ? Optional.empty() : open("quote (')", start);
        }
        if (c == '"') {
            return doubledQuote(i + 1, '"') ? Optional.empty() : open("quoted name (\")", start);
        }
        if (c == '`') {
            return doubledQuote(i + 1, '`') ? Optional.empty() : open("quoted name (`)", start);
        }
        if ((c == 'U' || c == 'u') && at(i + 1) == '&' && at(i + 2) == '\'') {
            return standardString(i + 3) ? Optional.empty() : open("quote (U&')", start);
        }
        if ((c == 'X' || c == 'x') && at(i + 1) == '\'') {
            // BINARY_LITERAL: any character but a quote, so '' ends it (and a new string starts)
            int close = text.indexOf('\'', i + 2);
            if (close < 0) {
                return open("quote (" + c + "')", start);
            }
            i = close + 1;
            mark(close);
            return Optional.empty();
        }
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_') {
            i++;
            while (i < n && isTrinoIdentCont(text.charAt(i))) {
                i++;
            }
            mark(i - 1);
            return Optional.empty();
        }
        if (isDigit(c) || (c == '.' && isDigit(at(i + 1)))) {
            number();
            return Optional.empty();
        }
        if (c == '?') {
            parameters.add(i);
        }
        punctuation(c);
        i++;
        return Optional.empty();
    }

    private static boolean isTrinoIdentCont(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || isDigit(c);
    }

    // --- Snowflake ------------------------------------------------------------------------------------

    private Optional<SqlScan.Open> snowflakeToken(char c) {
        int start = i;
        if (c == '\'') {
            return escapeString(i + 1, '\'') ? Optional.empty() : open("quote (')", start);
        }
        if (c == '"') {
            return doubledQuote(i + 1, '"') ? Optional.empty() : open("quoted name (\")", start);
        }
        if (c == '$' && at(i + 1) == '$') {
            int close = text.indexOf("$$", i + 2);
            if (close < 0) {
                return open("dollar quote ($$)", start);
            }
            i = close + 2;
            mark(i - 1);
            return Optional.empty();
        }
        if (c == '$' || isPostgresIdentStart(c)) {
            // $name (a variable), $1 (a column) or a name: one token
            i++;
            while (i < n && isPostgresIdentCont(text.charAt(i))) {
                i++;
            }
            mark(i - 1);
            return Optional.empty();
        }
        if (isDigit(c) || (c == '.' && isDigit(at(i + 1)))) {
            number();
            return Optional.empty();
        }
        if (c == '?') {
            parameters.add(i);
        } else if (c == ':') {
            if (at(i + 1) == ':') {
                i += 2;
                mark(i - 1);
                return Optional.empty();
            }
            if (isPostgresIdentCont(at(i + 1))) {
                parameters.add(i);
            }
        }
        punctuation(c);
        i++;
        return Optional.empty();
    }

    // --- BigQuery (GoogleSQL, ZetaSQL's tokenizer) --------------------------------------------------

    private Optional<SqlScan.Open> bigQueryToken(char c) {
        int start = i;
        if (c == '\'' || c == '"') {
            return bigQueryString(start, i);
        }
        if (c == '`') {
            return escapeString(i + 1, '`') ? Optional.empty() : open("quoted name (`)", start);
        }
        if (isBigQueryWordStart(c)) {
            int j = i + 1;
            while (j < n && isBigQueryWordChar(text.charAt(j))) {
                j++;
            }
            String word = text.substring(i, j).toLowerCase(java.util.Locale.ROOT);
            boolean prefix = word.equals("r") || word.equals("b") || word.equals("rb") || word.equals("br");
            if (prefix && (at(j) == '\'' || at(j) == '"')) {
                return bigQueryString(start, j);
            }
            i = j;
            mark(i - 1);
            return Optional.empty();
        }
        if (isDigit(c) || (c == '.' && isDigit(at(i + 1)))) {
            number();
            return Optional.empty();
        }
        if (c == '?' || (c == '@' && (isBigQueryWordStart(at(i + 1)) || at(i + 1) == '`'))) {
            parameters.add(i); // ? and @name; @@name is a system variable
        } else if (c == '@' && at(i + 1) == '@') {
            i++; // the second @ is part of the system variable
        }
        punctuation(c);
        i++;
        return Optional.empty();
    }

    /**
     * A string or bytes literal whose first quote is at {@code quoteAt} (after its prefix, from {@code start}): one
     * quote or three, a backslash pairing with the next character; a one-quote string ends at a line break, where
     * BigQuery refuses the text.
     */
    private Optional<SqlScan.Open> bigQueryString(int start, int quoteAt) {
        char quote = text.charAt(quoteAt);
        String prefix = text.substring(start, quoteAt);
        boolean triple = at(quoteAt + 1) == quote && at(quoteAt + 2) == quote;
        String close = triple ? String.valueOf(quote).repeat(3) : String.valueOf(quote);
        int j = quoteAt + close.length();
        while (j < n) {
            char c = text.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (text.startsWith(close, j)) {
                i = j + close.length();
                mark(i - 1);
                return Optional.empty();
            } else if (!triple && (c == '\n' || c == '\r')) {
                break;
            } else {
                j++;
            }
        }
        return open("quote (" + prefix + close + ")", start);
    }

    private static boolean isBigQueryWordStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isBigQueryWordChar(char c) {
        return isBigQueryWordStart(c) || isDigit(c);
    }

    // --- shared -------------------------------------------------------------------------------------

    /** {@code --} (or BigQuery's {@code #}) to the end of the line; Spark continues it over a backslash right before a newline. */
    private void lineComment(int openerLength) {
        int j = i + openerLength;
        while (j < n) {
            char c = text.charAt(j);
            if (lexicon == Lexicon.SPARK && c == '\\' && at(j + 1) == '\n') {
                j += 2;
                continue;
            }
            if (c == '\n' || c == '\r') {
                i = j + 1;
                return;
            }
            j++;
        }
        i = n;
        endsInLineComment = true;
    }

    /**
     * A nested {@code /* … *}{@code /} comment (Trino's, Snowflake's and BigQuery's do not nest); false when it does
     * not close.
     */
    private boolean blockComment() {
        if (lexicon == Lexicon.TRINO || lexicon == Lexicon.SNOWFLAKE || lexicon == Lexicon.BIGQUERY) {
            int close = text.indexOf("*/", i + 2);
            if (close < 0) {
                return false;
            }
            i = close + 2;
            return true;
        }
        int depth = 0;
        int j = i;
        while (j < n) {
            if (text.charAt(j) == '/' && at(j + 1) == '*' && !(lexicon == Lexicon.SPARK && at(j + 2) == '+' && depth > 0)) {
                depth++;
                j += 2;
                continue;
            }
            if (text.charAt(j) == '*' && at(j + 1) == '/') {
                depth--;
                j += 2;
                if (depth == 0) {
                    i = j;
                    return true;
                }
                continue;
            }
            j++;
        }
        return false;
    }

    /**
     * Digits, a fraction and an exponent, and nothing more: a letter right after them starts the next token,
     * as in DuckDB's scanner ({@code 1e'…'} is 1 and then the string {@code e'…'}; PostgreSQL 15+ refuses the
     * text as a whole, which runs nothing).
     */
    private void number() {
        int j = i;
        while (isDigit(at(j))) {
            j++;
        }
        if (at(j) == '.' && (lexicon != Lexicon.SPARK || isDigit(at(j + 1)))) {
            j++;
            while (isDigit(at(j))) {
                j++;
            }
        }
        if ((at(j) == 'e' || at(j) == 'E') && (isDigit(at(j + 1))
                || ((at(j + 1) == '+' || at(j + 1) == '-') && isDigit(at(j + 2))))) {
            j += 2;
            while (isDigit(at(j))) {
                j++;
            }
        }
        i = Math.max(j, i + 1);
        mark(i - 1);
    }

    private void punctuation(char c) {
        if (c == '(') {
            open.push(i);
        } else if (c == ')') {
            if (open.isEmpty()) {
                if (unbalanced == null) {
                    unbalanced = i;
                }
            } else {
                open.pop();
            }
        } else if (c == ';') {
            semicolons.add(i);
            if (inStatement) {
                statements++;
                inStatement = false;
            }
            return;
        }
        inStatement = true;
    }

    private void significant(int at) {
        if (first < 0) {
            first = at;
        }
        last = at;
        if (text.charAt(at) != ';') {
            inStatement = true;
        }
    }

    private void mark(int at) {
        last = Math.max(last, at);
    }

    private Optional<SqlScan.Open> open(String what, int offset) {
        return Optional.of(new SqlScan.Open(what, offset));
    }

    private SqlScan result(SqlScan.Open unterminated) {
        if (inStatement) {
            statements++;
        }
        Integer firstUnbalanced = unbalanced != null ? unbalanced : open.peekLast();
        return new SqlScan(text, semicolons, statements, first, last, Optional.ofNullable(unterminated),
                Optional.ofNullable(firstUnbalanced), parameters, endsInLineComment);
    }

    private char at(int index) {
        return index >= 0 && index < n ? text.charAt(index) : '\0';
    }

    /** The engine's white space: PostgreSQL's {@code [ \t\n\r\f\v]}; Spark's WS rule; Trino's {@code [ \t\n\r]}. */
    private boolean isSpace(char c) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            return true;
        }
        if (lexicon != Lexicon.TRINO && (c == '\f' || c == '\u000B')) {
            return true;
        }
        return lexicon == Lexicon.SPARK && (c == '\u00A0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200A')
                || c == '\u2028' || c == '\u202F' || c == '\u205F' || c == '\u3000');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code [A-Za-z\200-\377_]}: every non-ASCII character is a letter to PostgreSQL's scanner. */
    private static boolean isPostgresIdentStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
    }

    private static boolean isPostgresIdentCont(char c) {
        return isPostgresIdentStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isDollarTagChar(char c, boolean firstOfTag) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80 || (!firstOfTag && isDigit(c));
    }

    /** {@code UNICODE_LETTER | DIGIT | '_'}. */
    private static boolean isSparkWordChar(char c) {
        return Character.isLetter(c) || isDigit(c) || c == '_';
    }

    private static boolean isSparkUriChar(char c) {
        return isSparkWordChar(c) || "/-.?=&#%".indexOf(c) >= 0;
    }
}
