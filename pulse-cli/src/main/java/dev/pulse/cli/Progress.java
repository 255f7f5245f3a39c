package dev.pulse.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One status line on stderr while long work runs — which experiment, which phase, elapsed time —
 * rewritten in place every second. Only on an interactive terminal: in pipes, files and CI (the
 * {@code CI} variable) it stays silent, so logs and captured output never contain it.
 */
final class Progress implements AutoCloseable {
    private static final Progress SILENT = new Progress(null);

    private final PrintWriter terminal;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService ticker;
    private String status = "";
    private int width;

    private Progress(PrintWriter terminal) {
        this.terminal = terminal;
        if (terminal == null) {
            ticker = null;
        } else {
            ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "pulse-progress");
                thread.setDaemon(true);
                return thread;
            });
            ticker.scheduleAtFixedRate(this::redraw, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** A status line on {@code err} when stdin/stdout is a terminal and not in CI; otherwise silent. */
    static Progress forTerminal(PrintWriter err) {
        boolean interactive = System.console() != null && System.getenv("CI") == null;
        return interactive ? new Progress(err) : SILENT;
    }

    /** No status line at all. */
    static Progress silent() {
        return SILENT;
    }

    /** Always shows the line on {@code err} (for tests). */
    static Progress always(PrintWriter err) {
        return new Progress(err);
    }

    /** The current phase, e.g. {@code "experiment 1/2 pricing_v2: running the SQL in duckdb"}. */
    void phase(String text) {
        if (terminal == null) {
            return;
        }
        synchronized (this) {
            status = text;
        }
        redraw();
    }

    private synchronized void redraw() {
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        String line = String.format(Locale.ROOT, "pulse: %s (%d:%02d)", status, seconds / 60, seconds % 60);
        terminal.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        terminal.flush();
        width = line.length();
    }

    /** Clears the line; results and errors then print on a clean line. */
    @Override
    public synchronized void close() {
        if (terminal == null) {
            return;
        }
        ticker.shutdownNow();
        terminal.print("\r" + " ".repeat(width) + "\r");
        terminal.flush();
    }
}
