package dev.pulse.config;

import dev.pulse.model.IdType;
import dev.pulse.model.Source;
import dev.pulse.model.Trigger;
import dev.pulse.sqltext.Lexicon;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads an experiment's {@code trigger: {source: page_views, filter: "page = 'checkout'"}}: the qualifying
 * event its units' analysis starts at (docs/triggered-analysis.md). The source must carry the unit's ID
 * type; the filter is one boolean SQL expression.
 */
final class TriggerSection {
    static final List<String> KEYS = ConfigSchema.TRIGGER.names();

    private final Problems problems;
    private final SourceSection.Result sources;
    private final List<Lexicon> lexicons;

    TriggerSection(Problems problems, SourceSection.Result sources, List<Lexicon> lexicons) {
        this.problems = problems;
        this.sources = sources;
        this.lexicons = List.copyOf(lexicons);
    }

    /** The experiment's trigger, or empty when it has none or it is invalid ({@code fields} then fails). */
    Optional<Trigger> read(Fields fields, Optional<IdType> unit) {
        Optional<Fields> read = fields.value("trigger").flatMap(node -> Fields.read(node, fields.path("trigger"), problems,
                KEYS, "a map with source and an optional filter, such as {source: page_views, filter: \"page = 'checkout'\"}"));
        if (read.isEmpty()) {
            if (fields.has("trigger")) {
                fields.fail();
            }
            return Optional.empty();
        }
        Fields trigger = read.get();
        Optional<String> name = trigger.requiredText("source", "the source whose rows qualify a unit, such as page_views");
        Optional<String> filter = trigger.optionalFilter("filter", lexicons);
        if (name.isEmpty() || !sources.complete()) {
            fields.fail();
            return Optional.empty();
        }
        if (!sources.declared().contains(name.get())) {
            trigger.problemAt("source", "unknown source '" + name.get() + "'"
                    + Suggestions.hintOrList(name.get(), sources.declared()));
        }
        Optional<Source> source = sources.parsed().values().stream()
                .filter(s -> s.name().value().equals(name.get())).findFirst();
        if (source.isPresent() && unit.isPresent() && source.get().idColumn(unit.get()).isEmpty()) {
            trigger.problemAt("source", "trigger source '" + name.get() + "' has no column for the unit's ID type '"
                    + unit.get() + "' (its ids: " + source.get().idColumns().keySet().stream().map(IdType::value)
                    .collect(Collectors.joining(", ")) + "; add " + unit.get() + " to sources." + name.get()
                    + ".ids: a trigger is not read through an ID mapping)");
        }
        if (trigger.failed() || source.isEmpty()) {
            fields.fail();
            return Optional.empty();
        }
        return Optional.of(new Trigger(source.get().name(), filter));
    }
}
