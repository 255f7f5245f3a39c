package dev.pulse.sqltext;

import java.util.List;
import java.util.Optional;

/**
 * What a scan of SQL text found outside its quotes and comments: enough to tell whether the text is one
 * expression, one query, or one statement, and where it is not.
 *
 * @param text              the text scanned
 * @param semicolons        offsets of the {@code ;} characters
 * @param statements        the statements an engine would see: pieces between {@code ;} that hold more than
 *                          white space and comments (0 for an empty text)
 * @param firstSignificant  offset of the first character that is not white space or comment, or -1
 * @param lastSignificant   offset of the last such character, or -1
 * @param unterminated      the quote or comment still open at the end, if any
 * @param unbalanced        the first parenthesis without its partner: a {@code )} that closes more than was
 *                          opened, or else the first {@code (} left open at the end
 * @param parameters        offsets of parameter markers ({@code ?}, {@code $1}, {@code $name}, {@code :name})
 * @param endsInLineComment whether the text ends inside a {@code --} comment, which would swallow what
 *                          follows it on the same line
 */
public record SqlScan(
        String text,
        List<Integer> semicolons,
        int statements,
        int firstSignificant,
        int lastSignificant,
        Optional<Open> unterminated,
        Optional<Integer> unbalanced,
        List<Integer> parameters,
        boolean endsInLineComment) {

    /** A quote or comment that opened at {@code offset} and did not close. */
    public record Open(String what, int offset) {}

    public SqlScan {
        semicolons = List.copyOf(semicolons);
        parameters = List.copyOf(parameters);
    }

    /** Whether the text holds nothing but white space and comments. */
    public boolean isEmpty() {
        return firstSignificant < 0;
    }

    /**
     * The text as it may be followed by other SQL: with a line break after it when it ends inside a
     * {@code --} comment (and, for Spark, a space first, so a trailing backslash cannot continue the comment).
     */
    public String spliceable() {
        return endsInLineComment ? text + " \n" : text;
    }
}
