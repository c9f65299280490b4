package dev.cutover.app;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where a new transcript goes. A transcript is evidence: it is never written over another file,
 * and the file is claimed atomically (create-new), so two runs started in the same second each
 * get their own record.
 */
final class TranscriptPaths {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss'Z'").withZone(ZoneOffset.UTC);

    private TranscriptPaths() {
    }

    /** The operator's {@code --transcript FILE}: claimed if it does not exist yet; refused otherwise. */
    static Path fresh(Path requested, Path runbook) throws IOException {
        if (runbook != null && sameFile(requested, runbook)) {
            throw new UsageException("--transcript " + requested + " is the runbook itself: name a new file for the transcript");
        }
        try {
            Path parent = requested.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.createFile(requested);
            return requested;
        } catch (FileAlreadyExistsException e) {
            throw new UsageException("--transcript " + requested + " already exists: a transcript never overwrites a file; "
                    + "name a new one, or pass --resume " + requested + " to continue the run it records");
        }
    }

    /** {@code transcripts/<runbook>-<UTC time>[-N].md}, claimed atomically. */
    static Path unique(String runbookName, Instant at) throws IOException {
        String base = runbookName.replaceFirst("\\.md$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = Path.of("transcripts");
        Files.createDirectories(dir);
        String stem = base + "-" + STAMP.format(at);
        for (int n = 1; ; n++) {
            Path p = dir.resolve(stem + (n == 1 ? "" : "-" + n) + ".md");
            try {
                Files.createFile(p);
                return p;
            } catch (FileAlreadyExistsException e) {
                // another run of the same second has it: try the next suffix
            }
        }
    }

    /** One file however each is named (links, ./, absolute), or the same normalised path when either is missing. */
    static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (IOException ignored) {
            // fall back to comparing names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
