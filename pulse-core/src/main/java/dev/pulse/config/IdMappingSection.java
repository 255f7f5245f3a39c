package dev.pulse.config;

import dev.pulse.model.IdMapping;
import dev.pulse.model.IdType;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads an experiment's {@code id_mapping}: {@code id_mapping: identify} (a source carrying the unit's ID
 * type and exactly one other, the one its metric sources are keyed by) or
 * {@code id_mapping: {source: identify, id_type: user_id}}. The mapping source must carry both ID types.
 */
final class IdMappingSection {
    static final List<String> KEYS = ConfigSchema.ID_MAPPING.names();

    private final Problems problems;
    private final SourceSection.Result sources;

    IdMappingSection(Problems problems, SourceSection.Result sources) {
        this.problems = problems;
        this.sources = sources;
    }

    /** The experiment's mapping, or empty when it has none or it is invalid ({@code fields} then fails). */
    Optional<IdMapping> read(Fields fields, Optional<IdType> unit) {
        Optional<Node> value = fields.value("id_mapping");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String path = fields.path("id_mapping");
        Node sourceNode;
        String sourcePath;
        Optional<Node> idTypeNode = Optional.empty();
        if (value.get() instanceof MappingNode) {
            Optional<Fields> read = Fields.read(value.get(), path, problems, KEYS,
                    "a map with source and id_type, such as {source: identify, id_type: user_id}");
            if (read.isEmpty()) {
                fields.fail();
                return Optional.empty();
            }
            Fields mapping = read.get();
            if (!mapping.require("source", "the source that links the unit's IDs to the metric sources' IDs")) {
                fields.fail();
                return Optional.empty();
            }
            sourceNode = mapping.value("source").orElseThrow();
            sourcePath = mapping.path("source");
            idTypeNode = mapping.value("id_type");
            if (mapping.failed()) {
                fields.fail();
            }
        } else {
            sourceNode = value.get();
            sourcePath = path;
        }
        Optional<String> name = fields.check(Nodes.text(sourceNode, sourcePath, problems,
                "the name of a source that carries the unit's ID type and another, such as identify"));
        Optional<IdType> idType = idTypeNode.flatMap(node -> fields.check(
                Names.idType(node, Nodes.child(path, "id_type"), problems)));
        if (name.isEmpty() || !sources.complete()) {
            fields.fail();
            return Optional.empty();
        }
        if (!sources.declared().contains(name.get())) {
            problems.add(sourceNode, sourcePath, "unknown source '" + name.get() + "'"
                    + Suggestions.hintOrList(name.get(), sources.declared()));
            fields.fail();
            return Optional.empty();
        }
        Optional<Source> source = sources.parsed().values().stream()
                .filter(s -> s.name().value().equals(name.get())).findFirst();
        if (source.isEmpty() || unit.isEmpty() || fields.failed()) {
            fields.fail();
            return Optional.empty();
        }
        Source mapping = source.get();
        boolean valid = true;
        if (mapping.idColumn(unit.get()).isEmpty()) {
            problems.add(sourceNode, sourcePath, "mapping source '" + name.get() + "' has no column for the unit's ID"
                    + " type '" + unit.get() + "' (its ids: " + idList(mapping) + "; add " + unit.get() + " to sources."
                    + name.get() + ".ids)");
            valid = false;
        }
        if (idType.isPresent()) {
            Node node = idTypeNode.orElseThrow();
            String idPath = Nodes.child(path, "id_type");
            if (idType.get().equals(unit.get())) {
                problems.add(node, idPath, "id_type '" + unit.get() + "' is the experiment's unit; name the ID type"
                        + " the metric sources are keyed by, such as user_id");
                valid = false;
            } else if (mapping.idColumn(idType.get()).isEmpty()) {
                problems.add(node, idPath, "mapping source '" + name.get() + "' has no column for ID type '"
                        + idType.get() + "' (its ids: " + idList(mapping) + "; add " + idType.get() + " to sources."
                        + name.get() + ".ids)" + Suggestions.hint(idType.get().value(),
                        mapping.idColumns().keySet().stream().map(IdType::value).toList()));
                valid = false;
            }
        } else if (valid) {
            List<IdType> others = mapping.idColumns().keySet().stream().filter(id -> !id.equals(unit.get())).toList();
            if (others.size() == 1) {
                idType = Optional.of(others.get(0));
            } else {
                problems.add(sourceNode, sourcePath, others.isEmpty()
                        ? "mapping source '" + name.get() + "' carries no ID type besides the unit's '" + unit.get()
                                + "' (add the metric sources' ID type, such as user_id, to sources." + name.get() + ".ids)"
                        : "mapping source '" + name.get() + "' carries several ID types besides the unit's ("
                                + others.stream().map(IdType::value).collect(Collectors.joining(", "))
                                + "); name one: id_mapping: {source: " + name.get() + ", id_type: " + others.get(0) + "}");
                valid = false;
            }
        }
        if (!valid) {
            fields.fail();
            return Optional.empty();
        }
        return Optional.of(new IdMapping(new SourceName(name.get()), idType.orElseThrow()));
    }

    private static String idList(Source source) {
        return source.idColumns().keySet().stream().map(IdType::value).collect(Collectors.joining(", "));
    }
}
