package dev.pulse.config;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The keys of one YAML mapping with a fixed set of allowed keys. Unknown keys are reported with a
 * suggestion but do not fail the mapping; a missing required key or a value of the wrong type does,
 * which {@link #failed()} tells.
 */
final class Fields {
    private final Node node;
    private final String path;
    private final Map<String, Nodes.Entry> entries;
    private final Problems problems;
    private final Set<String> suggested = new HashSet<>();
    private boolean failed;

    private Fields(Node node, String path, Map<String, Nodes.Entry> entries, Problems problems) {
        this.node = node;
        this.path = path;
        this.entries = entries;
        this.problems = problems;
    }

    /**
     * Reads a mapping and reports its unknown keys.
     *
     * @param allowed the keys allowed here, in the order to list them in hints
     */
    static Optional<Fields> read(Node node, String path, Problems problems, List<String> allowed, String expected) {
        return Nodes.mapping(node, path, problems, expected).map(entries -> {
            Fields fields = new Fields(node, path, entries, problems);
            for (Nodes.Entry entry : entries.values()) {
                String key = entry.key().getValue();
                if (!allowed.contains(key)) {
                    problems.add(entry.key(), Nodes.child(path, key),
                            "unknown key '" + Nodes.shortened(key) + "'" + Suggestions.hintOrList(key, allowed));
                    Suggestions.closest(key, allowed).ifPresent(fields.suggested::add);
                }
            }
            return fields;
        });
    }

    Node node() {
        return node;
    }

    String path() {
        return path;
    }

    String path(String key) {
        return Nodes.child(path, key);
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value of {@code key}, if given. */
    Optional<Node> value(String key) {
        return Optional.ofNullable(entries.get(key)).map(Nodes.Entry::value);
    }

    /** The key node of {@code key}, if given. */
    Optional<ScalarNode> keyNode(String key) {
        return Optional.ofNullable(entries.get(key)).map(Nodes.Entry::key);
    }

    /** True when an unknown key here was reported as a likely misspelling of {@code key}. */
    boolean suggested(String key) {
        return suggested.contains(key);
    }

    /** True when a required key was missing or a value had the wrong type. */
    boolean failed() {
        return failed;
    }

    /** Marks this mapping as failed after a problem reported elsewhere. */
    void fail() {
        failed = true;
    }

    /** Reports a problem with the mapping itself and marks it failed. */
    void problem(String message) {
        problems.add(node, path, message);
        failed = true;
    }

    /** Reports a problem at {@code key}'s value and marks the mapping failed. */
    void problemAt(String key, String message) {
        problems.add(entries.get(key).value(), path(key), message);
        failed = true;
    }

    /**
     * Reports {@code missing 'key' (meaning)} when absent; returns whether it is present. When an
     * unknown key here was already reported as a likely misspelling of {@code key}, the mapping fails
     * without a second problem.
     */
    boolean require(String key, String meaning) {
        if (!has(key)) {
            if (suggested.contains(key)) {
                failed = true;
            } else {
                problem("missing '" + key + "' (" + meaning + ")");
            }
            return false;
        }
        return true;
    }

    Optional<String> requiredText(String key, String meaning) {
        return require(key, meaning) ? optionalText(key, meaning) : Optional.empty();
    }

    Optional<String> optionalText(String key, String meaning) {
        return value(key).flatMap(v -> check(Nodes.text(v, path(key), problems, "text (" + meaning + ")")));
    }

    /**
     * The optional {@code filter} (or another key holding one): one boolean SQL expression, checked with the
     * lexical rules of the engines that will run it ({@link SqlText#filter}).
     */
    Optional<String> optionalFilter(String key, List<dev.pulse.sqltext.Lexicon> lexicons) {
        Optional<Node> node = value(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (!(node.get() instanceof ScalarNode scalar)) {
            problemAt(key, "expected a boolean SQL expression, got " + Nodes.describe(node.get()));
            return Optional.empty();
        }
        SqlText.Checked checked = SqlText.filter(Nodes.isNull(scalar) ? "" : scalar.getValue(), lexicons);
        checked.problem().ifPresent(problem -> problemAt(key, problem));
        return checked.text();
    }

    Optional<Double> optionalNumber(String key, String meaning) {
        return value(key).flatMap(v -> check(Nodes.number(v, path(key), problems, meaning)));
    }

    Optional<LocalDate> requiredDate(String key, String meaning) {
        return require(key, meaning) ? optionalDate(key) : Optional.empty();
    }

    Optional<LocalDate> optionalDate(String key) {
        return value(key).flatMap(v -> check(Nodes.date(v, path(key), problems)));
    }

    /** Marks the mapping failed when a read came back empty. */
    <T> Optional<T> check(Optional<T> read) {
        if (read.isEmpty()) {
            failed = true;
        }
        return read;
    }
}
