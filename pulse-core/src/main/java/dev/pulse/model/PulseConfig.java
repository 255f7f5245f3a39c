package dev.pulse.model;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A whole, validated config: every reference resolves. Maps keep the config's order.
 *
 * @param file the config file it came from (for messages), absolute
 */
public record PulseConfig(
        Path file,
        WarehouseConfig warehouse,
        Map<SourceName, Source> sources,
        Map<MetricName, Metric> metrics,
        Map<ExperimentName, Experiment> experiments) {

    public PulseConfig {
        Objects.requireNonNull(file);
        Objects.requireNonNull(warehouse);
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        experiments = Collections.unmodifiableMap(new LinkedHashMap<>(experiments));
    }

    public Source source(SourceName name) {
        return require(sources.get(name), "source", name);
    }

    public Metric metric(MetricName name) {
        return require(metrics.get(name), "metric", name);
    }

    public Experiment experiment(ExperimentName name) {
        return require(experiments.get(name), "experiment", name);
    }

    private static <T> T require(T value, String kind, Object name) {
        if (value == null) {
            throw new IllegalArgumentException("no " + kind + " named '" + name + "'");
        }
        return value;
    }
}
