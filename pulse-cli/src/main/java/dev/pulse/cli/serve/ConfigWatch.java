package dev.pulse.cli.serve;

import dev.pulse.config.ConfigLoader;
import dev.pulse.config.ConfigProblem;
import dev.pulse.error.PulseException;
import dev.pulse.model.PulseConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;

/** The config file, read again whenever its modification time or size changed since the last look. */
final class ConfigWatch {
    /** What the file holds now: a config, or every problem in it. */
    sealed interface State permits Valid, Invalid {}

    record Valid(PulseConfig config) implements State {
        Valid {
            Objects.requireNonNull(config);
        }
    }

    record Invalid(List<ConfigProblem> problems) implements State {
        Invalid {
            problems = List.copyOf(problems);
        }
    }

    private final Path file;
    private FileTime modified;
    private long size = -1;
    private State state;

    ConfigWatch(Path file) {
        this.file = Objects.requireNonNull(file);
    }

    Path file() {
        return file;
    }

    /** The config as the file is now, reading it only when it changed. */
    synchronized State current() {
        FileTime nowModified;
        long nowSize;
        try {
            nowModified = Files.getLastModifiedTime(file);
            nowSize = Files.size(file);
        } catch (IOException e) {
            nowModified = null;
            nowSize = -1;
        }
        if (state == null || !Objects.equals(nowModified, modified) || nowSize != size) {
            modified = nowModified;
            size = nowSize;
            state = read();
        }
        return state;
    }

    /**
     * What the file holds. Whatever goes wrong reading it, the state says so: the previous config is
     * never kept for a file that changed.
     */
    private State read() {
        try {
            return readConfig();
        } catch (RuntimeException | StackOverflowError e) {
            return new Invalid(List.of(new ConfigProblem(file, 0, 0, "", "cannot read the config (internal error,"
                    + " please report it with the output of pulse validate --verbose): " + e)));
        }
    }

    private State readConfig() {
        List<ConfigProblem> problems = ConfigLoader.problems(file);
        if (!problems.isEmpty()) {
            return new Invalid(problems);
        }
        try {
            return new Valid(ConfigLoader.load(file));
        } catch (PulseException e) {
            // the file changed between the two reads: show what the second one found
            return new Invalid(List.of(new ConfigProblem(file, 0, 0, "", e.getMessage())));
        }
    }
}
