package dev.cutover.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import dev.cutover.engine.StepResult;
import dev.cutover.engine.StepStatus;
import dev.cutover.spi.OutputKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cat t.md} on a terminal must obey nothing a step printed: the transcript holds no raw control character. */
class TerminalControlsInTranscriptTest {
    @TempDir
    Path dir;

    private static final String HOSTILE = "a\u001b[2J\u001b]0;pwned\u0007b FAKE\u007f\u009b2J";
    /** Anything but tab and line feed below space, DEL, C1. */
    private static final Pattern RAW = Pattern.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]");

    @Test
    void outputNotesErrorsAndEventsAreRecordedWithVisibleControls() throws Exception {
        Path t = dir.resolve("t.md");
        Instant now = Instant.now();
        try (TranscriptWriter w = TranscriptWriter.create(t, new SessionInfo("r.md", "Title", "sha", Map.of(), "op", "lab", now, "test", "batch", false))) {
            w.evalStarted("println x", now);
            w.output(OutputKind.OUT, HOSTILE);
            w.output(OutputKind.ERR, "e\u001b[8mhidden");
            w.evalFinished("x", new StepResult(StepStatus.FAILED, null, List.of(HOSTILE), List.of(), now, Duration.ofMillis(5),
                    "failed: e\u001b[8mhidden", null));
            w.note(HOSTILE, now);
            w.event("freeze", Map.of("target", HOSTILE), now);
        }
        String text = Files.readString(t);
        assertFalse(RAW.matcher(text).find(), "raw control character in: " + text);
        assertTrue(text.contains("a^[[2J^[]0;pwned^Gb FAKE^?\\u009b2J") && text.contains("! e^[[8mhidden"), text);
        // the events still hold the text as it was: escaped, not changed
        TranscriptRecord read = TranscriptRecord.read(t);
        assertEquals(HOSTILE, read.recorded().get(0).data().get("target"));
    }
}
