package dev.pulse.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Collects every problem of one config file; positions come from the YAML nodes. */
final class Problems {
    private final Path file;
    private final List<ConfigProblem> found = new ArrayList<>();
    private final java.util.Set<ConfigProblem> seen = new java.util.HashSet<>();
    private long mergedKeys;
    private boolean mergesStopped;

    Problems(Path file) {
        this.file = file;
    }

    /** A problem at {@code node}'s start. */
    void add(Node node, String path, String message) {
        add(node.getStartMark(), path, message);
    }

    /** A problem at a mark (SnakeYAML marks are 0-based). */
    void add(Mark mark, String path, String message) {
        if (mark == null) {
            found(new ConfigProblem(file, 0, 0, path, message));
        } else {
            found(new ConfigProblem(file, mark.getLine() + 1, mark.getColumn() + 1, path, message));
        }
    }

    /** Keeps a problem once: a part read twice (a map merged in two places) reports it once. */
    private void found(ConfigProblem problem) {
        if (seen.add(problem)) {
            found.add(problem);
        }
    }

    /**
     * Counts {@code keys} more keys read through merge keys ({@code <<: *anchor}); false, with one
     * problem at {@code merge}, once the whole config has merged more than
     * {@value ConfigLimits#MAX_MERGED_KEYS} keys. Each merged map is read once per map it is merged
     * into, so nested merges of merges would otherwise grow exponentially with the depth.
     */
    boolean spendMergedKeys(int keys, Node merge) {
        mergedKeys += keys;
        if (mergedKeys <= ConfigLimits.MAX_MERGED_KEYS) {
            return true;
        }
        if (!mergesStopped) {
            mergesStopped = true;
            add(merge, "", "merge keys ('<<') expand to more than " + ConfigLimits.MAX_MERGED_KEYS
                    + " keys in all (anchors merged into anchors merged into …); merge fewer maps");
        }
        return false;
    }

    /** A problem with the whole file. */
    void addForFile(String message) {
        found(new ConfigProblem(file, 0, 0, "", message));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** The problems by position (stable: same position keeps the order found). */
    List<ConfigProblem> sorted() {
        List<ConfigProblem> copy = new ArrayList<>(found);
        copy.sort(ConfigProblem.BY_POSITION);
        return List.copyOf(copy);
    }
}
