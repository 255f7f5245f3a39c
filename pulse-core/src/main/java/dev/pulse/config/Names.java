package dev.pulse.config;

import dev.pulse.model.ExperimentName;
import dev.pulse.model.IdType;
import dev.pulse.model.MetricName;
import dev.pulse.model.SourceName;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Typed names from YAML scalars; an invalid name is a problem at its node. */
final class Names {
    private Names() {}

    static Optional<SourceName> source(Node node, String path, Problems problems) {
        return name(node, path, problems, "source name", SourceName::new);
    }

    static Optional<MetricName> metric(Node node, String path, Problems problems) {
        return name(node, path, problems, "metric name", MetricName::new);
    }

    static Optional<ExperimentName> experiment(Node node, String path, Problems problems) {
        return name(node, path, problems, "experiment name", ExperimentName::new);
    }

    static Optional<IdType> idType(Node node, String path, Problems problems) {
        return name(node, path, problems, "ID type", IdType::new);
    }

    private static <T> Optional<T> name(Node node, String path, Problems problems, String kind, Function<String, T> make) {
        if (!(node instanceof ScalarNode scalar) || Nodes.isNull(node)) {
            problems.add(node, path, "expected a " + kind + ", got " + Nodes.describe(node));
            return Optional.empty();
        }
        try {
            return Optional.of(make.apply(scalar.getValue()));
        } catch (IllegalArgumentException e) {
            problems.add(node, path, "'" + scalar.getValue() + "' is not a valid " + kind
                    + " (use letters, digits, underscores, dots or dashes)");
            return Optional.empty();
        }
    }
}
