package dev.pulse.model;

/** The name of a source in the config. */
public record SourceName(String value) implements Comparable<SourceName> {
    public SourceName {
        Name.check("SourceName", value);
    }

    @Override
    public int compareTo(SourceName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
