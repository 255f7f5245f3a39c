package dev.pulse.model;

/**
 * CUPED (Deng, Xu, Kohavi &amp; Walker, WSDM 2013): each metric is also computed over a pre-period of
 * each unit, the {@code lookbackDays} days before its own first exposure, and used as a covariate.
 *
 * @param lookbackDays length of the pre-period in days, at least 1
 */
public record Cuped(int lookbackDays) {
    public Cuped {
        if (lookbackDays < 1) {
            throw new IllegalArgumentException("CUPED lookback must be at least 1 day: " + lookbackDays);
        }
    }
}
