package dev.pulse.api;

import dev.pulse.api.internal.LoadedConfig;
import dev.pulse.config.ConfigLoader;
import dev.pulse.error.PulseException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * The entry point of Pulse's Java API (docs/java-api.md): load a config, describe an analysis, run it.
 *
 * <pre>{@code
 * Config config = Pulse.config(Path.of("pulse.yaml"));
 * Results results = Pulse.analysis(config).run();
 * System.out.println(results.render(Format.JSON));
 * }</pre>
 *
 * <p>Every method is safe from any thread.
 */
public final class Pulse {
    private static final String VERSION = readVersion();

    private Pulse() {
    }

    /**
     * Pulse's version, as {@code pulse --version} prints it.
     *
     * @return the semantic version of this build, e.g. {@code 0.2.0} or {@code 0.2.0-SNAPSHOT}
     */
    public static String version() {
        return VERSION;
    }

    /**
     * Reads and validates the config in {@code file}, as every {@code pulse} command does.
     *
     * @param file a {@code pulse.yaml}; relative paths in it start from its folder
     * @return the validated config
     * @throws PulseException CONFIG_INVALID listing every problem, one per line, each with file:line:column
     */
    public static Config config(Path file) {
        return new LoadedConfig(ConfigLoader.load(Objects.requireNonNull(file, "file")));
    }

    /**
     * Validates a config given as text, e.g. built by the program.
     *
     * @param yaml the config's YAML text (at most 1 MiB)
     * @param file the file the text is read as: messages name it, and relative paths in the config start from its
     *             folder; it need not exist
     * @return the validated config
     * @throws PulseException CONFIG_INVALID listing every problem, one per line, each with file:line:column
     */
    public static Config config(String yaml, Path file) {
        return new LoadedConfig(ConfigLoader.load(Objects.requireNonNull(file, "file"), Objects.requireNonNull(yaml, "yaml")));
    }

    /**
     * An analysis of every experiment of {@code config}; narrow it or add options with the methods of
     * {@link Analysis}, then {@link Analysis#run()} it.
     *
     * @param config a config from {@link #config(Path)} or {@link #config(String, Path)}
     * @return the analysis
     * @throws IllegalArgumentException when {@code config} was not made by Pulse
     */
    public static Analysis analysis(Config config) {
        if (!(config instanceof LoadedConfig loaded)) {
            throw new IllegalArgumentException("a Config comes from Pulse.config(…), not from another implementation");
        }
        return Analysis.of(loaded);
    }

    private static String readVersion() {
        try (InputStream in = Pulse.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/pulse/api/version.properties is missing from the jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return Objects.requireNonNull(properties.getProperty("version"), "version.properties has no version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
