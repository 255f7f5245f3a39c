package dev.pulse.cli.serve;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One past run of an experiment in the run history.
 *
 * @param key      what tells it apart: the results table's {@code run_id}, or {@code app-N} for run N of this app
 *                 that is in no table
 * @param runAt    when it started (the table's {@code run_at}, UTC)
 * @param fromTable whether its figures were read from the results table (else kept in this app's memory)
 * @param appRun   the id of this app's run it was, while the app keeps that run (its report and its SQL)
 * @param figures  its key figures
 */
record PastRun(String key, Instant runAt, boolean fromTable, Optional<Integer> appRun, RunFigures figures) {
    PastRun {
        Objects.requireNonNull(key);
        Objects.requireNonNull(runAt);
        Objects.requireNonNull(appRun);
        Objects.requireNonNull(figures);
    }

    PastRun withAppRun(int id) {
        return new PastRun(key, runAt, fromTable, Optional.of(id), figures);
    }
}
