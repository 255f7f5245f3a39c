package dev.pulse.model;

/**
 * A normal prior of the relative lift for {@link InferenceMethod#BAYESIAN}: 0.05 is +5 %.
 *
 * @param mean              the prior mean, finite
 * @param standardDeviation the prior standard deviation, positive and finite
 */
public record Prior(double mean, double standardDeviation) {
    public Prior {
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("prior mean must be finite: " + mean);
        }
        if (!(standardDeviation > 0 && Double.isFinite(standardDeviation))) {
            throw new IllegalArgumentException("prior sd must be a positive finite number: " + standardDeviation);
        }
    }
}
