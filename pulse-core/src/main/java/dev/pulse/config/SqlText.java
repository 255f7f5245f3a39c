package dev.pulse.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks that user SQL is one expression (a {@code filter}) or one SELECT (a {@code sql} source).
 * The config is trusted like SQL the user runs; these checks only make sure that what Pulse wraps in
 * parentheses stays one piece. Quotes ({@code '…'}, {@code "…"}) and comments ({@code -- …},
 * {@code /* … *}{@code /}) are skipped.
 */
final class SqlText {

    /** What a scan of SQL text found. */
    private record Scan(List<Integer> semicolons, int firstSignificant, int lastSignificant, String unterminated) {}

    private SqlText() {}

    /** Why {@code filter} is not one boolean expression, or empty when it is fine. */
    static Optional<String> filterProblem(String filter) {
        if (filter.isBlank()) {
            return Optional.of("filter is empty (omit it to use every row)");
        }
        return expressionProblem("filter", filter);
    }

    /**
     * Why {@code text} is not one SQL expression (empty, a {@code ;} outside quotes, an unterminated
     * quote or comment), or empty when it is fine.
     *
     * @param what the key it came from, for the message: {@code filter}, {@code value}
     */
    static Optional<String> expressionProblem(String what, String text) {
        Scan scan = scan(text);
        if (scan.firstSignificant < 0) {
            return Optional.of(what + " is empty");
        }
        if (scan.unterminated != null) {
            return Optional.of(what + " has an unterminated " + scan.unterminated);
        }
        if (!scan.semicolons.isEmpty()) {
            return Optional.of(what + " must be one SQL expression, but it has a ';' outside quotes");
        }
        return Optional.empty();
    }

    /** Why {@code sql} is not one SELECT query, or empty when it is fine. */
    static Optional<String> queryProblem(String sql) {
        Scan scan = scan(sql);
        if (scan.firstSignificant < 0) {
            return Optional.of("sql is empty");
        }
        if (scan.unterminated != null) {
            return Optional.of("sql has an unterminated " + scan.unterminated);
        }
        String firstWord = firstWord(sql, scan.firstSignificant);
        String upper = firstWord.toUpperCase(Locale.ROOT);
        if (!upper.equals("SELECT") && !upper.equals("WITH")) {
            return Optional.of("sql must be one SELECT query, starting with SELECT or WITH, not '" + firstWord + "'");
        }
        List<Integer> semicolons = scan.semicolons;
        boolean onlyTrailing = semicolons.isEmpty()
                || (semicolons.size() == 1 && semicolons.get(0) == scan.lastSignificant);
        if (!onlyTrailing) {
            return Optional.of("sql must be one SELECT query, but it has a ';' before its end");
        }
        return Optional.empty();
    }

    /** The query without its one trailing {@code ;} (and what follows it), trimmed; for a valid query. */
    static String withoutTrailingSemicolon(String sql) {
        Scan scan = scan(sql);
        if (scan.semicolons.size() == 1 && scan.semicolons.get(0) == scan.lastSignificant) {
            return sql.substring(0, scan.semicolons.get(0)).strip();
        }
        return sql.strip();
    }

    private static String firstWord(String text, int from) {
        int end = from;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        return end == from ? text.substring(from, from + 1) : text.substring(from, end);
    }

    private static Scan scan(String text) {
        List<Integer> semicolons = new ArrayList<>();
        int first = -1;
        int last = -1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                int newline = text.indexOf('\n', i);
                i = newline < 0 ? n : newline + 1;
                continue;
            }
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                if (close < 0) {
                    return new Scan(semicolons, first < 0 ? i : first, i, "comment");
                }
                i = close + 2;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (first < 0) {
                first = i;
            }
            last = i;
            if (c == '\'' || c == '"') {
                // a doubled quote inside a quoted text closes and reopens it, which scans the same
                int close = text.indexOf(c, i + 1);
                if (close < 0) {
                    return new Scan(semicolons, first, i, "quote (" + c + ")");
                }
                last = close;
                i = close + 1;
                continue;
            }
            if (c == ';') {
                semicolons.add(i);
            }
            i++;
        }
        return new Scan(semicolons, first, last, null);
    }
}
