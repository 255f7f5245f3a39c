package dev.pulse.analysis;

import dev.pulse.model.Direction;
import dev.pulse.model.MetricRole;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.GuardrailTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an experiment's results say at a glance (docs/report.md#decision-summary): each primary metric's decision
 * comparison per treatment, each guardrail's test of harm, and the health checks. The report opens with it, the
 * table prints it under the header, and the JSON has it as {@code decision}; all three from this one record.
 *
 * @param primary    per primary metric and treatment: its decision comparison and whether it is significant (after
 *                   the correction when there is one)
 * @param guardrails per guardrail metric and treatment: the test of harm against the metric's direction
 * @param srm        the sample-ratio check, when there is one
 * @param biased     the metrics the pre-experiment bias check flagged, when it ran
 */
public record DecisionSummary(List<Primary> primary, List<Guardrail> guardrails, Optional<ExperimentResult.Srm> srm,
                              List<String> biased) {
    public DecisionSummary {
        primary = List.copyOf(primary);
        guardrails = List.copyOf(guardrails);
        Objects.requireNonNull(srm);
        biased = List.copyOf(biased);
    }

    /** One primary metric's comparison of one treatment. */
    public record Primary(String metric, String group, String control, Comparison decision, boolean significant) {}

    /**
     * One guardrail metric's comparison of one treatment, tested for harm ({@link GuardrailTest}) at the experiment's
     * alpha: against the metric's {@code direction}, or any change without one.
     */
    public record Guardrail(String metric, String group, String control, Direction direction, Comparison decision,
                            GuardrailTest.Result harm) {}

    /** True when no guardrail was harmed, the SRM check passed (or did not run) and no metric was biased. */
    public boolean healthy() {
        return guardrails.stream().noneMatch(g -> g.harm().harmed()) && srm.map(ExperimentResult.Srm::passed).orElse(true)
                && biased.isEmpty();
    }

    /** The summary of {@code result}, from its metrics' roles. */
    public static DecisionSummary of(ExperimentResult result) {
        List<Primary> primary = new ArrayList<>();
        List<Guardrail> guardrails = new ArrayList<>();
        for (MetricResult metric : result.metrics()) {
            MetricRole role = result.role(metric.metric());
            for (MetricResult.GroupComparison comparison : metric.comparisons()) {
                if (role == MetricRole.PRIMARY) {
                    primary.add(new Primary(metric.metric(), comparison.group(), comparison.control(),
                            comparison.decision(), comparison.significant()));
                } else if (role == MetricRole.GUARDRAIL) {
                    guardrails.add(new Guardrail(metric.metric(), comparison.group(), comparison.control(),
                            metric.direction(), comparison.decision(),
                            GuardrailTest.test(comparison.decision(), MetricComparisons.direction(metric.direction()),
                                    result.alpha())));
                }
            }
        }
        List<String> biased = result.biasCheck().map(check -> check.flagged().stream()
                .map(BiasCheckResult.Entry::metric).distinct().toList()).orElse(List.of());
        return new DecisionSummary(primary, guardrails, result.srm(), biased);
    }
}
