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
            found.add(new ConfigProblem(file, 0, 0, path, message));
        } else {
            found.add(new ConfigProblem(file, mark.getLine() + 1, mark.getColumn() + 1, path, message));
        }
    }

    /** A problem with the whole file. */
    void addForFile(String message) {
        found.add(new ConfigProblem(file, 0, 0, "", message));
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
