package dev.pulse.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Minimal {@code --name value} parser for the bench programs; unknown options are an error. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    private Args() {}

    static Args parse(String[] argv, List<String> allowed) {
        Args args = new Args();
        for (int i = 0; i < argv.length; i++) {
            String name = argv[i];
            if (!name.startsWith("--") || !allowed.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option " + name + "; allowed: --" + String.join(", --", allowed));
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            args.values.put(name.substring(2), argv[++i]);
        }
        return args;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    long getLong(String name, long fallback) {
        String v = values.get(name);
        return v == null ? fallback : Long.parseLong(v.replace("_", ""));
    }
}
