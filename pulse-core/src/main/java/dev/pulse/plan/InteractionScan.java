package dev.pulse.plan;

import dev.pulse.model.ExperimentName;

import java.util.List;
import java.util.Objects;

/**
 * Another experiment on the same unit whose assignments the statement joins to this experiment's units
 * (docs/interactions.md): each unit's group in it, when the unit is one of its counted units (one group, inside its
 * dates, in a listed group when it lists them), else {@link #NOT_IN_EXPERIMENT}. The moments are then broken down by
 * that group as by a dimension, from the same unit table: only the other experiment's assignment rows are read.
 *
 * @param experiment   the other experiment
 * @param assignment   its assignment source's scan
 * @param window       its dates
 * @param listedGroups its listed groups, or empty when it finds them in the data
 */
public record InteractionScan(ExperimentName experiment, AssignmentScan assignment, ExposureWindow window,
                              List<String> listedGroups) {
    /** The breakdown value of a unit that is not a counted unit of the other experiment. */
    public static final String NOT_IN_EXPERIMENT = "(not in experiment)";
    /** The prefix of the breakdown's name in the statement's dimension column: {@code experiment:<name>}. */
    public static final String LABEL_PREFIX = "experiment:";

    public InteractionScan {
        Objects.requireNonNull(experiment);
        Objects.requireNonNull(assignment);
        Objects.requireNonNull(window);
        listedGroups = List.copyOf(listedGroups);
    }

    /** The breakdown's name in the statement's dimension column. */
    public String label() {
        return LABEL_PREFIX + experiment.value();
    }
}
