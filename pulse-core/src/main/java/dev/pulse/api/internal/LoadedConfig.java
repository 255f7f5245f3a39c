package dev.pulse.api.internal;

import dev.pulse.api.Config;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** The API's {@link Config}: a validated model. {@code pulse serve} wraps the config it has already loaded. */
public record LoadedConfig(PulseConfig model) implements Config {

    public LoadedConfig {
        Objects.requireNonNull(model);
    }

    @Override
    public Path file() {
        return model.file();
    }

    @Override
    public List<String> experiments() {
        return model.experiments().keySet().stream().map(ExperimentName::value).toList();
    }

    @Override
    public String engine() {
        return model.warehouse().engine().name().toLowerCase(Locale.ROOT);
    }
}
