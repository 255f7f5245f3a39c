package dev.pulse.api;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated {@code pulse.yaml} (docs/config-reference.md), made by {@link Pulse#config(Path)} or
 * {@link Pulse#config(String, Path)}. Immutable and safe to share between threads and analyses. Only Pulse
 * implements this interface: {@link Pulse#analysis(Config)} refuses any other implementation.
 */
public interface Config {

    /**
     * The file the config was read from, or the one it was read as.
     *
     * @return its absolute, normalized path
     */
    Path file();

    /**
     * The names of its experiments.
     *
     * @return the names, in the config's order
     */
    List<String> experiments();

    /**
     * Its warehouse's engine.
     *
     * @return the engine's config name ({@code duckdb} when the config names no warehouse)
     */
    String engine();
}
