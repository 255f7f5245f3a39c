package dev.pulse.config;

import dev.pulse.error.PulseException;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.sqltext.Lexicon;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a {@code pulse.yaml} (docs/config-reference.md) into a {@link PulseConfig}, or reports every problem in it at
 * once, each with file, line, column and path. A part that fails to parse skips only the checks that
 * depend on it: a source with an unknown key is still checked against the experiments that use it,
 * and a metric that failed raises no "unknown metric" in the experiments that name it.
 */
public final class ConfigLoader {
    static final List<String> KEYS = ConfigSchema.TOP.names();

    /** What one read gave: a config when there were no problems. */
    private record Outcome(Optional<PulseConfig> config, List<ConfigProblem> problems) {}

    private ConfigLoader() {}

    /**
     * The config in {@code file}.
     *
     * @throws PulseException {@link PulseException.Category#CONFIG_INVALID} whose message lists every
     *                        problem, one per line, as {@link ConfigProblem#format()}
     */
    public static PulseConfig load(Path file) {
        return valid(read(file, readText(file, new Problems(file))));
    }

    /**
     * The config whose text is {@code text}, as if read from {@code file}: {@code file} names it in messages and
     * relative paths in it start from its folder; it need not exist (the Java API's {@code Pulse.config(String, Path)}).
     *
     * @throws PulseException {@link PulseException.Category#CONFIG_INVALID} as {@link #load(Path)}
     */
    public static PulseConfig load(Path file, String text) {
        Problems problems = new Problems(file);
        if (text.length() > ConfigLimits.MAX_BYTES || text.getBytes(StandardCharsets.UTF_8).length > ConfigLimits.MAX_BYTES) {
            problems.addForFile("the config is larger than " + ConfigLimits.MAX_BYTES + " bytes (1 MiB),"
                    + " the most Pulse reads; a config describes data, it does not hold it");
            return valid(new Outcome(Optional.empty(), problems.sorted()));
        }
        return valid(read(file, new Text(Optional.of(text), problems)));
    }

    private static PulseConfig valid(Outcome outcome) {
        if (!outcome.problems().isEmpty()) {
            throw new PulseException(PulseException.Category.CONFIG_INVALID, outcome.problems().stream()
                    .map(ConfigProblem::format)
                    .collect(Collectors.joining("\n")));
        }
        return outcome.config().orElseThrow();
    }

    /** Every problem in {@code file}, by position; empty when the config is valid. */
    public static List<ConfigProblem> problems(Path file) {
        return read(file, readText(file, new Problems(file))).problems();
    }

    /** A config's text, or empty when it could not be read, with the problems collected so far. */
    private record Text(Optional<String> text, Problems problems) {}

    private static Outcome read(Path file, Text read) {
        Problems problems = read.problems();
        Optional<String> text = read.text();
        if (text.isEmpty()) {
            return new Outcome(Optional.empty(), problems.sorted());
        }
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(ConfigLimits.MAX_COLLECTION_ALIASES);
            options.setNestingDepthLimit(ConfigLimits.MAX_NESTING);
            options.setCodePointLimit(ConfigLimits.MAX_BYTES);
            options.setAllowRecursiveKeys(false);
            root = new Yaml(options).compose(new StringReader(text.get()));
        } catch (MarkedYAMLException e) {
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            String context = e.getContext() == null ? "" : " " + e.getContext();
            problems.add(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark(), "",
                    "invalid YAML" + context + ": " + problem);
            return new Outcome(Optional.empty(), problems.sorted());
        } catch (YAMLException e) {
            problems.addForFile("invalid YAML: " + e.getMessage());
            return new Outcome(Optional.empty(), problems.sorted());
        } catch (StackOverflowError e) {
            problems.addForFile("the config nests too deeply to read (at most " + ConfigLimits.MAX_NESTING
                    + " levels of maps and lists)");
            return new Outcome(Optional.empty(), problems.sorted());
        }
        if (root == null) {
            problems.addForFile("the config is empty (expected sources, metrics and experiments)");
            return new Outcome(Optional.empty(), problems.sorted());
        }
        Optional<PulseConfig> config;
        try {
            config = parse(file, root, problems);
        } catch (StackOverflowError e) {
            // a backstop: nesting is limited while parsing, and merge cycles are reported
            problems.addForFile("the config nests too deeply to read (at most " + ConfigLimits.MAX_NESTING
                    + " levels of maps and lists)");
            return new Outcome(Optional.empty(), problems.sorted());
        }
        return new Outcome(problems.isEmpty() ? config : Optional.empty(), problems.sorted());
    }

    /**
     * The file's text, or empty with a problem: it is missing, unreadable, not UTF-8, or larger than
     * {@link ConfigLimits#MAX_BYTES} (refused before it is parsed, and read no further than that).
     */
    private static Text readText(Path file, Problems problems) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(ConfigLimits.MAX_BYTES + 1);
            if (bytes.length > ConfigLimits.MAX_BYTES) {
                problems.addForFile("the config file is larger than " + ConfigLimits.MAX_BYTES + " bytes (1 MiB),"
                        + " the most Pulse reads; a config describes data, it does not hold it");
                return new Text(Optional.empty(), problems);
            }
            return new Text(Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString()), problems);
        } catch (NoSuchFileException e) {
            problems.addForFile("config file not found");
        } catch (CharacterCodingException e) {
            problems.addForFile("the config file is not UTF-8 text");
        } catch (IOException e) {
            problems.addForFile("cannot read the config file: " + e.getMessage());
        }
        return new Text(Optional.empty(), problems);
    }

    private static Optional<PulseConfig> parse(Path file, Node root, Problems problems) {
        Optional<Fields> read = Fields.read(root, "", problems, KEYS, "a map with sources, metrics and experiments");
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Fields top = read.get();
        Path absolute = file.toAbsolutePath().normalize();
        Path folder = absolute.getParent();
        Optional<WarehouseConfig> warehouse = top.value("warehouse")
                .map(node -> new WarehouseSection(problems, folder).read(node, "warehouse"))
                .orElse(Optional.of(WarehouseConfig.inMemoryDuckDb()));
        top.require("sources", "where the rows come from");
        top.require("metrics", "what to compute per unit");
        top.require("experiments", "what to analyse");
        SourceSection.Result sources = top.value("sources")
                .map(node -> new SourceSection(problems, folder,
                        warehouse.map(WarehouseConfig::engine)).read(node, "sources"))
                .orElse(SourceSection.Result.absent());
        MetricSection.Result metrics = top.value("metrics")
                .map(node -> new MetricSection(problems, sources, lexicons(warehouse),
                        warehouse.map(WarehouseConfig::engine)).read(node, "metrics"))
                .orElse(MetricSection.Result.absent());
        Map<ExperimentName, Experiment> experiments = top.value("experiments")
                .map(node -> new ExperimentSection(problems, sources, metrics, lexicons(warehouse)).read(node, "experiments"))
                .orElse(Map.of());
        if (!problems.isEmpty() || warehouse.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PulseConfig(absolute, warehouse.get(), sources.parsed(), metrics.parsed(), experiments));
    }

    /** The lexical rules user SQL is checked with: the engine's, or every engine's when it is not known. */
    static List<Lexicon> lexicons(Optional<WarehouseConfig> warehouse) {
        return warehouse.map(w -> List.of(Lexicon.of(w.engine()))).orElse(List.of(Lexicon.values()));
    }
}
