package dev.pulse.warehouse;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The statement a JDBC warehouse runs now, so that another thread can cancel it ({@link Warehouse#cancel}).
 * Once cancelled, no statement starts any more: a cancel that lands between two statements, or just before
 * the first, still stops the work instead of missing it.
 */
final class Cancellation {
    /** What a statement's work does with it; may throw the driver's exception. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private Statement running;
    private boolean cancelled;

    /**
     * Runs {@code work} with {@code statement} registered as the one to cancel.
     *
     * @throws SQLException the work's failure, including the driver's when it was cancelled; or a new one
     *                      saying so when the warehouse had been cancelled before
     */
    <T> T run(Statement statement, Work<T> work) throws SQLException {
        synchronized (this) {
            if (cancelled) {
                throw new SQLException("cancelled: this warehouse connection runs no more statements");
            }
            running = statement;
        }
        try {
            return work.run();
        } finally {
            synchronized (this) {
                running = null;
            }
        }
    }

    /** Cancels the statement running now, if any, and every later one. Any thread, any time, more than once. */
    void cancel() {
        Statement statement;
        synchronized (this) {
            cancelled = true;
            statement = running;
        }
        if (statement == null) {
            return;
        }
        // outside the lock: the driver may take a moment (PostgreSQL opens a connection to send the cancel)
        try {
            statement.cancel();
        } catch (SQLException e) {
            // the statement ended (and was closed) meanwhile: nothing left to cancel
        }
    }
}
