package dev.pulse.cli.serve;

import dev.pulse.analysis.ExperimentResult;
import dev.pulse.api.Cancellation;
import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.output.html.HtmlReport;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The analyses started from the web app: run one at a time on a worker thread, in the order they
 * were asked for. Cancelling a run aborts its warehouse query in flight ({@link Cancellation#cancel}) and
 * interrupts it; its result, should one still arrive, is discarded.
 */
final class Runs implements AutoCloseable {
    /** How many ended runs (done, failed, cancelled) are kept; older ones are forgotten. */
    static final int KEPT = 50;

    /**
     * How many runs may be queued or running at once; more are refused ({@link QueueFull}) until one
     * ends. Such runs are never forgotten: each can be viewed and cancelled until it ends.
     */
    static final int QUEUE_LIMIT = 20;

    /** A run asked for while {@link #QUEUE_LIMIT} runs are queued or running. */
    static final class QueueFull extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QueueFull() {
            super("the queue is full: " + QUEUE_LIMIT + " runs are queued or running; wait for one to end or cancel one");
        }
    }

    enum Status { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    /**
     * One run as a page shows it; {@code report} and {@code outcome} are set when done, {@code error} when failed.
     */
    record View(int id, ExperimentName experiment, Status status, String phase, Duration elapsed,
            Optional<String> report, Optional<String> error, Optional<Outcome> outcome) {}

    /**
     * What a finished run computed, for its run history and its SQL page.
     *
     * @param config  the config it ran
     * @param results its results (one experiment's)
     * @param started when it started (wall clock)
     * @param ended   when it ended (wall clock)
     */
    record Outcome(PulseConfig config, List<ExperimentResult> results, Instant started, Instant ended) {
        Outcome {
            Objects.requireNonNull(config);
            results = List.copyOf(results);
        }
    }

    private final Analysis analysis;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pulse-serve-run");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Integer, Run> runs = new ConcurrentSkipListMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    Runs(Analysis analysis) {
        this.analysis = Objects.requireNonNull(analysis);
    }

    /**
     * Queues the analysis of {@code experiment}; returns the run's id. Forgets the oldest ended runs
     * beyond {@link #KEPT}, never a queued or running one.
     *
     * @throws QueueFull when {@link #QUEUE_LIMIT} runs are queued or running
     */
    synchronized int start(PulseConfig config, ExperimentName experiment) {
        if (unfinished() >= QUEUE_LIMIT) {
            throw new QueueFull();
        }
        Run run = new Run(ids.incrementAndGet(), experiment);
        runs.put(run.id, run);
        List<Run> ended = runs.values().stream().filter(Run::ended).toList();
        for (int i = 0; i < ended.size() - KEPT; i++) {
            runs.remove(ended.get(i).id);
        }
        run.future = worker.submit(() -> execute(run, config));
        return run.id;
    }

    /** How many runs are queued or running. */
    int unfinished() {
        return (int) runs.values().stream().filter(run -> !run.ended()).count();
    }

    /** True when no further run can be queued now. */
    boolean full() {
        return unfinished() >= QUEUE_LIMIT;
    }

    Optional<View> view(int id) {
        return Optional.ofNullable(runs.get(id)).map(Run::view);
    }

    /** The kept runs, newest first. */
    List<View> views() {
        return runs.values().stream().map(Run::view).sorted((a, b) -> Integer.compare(b.id(), a.id())).toList();
    }

    /** Cancels a queued or running run; false when there is no such run or it had already ended. */
    boolean cancel(int id) {
        Run run = runs.get(id);
        return run != null && run.cancel();
    }

    private void execute(Run run, PulseConfig config) {
        if (!run.begin()) {
            return;
        }
        try {
            List<ExperimentResult> results = analysis.run(config, run.experiment, run::phase, run.cancellation);
            run.phase("rendering the report");
            String report = HtmlReport.render(results);
            run.computed(config, results);
            run.finish(Status.DONE, report, null);
        } catch (CancellationException e) {
            run.finish(Status.CANCELLED, null, null);
        } catch (PulseException e) {
            run.finish(Status.FAILED, null, String.format(Locale.ROOT, "%s (exit code %d): %s",
                    e.category().name().toLowerCase(Locale.ROOT).replace('_', ' '), e.category().exitCode(), e.getMessage()));
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // an internal error must still end the run: a run left "running" would hold its place forever
            run.finish(Status.FAILED, null, "internal error (exit code 1): " + e);
        }
    }

    @Override
    public void close() {
        runs.values().forEach(Run::cancel);
        worker.shutdownNow();
    }

    private static final class Run {
        final int id;
        final ExperimentName experiment;
        final long created = System.nanoTime();
        volatile Future<?> future;
        private Status status = Status.QUEUED;
        private String phase = "waiting for the runs before it";
        private long started;
        private Instant startedAt;
        private long ended;
        private Outcome computed;
        private Outcome outcome;
        private String report;
        private String error;
        /** Aborts the run's warehouse query in flight. */
        final Cancellation cancellation = new Cancellation();

        Run(int id, ExperimentName experiment) {
            this.id = id;
            this.experiment = experiment;
        }

        synchronized boolean ended() {
            return status != Status.QUEUED && status != Status.RUNNING;
        }

        synchronized boolean begin() {
            if (status != Status.QUEUED) {
                return false;
            }
            status = Status.RUNNING;
            phase = "starting";
            started = System.nanoTime();
            startedAt = Instant.now();
            return true;
        }

        /** Records the phase; throws once the run was cancelled, so the analysis stops there. */
        synchronized void phase(String text) {
            if (status == Status.CANCELLED || Thread.currentThread().isInterrupted()) {
                throw new CancellationException("run " + id + " was cancelled");
            }
            phase = text;
        }

        /** Ends the run, unless it was cancelled: then whatever arrives is discarded. */
        synchronized void finish(Status outcome, String page, String message) {
            if (status == Status.CANCELLED) {
                return;
            }
            status = outcome;
            this.outcome = outcome == Status.DONE ? computed : null;
            report = page;
            error = message;
            ended = System.nanoTime();
        }

        boolean cancel() {
            synchronized (this) {
                if (status != Status.QUEUED && status != Status.RUNNING) {
                    return false;
                }
                if (status == Status.QUEUED) {
                    started = System.nanoTime();
                }
                status = Status.CANCELLED;
                ended = System.nanoTime();
            }
            // outside the lock: the driver may take a moment, and the page must not wait on it
            cancellation.cancel();
            Future<?> running = future;
            if (running != null) {
                running.cancel(true);
            }
            return true;
        }

        /** Keeps what the run computed, for {@link #finish} to publish with its status. */
        synchronized void computed(PulseConfig config, List<ExperimentResult> results) {
            computed = new Outcome(config, results, startedAt, Instant.now());
        }

        synchronized View view() {
            long from = status == Status.QUEUED ? created : started;
            long to = status == Status.QUEUED || status == Status.RUNNING ? System.nanoTime() : ended;
            return new View(id, experiment, status, phase, Duration.ofNanos(to - from),
                    Optional.ofNullable(report), Optional.ofNullable(error), Optional.ofNullable(outcome));
        }
    }
}
