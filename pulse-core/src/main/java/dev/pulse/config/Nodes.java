package dev.pulse.config;

import java.time.LocalDate;
import java.util.ArrayList;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reading SnakeYAML nodes with problems reported instead of thrown. Every reader returns empty after
 * reporting what it expected and what it got.
 */
final class Nodes {

    /** A key of a mapping with its value. */
    record Entry(ScalarNode key, Node value) {}

    private Nodes() {}

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String index(String path, int index) {
        return path + "[" + index + "]";
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** What a node is, for "expected X, got Y" messages. */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "nothing";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }

    /**
     * The entries of a mapping, in order. A duplicate key is reported at its second occurrence and
     * its value ignored; a key that is not a plain scalar is reported and skipped.
     *
     * @param expected what the node should be, as in "expected {@code a map of ID type to column}"
     */
    static Optional<Map<String, Entry>> mapping(Node node, String path, Problems problems, String expected) {
        if (!(node instanceof MappingNode mapping)) {
            problems.add(node, path, "expected " + expected + ", got " + describe(node));
            return Optional.empty();
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<Node> merged = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (Tag.MERGE.equals(keyNode.getTag())) {
                merged.add(tuple.getValueNode());
                continue;
            }
            if (!(keyNode instanceof ScalarNode key) || isNull(keyNode)) {
                problems.add(keyNode, path, "expected a name as key, got " + describe(keyNode));
                continue;
            }
            Entry previous = entries.get(key.getValue());
            if (previous != null) {
                problems.add(key, child(path, key.getValue()), "duplicate key '" + key.getValue()
                        + "' (first at line " + (previous.key().getStartMark().getLine() + 1) + ")");
                continue;
            }
            entries.put(key.getValue(), new Entry(key, tuple.getValueNode()));
        }
        for (Node merge : merged) {
            // a YAML merge key (<<: *defaults): keys given here win over merged ones
            List<Node> sources = merge instanceof SequenceNode list ? list.getValue() : List.of(merge);
            for (Node source : sources) {
                mapping(source, path, problems, "a map to merge").ifPresent(more -> more.forEach(entries::putIfAbsent));
            }
        }
        return Optional.of(entries);
    }

    /** The items of a sequence. */
    static Optional<List<Node>> sequence(Node node, String path, Problems problems, String expected) {
        if (!(node instanceof SequenceNode sequence)) {
            problems.add(node, path, "expected " + expected + ", got " + describe(node));
            return Optional.empty();
        }
        return Optional.of(sequence.getValue());
    }

    /** Non-empty text: a scalar that is not null and not blank. */
    static Optional<String> text(Node node, String path, Problems problems, String expected) {
        if (!(node instanceof ScalarNode scalar) || isNull(node)) {
            problems.add(node, path, "expected " + expected + ", got " + describe(node));
            return Optional.empty();
        }
        if (scalar.getValue().isBlank()) {
            problems.add(node, path, "expected " + expected + ", got empty text");
            return Optional.empty();
        }
        return Optional.of(scalar.getValue());
    }

    /** A finite number, written as a plain (unquoted) YAML number. */
    static Optional<Double> number(Node node, String path, Problems problems, String expected) {
        if (node instanceof ScalarNode scalar && !isNull(node)
                && scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN) {
            try {
                double value = Double.parseDouble(scalar.getValue().replace("_", ""));
                if (Double.isFinite(value)) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        String quoted = node instanceof ScalarNode scalar && scalar.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN
                ? " in quotes (write numbers without quotes)" : "";
        problems.add(node, path, "expected " + expected + ", got " + describe(node) + quoted);
        return Optional.empty();
    }

    /** A calendar date written as {@code 2026-03-01}. */
    static Optional<LocalDate> date(Node node, String path, Problems problems) {
        if (node instanceof ScalarNode scalar && !isNull(node)) {
            try {
                return Optional.of(LocalDate.parse(scalar.getValue().strip()));
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        problems.add(node, path, "expected a date like 2026-03-01, got " + describe(node));
        return Optional.empty();
    }
}
