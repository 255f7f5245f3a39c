package dev.pulse.cli;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mutations of a YAML config for {@link ConfigFuzzTest}, all driven by one {@link Random}: on the tree
 * (delete, rename, swap and duplicate keys; replace values by other types, huge or odd numbers, bad dates,
 * unicode, empty and very long text; shuffle lists) and on the text (truncate, delete, duplicate and swap
 * lines, re-indent, insert stray characters and tags, add anchors, aliases and merge keys, also merges of
 * a map into itself).
 */
final class ConfigMutator {
    /** A mutated config and what was done to it. */
    record Mutant(String text, List<String> mutations) {}

    private static final List<Object> VALUES = List.of("", " ", "~", "null", "true", "no", "0", "-1", "1", "2", "0.5",
            "-0.0", "1e-320", "1e308", "-1e308", "1e999", ".nan", ".inf", "-.inf", "0x1F", "0o17", "1_000",
            "99999999999999999999999999", "2026-02-30", "+999999999-01-01", "2026-03-01T25:00:00", "9999-12-31",
            "1900-01-01", "0001-01-01", "ünïcødé", "🚀🚀", "\u202Eevil", "a\nb", "'; DROP TABLE events; --",
            "../../etc/passwd", "s3://bucket/x", "control", "treatment", "org_id", "user_id", "events", "exposures",
            "revenue", "ratio", "percentile", "sum", "count_distinct", "unit_count", "mean", "count", "holm",
            List.of(), Map.of(), List.of("a", List.of("b")), Map.of("k", Map.of()), List.of("control", "control"));
    private static final String STRAY = ":{}[],&*!%@`|>#'\"\t-?\uFEFF\u0085\u2028é🚀\\";
    private static final Pattern BLOCK_KEY = Pattern.compile("^( *)([A-Za-z_][\\w.-]*):\\s*(#.*)?$");
    private static final Pattern SCALAR_KEY = Pattern.compile("^( *)([A-Za-z_][\\w.-]*): +([^&*{\\[#|>][^#]*)$");

    private ConfigMutator() {}

