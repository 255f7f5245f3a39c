package dev.pulse.model;

import java.util.Objects;

/**
 * A group of an experiment with its expected share of units (shares of an experiment sum to 1).
 * Group names are data (values of the assignment's group column), so any non-empty string.
 */
public record Group(String name, double expectedShare) {
    public Group {
        Objects.requireNonNull(name);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a group needs a name");
        }
        if (!(expectedShare > 0 && expectedShare <= 1)) {
            throw new IllegalArgumentException("expected share must be in (0, 1]: " + expectedShare);
        }
    }
}
