package dev.pulse.config;

/**
 * The limits that keep reading any config fast (docs/config-reference.md, "Limits"): a config is
 * refused before it is parsed when it is larger than {@link #MAX_BYTES}, and YAML anchors, aliases and
 * merge keys cannot make a small file expand into a large one.
 */
public final class ConfigLimits {
    /** The largest config file read: 1 MiB, far above any hand-written config. */
    public static final int MAX_BYTES = 1 << 20;

    /** The most aliases of maps and lists a config may use (SnakeYAML's default, against "billion laughs"). */
    public static final int MAX_COLLECTION_ALIASES = 50;

    /** The deepest nesting of maps and lists. */
    public static final int MAX_NESTING = 50;

    /** The most keys merge keys ({@code <<: *anchor}) may add in the whole config. */
    public static final int MAX_MERGED_KEYS = 100_000;

    /** The most days from start to end (both inclusive) of an experiment with daily results. */
    public static final int MAX_DAILY_RESULTS_DAYS = 1000;

    /**
     * The first and last dates a config (or {@code pulse power --from/--to}) may name: four-digit years,
     * as every warehouse's timestamps hold, also for the day after the last day, where a window ends.
     */
    public static final java.time.LocalDate FIRST_DATE = java.time.LocalDate.of(1900, 1, 1);
    public static final java.time.LocalDate LAST_DATE = java.time.LocalDate.of(9999, 12, 30);

    private ConfigLimits() {}
}
