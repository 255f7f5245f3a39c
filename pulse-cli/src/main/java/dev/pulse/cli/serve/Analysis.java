package dev.pulse.cli.serve;

import dev.pulse.analysis.ExperimentResult;
import dev.pulse.api.Cancellation;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;

import java.util.List;
import java.util.function.Consumer;

/** How the web app analyses one experiment: as {@code pulse analyze} does (through the Java API), reporting each phase. */
@FunctionalInterface
public interface Analysis {
    /**
     * Analyses {@code experiment} of {@code config}, calling {@code phase} at each step; {@code phase}
     * throws {@link java.util.concurrent.CancellationException} once the run was cancelled. Cancelling
     * {@code cancellation} aborts the query in flight instead of waiting for it to end.
     */
    List<ExperimentResult> run(PulseConfig config, ExperimentName experiment, Consumer<String> phase,
            Cancellation cancellation);
}
