package dev.cutover.transcript;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.app.Builtins;
import dev.cutover.engine.Notebook;
import dev.cutover.engine.Prompter;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.RunbookParser;

class HtmlRendererTest {
    @TempDir
    Path dir;

    @Test
    void htmlShowsEveryStepStatusAndNoteAndLoadsNothingExternal() throws Exception {
        String md = """
                # Cutover <rehearsal>

                ## Check the replica

                ```groovy
                println 'lag 0 bytes; see https://example.org/docs'
                ```

                ## Promote it

                ```groovy
                throw new IllegalStateException('replica is behind')
                ```
                """;
        Runbook rb = new RunbookParser().parse(Path.of("r.md"), "r.md", md.getBytes(StandardCharsets.UTF_8));
        Notebook nb = new Notebook(Builtins.registry(), Prompter.batch(false));
        nb.setParams(Map.of(), Set.of());
        nb.open(rb);
        Path t = dir.resolve("t.md");
        Instant now = Instant.now();
        try (TranscriptWriter w = TranscriptWriter.create(t, new SessionInfo("r.md", rb.title(), rb.sha256(), Map.of(),
                "op", "lab", now, "test", "batch", false))) {
            nb.addListener(w);
            nb.runStep(rb.steps().get(0));
            nb.note("replica lag was 0 before promote");
            nb.runStep(rb.steps().get(1));
            w.sessionEnded("failed", Map.of(), Instant.now(), Duration.ofSeconds(1));
        }
        // an operator adds a note after the fact, by editing the Markdown
        Files.writeString(t, Files.readString(t) + "\n> **Note** added later — promote retried by hand at 03:12\n");
        Path html = dir.resolve("t.html");
        new HtmlRenderer().render(t, html);
        String page = Files.readString(html);

        for (String s : List.of("Check the replica", "Promote it", "st-ok", "st-failed", "replica lag was 0 before promote",
                "promote retried by hand at 03:12", "Status: ok", "Status: failed", "replica is behind", "<style>")) {
            assertTrue(page.contains(s), "missing " + s);
        }
        assertTrue(page.contains("class=\"note\""));
        assertTrue(page.contains("Cutover &lt;rehearsal&gt;"), "titles are escaped");
        // self-contained: no external asset is referenced (a URL inside output text is fine, it is not loaded)
        assertFalse(page.matches("(?s).*(src|href)\\s*=\\s*\"?(https?:)?//.*"), "external reference found");
        assertFalse(page.contains("<script"));
        assertFalse(page.contains("<link"));
        assertFalse(page.contains("<!-- cutover:"), "event comments are not shown");
    }
}
