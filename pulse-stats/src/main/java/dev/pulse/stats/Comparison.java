package dev.pulse.stats;

import java.util.List;

/**
 * One treatment group against the control for one metric (DESIGN §5 and §7). Means are the group
 * values {@code R = x̄ / ȳ}; {@code absolute} is {@code R_t − R_c}, {@code relative} is
 * {@code R_t / R_c − 1}. Undefined figures are {@code null} and {@code warnings} says why.
 */
public record Comparison(
        Double controlMean,
        Double treatmentMean,
        long controlUnits,
        long treatmentUnits,
        Interval absolute,
        Interval relative,
        Double degreesOfFreedom,
        Double pValue,
        boolean significant,
        List<String> warnings) {

    public Comparison {
        warnings = List.copyOf(warnings);
    }
}
