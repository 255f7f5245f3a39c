package dev.pulse.api;

/** What a metric is for in its experiment (docs/report.md#decision-summary). */
public enum Role {
    /** What the experiment is decided on; every metric is primary when the config gives no roles. */
    PRIMARY,
    /** Explains the primary metrics' movement; not decided on. */
    SECONDARY,
    /** Must not move the wrong way. */
    GUARDRAIL
}
