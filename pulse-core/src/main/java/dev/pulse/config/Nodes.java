package dev.pulse.config;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
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

    /** How much of a long value a message quotes. */
    static final int QUOTED_LENGTH = 80;

    static final LocalDate FIRST_DATE = ConfigLimits.FIRST_DATE;
    static final LocalDate LAST_DATE = ConfigLimits.LAST_DATE;
    private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

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
        return "'" + shortened(((ScalarNode) node).getValue()) + "'";
    }

    /** {@code text} as a message quotes it: at most {@value #QUOTED_LENGTH} characters, then how many more. */
    static String shortened(String text) {
        if (text.length() <= QUOTED_LENGTH) {
            return text;
        }
        return text.substring(0, QUOTED_LENGTH) + "… (" + (text.length() - QUOTED_LENGTH) + " more characters)";
    }

    /**
     * The entries of a mapping, in order. A duplicate key is reported at its second occurrence and
     * its value ignored; a key that is not a plain scalar is reported and skipped. Merge keys
     * ({@code <<: *defaults}) add the keys of the merged maps that are not given here, each merged map
     * read once: a merge that leads back to a map it is merged into is reported as a cycle, and merges
     * stop with a problem once the config's {@link Problems#spendMergedKeys budget} of merged keys is spent.
     *
     * @param expected what the node should be, as in "expected {@code a map of ID type to column}"
     */
    static Optional<Map<String, Entry>> mapping(Node node, String path, Problems problems, String expected) {
        Set<Node> merged = Collections.newSetFromMap(new IdentityHashMap<>());
        return mapping(node, path, problems, expected, new ArrayList<>(), merged);
    }

    private static Optional<Map<String, Entry>> mapping(Node node, String path, Problems problems, String expected,
            List<Node> open, Set<Node> merged) {
        if (!(node instanceof MappingNode mapping)) {
            problems.add(node, path, "expected " + expected + ", got " + describe(node));
            return Optional.empty();
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<NodeTuple> merges = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (Tag.MERGE.equals(keyNode.getTag())) {
                merges.add(tuple);
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
        open.add(node);
        for (NodeTuple tuple : merges) {
            // a YAML merge key (<<: *defaults): keys given here win over merged ones
            Node merge = tuple.getKeyNode(); // an alias has its anchor's position: the key has its own
            Node value = tuple.getValueNode();
            List<Node> sources = value instanceof SequenceNode list ? list.getValue() : List.of(value);
            for (Node source : sources) {
                if (open.stream().anyMatch(outer -> outer == source)) {
                    problems.add(merge, path, "merge key '<<' refers to a map it is part of (a cycle of anchors and"
                            + " aliases); merge a map defined elsewhere, such as an anchored map under its own key");
                    continue;
                }
                if (!merged.add(source)) {
                    continue; // merged before, through another alias: it adds no new key
                }
                if (source instanceof MappingNode more && !problems.spendMergedKeys(more.getValue().size(), merge)) {
                    open.remove(open.size() - 1);
                    return Optional.of(entries);
                }
                mapping(source, path, problems, "a map to merge", open, merged)
                        .ifPresent(more -> more.forEach(entries::putIfAbsent));
            }
        }
        open.remove(open.size() - 1);
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

    /**
     * A calendar date written as {@code 2026-03-01} (YYYY-MM-DD) from {@link #FIRST_DATE} to
     * {@link #LAST_DATE}: the warehouses' timestamps hold four-digit years, and an experiment's window
     * ends the day after its last day.
     */
    static Optional<LocalDate> date(Node node, String path, Problems problems) {
        if (node instanceof ScalarNode scalar && !isNull(node) && DATE.matcher(scalar.getValue().strip()).matches()) {
            try {
                LocalDate date = LocalDate.parse(scalar.getValue().strip());
                if (date.isBefore(FIRST_DATE) || date.isAfter(LAST_DATE)) {
                    problems.add(node, path, "expected a date from " + FIRST_DATE + " to " + LAST_DATE + ", got "
                            + describe(node));
                    return Optional.empty();
                }
                return Optional.of(date);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        problems.add(node, path, "expected a date like 2026-03-01, got " + describe(node));
        return Optional.empty();
    }
}
