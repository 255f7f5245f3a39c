package dev.pulse.cli;

import dev.pulse.config.ConfigLoader;
import dev.pulse.config.Suggestions;
import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code --config F}, and resolving {@code --experiment} names against it. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The pulse.yaml to use.")
    Path file;

    PulseConfig load() {
        return ConfigLoader.load(file);
    }

    /**
     * The named experiments of a config loaded through the Java API, or every experiment when none is named; an
     * unknown name fails as {@link #experiments(PulseConfig, List)} does, naming {@code --experiment}.
     */
    static List<String> experiments(dev.pulse.api.Config config, List<String> names) {
        if (names == null || names.isEmpty()) {
            return config.experiments();
        }
        for (String name : names) {
            if (!config.experiments().contains(name)) {
                throw unknown(name, config.file(), config.experiments());
            }
        }
        return List.copyOf(names);
    }

    /** The named experiments, or every experiment of the config when none is named. */
    static List<ExperimentName> experiments(PulseConfig config, List<String> names) {
        if (names == null || names.isEmpty()) {
            return List.copyOf(config.experiments().keySet());
        }
        List<ExperimentName> chosen = new ArrayList<>();
        List<String> known = config.experiments().keySet().stream().map(ExperimentName::value).toList();
        for (String name : names) {
            ExperimentName experiment = config.experiments().keySet().stream()
                    .filter(e -> e.value().equals(name))
                    .findFirst()
                    .orElseThrow(() -> unknown(name, config.file(), known));
            chosen.add(experiment);
        }
        return chosen;
    }

    private static PulseException unknown(String name, Path file, List<String> known) {
        return new PulseException(PulseException.Category.INPUT_INVALID, String.format(
                "--experiment %s: no such experiment in %s (%sexperiments: %s)",
                Suggestions.shortened(name), file.getFileName(),
                Suggestions.closest(name, known).map(match -> "did you mean '" + match + "'? ").orElse(""),
                String.join(", ", known)));
    }
}
