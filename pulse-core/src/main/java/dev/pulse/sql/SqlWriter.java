package dev.pulse.sql;

/**
 * A deterministic line printer: one clause per line, two spaces per nesting level, {@code \n} line
 * ends, so that golden files diff cleanly.
 */
final class SqlWriter {
    private static final String INDENT = "  ";

    private final StringBuilder text = new StringBuilder();
    private int depth;

    /** Writes {@code line} at the current depth. */
    SqlWriter line(String line) {
        text.append(INDENT.repeat(depth)).append(line).append('\n');
        return this;
    }

    /**
     * Writes {@code lines} verbatim, without indentation (user SQL is never reformatted). The end is kept as
     * it is: a text that ends in a line comment ends with a space and a line break (Spark would continue a
     * comment that ends in a backslash onto the next line).
     */
    SqlWriter verbatim(String lines) {
        String body = lines.stripLeading();
        text.append(body);
        if (!body.endsWith("\n")) {
            text.append('\n');
        }
        return this;
    }

    /** Writes the items of a list, one per line, a comma after each but the last. */
    SqlWriter list(java.util.List<String> items) {
        for (int i = 0; i < items.size(); i++) {
            line(items.get(i) + (i < items.size() - 1 ? "," : ""));
        }
        return this;
    }

    SqlWriter indent() {
        depth++;
        return this;
    }

    SqlWriter dedent() {
        if (depth == 0) {
            throw new IllegalStateException("dedent below zero");
        }
        depth--;
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
