package dev.pulse.cli;

import dev.pulse.error.PulseException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes finished results to stdout or, all at once, to a file: a failed run writes nothing. */
final class Output {
    private Output() {}

    /** Temporary files are created owner-only; a results file is an ordinary file (rw-r--r--). */
    private static void readableByOthers(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Text to write to {@code file}, or to stdout when {@code file} is null. */
    record Target(String text, Path file) {
        Target {
            java.util.Objects.requireNonNull(text);
        }
    }

    /**
     * Writes every target, or none: each file's text goes to a temporary file beside it first; only when
     * all of them were written are they moved over their targets, and then stdout gets its text (at most
     * one target goes to stdout). A target that cannot be written (a folder, no permission, a full disk)
     * leaves every target as it was.
     */
    static void writeAll(java.util.List<Target> targets, PrintWriter out) {
        java.util.Set<Path> seen = new java.util.HashSet<>();
        for (Target target : targets) {
            if (target.file() != null && !seen.add(target.file().toAbsolutePath().normalize())) {
                throw new PulseException(PulseException.Category.INPUT_INVALID, "cannot write " + target.file()
                        + " twice: give --out and --report different files");
            }
        }
        java.util.List<Path> temporaries = new java.util.ArrayList<>();
        try {
            for (Target target : targets) {
                if (target.file() != null) {
                    temporaries.add(stage(target.text(), target.file()));
                } else {
                    temporaries.add(null);
                }
            }
            for (int i = 0; i < targets.size(); i++) {
                if (targets.get(i).file() != null) {
                    move(temporaries.get(i), targets.get(i).file());
                }
            }
        } finally {
            for (Path temporary : temporaries) {
                if (temporary != null) {
                    try {
                        Files.deleteIfExists(temporary);
                    } catch (IOException e) {
                        // best effort: a leftover hidden .tmp file beside the target
                    }
                }
            }
        }
        for (Target target : targets) {
            if (target.file() == null) {
                out.print(target.text());
                out.flush();
            }
        }
    }

    /** {@code text} in a new owner-only temporary file beside {@code file}; checks {@code file} can be replaced. */
    private static Path stage(String text, Path file) {
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, "cannot write " + file + ": it is a folder");
        }
        try {
            Path parent = target.getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
            try {
                Files.writeString(temporary, text);
                readableByOthers(temporary);
            } catch (IOException e) {
                Files.deleteIfExists(temporary);
                throw e;
            }
            return temporary;
        } catch (IOException e) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path temporary, Path file) {
        Path target = file.toAbsolutePath();
        try {
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static void write(String text, Path file, PrintWriter out) {
        writeAll(java.util.List.of(new Target(text, file)), out);
    }
}
