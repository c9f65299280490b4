package dev.cutover.app;

import groovy.json.JsonGenerator;
import groovy.json.JsonOutput;
import groovy.json.JsonSlurper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The {@code --report} file. Like a transcript it never destroys another file: it may only replace
 * an earlier cutover report. Each write is whole (a temporary file beside it, renamed over it), so
 * whoever reads it, and whenever the run dies, sees one complete JSON document.
 */
final class ReportFile {
    /** A report is small; a bigger file there is certainly not one of ours. */
    private static final long LARGEST_REPORT = 64L << 20;
    private static final JsonGenerator JSON = new JsonGenerator.Options().disableUnicodeEscaping().build();

    private final Path path;

    private ReportFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /**
     * The operator's {@code --report FILE}, checked before anything runs.
     *
     * @param others files of this run the report must not land on (runbook, transcript)
     */
    static ReportFile claim(Path requested, Path... others) {
        for (Path other : others) {
            if (other != null && same(requested, other)) {
                throw new UsageException("--report " + requested + " is also " + other + " of this run: name a separate file for the report");
            }
        }
        if (Files.isDirectory(requested)) throw new UsageException("--report " + requested + " is a directory: name a file");
        if (Files.exists(requested) && !isReport(requested)) {
            throw new UsageException("--report " + requested + " exists and is not a cutover report: a report never overwrites "
                    + "another file; name a new one");
        }
        return new ReportFile(requested);
    }

    /** A JSON object carrying the format marker: what an earlier {@code --report} left. */
    static boolean isReport(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > LARGEST_REPORT) return false;
            Object parsed = new JsonSlurper().parseText(Files.readString(file, StandardCharsets.UTF_8));
            return parsed instanceof Map<?, ?> m && m.get("cutoverReport") instanceof Number;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * @param durable fsync before the rename: the final report must survive a power cut; the updates
     *                while the run goes on need only be whole, and the transcript is the durable record
     *                (an fsync costs milliseconds per step)
     */
    void write(Map<String, Object> report, boolean durable) throws IOException {
        Path target = path.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        byte[] bytes = (JsonOutput.prettyPrint(JSON.toJson(report), true) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) ch.write(buf);
            if (durable) ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean same(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (IOException ignored) {
            // compare the names instead
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
