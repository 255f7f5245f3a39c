package dev.pulse.config;

import dev.pulse.sqltext.Lexicon;
import dev.pulse.sqltext.SqlScan;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks that user SQL is one expression (a {@code filter}, a {@code value}) or one SELECT (a {@code sql}
 * source), with the lexical rules of the engine that will run it ({@link Lexicon}: every quoting form,
 * nested comments, dollar quotes). What passes stays one piece when Pulse wraps it in parentheses: it has
 * no {@code ;} (a query may end with one), every {@code (} closes inside it and no {@code )} closes more,
 * and it holds no parameter marker that would take one of Pulse's parameters. When the engine is not known
 * (its section has a problem), the text must pass the rules of every engine.
 */
final class SqlText {

    private SqlText() {}

    /** The text as checked: what Pulse may wrap in parentheses, or why not. */
    record Checked(Optional<String> text, Optional<String> problem) {
        static Checked ok(String text) {
            return new Checked(Optional.of(text), Optional.empty());
        }

        static Checked bad(String problem) {
            return new Checked(Optional.empty(), Optional.of(problem));
        }
    }

    /** Why {@code filter} is not one boolean expression, or the text to splice. */
    static Checked filter(String filter, List<Lexicon> lexicons) {
        if (filter.isBlank()) {
            return Checked.bad("filter is empty (omit it to use every row)");
        }
        return expression("filter", filter, lexicons);
    }

    /**
     * Why {@code text} is not one SQL expression, or the text to splice.
     *
     * @param what the key it came from, for the message: {@code filter}, {@code value}
     */
    static Checked expression(String what, String text, List<Lexicon> lexicons) {
        String stripped = text.strip();
        String spliced = stripped;
        for (Lexicon lexicon : lexicons) {
            SqlScan scan = lexicon.scan(stripped);
            if (scan.isEmpty()) {
                return Checked.bad(what + " is empty");
            }
            Optional<String> problem = shapeProblem(what, scan);
            if (problem.isEmpty() && !scan.semicolons().isEmpty()) {
                problem = Optional.of(what + " must be one SQL expression, but it has a ';' outside quotes"
                        + at(scan.semicolons().get(0)));
            }
            if (problem.isPresent()) {
                return Checked.bad(problem.get());
            }
            spliced = scan.spliceable();
        }
        return Checked.ok(spliced);
    }

    /** Why {@code sql} is not one SELECT query, or the query to wrap (without a trailing {@code ;}). */
    static Checked query(String sql, List<Lexicon> lexicons) {
        String result = sql.strip();
        for (Lexicon lexicon : lexicons) {
            SqlScan scan = lexicon.scan(sql);
            if (scan.isEmpty()) {
                return Checked.bad("sql is empty");
            }
            if (scan.unterminated().isPresent()) {
                return Checked.bad(shapeProblem("sql", scan).orElseThrow());
            }
            String firstWord = firstWord(sql, scan.firstSignificant());
            String upper = firstWord.toUpperCase(Locale.ROOT);
            if (!upper.equals("SELECT") && !upper.equals("WITH")) {
                return Checked.bad("sql must be one SELECT query, starting with SELECT or WITH, not '" + firstWord + "'");
            }
            List<Integer> semicolons = scan.semicolons();
            boolean onlyTrailing = semicolons.isEmpty()
                    || (semicolons.size() == 1 && semicolons.get(0) == scan.lastSignificant());
            if (!onlyTrailing) {
                return Checked.bad("sql must be one SELECT query, but it has a ';' before its end" + at(semicolons.get(0)));
            }
            String body = semicolons.isEmpty() ? sql : sql.substring(0, semicolons.get(0));
            SqlScan bodyScan = lexicon.scan(body.strip());
            Optional<String> problem = shapeProblem("sql", bodyScan);
            if (problem.isPresent()) {
                return Checked.bad(problem.get());
            }
            result = bodyScan.spliceable();
        }
        return Checked.ok(result);
    }

    /** A NUL character, an open quote or comment, an unbalanced parenthesis, a parameter marker. */
    private static Optional<String> shapeProblem(String what, SqlScan scan) {
        int nul = scan.text().indexOf('\0');
        if (nul >= 0) {
            return Optional.of(what + " holds a NUL character" + at(nul) + ", which no engine reads as SQL");
        }
        if (scan.unterminated().isPresent()) {
            SqlScan.Open open = scan.unterminated().get();
            return Optional.of(what + " has an unterminated " + open.what() + at(open.offset()));
        }
        if (scan.unbalanced().isPresent()) {
            int offset = scan.unbalanced().get();
            return Optional.of(scan.text().charAt(offset) == ')'
                    ? what + " has a ')' that closes more than it opened" + at(offset)
                            + " (Pulse wraps it in parentheses, and it must stay inside them)"
                    : what + " has a '(' that is never closed" + at(offset));
        }
        if (!scan.parameters().isEmpty()) {
            int offset = scan.parameters().get(0);
            return Optional.of(what + " has a parameter marker '" + marker(scan.text(), offset) + "'" + at(offset)
                    + "; Pulse binds no parameters in user SQL (for PostgreSQL's jsonb operator ?, use jsonb_exists)");
        }
        return Optional.empty();
    }

    private static String marker(String text, int offset) {
        int end = offset + 1;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        return text.substring(offset, end);
    }

    private static String at(int offset) {
        return " (at character " + (offset + 1) + ")";
    }

    private static String firstWord(String text, int from) {
        int end = from;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        return end == from ? text.substring(from, from + 1) : text.substring(from, end);
    }
}
