package dev.pulse.cli;

import dev.pulse.analysis.MomentsFetcher;
import dev.pulse.analysis.MetricFamilies;
import dev.pulse.analysis.SourceSetup;
import dev.pulse.model.MetricName;
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
        List<String> setup = SourceSetup.sql(loaded, name);
        if (!setup.isEmpty()) {
            spec.commandLine().getOut().printf("-- the sources' setup (run once per session before the statements)%n");
            setup.forEach(statement -> spec.commandLine().getOut().println(statement + ";"));
            spec.commandLine().getOut().println();
        }
        spec.commandLine().getOut().println(sql.stripTrailing() + ";");
        for (MetricName metric : loaded.experiment(name).metrics()) {
            for (MetricFamilies.Statement statement : MetricFamilies.statements(loaded, name, metric)) {
                spec.commandLine().getOut().printf("%n%s%n", statement.comment().lines()
                        .map(line -> "-- " + line).collect(java.util.stream.Collectors.joining(String.format("%n"))));
                spec.commandLine().getOut().println(statement.sql().stripTrailing() + ";");
            }
        }
        return 0;
    }
}
