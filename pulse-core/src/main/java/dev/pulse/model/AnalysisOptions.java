package dev.pulse.model;

import java.util.Objects;
import java.util.Optional;

/**
 * How an experiment's metrics are analysed: the advanced options of its config, each with its default.
 *
 * @param cuped            variance reduction with a pre-period covariate; empty: none
 * @param correction       multiple-comparison correction of the p-values; default {@link Correction#NONE}
 * @param relativeInterval how the relative lift's interval is computed; default {@link RelativeInterval#DELTA}
 * @param sequential       an always-valid sequential test; empty: a fixed-horizon test
 * @param method           frequentist (the default) or Bayesian
 * @param prior            the prior of a Bayesian analysis; only with {@link InferenceMethod#BAYESIAN};
 *                         empty: the statistics core's default
 * @param biasCheck        the pre-experiment bias check; empty: none. With CUPED its lookback is CUPED's
 *                         (one pre-period per pass)
 * @param plannedLooks     a group-sequential test at planned looks; empty: none; exclusive with {@code sequential}
 */
public record AnalysisOptions(
        Optional<Cuped> cuped,
        Correction correction,
        RelativeInterval relativeInterval,
        Optional<Sequential> sequential,
        InferenceMethod method,
        Optional<Prior> prior,
        Optional<BiasCheck> biasCheck,
        Optional<PlannedLooks> plannedLooks) {

    /** No CUPED, no correction, delta-method relative intervals, fixed horizon, frequentist. */
    public static final AnalysisOptions DEFAULT = new AnalysisOptions(Optional.empty(), Correction.NONE,
            RelativeInterval.DELTA, Optional.empty(), InferenceMethod.FREQUENTIST, Optional.empty());

    public AnalysisOptions {
        Objects.requireNonNull(cuped);
        Objects.requireNonNull(correction);
        Objects.requireNonNull(relativeInterval);
        Objects.requireNonNull(sequential);
        Objects.requireNonNull(method);
        Objects.requireNonNull(prior);
        if (prior.isPresent() && method != InferenceMethod.BAYESIAN) {
            throw new IllegalArgumentException("a prior is only used by the bayesian method");
        }
        Objects.requireNonNull(biasCheck);
        if (cuped.isPresent() && biasCheck.isPresent() && cuped.get().lookbackDays() != biasCheck.get().lookbackDays()) {
            throw new IllegalArgumentException("the bias check's lookback (" + biasCheck.get().lookbackDays()
                    + " days) differs from CUPED's (" + cuped.get().lookbackDays() + " days): one pre-period per pass");
        }
        Objects.requireNonNull(plannedLooks);
        if (plannedLooks.isPresent() && sequential.isPresent()) {
            throw new IllegalArgumentException("planned looks and the always-valid sequential test are exclusive");
        }
    }

    /** Options without a bias check or planned looks. */
    public AnalysisOptions(Optional<Cuped> cuped, Correction correction, RelativeInterval relativeInterval,
                           Optional<Sequential> sequential, InferenceMethod method, Optional<Prior> prior) {
        this(cuped, correction, relativeInterval, sequential, method, prior, Optional.empty(), Optional.empty());
    }

    /** Options without planned looks. */
    public AnalysisOptions(Optional<Cuped> cuped, Correction correction, RelativeInterval relativeInterval,
                           Optional<Sequential> sequential, InferenceMethod method, Optional<Prior> prior,
                           Optional<BiasCheck> biasCheck) {
        this(cuped, correction, relativeInterval, sequential, method, prior, biasCheck, Optional.empty());
    }

    /**
     * The pre-period the warehouse computes in the same pass: CUPED's, or without CUPED the bias check's;
     * empty when neither asks for one.
     */
    public Optional<Cuped> prePeriod() {
        return cuped.or(() -> biasCheck.map(check -> new Cuped(check.lookbackDays())));
    }

    /** These options with the bias check {@code newBiasCheck}. */
    public AnalysisOptions withBiasCheck(BiasCheck newBiasCheck) {
        return new AnalysisOptions(cuped, correction, relativeInterval, sequential, method, prior,
                Optional.of(newBiasCheck), plannedLooks);
    }

    /** These options with {@code cuped}. */
    public AnalysisOptions withCuped(Cuped cuped) {
        return new AnalysisOptions(Optional.of(cuped), correction, relativeInterval, sequential, method, prior, biasCheck,
                plannedLooks);
    }

    /** These options with another multiple-comparison correction. */
    public AnalysisOptions withCorrection(Correction newCorrection) {
        return new AnalysisOptions(cuped, newCorrection, relativeInterval, sequential, method, prior, biasCheck,
                plannedLooks);
    }

    /** These options with another relative-interval method. */
    public AnalysisOptions withRelativeInterval(RelativeInterval newRelativeInterval) {
        return new AnalysisOptions(cuped, correction, newRelativeInterval, sequential, method, prior, biasCheck,
                plannedLooks);
    }

    /** These options with the sequential test {@code newSequential}. */
    public AnalysisOptions withSequential(Sequential newSequential) {
        return new AnalysisOptions(cuped, correction, relativeInterval, Optional.of(newSequential), method, prior,
                biasCheck, plannedLooks);
    }

    /** These options with another inference method (a prior needs {@link InferenceMethod#BAYESIAN}). */
    public AnalysisOptions withMethod(InferenceMethod newMethod) {
        return new AnalysisOptions(cuped, correction, relativeInterval, sequential, newMethod, prior, biasCheck,
                plannedLooks);
    }

    /** These options with the prior {@code newPrior} (only with {@link InferenceMethod#BAYESIAN}). */
    public AnalysisOptions withPrior(Prior newPrior) {
        return new AnalysisOptions(cuped, correction, relativeInterval, sequential, method, Optional.of(newPrior),
                biasCheck, plannedLooks);
    }

    /** These options with the group-sequential test {@code newPlannedLooks} (not with a sequential test). */
    public AnalysisOptions withPlannedLooks(PlannedLooks newPlannedLooks) {
        return new AnalysisOptions(cuped, correction, relativeInterval, sequential, method, prior, biasCheck,
                Optional.of(newPlannedLooks));
    }
}
