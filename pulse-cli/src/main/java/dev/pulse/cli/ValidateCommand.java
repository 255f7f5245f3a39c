package dev.pulse.cli;

import dev.pulse.config.ConfigLoader;
import dev.pulse.config.ConfigProblem;
import dev.pulse.model.PulseConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code pulse validate}: checks the config and reports every problem; runs nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check the config; run nothing.")
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<ConfigProblem> problems = ConfigLoader.problems(config.file);
        if (!problems.isEmpty()) {
            problems.forEach(problem -> spec.commandLine().getErr().println(problem.format()));
            spec.commandLine().getErr().printf("%d problem%s found%n", problems.size(), problems.size() == 1 ? "" : "s");
            return PulseCli.BAD_INPUT;
        }
        PulseConfig loaded = config.load();
        spec.commandLine().getOut().printf("%s is valid: %d sources, %d metrics, %d experiments%n",
                config.file, loaded.sources().size(), loaded.metrics().size(), loaded.experiments().size());
        return 0;
    }
}
