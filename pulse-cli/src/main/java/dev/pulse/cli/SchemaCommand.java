package dev.pulse.cli;

import dev.pulse.config.ConfigSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code pulse schema}: prints the JSON Schema of {@code pulse.yaml} for editors (docs/config-reference.md#editor-support),
 * the same text as {@code schema/pulse.schema.json}, generated from the definitions the validator reads.
 */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Print the JSON Schema of pulse.yaml (for editor completion and inline errors).")
final class SchemaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ConfigSchema.json());
        return 0;
    }
}
