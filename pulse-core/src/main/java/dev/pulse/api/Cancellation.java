package dev.pulse.api;

import dev.pulse.warehouse.Warehouse;

import java.util.concurrent.CancellationException;

/**
 * Cancels an analysis from another thread: give it to {@link Analysis#cancellation(Cancellation)}, then call
 * {@link #cancel()}. The query running in the warehouse is aborted ({@code pulse serve}'s Cancel does this), and
 * {@link Analysis#run()} throws {@link CancellationException} instead of returning. Safe from any thread, at any
 * time, more than once. A token stays cancelled: a run started with a cancelled token stops at once.
 */
public final class Cancellation {
    private boolean cancelled;
    private Warehouse warehouse;

    /** A token not yet cancelled. */
    public Cancellation() {
    }

    /** Cancels the analyses run with this token: the one running now and any started later. */
    public void cancel() {
        Warehouse running;
        synchronized (this) {
            cancelled = true;
            running = warehouse;
            warehouse = null;
        }
        // outside the lock: the driver may take a moment
        if (running != null) {
            running.cancel();
        }
    }

    /**
     * Whether {@link #cancel()} was called.
     *
     * @return true once cancelled
     */
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Keeps the run's open warehouse for {@link #cancel()}; cancels it at once when already cancelled. */
    void connected(Warehouse opened) {
        synchronized (this) {
            if (!cancelled) {
                warehouse = opened;
                return;
            }
        }
        opened.cancel();
    }

    /** The run's warehouse is closed: nothing left to abort. */
    synchronized void closed() {
        warehouse = null;
    }

    /** Throws when cancelled, so the run stops at its next step. */
    void check() {
        if (isCancelled()) {
            throw new CancellationException("the analysis was cancelled");
        }
    }
}
