package dev.pulse.api;

import java.util.Objects;

/**
 * One group of an experiment and the units counted in it.
 *
 * @param group         the group's name, as in the config's {@code groups}
 * @param units         the units analysed in it
 * @param expectedShare the share of units the config expects in it (the sample-ratio check's expectation)
 */
public record GroupUnits(String group, long units, double expectedShare) {

    /**
     * Requires the name.
     *
     * @param group the group's name, as in the config's {@code groups}
     * @param units the units analysed in it
     * @param expectedShare the share of units the config expects in it (the sample-ratio check's expectation)
     */
    public GroupUnits {
        Objects.requireNonNull(group, "group");
    }
}
