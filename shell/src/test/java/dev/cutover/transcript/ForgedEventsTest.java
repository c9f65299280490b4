package dev.cutover.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.app.Builtins;
import dev.cutover.spi.OutputKind;
import dev.cutover.engine.Notebook;
import dev.cutover.engine.Prompter;
import dev.cutover.engine.StepResult;
import dev.cutover.engine.StepStatus;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.RunbookParser;

/**
 * Only the writer makes events: text a runbook controls (output, notes, errors, code, titles,
 * params, event data) that looks like an event comment must never read back as one, or a resume
 * would skip a step that never ran.
 */
class ForgedEventsTest {
    @TempDir
    Path dir;

    /** What a resume would take as "step 2 is done". */
    static final String FORGED = "<!-- cutover:step-end {\"n\":2,\"id\":\"promote\",\"status\":\"ok\",\"ms\":1,\"at\":\"2026-01-01T00:00:00Z\"} -->";

    /** Every way we know to put the forged comment on a line of its own, outside any fence. */
    static final String SMUGGLED = String.join("\n",
            FORGED,
            "   " + FORGED,
            "~~~~~~",
            FORGED,
            "~~~~~~~~~~ output",
            "```",
            FORGED,
            "````````````",
            "x\r" + FORGED,
            "x\r\n" + FORGED,
            "x\u2028" + FORGED,
            "x\u2029" + FORGED,
            "x\u0085" + FORGED,
            "a note with --> inside " + FORGED + " <!-- and -->",
            "done");

    @Test
    void forgedEventLinesInEverythingTheWriterRecordsAreNotEvents() throws Exception {
        Files.writeString(dir.resolve("forged.txt"), SMUGGLED, StandardCharsets.UTF_8);
        String forgedPath = dir.resolve("forged.txt").toString().replace("\\", "/");
        String md = """
                ---
                title: "Hostile\\n<!-- cutover:step-end {\\"n\\":2,\\"status\\":\\"ok\\"} -->\\rend"
                ---

                # Hostile

                ## Print forgeries

                ```groovy
                def forged = new File('%s').text
                print forged
                println forged
                note forged
                throw new IllegalStateException(forged)
                ```

                ## Promote

                ```groovy id=promote
                println 'promoted'
                ```
                """.formatted(forgedPath);
        Runbook rb = new RunbookParser().parse(Path.of("r.md"), "r.md", md.getBytes(StandardCharsets.UTF_8));
        Notebook nb = new Notebook(Builtins.registry(), Prompter.batch(false));
        nb.setParams(Map.of(), Set.of());
        nb.open(rb);
        Path t = dir.resolve("t.md");
        Instant now = Instant.now();
        try (TranscriptWriter w = TranscriptWriter.create(t, new SessionInfo("r.md\n" + SMUGGLED, rb.title(), rb.sha256(),
                Map.of("p", SMUGGLED), "op\n" + SMUGGLED, "lab", now, "test", "batch", false))) {
            nb.addListener(w);
            StepResult first = nb.runStep(rb.steps().get(0));
            assertEquals(StepStatus.FAILED, first.status(), "the step that prints forgeries fails");
            nb.note(SMUGGLED);
            // straight into the writer: what a typed line, a result and a command event may carry
            w.evalStarted("println 1\n" + SMUGGLED, now);
            w.output(OutputKind.ERR, SMUGGLED);
            w.output(OutputKind.PROGRESS, SMUGGLED);
            w.evalFinished("x", new StepResult(StepStatus.FAILED, null, List.of(SMUGGLED, FORGED), List.of("sql: " + SMUGGLED),
                    now, Duration.ofMillis(5), SMUGGLED, null));
            w.event("snapshot", Map.of("tables", List.of(Map.of("name", SMUGGLED)), "note", FORGED), now);
            w.event("note", Map.of("text", SMUGGLED), now);
        }
        try (TranscriptWriter w = TranscriptWriter.append(t, new SessionInfo("r.md", SMUGGLED, rb.sha256(),
                Map.of("p", SMUGGLED), "op", SMUGGLED, now, "test", "batch", false), false)) {
            w.note(SMUGGLED, now);
        }

        TranscriptRecord rec = TranscriptRecord.read(t);
        assertEquals(Set.of(1), rec.steps().keySet(), "only the step that ran is recorded: " + rec.steps());
        assertEquals("failed", rec.steps().get(1).status());
        assertFalse(rec.steps().values().stream().anyMatch(s -> s.status().equals("ok")), "nothing reads back as ok");
        assertEquals(List.of("session", "step-start", "note", "step-end", "note", "eval-start", "eval-end", "event", "event",
                "resume", "note"), rec.events().stream().map(TranscriptEvent::type).toList(), "exactly the events the writer wrote");
        assertTrue(rec.events().stream().noneMatch(e -> e.type().equals("step-end") && e.integer("n") == 2));
        assertFalse(rec.outputFenceOpen());

        // the text itself survives: the note reads back verbatim from its event
        TranscriptEvent note = rec.events().stream().filter(e -> e.type().equals("note")).findFirst().orElseThrow();
        assertEquals(SMUGGLED, note.string("text"));

        // and no line of the file, as a Markdown reader splits lines, is an event the writer did not write
        String text = Files.readString(t, StandardCharsets.UTF_8);
        long columnZeroEvents = text.lines().filter(l -> l.startsWith("<!-- cutover:")).count();
        assertEquals(rec.events().size(), columnZeroEvents, "event-shaped lines at column 0:\n" + text);
        assertFalse(text.contains("\r") || text.contains("\u2028") || text.contains("\u2029") || text.contains("\u0085"),
                "no line breaks other than \\n in the transcript");
    }

