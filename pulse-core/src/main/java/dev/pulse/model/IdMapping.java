package dev.pulse.model;

import java.util.Objects;

/**
 * How an experiment reaches metric rows keyed by another ID type than its unit: a source that carries
 * both ID types links each ID of {@code idType} to units. A metric source that lacks the unit's ID
 * type but carries {@code idType} is read through this link (docs/id-resolution.md has the rules).
 *
 * @param source the mapping source; it carries the experiment's unit ID type and {@code idType}
 * @param idType the ID type the mapped metric sources are keyed by, not the unit's own
 */
public record IdMapping(SourceName source, IdType idType) {
    public IdMapping {
        Objects.requireNonNull(source);
        Objects.requireNonNull(idType);
    }
}
