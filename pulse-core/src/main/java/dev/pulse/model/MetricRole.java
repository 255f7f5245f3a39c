package dev.pulse.model;

/**
 * What a metric is for in an experiment (docs/report.md#decision-summary): a {@code primary} metric is what the
 * experiment is decided on, a {@code guardrail} must not move the wrong way, a {@code secondary} metric explains.
 */
public enum MetricRole {
    PRIMARY("primary"),
    SECONDARY("secondary"),
    GUARDRAIL("guardrail");

    private final String configName;

    MetricRole(String configName) {
        this.configName = configName;
    }

    /** The name in pulse.yaml and the outputs. */
    public String configName() {
        return configName;
    }
}
