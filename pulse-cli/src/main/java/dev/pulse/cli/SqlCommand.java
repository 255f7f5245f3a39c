package dev.pulse.cli;

import dev.pulse.analysis.MomentsFetcher;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code pulse sql}: prints the statement an experiment compiles to, for review or to run by hand. */
@Command(name = "sql", mixinStandardHelpOptions = true, description = "Print the compiled SQL of an experiment.")
final class SqlCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = {"-e", "--experiment"}, required = true, paramLabel = "NAME", description = "The experiment.")
    String experiment;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PulseConfig loaded = config.load();
        ExperimentName name = ConfigOption.experiments(loaded, List.of(experiment)).get(0);
        String sql = MomentsFetcher.sql(loaded, name);
        spec.commandLine().getOut().println(sql.stripTrailing() + ";");
        return 0;
    }
}
