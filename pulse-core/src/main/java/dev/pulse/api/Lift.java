package dev.pulse.api;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One treatment against the control on one metric: the comparison decisions are made on, which is the
 * CUPED-adjusted one when the experiment has CUPED ({@code cupedAdjusted}) and else the plain one
 * (docs/statistics.md). In the JSON of {@link Format#JSON} these are a comparison's own fields, or its
 * {@code cuped} block's when adjusted. Sequential tests, Bayesian summaries, daily results and the other
 * figures are in that JSON.
 *
 * @param group          the treatment group
 * @param control        the control group
 * @param controlUnits   the control's units
 * @param treatmentUnits the treatment's units
 * @param controlMean    the control's mean (for a ratio metric, its ratio); empty when undefined
 * @param treatmentMean  the treatment's mean; empty when undefined
 * @param absolute       treatment minus control, with its interval at the experiment's alpha
 * @param relative       the lift: (treatment − control) / control, with its interval (0.05 is +5 %)
 * @param pValue         the p-value (one-sided for a one-sided metric); empty when undefined
 * @param significant    whether the effect is significant at the experiment's alpha, after the multiple-comparison
 *                       correction when the experiment has one
 * @param cupedAdjusted  whether these figures are CUPED-adjusted
 * @param warnings       why a figure is empty or doubtful
 */
public record Lift(String group, String control, long controlUnits, long treatmentUnits, OptionalDouble controlMean,
                   OptionalDouble treatmentMean, Estimate absolute, Estimate relative, OptionalDouble pValue,
                   boolean significant, boolean cupedAdjusted, List<String> warnings) {

    /**
     * Requires every part and copies the warnings.
     *
     * @param group the treatment group
     * @param control the control group
     * @param controlUnits the control's units
     * @param treatmentUnits the treatment's units
     * @param controlMean the control's mean (for a ratio metric, its ratio); empty when undefined
     * @param treatmentMean the treatment's mean; empty when undefined
     * @param absolute treatment minus control, with its interval at the experiment's alpha
     * @param relative the lift: (treatment − control) / control, with its interval (0.05 is +5 %)
     * @param pValue the p-value (one-sided for a one-sided metric); empty when undefined
     * @param significant whether the effect is significant at the experiment's alpha, after the multiple-
     *     comparison correction when the experiment has one
     * @param cupedAdjusted whether these figures are CUPED-adjusted
     * @param warnings why a figure is empty or doubtful
     */
    public Lift {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(controlMean, "controlMean");
        Objects.requireNonNull(treatmentMean, "treatmentMean");
        Objects.requireNonNull(absolute, "absolute");
        Objects.requireNonNull(relative, "relative");
        Objects.requireNonNull(pValue, "pValue");
        warnings = List.copyOf(warnings);
    }
}
