package dev.pulse.cli.serve;

import dev.pulse.analysis.ExperimentResult;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.warehouse.Warehouse;

import java.util.List;
import java.util.function.Consumer;

/** How the web app analyses one experiment: as {@code pulse analyze} does, reporting each phase. */
@FunctionalInterface
public interface Analysis {
    /**
     * Analyses {@code experiment} of {@code config}, calling {@code phase} at each step; {@code phase}
     * throws {@link java.util.concurrent.CancellationException} once the run was cancelled. The analysis
     * hands the warehouse it opened to {@code connected}, so that a cancel can abort the query in flight
     * ({@link Warehouse#cancel}) instead of waiting for it to end.
     */
    List<ExperimentResult> run(PulseConfig config, ExperimentName experiment, Consumer<String> phase,
            Consumer<Warehouse> connected);
}
