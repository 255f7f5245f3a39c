package dev.pulse.cli;

import dev.pulse.api.Analysis;
import dev.pulse.api.Pulse;
import dev.pulse.api.internal.AnalysisResults;
import dev.pulse.api.internal.LoadedConfig;
import dev.pulse.cli.serve.PulseServer;
import dev.pulse.error.PulseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pulse serve}: a local web app over one config — its experiments, a run with progress and
 * cancel, the run's report. Runs analyses as {@code pulse analyze} does without {@code --materialize}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "A local web app: list the config's experiments, run one, watch its progress, read its report.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "The port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only). Risky: any other"
                    + " address lets whoever reaches it run analyses with the config's warehouse credentials.")
    String bind;

    @Mixin
    IncrementalOptions incremental;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, "--port must be between 0 and 65535, got " + port);
        }
        if (!Files.isRegularFile(config.file)) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, "--config " + config.file + ": no such file");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, "--bind " + bind + ": unknown address", e);
        }
        // checked now, so that an option that needs --incremental fails before the server starts
        java.util.Optional<dev.pulse.api.Incremental> refresh = incremental.settings();
        java.util.function.UnaryOperator<Analysis> runs = run -> refresh.map(run::incremental).orElse(run);
        PulseServer server = start(config.file, address, port, runs);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "pulse-serve-stop"));
        if (!address.isLoopbackAddress()) {
            spec.commandLine().getErr().printf("warning: listening on %s, not only on this machine: whoever reaches it"
                    + " can run analyses with the config's warehouse credentials%n", address.getHostAddress());
        }
        spec.commandLine().getOut().printf("Pulse serves %s at %s (Ctrl-C to stop)%n", config.file, server.uri());
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().flush();
        stopped.await();
        return 0;
    }

    /** The web app over {@code file}, analysing as {@code pulse analyze} does without {@code --materialize}. */
    static PulseServer start(Path file, InetAddress bind, int port) {
        return start(file, bind, port, run -> run);
    }

    /**
     * As {@link #start(Path, InetAddress, int)}, each run made by {@code runs} (an incremental refresh with
     * --incremental). A run goes through the Java API as {@code pulse analyze} does, over the config the app loaded.
     */
    static PulseServer start(Path file, InetAddress bind, int port, java.util.function.UnaryOperator<Analysis> runs) {
        return PulseServer.start(file, bind, port, (loaded, experiment, phase, cancellation) ->
                AnalysisResults.records(runs.apply(Pulse.analysis(new LoadedConfig(loaded)))
                        .experiments(experiment.value()).progress(phase).cancellation(cancellation).run()));
    }
}
