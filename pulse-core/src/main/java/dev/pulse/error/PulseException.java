package dev.pulse.error;

import java.util.Objects;

/**
 * The one exception type Pulse raises for problems a user can act on. The CLI maps the
 * {@link Category} to an exit code and prints {@link #getMessage()} only (the stack trace with
 * {@code --verbose}).
 */
public final class PulseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, which decides the exit code. */
    public enum Category {
        /** The config file is invalid (exit 2). */
        CONFIG_INVALID(2),
        /** Arguments or input data cannot be analysed (exit 2). */
        INPUT_INVALID(2),
        /** The warehouse refused a connection or a query (exit 3). */
        WAREHOUSE_FAILED(3),
        /** A feature the chosen engine or dialect cannot render (exit 2). */
        SQL_UNSUPPORTED(2);

        private final int exitCode;

        Category(int exitCode) {
            this.exitCode = exitCode;
        }

        /**
         * The exit code of the {@code pulse} command that fails so (docs/cli.md#exit-codes).
         *
         * @return 2 for bad input, 3 for a warehouse failure
         */
        public int exitCode() {
            return exitCode;
        }
    }

    /** What went wrong (part of the serialized form). */
    private final Category category;

    /**
     * A problem of {@code category}.
     *
     * @param category what went wrong
     * @param message  what the user reads: the problem, where (file:line:column for a config) and what to do
     */
    public PulseException(Category category, String message) {
        super(message);
        this.category = Objects.requireNonNull(category);
    }

    /**
     * A problem of {@code category} caused by {@code cause} (a driver's exception, an I/O failure).
     *
     * @param category what went wrong
     * @param message  what the user reads
     * @param cause    the underlying failure
     */
    public PulseException(Category category, String message, Throwable cause) {
        super(message, cause);
        this.category = Objects.requireNonNull(category);
    }

    /**
     * What went wrong.
     *
     * @return the category, which decides the exit code
     */
    public Category category() {
        return category;
    }
}