    /** One to three mutations of {@code yaml}. */
    static Mutant mutate(String yaml, Random random) {
        String text = yaml;
        List<String> mutations = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(20);
            Object tree = kind < 11 ? load(text) : null;
            if (tree != null) {
                String what = mutateTree(tree, random);
                text = dump(tree);
                mutations.add(what);
            } else {
                String[] result = mutateText(text, random);
                text = result[0];
                mutations.add(result[1]);
            }
        }
        return new Mutant(text, mutations);
    }

    // ---- the tree: maps, lists and strings (every scalar stays text, so nothing is reinterpreted) ----

    private static Yaml yaml() {
        DumperOptions dump = new DumperOptions();
        dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        dump.setWidth(1 << 20);
        dump.setAllowUnicode(true);
        Resolver textOnly = new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                // none: every plain scalar is a string, written back as it was read
            }
        };
        LoaderOptions load = new LoaderOptions();
        load.setWarnOnDuplicateKeys(false);
        return new Yaml(new SafeConstructor(load), new Representer(dump), dump, textOnly);
    }

    private static Object load(String text) {
        try {
            Object tree = yaml().load(text);
            if (!(tree instanceof Map || tree instanceof List) || shared(tree, java.util.Collections.newSetFromMap(
                    new java.util.IdentityHashMap<>()))) {
                return null; // a scalar, or aliases (maybe a cycle) that copying and walking would expand
            }
            return tree;
        } catch (RuntimeException e) {
            return null; // the text is no longer YAML (an earlier mutation): mutate the text instead
        }
    }

    /** True when some map or list occurs twice in the tree (through an alias), possibly inside itself. */
    private static boolean shared(Object node, java.util.Set<Object> seen) {
        if (node instanceof Map<?, ?> map) {
            if (!seen.add(map)) {
                return true;
            }
            for (Object value : map.values()) {
                if (shared(value, seen)) {
                    return true;
                }
            }
        } else if (node instanceof List<?> list) {
            if (!seen.add(list)) {
                return true;
            }
            for (Object item : list) {
                if (shared(item, seen)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String dump(Object tree) {
        return yaml().dump(tree);
    }

    /** A place in the tree: a map entry or a list item. */
    private record Slot(Object container, Object key, String path) {
        Object get() {
            return container instanceof Map<?, ?> map ? map.get(key) : ((List<?>) container).get((Integer) key);
        }

        @SuppressWarnings("unchecked")
        void set(Object value) {
            if (container instanceof Map<?, ?> map) {
                ((Map<Object, Object>) map).put(key, value);
            } else {
                ((List<Object>) container).set((Integer) key, value);
            }
        }
    }

    private static void slots(Object node, String path, List<Slot> into) {
        if (node instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                into.add(new Slot(map, key, path + "." + key));
                slots(map.get(key), path + "." + key, into);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                into.add(new Slot(list, i, path + "[" + i + "]"));
                slots(list.get(i), path + "[" + i + "]", into);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static String mutateTree(Object tree, Random random) {
        List<Slot> slots = new ArrayList<>();
        slots(tree, "", slots);
        if (slots.isEmpty()) {
            return "nothing to mutate in the tree";
        }
        Slot slot = slots.get(random.nextInt(slots.size()));
        Slot other = slots.get(random.nextInt(slots.size()));
        switch (random.nextInt(11)) {
            case 8, 9, 10 -> {
                if (!(slot.get() instanceof String)) {
                    return "same-kind skipped (not a scalar)";
                }
                String value = sameKind((String) slot.get(), slots, random);
                slot.set(value);
                return "replace " + slot.path() + " with " + describe(value);
            }
            case 0 -> {
                if (slot.container() instanceof Map<?, ?> map) {
                    map.remove(slot.key());
                } else {
                    ((List<Object>) slot.container()).remove((int) (Integer) slot.key());
                }
                return "delete " + slot.path();
            }
            case 1 -> {
                Object value = pick(random, slots);
                slot.set(value);
                return "replace " + slot.path() + " with " + describe(value);
            }
            case 2 -> {
                Object a = slot.get();
                Object b = other.get();
                if (isAncestor(a, other) || isAncestor(b, slot)) {
                    return "swap skipped (nested)";
                }
                slot.set(b);
                other.set(a);
                return "swap " + slot.path() + " and " + other.path();
            }
            case 3 -> {
                if (!(slot.container() instanceof Map<?, ?> map)) {
                    return "rename skipped (a list item)";
                }
                String renamed = typo(String.valueOf(slot.key()), random);
                Map<Object, Object> copy = new LinkedHashMap<>();
                map.forEach((key, value) -> copy.put(key.equals(slot.key()) ? renamed : key, value));
                ((Map<Object, Object>) map).clear();
                ((Map<Object, Object>) map).putAll(copy);
                return "rename " + slot.path() + " to " + renamed;
            }
            case 4 -> {
                Object target = slot.get();
                if (target instanceof Map<?, ?> map) {
                    ((Map<Object, Object>) map).put(typo(String.valueOf(other.key()), random), copy(other.get()));
                    return "add a copy of " + other.path() + " under " + slot.path();
                }
                slot.set(copy(other.get()));
                return "copy " + other.path() + " to " + slot.path();
            }
            case 5 -> {
                String value = "x".repeat(1 + random.nextInt(100_000));
                slot.set(random.nextBoolean() ? value : "9".repeat(1 + random.nextInt(5000)));
                return "replace " + slot.path() + " with a long scalar";
            }
            case 6 -> {
                if (slot.get() instanceof List<?> list && !list.isEmpty()) {
                    List<Object> items = (List<Object>) list;
                    int i = random.nextInt(items.size());
                    switch (random.nextInt(3)) {
                        case 0 -> items.add(copy(items.get(i)));
                        case 1 -> items.remove(i);
                        default -> java.util.Collections.shuffle(items, random);
                    }
                    return "change the list " + slot.path();
                }
                slot.set(List.of(copy(slot.get())));
                return "wrap " + slot.path() + " in a list";
            }
            default -> {
                Object value = VALUES.get(random.nextInt(VALUES.size()));
                slot.set(value instanceof String text ? text : copy(value));
                return "replace " + slot.path() + " with " + describe(value);
            }
        }
    }

    private static final List<String> DATES = List.of("1900-01-01", "9999-12-30", "2026-03-01", "2026-03-28",
            "2026-03-17", "2026-02-28", "2027-01-01", "2026-03-02");
    private static final List<String> NUMBERS = List.of("0", "1", "2", "3", "0.001", "0.999", "1e-9", "1000", "1000000",
            "3650", "0.5", "0.25", "0.9", "0.1", "7", "14", "21", "999", "1001");

    /** A value of the same kind as {@code value}: another date, number, or name found in the config. */
    private static String sameKind(String value, List<Slot> slots, Random random) {
        if (value.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            return DATES.get(random.nextInt(DATES.size()));
        }
        if (value.matches("-?[0-9.eE+-]+")) {
            return NUMBERS.get(random.nextInt(NUMBERS.size()));
        }
        List<String> names = new ArrayList<>();
        for (Slot slot : slots) {
            if (slot.key() instanceof String key) {
                names.add(key);
            }
            if (slot.get() instanceof String text && text.matches("[A-Za-z_][\\w.]*")) {
                names.add(text);
            }
        }
        return names.isEmpty() ? value : names.get(random.nextInt(names.size()));
    }

    private static Object pick(Random random, List<Slot> slots) {
        if (random.nextBoolean()) {
            Object value = VALUES.get(random.nextInt(VALUES.size()));
            return value instanceof String ? value : copy(value);
        }
        Slot source = slots.get(random.nextInt(slots.size()));
        return random.nextBoolean() ? String.valueOf(source.key()) : copy(source.get());
    }

    private static boolean isAncestor(Object node, Slot slot) {
        List<Slot> inside = new ArrayList<>();
        slots(node, "", inside);
        return node == slot.container() || inside.stream().anyMatch(s -> s.get() == slot.container());
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, value) -> copy.put(key, copy(value)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(copy(item)));
            return copy;
        }
        return node;
    }

    private static String typo(String word, Random random) {
        if (word.isEmpty()) {
            return "x";
        }
        int at = random.nextInt(word.length());
        return switch (random.nextInt(4)) {
            case 0 -> word.substring(0, at) + word.substring(at + 1);
            case 1 -> word.substring(0, at) + word.charAt(at) + word.substring(at);
            case 2 -> word + "_" + random.nextInt(100);
            default -> at + 1 < word.length()
                    ? word.substring(0, at) + word.charAt(at + 1) + word.charAt(at) + word.substring(at + 2) : word + "s";
        };
    }

    private static String describe(Object value) {
        String text = String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    // ---- the text ----

    private static String[] mutateText(String text, Random random) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int line = random.nextInt(lines.size());
        switch (random.nextInt(9)) {
            case 0 -> {
                int at = random.nextInt(text.length() + 1);
                return new String[] {text.substring(0, at), "truncate at " + at};
            }
            case 1 -> {
                lines.remove(line);
                return new String[] {String.join("\n", lines), "delete line " + (line + 1)};
            }
            case 2 -> {
                lines.add(line, lines.get(line));
                return new String[] {String.join("\n", lines), "duplicate line " + (line + 1)};
            }
            case 3 -> {
                int other = random.nextInt(lines.size());
                String swapped = lines.get(line);
                lines.set(line, lines.get(other));
                lines.set(other, swapped);
                return new String[] {String.join("\n", lines), "swap lines " + (line + 1) + " and " + (other + 1)};
            }
            case 4 -> {
                lines.set(line, random.nextBoolean() ? " " + lines.get(line) : lines.get(line).replaceFirst("^ ", ""));
                return new String[] {String.join("\n", lines), "re-indent line " + (line + 1)};
            }
            case 5 -> {
                int at = random.nextInt(text.length() + 1);
                String stray = new String(Character.toChars(STRAY.codePoints().toArray()[random.nextInt(
                        (int) STRAY.codePoints().count())]));
                return new String[] {text.substring(0, at) + stray + text.substring(at), "insert '" + stray + "' at " + at};
            }
            case 6 -> {
                String[] tags = {"!!binary ", "!!int ", "!!float ", "!!map ", "!!seq ", "!!str ", "!!timestamp ",
                    "!!python/object:os.system ", "!custom ", "!!set ", "!!omap "};
                Matcher scalar = SCALAR_KEY.matcher(lines.get(line));
                if (!scalar.matches()) {
                    return mutateText(text, random);
                }
                String tag = tags[random.nextInt(tags.length)];
                lines.set(line, scalar.group(1) + scalar.group(2) + ": " + tag + scalar.group(3));
                return new String[] {String.join("\n", lines), "tag line " + (line + 1) + " " + tag.strip()};
            }
            default -> {
                return anchors(lines, random);
            }
        }
    }

    /** An anchor on a block map, and a merge key or an alias of it elsewhere, possibly inside it. */
    private static String[] anchors(List<String> lines, Random random) {
        List<Integer> maps = new ArrayList<>();
        List<Integer> scalars = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (BLOCK_KEY.matcher(lines.get(i)).matches()) {
                maps.add(i);
            } else if (SCALAR_KEY.matcher(lines.get(i)).matches()) {
                scalars.add(i);
            }
        }
        if (maps.isEmpty()) {
            return new String[] {String.join("\n", lines), "no map to anchor"};
        }
        int anchored = maps.get(random.nextInt(maps.size()));
        Matcher anchor = BLOCK_KEY.matcher(lines.get(anchored));
        anchor.matches();
        lines.set(anchored, anchor.group(1) + anchor.group(2) + ": &fuzz");
        int kind = random.nextInt(3);
        if (kind == 0 || scalars.isEmpty()) {
            // a merge key into another block map, or into the anchored map itself (a cycle)
            int into = random.nextInt(4) == 0 ? anchored : maps.get(random.nextInt(maps.size()));
            Matcher target = BLOCK_KEY.matcher(lines.get(into).replace(": &fuzz", ":"));
            target.matches();
            lines.add(into + 1, target.group(1) + "  <<: " + (random.nextBoolean() ? "*fuzz" : "[*fuzz, *fuzz]"));
            return new String[] {String.join("\n", lines), "anchor line " + (anchored + 1) + ", merge it into line " + (into + 1)};
        }
        int at = scalars.get(random.nextInt(scalars.size()));
        Matcher scalar = SCALAR_KEY.matcher(lines.get(at));
        scalar.matches();
        lines.set(at, scalar.group(1) + scalar.group(2) + ": *fuzz");
        return new String[] {String.join("\n", lines), "anchor line " + (anchored + 1) + ", alias it at line " + (at + 1)};
    }
}
