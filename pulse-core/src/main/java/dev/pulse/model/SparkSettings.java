package dev.pulse.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How Pulse starts its Spark session. Under {@code spark-submit} both are usually left out: the master
 * and the settings come from {@code spark-submit} and the cluster.
 *
 * @param master the Spark master, such as {@code local[2]} or {@code yarn}; empty: whatever
 *               {@code spark-submit} (or {@code spark.master}) says
 * @param conf   Spark settings applied to the session, such as {@code spark.sql.shuffle.partitions: 64},
 *               in the config's order
 */
public record SparkSettings(Optional<String> master, Map<String, String> conf) {
    /** No master and no settings: everything from {@code spark-submit}. */
    public static final SparkSettings FROM_SUBMIT = new SparkSettings(Optional.empty(), Map.of());

    public SparkSettings {
        Objects.requireNonNull(master);
        if (master.isPresent() && master.get().isBlank()) {
            throw new IllegalArgumentException("a Spark master needs a value");
        }
        conf = Collections.unmodifiableMap(new LinkedHashMap<>(conf));
        conf.forEach((key, value) -> {
            if (key.isBlank() || value == null) {
                throw new IllegalArgumentException("a Spark setting needs a key and a value: " + key);
            }
        });
    }
}
