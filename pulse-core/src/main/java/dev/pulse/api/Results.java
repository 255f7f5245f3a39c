package dev.pulse.api;

import java.util.List;
import java.util.Optional;

/**
 * The results of one {@link Analysis#run()}: one {@link ExperimentSummary} per experiment, and their renderings.
 * Immutable and safe to share between threads. Only Pulse implements this interface.
 */
public interface Results {

    /**
     * Every experiment's results.
     *
     * @return one per analysed experiment, in the order they were asked for
     */
    List<ExperimentSummary> experiments();

    /**
     * One experiment's results.
     *
     * @param name an experiment's name in the config
     * @return its results, or empty when it was not analysed
     */
    default Optional<ExperimentSummary> experiment(String name) {
        return experiments().stream().filter(experiment -> experiment.name().equals(name)).findFirst();
    }

    /**
     * These results as {@code pulse analyze} writes them: the same text byte for byte.
     *
     * @param format the table, JSON, CSV or the HTML report
     * @return the rendering
     */
    String render(Format format);
}
