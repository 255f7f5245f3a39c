package dev.pulse.analysis;

import dev.pulse.model.Experiment;
import dev.pulse.model.MetricFamily;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.stats.GroupMoments;
import dev.pulse.stats.PostStratification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * With {@code post_stratify: <dimension>}: every moment metric's treatment-against-control comparison
 * post-stratified on that dimension's values ({@link PostStratification}), from the per-value moments the
 * experiment's statement already returns (docs/dimensions.md): no further scan. The values reported on their
 * own, {@code (null)} and the {@code (other)} bucket are the strata; they partition the counted units.
 * Unadjusted moments: CUPED is not combined with it. Percentile and funnel metrics are left out.
 */
final class PostStratifiedComparisons {

    private PostStratifiedComparisons() {}

    static List<ExperimentResult.PostStratified> of(PulseConfig config, Experiment experiment, List<String> groups,
            ExperimentData data) {
        if (experiment.dimensions().postStratify().isEmpty()) {
            return List.of();
        }
        String dimension = experiment.dimensions().postStratify().get();
        List<DimensionData> slices = data.dimensions().stream().filter(d -> d.dimension().equals(dimension)).toList();
        List<ExperimentResult.PostStratified> results = new ArrayList<>();
        if (slices.isEmpty()) {
            return results;
        }
        String control = experiment.control();
        for (MetricName metric : experiment.metrics()) {
            if (config.metric(metric).family() != MetricFamily.MOMENTS) {
                continue;
            }
            for (String group : groups) {
                if (group.equals(control)) {
                    continue;
                }
                List<PostStratification.Stratum> strata = new ArrayList<>();
                for (DimensionData slice : slices) {
                    Map<String, GroupMoments> moments = slice.moments().getOrDefault(metric, Map.of());
                    strata.add(new PostStratification.Stratum(slice.value(), moments.getOrDefault(control, NONE),
                            moments.getOrDefault(group, NONE)));
                }
                if (strata.stream().allMatch(s -> s.control().n() + s.treatment().n() == 0)) {
                    continue;
                }
                results.add(new ExperimentResult.PostStratified(metric.value(), group, control, dimension,
                        PostStratification.compare(strata, experiment.alpha())));
            }
        }
        return results;
    }

    private static final GroupMoments NONE = new GroupMoments(0, 0, 0, 0, 0, 0);
}
