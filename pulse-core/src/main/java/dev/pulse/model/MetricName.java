package dev.pulse.model;

/** The name of a metric in the config. */
public record MetricName(String value) implements Comparable<MetricName> {
    public MetricName {
        Name.check("MetricName", value);
    }

    @Override
    public int compareTo(MetricName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
