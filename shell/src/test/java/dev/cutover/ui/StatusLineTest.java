package dev.cutover.ui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.app.Builtins;
import dev.cutover.engine.Notebook;
import dev.cutover.engine.Prompter;
import dev.cutover.engine.StepResult;

/** The shell's status line names every freeze in effect and the line that undoes it, and that line works. */
class StatusLineTest {
    @TempDir
    Path dir;

    @Test
    void everyFreezeInEffectIsNamedWithTheCommandThatUndoesIt() throws Exception {
        Notebook notebook = new Notebook(Builtins.registry(), Prompter.batch(true));
        Path stopped = dir.resolve("apps-stopped");
        Path paused = dir.resolve("bouncer-paused");
        eval(notebook, "f = freeze run: ['local': 'touch " + stopped + "'], undo: ['local': 'rm " + stopped + "']");
        // A freeze no variable holds: the status line gives its id, which unfreeze takes.
        eval(notebook, "freeze run: ['local': 'touch " + paused + "'], undo: ['local': 'rm " + paused + "']; null");
        try (Terminal terminal = new ExternalTerminal("test", Terminal.TYPE_DUMB, new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), StandardCharsets.UTF_8); StatusLine status = new StatusLine(terminal, notebook)) {
            String text = status.text();
            assertTrue(text.matches(".* · WRITES FROZEN [0-9.]+m?s · apps on local since \\d\\d:\\d\\d:\\d\\dZ: undo with unfreeze f"
                    + " · apps on local since \\d\\d:\\d\\d:\\d\\dZ: undo with unfreeze 'freeze-2' .*"), text);

            eval(notebook, "unfreeze 'freeze-2'");
            assertFalse(Files.exists(paused));
            assertTrue(status.text().contains("apps on local since ") && status.text().endsWith(": undo with unfreeze f "), status.text());
            eval(notebook, "unfreeze f");
            assertFalse(Files.exists(stopped));
            assertFalse(status.text().contains("FROZEN"), status.text());
        } finally {
            notebook.close();
        }
    }

    private static void eval(Notebook notebook, String code) {
        StepResult r = notebook.eval(code);
        if (!r.ok()) throw new AssertionError(r.error());
    }
}