    @Test
    void theEncoderNeverLetsAPayloadEndTheComment() throws Exception {
        String hostile = "a --> b --!> c <!-- d \u2028 e \r f";
        String line = EventCodec.encode("note", Map.of("text", hostile));
        String payload = line.substring("<!-- cutover:note ".length(), line.length() - " -->".length());
        assertFalse(payload.contains("<") || payload.contains(">"), payload);
        assertFalse(payload.contains("\u2028") || payload.contains("\r") || payload.contains("\n"), payload);
        assertEquals(hostile, EventCodec.decode(line, 1).orElseThrow().string("text"));
    }

    private Path transcriptWith(String appended) throws IOException {
        Path t = dir.resolve("t.md");
        try (TranscriptWriter w = TranscriptWriter.create(t, new SessionInfo("r.md", "R", "0", Map.of(), "op", "lab",
                Instant.now(), "test", "batch", false))) {
            w.note("fine", Instant.now());
        }
        Files.writeString(t, appended, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return t;
    }

    private int lineCount(Path t) throws IOException {
        return Files.readString(t, StandardCharsets.UTF_8).split("\n", -1).length;
    }

    @Test
    void aTruncatedEventLineIsAnErrorNamingFileAndLine() throws Exception {
        Path t = transcriptWith("\n<!-- cutover:step-end {\"n\":1,\"status\":\"o");
        IOException e = assertThrows(IOException.class, () -> TranscriptRecord.read(t));
        assertTrue(e.getMessage().startsWith(t + ":" + lineCount(t) + ": not a cutover event ("), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void aNonJsonEventPayloadIsAnErrorNamingFileAndLine() throws Exception {
        for (String payload : List.of("{n: 1, status: ok}", "{\"n\":1,\"status\":\"ok\"} {\"n\":2}", "[1, 2]",
                "{\"n\":1} --> <b>x</b> <!-- {}", "")) {
            Path t = transcriptWith("\n<!-- cutover:step-end " + payload + " -->\n\nmore text\n");
            IOException e = assertThrows(IOException.class, () -> TranscriptRecord.read(t), payload);
            assertTrue(e.getMessage().startsWith(t + ":" + (lineCount(t) - 3) + ": not a cutover event ("), e.getMessage());
        }
    }

    @Test
    void anEventWithoutAStepNumberIsAnErrorNotAStackTrace() throws Exception {
        Path t = transcriptWith("\n<!-- cutover:step-end {\"n\":\"two\",\"status\":\"ok\"} -->\n");
        IOException e = assertThrows(IOException.class, () -> TranscriptRecord.read(t));
        assertTrue(e.getMessage().startsWith(t + ":" + (lineCount(t) - 1) + ": not a cutover event ("), e.getMessage());
    }

    @Test
    void randomBytesAreNotUtf8Text() throws Exception {
        Path t = transcriptWith("");
        Files.write(t, new byte[] {'\n', (byte) 0xff, (byte) 0xfe, 0, (byte) 0xc3, '(', (byte) 0x80}, StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> TranscriptRecord.read(t));
        assertEquals(t + ": not UTF-8 text", e.getMessage());
    }
}
