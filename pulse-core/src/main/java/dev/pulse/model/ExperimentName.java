package dev.pulse.model;

/** The name of an experiment in the config. */
public record ExperimentName(String value) implements Comparable<ExperimentName> {
    public ExperimentName {
        Name.check("ExperimentName", value);
    }

    @Override
    public int compareTo(ExperimentName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
