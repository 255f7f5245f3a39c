package dev.pulse.config;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;

/**
 * One problem found in a config file, at a position.
 *
 * @param file    the config file as the user named it (may be relative)
 * @param line    1-based line, or 0 when the problem concerns the whole file (missing, unreadable)
 * @param column  1-based column, or 0 with {@code line} 0
 * @param path    where in the config: {@code experiments.pricing.metrics[0]}; empty for the document
 *                itself (a YAML syntax error, a missing file)
 * @param message what is wrong, with a hint in parentheses when there is one:
 *                {@code unknown metric 'revnue' (did you mean 'revenue'?)}
 */
public record ConfigProblem(Path file, int line, int column, String path, String message) {

    /** Problems in file order: by line, then column. */
    public static final Comparator<ConfigProblem> BY_POSITION =
            Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column);

    public ConfigProblem {
        Objects.requireNonNull(file);
        Objects.requireNonNull(path);
        Objects.requireNonNull(message);
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column are 1-based (or 0 for the whole file)");
        }
    }

    /**
     * The problem as one line: {@code pulse.yaml:42:7 experiments.pricing.metrics[0]: unknown metric
     * 'revnue' (did you mean 'revenue'?)}. Without a position: {@code pulse.yaml: message}; without a
     * path: {@code pulse.yaml:3:5 message}.
     */
    public String format() {
        StringBuilder text = new StringBuilder(file.toString());
        if (line > 0) {
            text.append(':').append(line).append(':').append(column);
        } else {
            text.append(':');
        }
        text.append(' ');
        if (!path.isEmpty()) {
            text.append(path).append(": ");
        }
        return text.append(message).toString();
    }
}
