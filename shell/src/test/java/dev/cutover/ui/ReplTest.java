package dev.cutover.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.cutover.app.ShellSessions;
import dev.cutover.app.Builtins;
import dev.cutover.engine.Notebook;
import dev.cutover.runbook.Runbook;
import dev.cutover.runbook.RunbookParser;

/**
 * The shell over a dumb terminal with scripted input: what an operator types, byte by byte,
 * including Ctrl-C (0x03), which the terminal's line discipline turns into SIGINT.
 */
class ReplTest {
    @TempDir
    Path dir;

    private PipedOutputStream keys;
    private ByteArrayOutputStream screen;
    private Terminal terminal;
    private Thread shell;
    private int exitCode = -1;

    static final String RUNBOOK = """
            ---
            title: REPL tour
            params:
              target: {default: replica, description: what to greet}
            ---

            # REPL tour

            ## Set up

            ```groovy
            count = 40
            println "hello ${params.target}"
            ```

            ## Wait a long time

            ```groovy id=wait
            sleep 60
            ```

            ## Finish

            ```groovy
            count + 2
            ```
            """;

    @BeforeEach
    void start() throws Exception {
        Path rbFile = dir.resolve("tour.md");
        Files.writeString(rbFile, RUNBOOK);
        Runbook rb = new RunbookParser().parse(rbFile);
        keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys, 1 << 16);
        screen = new ByteArrayOutputStream();
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (screen) {
                    screen.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (screen) {
                    screen.write(b, off, len);
                }
            }
        };
        terminal = new ExternalTerminal("test", Terminal.TYPE_DUMB, in, sink, StandardCharsets.UTF_8);
        Repl.Config config = new Repl.Config(rb, Map.of(), Map.of(), dir.resolve("t.md"), false, false, "test",
                "tester", "lab", dir.resolve("history"));
        Repl repl = new Repl(terminal, config, ShellSessions.of(Map.of(), Map.of(), false), new Notebook(Builtins.registry(), null));
        shell = new Thread(() -> {
            try {
                exitCode = repl.run();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, "repl-under-test");
        shell.start();
        waitFor("transcript: ");
        waitFor("cutover[0/3]> "); // keys typed before the first prompt (Ctrl-C above all) would race the start-up
    }

    @AfterEach
    void stop() throws Exception {
        if (shell.isAlive()) {
            type("/exit\n");
            shell.join(5000);
        }
        terminal.close();
    }

    private void type(String text) throws Exception {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private String screen() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until the screen shows {@code text} after position {@code from}; returns where it ends. */
    private int waitFor(String text, int from) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            int i = screen().indexOf(text, from);
            if (i >= 0) return i + text.length();
            Thread.sleep(20);
        }
        throw new AssertionError("screen never showed '" + text + "'; screen:\n" + screen());
    }

    private int waitFor(String text) throws Exception {
        return waitFor(text, 0);
    }

    @Test
    void operatorSessionStepsNextTypedGroovyNoteAndTranscript() throws Exception {
        type("/steps\n");
        int at = waitFor("3 | · pending | finish");
        assertTrue(screen().contains("1 | · pending | set-up"), screen());

        type("/next\n");
        at = waitFor("Run step 1 (set-up)? [y/N]", at);
        type("y\n");
        at = waitFor("hello replica", at);
        at = waitFor("✔ ok", at);

        type("count * 2\n");
        at = waitFor("80", at);

        type("/note replica lag was 0 before promote\n");
        at = waitFor("note: replica lag was 0 before promote", at);

        type("/skip wait\n");
        at = waitFor("skipped Step 2 (wait)", at);
        type("/run finish\n");
        at = waitFor("42", at);

        type("/vars\n");
        at = waitFor("count    | Integer | 40", at);

        type("/exit\n");
        shell.join(5000);
        assertFalse(shell.isAlive());
        assertEquals(0, exitCode);

        String t = Files.readString(dir.resolve("t.md"));
        assertTrue(t.contains("## Step 1 · Set up"), t);
        assertTrue(t.contains("hello replica"));
        assertTrue(t.contains("### Typed"));
        assertTrue(t.contains("count * 2"));
        assertTrue(t.contains("> **Note** ") && t.contains("replica lag was 0 before promote"));
        assertTrue(t.contains("\"id\":\"wait\",\"status\":\"skipped\""));
        assertTrue(t.contains("\"id\":\"finish\",\"status\":\"ok\""));
    }

    @Test
    void ctrlCCancelsASleep60StepWithinOneSecondAndTheShellGoesOn() throws Exception {
        type("/run wait\n");
        int at = waitFor("▶ Step 2 wait");
        Thread.sleep(300);
        long t0 = System.nanoTime();
        type("\u0003");
        at = waitFor("⏹ interrupted", at);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1000, "Ctrl-C took " + ms + " ms");
        assertTrue(screen().contains("interrupted by the operator (Ctrl-C)"), screen());

        type("1 + 1\n");
        waitFor("2", at);
        type("/exit\n");
        shell.join(5000);
        String t = Files.readString(dir.resolve("t.md"));
        assertTrue(t.contains("\"id\":\"wait\",\"status\":\"interrupted\""), t);
    }

    @Test
    void ctrlCAtAnEmptyPromptDoesNotExit() throws Exception {
        type("\u0003");
        int at = waitFor("nothing running");
        type("x = 5\n");
        waitFor("5", at);
        assertTrue(shell.isAlive());
    }

    @Test
    void multiLineInputWhileBracesAreOpen() throws Exception {
        type("def f(n) {\n  n * 3\n}\n");
        type("f(14)\n");
        waitFor("42");
    }

    @Test
    void historyKeepsTypedLinesWithPasswordsMaskedInAnOwnerOnlyFile() throws Exception {
        type("u = 'postgresql://app:Pa@ss:w!rd9@db1:5432/appdb'\n");
        int at = waitFor("postgresql://app:******@db1:5432/appdb");
        type("pw = 'password=hunter22'\n");
        waitFor("password=******", at);
        type("/exit\n");
        shell.join(5000);
        Path history = dir.resolve("history");
        String h = Files.readString(history);
        assertTrue(h.contains("postgresql://app:******@db1:5432/appdb"), h);
        assertFalse(h.contains("w!rd9") || h.contains("Pa@ss") || h.contains("hunter22"), h);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(history)));
        assertFalse(screen().contains("w!rd9"), screen());
    }

    @Test
    void groovyErrorsAreOneLine() throws Exception {
        type("nothere.sql 'select 1'\n");
        int at = waitFor("<input>:1: unknown variable 'nothere'");
        assertFalse(screen().substring(at).contains("at org.codehaus"));
        type("/bogus\n");
        waitFor("unknown control /bogus", at);
    }
}
