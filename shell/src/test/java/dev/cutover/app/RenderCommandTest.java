package dev.cutover.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.transcript.SessionInfo;
import dev.cutover.transcript.TranscriptWriter;

/** {@code cutover render} renders transcripts only, and never overwrites a file it did not write. */
class RenderCommandTest {
    @TempDir
    Path dir;

    private Path transcript() throws Exception {
        Path t = dir.resolve("t.md");
        try (TranscriptWriter w = TranscriptWriter.create(t, new SessionInfo("r.md", "R", "0", Map.of(), "op", "lab",
                Instant.now(), "test", "batch", false))) {
            w.note("rendered by a test", Instant.now());
        }
        return t;
    }

    @Test
    void aFileThatIsNotATranscriptIsRefused() throws Exception {
        Cli.write(dir, "x.md", "# Notes\n\nJust Markdown.\n");
        Cli.Result r = Cli.run(dir, "render", "x.md");
        assertEquals(2, r.exit(), r.out());
        assertEquals("cutover: x.md is not a cutover transcript (no session header)", r.out().strip());
        assertTrue(Files.notExists(dir.resolve("x.html")), "nothing written");
    }

    @Test
    void theTranscriptIsNeverItsOwnOutput() throws Exception {
        Path t = transcript();
        String before = Files.readString(t);
        for (String out : new String[] {"t.md", "./t.md", dir.resolve("t.md").toString()}) {
            for (boolean force : new boolean[] {false, true}) {
                Cli.Result r = force ? Cli.run(dir, "render", "t.md", "-o", out, "--force") : Cli.run(dir, "render", "t.md", "-o", out);
                assertEquals(2, r.exit(), out + ": " + r.out());
                assertEquals(1, r.out().strip().lines().count(), "one line: " + r.out());
                assertTrue(r.out().startsWith("cutover: "), r.out());
                assertEquals(before, Files.readString(t), "the transcript is untouched");
            }
        }
    }

    @Test
    void anExistingFileNotRenderedByCutoverNeedsForce() throws Exception {
        transcript();
        Path notes = Cli.write(dir, "notes.html", "<html><body>my notes</body></html>\n");
        Cli.Result r = Cli.run(dir, "render", "t.md", "-o", "notes.html");
        assertEquals(2, r.exit(), r.out());
        assertEquals(1, r.out().strip().lines().count(), "one line: " + r.out());
        assertTrue(r.out().contains("--force"), "says how to proceed: " + r.out());
        assertEquals("<html><body>my notes</body></html>\n", Files.readString(notes), "untouched");

        Cli.Result forced = Cli.run(dir, "render", "t.md", "-o", "notes.html", "--force");
        assertEquals(0, forced.exit(), forced.out());
        assertTrue(Files.readString(notes, StandardCharsets.UTF_8).contains("rendered by a test"));
    }

    @Test
    void anEarlierRenderingIsReplacedWithoutForce() throws Exception {
        transcript();
        Cli.Result first = Cli.run(dir, "render", "t.md");
        assertEquals(0, first.exit(), first.out());
        String html = Files.readString(dir.resolve("t.html"), StandardCharsets.UTF_8);
        assertTrue(html.lines().limit(3).anyMatch(l -> l.equals("<!-- rendered by cutover -->")), "marked as ours");
        Cli.Result again = Cli.run(dir, "render", "t.md", "-o", "t.html");
        assertEquals(0, again.exit(), again.out());
    }

    /** A transcript nested deeper than commonmark can recurse is refused in one line, not a StackOverflowError. */
    @Test
    void aTranscriptNestedTooDeeplyIsOneLine() throws Exception {
        Path t = transcript();
        Files.writeString(t, "\n" + ">".repeat(100_000) + "\n", java.nio.file.StandardOpenOption.APPEND);
        Cli.Result r = Cli.run(dir, "render", "t.md");
        assertEquals(2, r.exit(), r.out());
        assertEquals(1, r.out().strip().lines().count(), "one line: " + r.out());
        assertTrue(r.out().contains("t.md: nested too deeply for the Markdown parser (block quotes or lists)"), r.out());
        assertTrue(Files.notExists(dir.resolve("t.html")), "nothing written");
    }

    /** A file of gigabytes is no transcript: refused by its size, not read until the heap runs out. */
    @Test
    void aHugeFileIsRefusedBySize() throws Exception {
        Path big = dir.resolve("big.md");
        try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: no disk used
        }
        Cli.Result r = Cli.run(dir, "render", "big.md");
        assertEquals(2, r.exit(), r.out());
        assertEquals(1, r.out().strip().lines().count(), "one line: " + r.out());
        assertTrue(r.out().contains("transcript big.md is larger than 512 MiB"), r.out());
        assertTrue(Files.notExists(dir.resolve("big.html")), "nothing written");
    }
}
