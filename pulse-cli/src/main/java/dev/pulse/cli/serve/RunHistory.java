package dev.pulse.cli.serve;

import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.TableName;
import dev.pulse.warehouse.Warehouse;
import dev.pulse.warehouse.Warehouses;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The past runs of each experiment: those read from the results table, and those of this app.
 *
 * <p>{@code pulse analyze} replaces an experiment's rows in the results table with each run's, so the table holds
 * the latest run of each experiment. This app therefore reads the table before each of its runs (the run about to
 * be replaced) and after it, and keeps every run it read, up to {@link #KEPT} per experiment: the history grows
 * with each run while the app runs, and starts from the table's latest run when it starts again.
 */
final class RunHistory {
    /** How many runs read from the table are kept per experiment. */
    static final int KEPT = 100;

    /**
     * How far a table run's time may lie outside an app run's start and end and still be that run: Spark's
     * {@code run_at} is truncated to the second.
     */
    private static final Duration SLACK = Duration.ofSeconds(1);

    /** What the history page shows: the runs, newest first, and why the table could not be read, if so. */
    record Listing(List<PastRun> runs, Optional<String> problem) {
        Listing {
            runs = List.copyOf(runs);
            java.util.Objects.requireNonNull(problem);
        }
    }

    /** One of this app's finished runs, as the history needs it. */
    record AppRun(int id, Instant started, Instant ended, RunFigures figures) {}

    private final Function<PulseConfig, Warehouse> open;
    private final Map<ExperimentName, Map<String, PastRun>> read = new HashMap<>();
    private final Map<ExperimentName, String> problems = new HashMap<>();

    RunHistory() {
        this(config -> Warehouses.open(config.warehouse()));
    }

    RunHistory(Function<PulseConfig, Warehouse> open) {
        this.open = open;
    }

    /**
     * Reads {@code experiment}'s runs from the config's results table, when it names one, and keeps them; a table
     * that cannot be read is remembered as the problem to show (never thrown).
     */
    void readTable(PulseConfig config, ExperimentName experiment) {
        Optional<TableName> table = config.warehouse().resultsTable();
        if (table.isEmpty()) {
            return;
        }
        ResultsHistory.Read result;
        try (Warehouse warehouse = open.apply(config)) {
            result = ResultsHistory.read(warehouse, table.get(), experiment);
        } catch (RuntimeException e) {
            result = new ResultsHistory.Unreadable("Cannot read the results table " + table.get() + ": " + e.getMessage());
        }
        synchronized (this) {
            if (result instanceof ResultsHistory.Found found) {
                problems.remove(experiment);
                Map<String, PastRun> kept = read.computeIfAbsent(experiment, name -> new LinkedHashMap<>());
                found.runs().forEach(run -> kept.put(run.key(), run));
                List<PastRun> oldest = kept.values().stream().sorted(Comparator.comparing(PastRun::runAt)).toList();
                for (int i = 0; i < oldest.size() - KEPT; i++) {
                    kept.remove(oldest.get(i).key());
                }
            } else if (result instanceof ResultsHistory.Unreadable unreadable) {
                problems.put(experiment, unreadable.message());
            }
        }
    }

    /**
     * {@code experiment}'s runs, newest first: those read from the table and {@code appRuns} (this app's finished
     * runs of it). An app run the table holds too (its time within the run's, its figures equal) is shown once, as
     * the table's, with a link to the app's run.
     */
    synchronized Listing listing(ExperimentName experiment, List<AppRun> appRuns) {
        Map<String, PastRun> table = new LinkedHashMap<>(read.getOrDefault(experiment, Map.of()));
        List<PastRun> runs = new ArrayList<>();
        for (AppRun app : appRuns) {
            // the latest table run within the app run's time: a run just before it (read before it replaced it)
            // may have the same figures too
            Optional<PastRun> same = table.values().stream().filter(run -> sameRun(app, run))
                    .max(Comparator.comparing(PastRun::runAt));
            same.ifPresent(run -> table.remove(run.key()));
            runs.add(same.map(run -> run.withAppRun(app.id()))
                    .orElse(new PastRun("app-" + app.id(), app.started(), false, Optional.of(app.id()), app.figures())));
        }
        runs.addAll(table.values());
        runs.sort(Comparator.comparing(PastRun::runAt).reversed().thenComparing(PastRun::key));
        return new Listing(runs, Optional.ofNullable(problems.get(experiment)));
    }

    private static boolean sameRun(AppRun app, PastRun run) {
        return !run.runAt().isBefore(app.started().minus(SLACK)) && !run.runAt().isAfter(app.ended().plus(SLACK))
                && run.figures().equals(app.figures());
    }
}
