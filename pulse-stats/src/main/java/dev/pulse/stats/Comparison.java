package dev.pulse.stats;

import java.util.List;
import java.util.Objects;

/**
 * One treatment group against the control for one metric (docs/statistics.md and docs/cli.md#output-formats). Means
 * are the group values {@code R = x̄ / ȳ}; {@code absolute} is {@code R_t − R_c}, {@code relative} is
 * {@code R_t / R_c − 1}. Undefined figures are {@code null} and {@code warnings} says why.
 *
 * @param controlMean control value {@code R_c}, or null
 * @param treatmentMean treatment value {@code R_t}, or null
 * @param controlUnits units in the control group
 * @param treatmentUnits units in the treatment group
 * @param absolute {@code Δ = R_t − R_c} with SE and CI; never null itself, its fields may be; a
 *     one-sided comparison has one end null and flagged unbounded (see {@link Interval})
 * @param relative {@code L = R_t / R_c − 1} as a fraction, with SE and CI (delta-method or Fieller,
 *     see {@link RelativeInterval}); never null itself
 * @param degreesOfFreedom Welch–Satterthwaite ν, or null
 * @param pValue p-value of {@code Δ = 0} against the alternative of the comparison's
 *     {@link Direction} (two-sided unless asked otherwise), or null
 * @param significant {@code pValue < alpha}; false when the p-value is null
 * @param warnings short human reasons for each null figure, in order found; copied
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

    /** Copies {@code warnings}; requires both intervals to be present. */
    public Comparison {
        Objects.requireNonNull(absolute, "absolute");
        Objects.requireNonNull(relative, "relative");
        warnings = List.copyOf(warnings);
    }
}
