package dev.pulse.cli;

import dev.pulse.error.PulseException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Writes finished results to stdout or, all at once, to files: a failed run writes nothing. */
final class Output {
    private Output() {}

    /** Temporary files are created owner-only; a results file is an ordinary file (rw-r--r--). */
    private static void readableByOthers(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /**
     * Outputs reserved before the work that produces them: for each file, a temporary file beside it,
     * created at once, so that a target that cannot be written (a folder, no permission, a missing
     * drive) fails the command before it runs anything. {@link #commit} fills them and moves them over
     * their targets, all or none; closing deletes what was not committed.
     */
    static final class Reservation implements AutoCloseable {
        private final List<Path> targets;
        private final List<Path> temporaries = new ArrayList<>();

        private Reservation(List<Path> targets) {
            this.targets = targets;
        }

        /**
         * Writes {@code texts}, one per target in order: every file's text into its temporary file,
         * then every temporary file over its target, then the text of a null target (stdout) to
         * {@code out}. When any step fails, no target has changed (short of a failing rename after
         * another succeeded, which a check of the targets up front makes unlikely).
         */
        void commit(List<String> texts, PrintWriter out) {
            if (texts.size() != targets.size()) {
                throw new IllegalArgumentException(texts.size() + " texts for " + targets.size() + " targets");
            }
            for (int i = 0; i < targets.size(); i++) {
                if (targets.get(i) != null) {
                    try {
                        Files.writeString(temporaries.get(i), texts.get(i));
                    } catch (IOException e) {
                        throw cannotWrite(targets.get(i), e);
                    }
                }
            }
            for (int i = 0; i < targets.size(); i++) {
                if (targets.get(i) != null) {
                    move(temporaries.get(i), targets.get(i));
                }
            }
            for (int i = 0; i < targets.size(); i++) {
                if (targets.get(i) == null) {
                    out.print(texts.get(i));
                    out.flush();
                }
            }
        }

        @Override
        public void close() {
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
    }

    /**
     * Reserves {@code files} (a null one stands for stdout).
     *
     * @throws PulseException INPUT_INVALID when a file is given twice, is a folder, or its folder cannot
     *                        be written; then nothing is left behind
     */
    static Reservation reserve(Path... files) {
        Reservation reservation = new Reservation(Arrays.asList(files));
        Set<Path> seen = new HashSet<>();
        for (Path file : files) {
            if (file != null && !seen.add(file.toAbsolutePath().normalize())) {
                throw new PulseException(PulseException.Category.INPUT_INVALID, "cannot write " + file
                        + " twice: give --out and --report different files");
            }
        }
        try {
            for (Path file : files) {
                reservation.temporaries.add(file == null ? null : temporary(file));
            }
        } catch (RuntimeException e) {
            reservation.close();
            throw e;
        }
        return reservation;
    }

    /** Writes {@code text} to {@code file} in one step, or to stdout when {@code file} is null. */
    static void write(String text, Path file, PrintWriter out) {
        try (Reservation reservation = reserve(file)) {
            reservation.commit(List.of(text), out);
        }
    }

    /** A new empty owner-only temporary file beside {@code file}, after checking {@code file} can be replaced. */
    private static Path temporary(Path file) {
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new PulseException(PulseException.Category.INPUT_INVALID, "cannot write " + file + ": it is a folder");
        }
        try {
            Path parent = target.getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
            readableByOthers(temporary);
            return temporary;
        } catch (IOException e) {
            throw cannotWrite(file, e);
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
            throw cannotWrite(file, e);
        }
    }

    private static PulseException cannotWrite(Path file, IOException e) {
        return new PulseException(PulseException.Category.INPUT_INVALID, "cannot write " + file + ": " + e.getMessage(), e);
    }
}
