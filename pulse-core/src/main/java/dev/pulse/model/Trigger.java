package dev.pulse.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A qualifying event (triggered analysis, docs/triggered-analysis.md): a unit's analysis starts at its
 * first row of {@code source} passing {@code filter} at or after its first exposure and before the
 * experiment's end, instead of at the exposure; a unit with no such row is left out and counted.
 *
 * @param source a source carrying the experiment's unit ID type
 * @param filter a boolean SQL expression over the source's columns; empty: any row qualifies
 */
public record Trigger(SourceName source, Optional<String> filter) {
    public Trigger {
        Objects.requireNonNull(source);
        Objects.requireNonNull(filter);
    }
}
